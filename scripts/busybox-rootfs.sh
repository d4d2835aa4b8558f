#!/usr/bin/env bash
# Prints the directory of a tiny busybox root filesystem for one Debian architecture, built from
# Debian's busybox-static package of that architecture (bin/busybox, its applets as symlinks,
# /etc/passwd and /etc/group, /tmp, /root). Cached under the user cache dir; rebuilt only when
# missing. Used by the emulation tests (uname -m per platform); base-images.sh is unaffected.
#
#   scripts/busybox-rootfs.sh ARCH      ARCH: amd64 arm64 armhf i386 ppc64el s390x (Debian names)
#
# As root it adds the dpkg architecture (and refreshes the package index) when missing.
set -euo pipefail
arch="${1:?usage: busybox-rootfs.sh DEBIAN-ARCH}"
cache="${JBUILD_TESTKIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/jbuild-testkit}"
mkdir -p "$cache/debs"
need() { command -v "$1" >/dev/null 2>&1 || { echo "busybox-rootfs.sh: $1 is missing: install it with: apt-get install -y $2" >&2; exit 2; }; }
need dpkg-deb dpkg; need apt-get apt

host=$(dpkg --print-architecture)
download() { # debian-arch
  local a="$1"
  ls "$cache/debs/"busybox-static_*_"$a".deb >/dev/null 2>&1 && return 0
  if [ "$a" != "$host" ] && ! dpkg --print-foreign-architectures | grep -qx "$a"; then
    if [ "$(id -u)" = 0 ]; then
      dpkg --add-architecture "$a" && bash "$(dirname "$0")/apt-update.sh" >/dev/null 2>&1 || true
    else
      echo "busybox-rootfs.sh: dpkg has no $a architecture: run as root: dpkg --add-architecture $a && apt-get update" >&2; exit 2
    fi
  fi
  if ! (cd "$cache/debs" && apt-get download "busybox-static:$a" >/dev/null 2>&1); then
    if [ "$(id -u)" = 0 ]; then bash "$(dirname "$0")/apt-update.sh" >/dev/null 2>&1 || true; fi
    (cd "$cache/debs" && apt-get download "busybox-static:$a" >/dev/null 2>&1) || {
      echo "busybox-rootfs.sh: apt-get download busybox-static:$a failed: Debian has no busybox-static for $a, or the package index is stale (apt-get update)" >&2; exit 2; }
  fi
}
deb() { ls "$cache/debs/"busybox-static_*_"$1".deb | head -n1; }

download "$arch"
download "$host"   # the host's busybox lists the applets (same source for every architecture)
debver=$(dpkg-deb -f "$(deb "$arch")" Version)
dir="$cache/rootfs-$(echo "$debver" | tr ':+~' '___')-$arch"
if [ ! -x "$dir/bin/busybox" ]; then
  work=$(mktemp -d "$cache/.rootfs.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  dpkg-deb -x "$(deb "$arch")" "$work/x"
  dpkg-deb -x "$(deb "$host")" "$work/h"
  r="$work/root"
  mkdir -p "$r/bin" "$r/sbin" "$r/usr/bin" "$r/usr/sbin" "$r/etc" "$r/root" "$r/tmp"
  chmod 1777 "$r/tmp"; chmod 700 "$r/root"
  cp "$work/x/bin/busybox" "$r/bin/busybox"; chmod 755 "$r/bin/busybox"
  "$work/h/bin/busybox" --list-full | while read -r p; do
    [ "$p" = "bin/busybox" ] && continue
    d=$(dirname "$p"); rel=$(echo "$d" | sed -E 's#[^/]+#..#g')
    mkdir -p "$r/$d"; ln -sf "$rel/bin/busybox" "$r/$p"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$r/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$r/etc/group"
  chmod 644 "$r/etc/passwd" "$r/etc/group"
  rm -rf "$dir"; mv "$r" "$dir"
fi
echo "$dir"
