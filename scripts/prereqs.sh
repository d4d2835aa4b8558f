#!/usr/bin/env bash
# Installs and enables what jbuild and its tests need on Debian bookworm, as root. Idempotent.
#   apt packages: runc, crun, qemu-user-static, docker-registry, skopeo, umoci, podman, docker.io (peer dockerd), buildah, mmdebstrap (+ arch-test for arm64), tmux, busybox-static (amd64+arm64 debs)
#   binfmt_misc: mounted and qemu handlers registered with the F flag (no systemd needed)
set -euo pipefail
if [ "$(id -u)" != 0 ]; then echo "prereqs.sh: run as root (it installs packages and registers binfmt handlers)" >&2; exit 2; fi
export DEBIAN_FRONTEND=noninteractive
pkgs=(runc crun qemu-user-static docker-registry skopeo umoci podman uidmap curl ca-certificates docker.io buildah mmdebstrap arch-test tmux git)
command -v javac >/dev/null 2>&1 || pkgs+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || pkgs+=(maven)
if ! dpkg --print-foreign-architectures | grep -qx arm64; then dpkg --add-architecture arm64; updated=0; fi
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ] || [ "${updated:-1}" = 0 ]; then
  bash "$(dirname "$0")/apt-update.sh"
  [ ${#missing[@]} -eq 0 ] || apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
# The distribution registry package starts a service on :5000 with auth; the tests run their own.
if [ -d /run/systemd/system ] && systemctl is-active -q docker-registry 2>/dev/null; then systemctl stop docker-registry || true; fi
# docker.io enables a host-network daemon under systemd; tests start their own off the host network (scripts/peer-dockerd.sh).
if [ -d /run/systemd/system ]; then systemctl stop docker.service docker.socket 2>/dev/null || true; fi

bash "$(dirname "$0")/setup-emulation.sh"
