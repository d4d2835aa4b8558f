#!/usr/bin/env bash
# Builds the benchmarks' realistic base: Debian bookworm minbase (mmdebstrap --variant=minbase) for
# linux/amd64 and linux/arm64 as one OCI layout with a two-platform index, cached under the user
# cache dir (the mirror is the only network it needs; arm64 maintainer scripts run through qemu).
#   bench/debian-base.sh                 -> prints the layout dir (tag "bookworm")
#   bench/debian-base.sh --push HOST:PORT   also copies it to HOST:PORT/debian:bookworm with skopeo
set -euo pipefail
cache="${XDG_CACHE_HOME:-$HOME/.cache}/jbuild-bench"
layout="$cache/debian-bookworm-minbase"
for t in mmdebstrap:mmdebstrap skopeo:skopeo sha256sum:coreutils; do
  command -v "${t%%:*}" >/dev/null || { echo "debian-base.sh: ${t%%:*} missing: apt-get install -y ${t#*:}" >&2; exit 2; }
done
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}
if [ ! -f "$layout/index.json" ]; then
  mkdir -p "$cache"
  work=$(mktemp -d "$cache/.work.XXXXXX"); trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/oci/blobs/sha256"
  put() { local h; h=$(sha256sum "$1" | cut -d' ' -f1); mv "$1" "$work/oci/blobs/sha256/$h"; echo "$h"; }
  entries=()
  for a in amd64 arm64; do
    echo "debian-base.sh: mmdebstrap bookworm minbase for $a…" >&2
    mmdebstrap --quiet --variant=minbase --architectures="$a" --format=tar \
      --aptopt='Acquire::Retries "3"' bookworm "$work/$a.tar" >&2
    diffid=$(sha256sum "$work/$a.tar" | cut -d' ' -f1)
    gzip -n -6 "$work/$a.tar"
    lsize=$(stat -c %s "$work/$a.tar.gz"); ldig=$(put "$work/$a.tar.gz")
    variant=""; [ "$a" = arm64 ] && variant=',"variant":"v8"'
    printf '{"architecture":"%s","os":"linux"%s,"config":{"Cmd":["bash"],"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]},"history":[{"created_by":"mmdebstrap --variant=minbase bookworm (bench/debian-base.sh)"}]}' \
      "$a" "$variant" "$diffid" > "$work/c.json"
    csize=$(stat -c %s "$work/c.json"); cdig=$(put "$work/c.json")
    printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":%s}]}' \
      "$cdig" "$csize" "$ldig" "$lsize" > "$work/m.json"
    msize=$(stat -c %s "$work/m.json"); mdig=$(put "$work/m.json")
    entries+=("{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:$mdig\",\"size\":$msize,\"platform\":{\"architecture\":\"$a\",\"os\":\"linux\"$variant}}")
  done
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[%s]}' "$(IFS=,; echo "${entries[*]}")" > "$work/i.json"
  isize=$(stat -c %s "$work/i.json"); idig=$(put "$work/i.json")
  printf '{"imageLayoutVersion":"1.0.0"}' > "$work/oci/oci-layout"
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"bookworm"}}]}' \
    "$idig" "$isize" > "$work/oci/index.json"
  rm -rf "$layout"; mv "$work/oci" "$layout"
fi
if [ "${1:-}" = --push ]; then
  skopeo copy --quiet --all --dest-tls-verify=false "oci:$layout:bookworm" "docker://${2:?--push needs HOST:PORT}/debian:bookworm" >&2
fi
echo "$layout"
