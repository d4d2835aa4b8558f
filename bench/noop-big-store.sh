#!/usr/bin/env bash
# Times a no-op (fully cached) build in a store that holds many records, where per-build store
# maintenance that walks the store shows: a 200-file context (compare.sh's small one) is built
# FROM scratch once, then its records are copied under RECORDS new keys (valid records naming the
# same layers, as many builds of other Dockerfiles would leave), then the no-op build is timed RUNS times.
#
#   bench/noop-big-store.sh [RUNS] [RECORDS]        as root; defaults 5 and 20000
#   BASELINE=/path/to/other/checkout bench/noop-big-store.sh   times that jbuild too, run by run
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
count=${2:-20000}
[ "$(id -u)" = 0 ] || { echo "noop-big-store.sh: run as root (overlay mounts)" >&2; exit 2; }
work=$(mktemp -d /tmp/jbuild-bigstore.XXXXXX)
cleanup() {
  { grep -o " $work[^ ]*" /proc/mounts || true; } | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
ctx="$work/ctx"
python3 - "$ctx" <<'PY'
import base64, os, random, sys
d = sys.argv[1]; rnd = random.Random(42)
for i in range(200):
    sub = os.path.join(d, "d%03d" % (i // 100)); os.makedirs(sub, exist_ok=True)
    with open(os.path.join(sub, "f%05d.txt" % i), "wb") as f:
        f.write(base64.b64encode(rnd.randbytes(769))[:1024])
PY
# no base image and no RUN: what is timed is the build's fixed cost, store maintenance included
printf 'FROM scratch\nWORKDIR /app\nCOPY . .\n' > "$work/Dockerfile"
tools=(./jbuild); [ -n "${BASELINE:-}" ] && tools+=("$BASELINE/jbuild")
for t in "${tools[@]}"; do
  "$t" --version >/dev/null # trains the launcher's class-data archive outside the timed runs
  st="$work/state-$(echo "$t" | md5sum | cut -c1-8)"
  JBUILD_ROOT="$st" "$t" build --progress=quiet -f "$work/Dockerfile" "$ctx" >/dev/null
  python3 - "$st/records" "$count" <<'PY'
import hashlib, os, shutil, sys
d, n = sys.argv[1], int(sys.argv[2])
src = [f for f in sorted(os.listdir(d)) if f.endswith(".json")]
for i in range(n):
    name = hashlib.sha256(b"bench-%d" % i).hexdigest() + ".json"
    shutil.copyfile(os.path.join(d, src[i % len(src)]), os.path.join(d, name))
PY
  # one untimed no-op build first: it may find the store changed since its last look
  JBUILD_ROOT="$st" "$t" build --progress=quiet -f "$work/Dockerfile" "$ctx" >/dev/null
done
declare -A times
for i in $(seq "$runs"); do
  for t in "${tools[@]}"; do
    st="$work/state-$(echo "$t" | md5sum | cut -c1-8)"
    s=$(date +%s%N)
    JBUILD_ROOT="$st" "$t" build --progress=quiet -f "$work/Dockerfile" "$ctx" >/dev/null
    e=$(date +%s%N)
    times[$t]+="$(( (e - s) / 1000000 )) "
  done
done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg); no-op build, store with $count extra records; median of $runs runs, ms (min-max)"
for t in "${tools[@]}"; do
  echo "${times[$t]}" | tr ' ' '\n' | grep . | sort -n | awk -v t="$t" '{a[NR]=$1} END {printf "%-40s %6d (%d-%d)\n", t, a[int((NR+1)/2)], a[1], a[NR]}'
done
