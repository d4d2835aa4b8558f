#!/usr/bin/env bash
# A huge sparse file (default 1G apparent, a few bytes of data) ADDed from a tar (GNU tar's PAX 1.0
# sparse format) and COPYed from the context, FROM scratch: wall time, per-step times, and the disk
# the unpacked/copied files and the whole store take afterwards; then the same build in Docker's
# BuildKit (a private dockerd 20.10, scripts/peer-dockerd.sh) for the disk use of its snapshots.
#   bench/sparse-files.sh [SIZE]     (truncate's sizes: 1G, 256M…; needs root, docker.io for the peer)
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-1G}
[ -f cli/target/jbuild.jar ] || ./jbuild --version >/dev/null
work=$(mktemp -d /tmp/jbuild-sparsebench.XXXXXX)
cleanup() {
  bash scripts/peer-dockerd.sh stop "$work/dockerd" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/ctx" "$work/src"
truncate -s "$size" "$work/src/inner" "$work/ctx/big.sparse"
printf head | dd of="$work/src/inner" conv=notrunc status=none
printf head | dd of="$work/ctx/big.sparse" conv=notrunc status=none
tar --sparse --format=posix --sparse-version=1.0 -C "$work/src" -cf "$work/ctx/sparse.tar" inner
printf 'FROM scratch\nADD sparse.tar /data/\nCOPY big.sparse /copied\n' > "$work/ctx/Dockerfile"
echo "context: sparse.tar $(stat -c %s "$work/ctx/sparse.tar") bytes; big.sparse $(stat -c %s "$work/ctx/big.sparse") bytes apparent, $(( $(stat -c %b "$work/ctx/big.sparse") * 512 )) on disk"
disk() { # apparent and on-disk bytes of the files named $2 under $1
  find "$1" -type f -name "$2" -printf "  %p: %s bytes apparent, %b blocks (x512) on disk\n" | sed "s#$1/##"
}
start=$(date +%s.%N)
JBUILD_ROOT="$work/store" ./jbuild build --progress=plain -o "type=oci,dest=$work/out.tar" "$work/ctx" 2>&1 | grep -E '^#[0-9]+ (\[|exporting|DONE)' || true
echo "jbuild: $(echo "$(date +%s.%N) - $start" | bc) s wall; store $(du -sh "$work/store" | cut -f1); image archive $(stat -c %s "$work/out.tar") bytes"
disk "$work/store" inner
disk "$work/store" copied
sock=$(bash scripts/peer-dockerd.sh start "$work/dockerd")
start=$(date +%s.%N)
DOCKER_BUILDKIT=1 /usr/bin/docker -H "$sock" build --network none -q -t sparse-bench "$work/ctx" >/dev/null
echo "BuildKit: $(echo "$(date +%s.%N) - $start" | bc) s wall; data-root $(du -sh "$work/dockerd/data" | cut -f1)"
disk "$work/dockerd/data/overlay2" inner
disk "$work/dockerd/data/overlay2" copied
