#!/usr/bin/env bash
# CI cold start with a registry cache: a two-platform build (linux/amd64 + linux/arm64, the arm64
# half under QEMU) on an empty store, without and with --cache-from type=registry, after a warm
# build exported its cache (mode=max) to a registry on loopback. Side by side, Docker's BuildKit
# (a private dockerd 20.10, scripts/peer-dockerd.sh) doing the same: its docker driver has no
# type=registry cache export, so it uses what it has: inline cache (BUILDKIT_INLINE_CACHE=1) in a
# pushed image and --cache-from IMAGE, one platform per build (20.10 builds one at a time), with
# its build cache and images removed before every cold build.
#   bench/cache-cold-start.sh [RUNS]     (default 3; needs root, runc/crun, qemu binfmt, docker.io)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
[ -f cli/target/jbuild.jar ] || ./jbuild --version >/dev/null
work=$(mktemp -d /tmp/jbuild-cachebench.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 5123)
reg=127.0.0.1:$port
cleanup() {
  bash scripts/peer-dockerd.sh stop "$work/dockerd" >/dev/null 2>&1 || true
  [ -f "$work/registry.pid" ] && kill "$(cat "$work/registry.pid")" 2>/dev/null || true
  for s in "$work"/store-*; do umount -R "$s"/tmp/* 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
cat > "$work/registry.yml" <<YML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $work/registry
http:
  addr: $reg
YML
docker-registry serve "$work/registry.yml" > "$work/registry.log" 2>&1 &
echo $! > "$work/registry.pid"
for _ in $(seq 100); do curl -fsS "http://$reg/v2/" >/dev/null 2>&1 && break; sleep 0.1; done
bash scripts/base-images.sh --push "$reg" >/dev/null

mkdir -p "$work/ctx"
cat > "$work/ctx/Dockerfile" <<'DOCKERFILE'
ARG BASE
FROM $BASE
WORKDIR /app
COPY app.txt ./
# stands for dependency installs and compiles: CPU work (slow under QEMU) and a 16 MB layer
RUN i=0; while [ $i -lt 150000 ]; do i=$((i+1)); done; echo $i > /app/count
RUN dd if=/dev/urandom of=/app/deps.bin bs=1M count=16 2>/dev/null && sha256sum /app/deps.bin > /app/deps.sum
RUN uname -m > /app/arch
DOCKERFILE
echo "app v1" > "$work/ctx/app.txt"

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }
jb() { # STORE [flags…]
  local store=$1; shift
  JBUILD_ROOT="$work/store-$store" ./jbuild build --progress=quiet --platform linux/amd64,linux/arm64 \
    --build-arg BASE="$reg/busybox:latest" -t "$reg/app:$store" --push "$@" "$work/ctx" >/dev/null
}

jb warm --cache-to "type=registry,ref=$reg/app:buildcache,mode=max"
for mode in without with; do
  times=()
  for i in $(seq "$runs"); do
    flags=(); [ "$mode" = with ] && flags=(--cache-from "type=registry,ref=$reg/app:buildcache")
    rm -rf "$work/store-cold"
    s=$(date +%s%N); jb cold "${flags[@]}"; times+=("$(ms "$s")")
  done
  echo "jbuild cold start $mode --cache-from type=registry: median $(printf '%s\n' "${times[@]}" | median) ms of ${times[*]}"
done

sock=$(bash scripts/peer-dockerd.sh start "$work/dockerd" "$reg")
dk() { DOCKER_BUILDKIT=1 /usr/bin/docker -H "$sock" "$@"; }
bk() { # PLATFORM TAG [flags…]
  local platform=$1 tag=$2; shift 2
  dk build -q --network none --platform "$platform" --build-arg BASE="$reg/busybox:latest" \
    --build-arg BUILDKIT_INLINE_CACHE=1 -t "$reg/bk:$tag" "$@" "$work/ctx" >/dev/null
  dk push -q "$reg/bk:$tag" >/dev/null
}
reset_docker() {
  dk image ls -q | sort -u | xargs -r /usr/bin/docker -H "$sock" rmi -f >/dev/null 2>&1 || true
  dk builder prune -af >/dev/null
}
for p in amd64 arm64; do bk "linux/$p" "cache-$p"; done
for mode in without with; do
  times=()
  for i in $(seq "$runs"); do
    reset_docker
    s=$(date +%s%N)
    for p in amd64 arm64; do
      flags=(); [ "$mode" = with ] && flags=(--cache-from "$reg/bk:cache-$p")
      bk "linux/$p" "cold-$p" "${flags[@]}"
    done
    times+=("$(ms "$s")")
  done
  echo "BuildKit ($(dk version -f '{{.Server.Version}}')) cold start $mode --cache-from (inline): median $(printf '%s\n' "${times[@]}" | median) ms of ${times[*]}"
done
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
