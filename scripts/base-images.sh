#!/usr/bin/env bash
# Builds the test/demo base image "busybox" for linux/amd64 and linux/arm64 from Debian's
# busybox-static packages, as an OCI image layout with a two-platform index (tag = the busybox
# upstream version, e.g. 1.35). Output is reproducible (fixed mtimes, numeric owners, gzip -n)
# and cached: the directory is printed on stdout and rebuilt only when missing.
#
#   scripts/base-images.sh            -> prints the layout dir
#   scripts/base-images.sh --push HOST:PORT   also copies it into that registry with skopeo
set -euo pipefail

cache="${JBUILD_TESTKIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/jbuild-testkit}"
archs=(amd64 arm64)
mkdir -p "$cache/debs"

need() { command -v "$1" >/dev/null 2>&1 || { echo "base-images.sh: $1 is missing: install it with: apt-get install -y $2" >&2; exit 2; }; }
need dpkg-deb dpkg; need sha256sum coreutils; need gzip gzip; need tar tar

for a in "${archs[@]}"; do
  if ! ls "$cache/debs/"busybox-static_*_"$a".deb >/dev/null 2>&1; then
    need apt-get apt
    if ! dpkg --print-foreign-architectures | grep -qx "$a" && [ "$a" != "$(dpkg --print-architecture)" ]; then
      echo "base-images.sh: dpkg has no $a architecture: run as root: dpkg --add-architecture $a && apt-get update" >&2; exit 2
    fi
    (cd "$cache/debs" && apt-get download "busybox-static:$a" >/dev/null 2>&1) || {
      echo "base-images.sh: apt-get download busybox-static:$a failed: is the package index current (apt-get update)?" >&2; exit 2; }
  fi
done
deb() { ls "$cache/debs/"busybox-static_*_"$1".deb | head -n1; }
debver=$(dpkg-deb -f "$(deb amd64)" Version)
upstream=$(echo "$debver" | sed -E 's/^[0-9]+://; s/-.*$//')        # 1:1.35.0-4+deb12u1 -> 1.35.0
tag=$(echo "$upstream" | cut -d. -f1,2)                               # 1.35
layout="$cache/busybox-$(echo "$debver" | tr ':+~' '___')"

push_to=""
if [ "${1:-}" = "--push" ]; then push_to="${2:?--push needs HOST:PORT}"; fi

if [ ! -f "$layout/index.json" ]; then
  work=$(mktemp -d "$cache/.work.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/layout/blobs/sha256"
  blob() { # file -> prints digest hex, moves it into the layout
    local h; h=$(sha256sum "$1" | cut -d' ' -f1); mv "$1" "$work/layout/blobs/sha256/$h"; echo "$h"; }
  applets=$(mktemp -p "$work")
  entries=""
  for a in "${archs[@]}"; do
    x="$work/x-$a"; r="$work/root-$a"; mkdir -p "$x" "$r"
    dpkg-deb -x "$(deb "$a")" "$x"
    mkdir -p "$r/bin" "$r/sbin" "$r/usr/bin" "$r/usr/sbin" "$r/etc" "$r/root" "$r/tmp" "$r/proc" "$r/sys" "$r/dev" "$r/var" "$r/home"
    chmod 1777 "$r/tmp"; chmod 700 "$r/root"
    cp "$x/bin/busybox" "$r/bin/busybox"; chmod 755 "$r/bin/busybox"
    if [ ! -s "$applets" ]; then
      # the amd64 binary lists the applets (same source for every architecture)
      "$work/x-amd64/bin/busybox" --list-full > "$applets" 2>/dev/null || "$x/bin/busybox" --list-full > "$applets"
    fi
    while read -r p; do
      [ "$p" = "bin/busybox" ] && continue
      d=$(dirname "$p"); rel=$(echo "$d" | sed -E 's#[^/]+#..#g')
      mkdir -p "$r/$d"; ln -sf "$rel/bin/busybox" "$r/$p"
    done < "$applets"
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$r/etc/passwd"
    printf 'root:x:0:\nnogroup:x:65534:\n' > "$r/etc/group"
    chmod 644 "$r/etc/passwd" "$r/etc/group"
    tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu -C "$r" -cf "$work/layer-$a.tar" .
    diffid=$(sha256sum "$work/layer-$a.tar" | cut -d' ' -f1)
    gzip -n -9 "$work/layer-$a.tar"
    lsize=$(stat -c %s "$work/layer-$a.tar.gz"); ldig=$(blob "$work/layer-$a.tar.gz")
    variant=""; [ "$a" = arm64 ] && variant=',"variant":"v8"'
    printf '{"architecture":"%s","config":{"Cmd":["sh"],"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]},"created":"1970-01-01T00:00:00Z","history":[{"created":"1970-01-01T00:00:00Z","created_by":"busybox-static %s from Debian (scripts/base-images.sh)"}],"os":"linux","rootfs":{"diff_ids":["sha256:%s"],"type":"layers"}%s}' \
      "$a" "$debver" "$diffid" "$variant" > "$work/config-$a.json"
    csize=$(stat -c %s "$work/config-$a.json"); cdig=$(blob "$work/config-$a.json")
    printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":%s}]}' \
      "$cdig" "$csize" "$ldig" "$lsize" > "$work/manifest-$a.json"
    msize=$(stat -c %s "$work/manifest-$a.json"); mdig=$(blob "$work/manifest-$a.json")
    [ -n "$entries" ] && entries="$entries,"
    entries="$entries{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:$mdig\",\"size\":$msize,\"platform\":{\"architecture\":\"$a\",\"os\":\"linux\"${variant}}}"
  done
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[%s]}' "$entries" > "$work/index.json"
  isize=$(stat -c %s "$work/index.json"); idig=$(blob "$work/index.json")
  printf '{"imageLayoutVersion":"1.0.0"}' > "$work/layout/oci-layout"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"%s"}}]}' \
    "$idig" "$isize" "$tag" > "$work/layout/index.json"
  rm -rf "$layout"; mv "$work/layout" "$layout"
fi

if [ -n "$push_to" ]; then
  need skopeo skopeo
  for t in "$tag" latest; do
    skopeo copy --quiet --all --dest-tls-verify=false "oci:$layout:$tag" "docker://$push_to/busybox:$t" >&2
  done
fi
echo "$layout"
