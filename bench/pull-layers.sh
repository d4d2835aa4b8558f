#!/usr/bin/env bash
# Times a cold pull + unpack of a five-layer base (issue 14): each layer 2,000 files of 8 KiB base64
# text (≈16 MB, ≈12 MB gzip), made by umoci and pushed with skopeo to a local registry; the build is
# `FROM it` + a one-file COPY, so the time covers resolving, downloading and unpacking all layers.
#
#   bench/pull-layers.sh [RUNS]                  as root; RUNS (default 5) cold builds
#   BASELINE=/path/to/other/checkout bench/pull-layers.sh 5   the same runs, interleaved, for another jbuild
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
[ "$(id -u)" = 0 ] || { echo "pull-layers.sh: run as root (overlay mounts)" >&2; exit 2; }
for p in umoci skopeo docker-registry; do
  command -v "$p" >/dev/null || { echo "pull-layers.sh: $p is missing: bash scripts/prereqs.sh" >&2; exit 2; }
done
work=$(mktemp -d /tmp/jbuild-pull.XXXXXX)
reg_pid=""
cleanup() {
  [ -n "$reg_pid" ] && kill "$reg_pid" 2>/dev/null
  { grep -o " $work[^ ]*" /proc/mounts || true; } | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
source bench/local-registry.sh
start_registry "$work"

umoci init --layout "$work/layout" && umoci new --image "$work/layout:multi"
for l in 1 2 3 4 5; do
  umoci unpack --image "$work/layout:multi" "$work/bundle" >/dev/null
  python3 - "$work/bundle/rootfs/layer$l" "$l" <<'PY'
import base64, os, random, sys
d, seed = sys.argv[1], int(sys.argv[2])
rnd = random.Random(seed)
for i in range(2000):
    sub = os.path.join(d, "d%02d" % (i // 100)); os.makedirs(sub, exist_ok=True)
    with open(os.path.join(sub, "f%04d" % i), "wb") as f:
        f.write(base64.b64encode(rnd.randbytes(6144)))
PY
  umoci repack --image "$work/layout:multi" "$work/bundle" >/dev/null
  rm -rf "$work/bundle"
done
skopeo copy -q --dest-tls-verify=false "oci:$work/layout:multi" "docker://$reg/multi:1"
mkdir -p "$work/ctx" && echo hi > "$work/ctx/f" && printf 'FROM %s/multi:1\nCOPY f /f\n' "$reg" > "$work/ctx/Dockerfile"
./jbuild --version >/dev/null
[ -n "${BASELINE:-}" ] && "$BASELINE/jbuild" --version >/dev/null

declare -A times
tools="jbuild${BASELINE:+ baseline}"
echo "machine: $(nproc) cores, kernel $(uname -r), load at start $(cut -d' ' -f1-3 /proc/loadavg)"
echo "image: $(skopeo inspect --tls-verify=false "docker://$reg/multi:1" | python3 -c 'import json,sys; m=json.load(sys.stdin); print(len(m["Layers"]), "layers")'), $(du -sm "$work/registry" | cut -f1) MB in the registry"
for i in $(seq "$runs"); do
  for t in $tools; do
    bin=./jbuild; [ "$t" = baseline ] && bin="$BASELINE/jbuild"
    rm -rf "$work/state"; mkdir -p "$work/state"
    s=$(date +%s%N)
    JBUILD_ROOT="$work/state" "$bin" build --progress=quiet "$work/ctx" >/dev/null 2>"$work/log" || { cat "$work/log" >&2; exit 1; }
    e=$(date +%s%N)
    times[$t]+="$(( (e - s) / 1000000 )) "
    { grep -o " $work/state[^ ]*" /proc/mounts || true; } | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  done
done
for t in $tools; do
  echo "$t: cold FROM (5 layers) + COPY, ms: $(echo "${times[$t]}" | tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {printf "median %d (min %d, max %d) of %d", a[int((NR+1)/2)], a[1], a[NR], NR}')"
done
echo "load at end $(cut -d' ' -f1-3 /proc/loadavg)"
