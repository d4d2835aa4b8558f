#!/usr/bin/env bash
# Times jbuild, BuildKit (Debian's dockerd 20.10) and buildah on the same inputs in the same run,
# interleaving the three tools run by run, and prints medians, spreads and jbuild/peer ratios.
#
#   bench/compare.sh [RUNS]          as root; RUNS (default 5) repetitions of every case
#   SCENARIOS="small large multistage debian gigabyte" TOOLS="jbuild buildkit buildah" bench/compare.sh 1
#   BASELINE=/path/to/other/checkout TOOLS="jbuild baseline buildkit" bench/compare.sh   (another jbuild, e.g. main)
#
# Scenarios: small (200 files, 1 KiB each), large (10,000 files), multistage (3 stages, the last
# FROM scratch, small context), debian (Debian bookworm minbase from bench/debian-base.sh, 2,000
# files / 20 MB, a RUN that hashes and tars them), gigabyte (one 1 GiB file COPY'd FROM scratch:
# time and jbuild's peak RSS; off unless named in SCENARIOS). Cases per scenario: cold (empty
# stores; the base is pulled), noop (same build again), touch (one file's mtime changes), edit
# (one file's content changes), 2p (cold, linux/amd64 + linux/arm64; BuildKit: two concurrent
# builds, one per platform). No build exports anything: jbuild keeps the result in its store,
# BuildKit loads it into dockerd's image store, buildah commits to its local storage.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
runs=${1:-${RUNS:-5}}
scenarios=${SCENARIOS:-small large multistage debian}
tools=${TOOLS:-jbuild buildkit buildah}
[ "$(id -u)" = 0 ] || { echo "compare.sh: run as root (overlay mounts, dockerd, buildah)" >&2; exit 2; }
bash scripts/prereqs.sh >/dev/null
docker=/usr/bin/docker

work=$(mktemp -d /tmp/jbuild-compare.XXXXXX)
reg_pid=""
unmount_under() { { grep -o " $1[^ ]*" /proc/mounts || true; } | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done; }
cleanup() {
  [ -n "$reg_pid" ] && kill "$reg_pid" 2>/dev/null
  bash scripts/peer-dockerd.sh stop "$work/dockerd" 2>/dev/null || true
  unmount_under "$work"; rm -rf "$work" "$work.img"
}
trap cleanup EXIT
# Every tool's state goes on a fresh journaled ext4 (a sparse image on a loop device), the file
# system most users build on. Why: on ext4 *without* a journal (this CI VM's root), creating an
# inode near many just-deleted ones runs ext4's recently_deleted() scan, and a cold build right
# after a fresh_state's rm -rf took 3-10x longer from run to run (perf: find_get_block_common under
# __ext4_new_inode; docs/benchmarks.md). BENCH_LOOPFS=0 keeps the state in /tmp instead.
if [ "${BENCH_LOOPFS:-1}" = 1 ]; then
  truncate -s "${BENCH_LOOPFS_SIZE:-40G}" "$work.img"
  mkfs.ext4 -q -F "$work.img"
  mount -o loop "$work.img" "$work"
fi
source bench/local-registry.sh
start_registry "$work"
bash scripts/base-images.sh --push "$reg" >/dev/null
[[ " $scenarios " == *" debian "* ]] && bash bench/debian-base.sh --push "$reg" >/dev/null
[ -f cli/target/jbuild.jar ] || ./jbuild --version >/dev/null
./jbuild --version >/dev/null # trains the launcher's class-data archive outside the timed runs
[[ " $tools " == *" baseline "* ]] && "${BASELINE:?TOOLS has baseline: set BASELINE=/path/to/a/jbuild/checkout}/jbuild" --version >/dev/null
if [[ " $tools " == *" buildkit "* ]]; then
  sock=$(bash scripts/peer-dockerd.sh start "$work/dockerd" "$reg")
fi

# --- inputs -------------------------------------------------------------------------------------
# deterministic contexts: N files of SIZE bytes of base64 text in directories of 100
make_context() { # dir files size
  python3 - "$@" <<'PY'
import base64, os, random, sys
d, n, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rnd = random.Random(42)
for i in range(n):
    sub = os.path.join(d, "d%03d" % (i // 100)); os.makedirs(sub, exist_ok=True)
    with open(os.path.join(sub, "f%05d.txt" % i), "wb") as f:
        f.write(base64.b64encode(rnd.randbytes(size * 3 // 4 + 1))[:size])
PY
}
mkdir -p "$work/in"
for s in $scenarios; do
  ctx="$work/in/$s"; mkdir -p "$ctx"
  case $s in
    small|multistage) make_context "$ctx" 200 1024 ;;
    large) make_context "$ctx" 10000 1024 ;;
    debian) make_context "$ctx" 2000 10240 ;;
    gigabyte) mkdir -p "$ctx/d000"; head -c 1073741824 /dev/urandom > "$ctx/d000/f00000.txt" ;;
  esac
done
cat > "$work/in/files.Dockerfile" <<'EOF'
ARG BASE=busybox
FROM ${BASE}
WORKDIR /app
COPY . .
RUN find . -type f | wc -l > /count
RUN du -s . > /size && cat /count /size
EOF
cat > "$work/in/multistage.Dockerfile" <<'EOF'
ARG BASE=busybox
FROM ${BASE} AS gen
WORKDIR /src
COPY . .
RUN mkdir -p /out && find . -type f | sort | xargs cat | sha256sum > /out/sum && cp -r d000 /out/
FROM ${BASE} AS pack
COPY --from=gen /out /out
RUN tar -cf /out.tar -C /out . && sha256sum /out.tar > /out.sum
FROM scratch
COPY --from=pack /out.tar /out.sum /
EOF
cat > "$work/in/debian.Dockerfile" <<'EOF'
ARG BASE=busybox
FROM ${BASE}
WORKDIR /app
COPY . .
RUN find . -type f -print0 | sort -z | xargs -0 sha256sum > /sums && tar -cf /ctx.tar . && wc -l /sums
EOF
printf 'FROM scratch\nCOPY . /data/\n' > "$work/in/gigabyte.Dockerfile"
dockerfile() { case $1 in small|large) echo "$work/in/files.Dockerfile" ;; *) echo "$work/in/$1.Dockerfile" ;; esac; }
base() { case $1 in debian) echo "$reg/debian:bookworm" ;; *) echo "$reg/busybox:latest" ;; esac; }
cases() { case $1 in gigabyte) echo cold ;; *) echo cold noop touch edit 2p ;; esac; }

# --- one build per tool: build TOOL STATE SCENARIO PLATFORMS -----------------------------------
build_jbuild() {
  JBUILD_ROOT="$2" ./jbuild build --progress=quiet --platform "$4" -f "$(dockerfile "$3")" \
    --build-arg BASE="$(base "$3")" "$ctx" >/dev/null
}
build_baseline() {
  JBUILD_ROOT="$2" "$BASELINE/jbuild" build --progress=quiet --platform "$4" -f "$(dockerfile "$3")" \
    --build-arg BASE="$(base "$3")" "$ctx" >/dev/null
}
build_buildkit() {
  local p pids=()
  for p in ${4//,/ }; do
    DOCKER_BUILDKIT=1 $docker -H "$sock" build -q --network none --platform "$p" -t "bench-$3-${p//\//-}" \
      -f "$(dockerfile "$3")" --build-arg BASE="$(base "$3")" "$ctx" >/dev/null & pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
}
build_buildah() {
  buildah --root "$2/root" --runroot "$2/run" --storage-driver overlay bud -q --isolation chroot --layers \
    --tls-verify=false --platform "$4" --manifest "localhost/bench-$3" -f "$(dockerfile "$3")" \
    --build-arg BASE="$(base "$3")" "$ctx" >/dev/null 2>&1
}
fresh_state() { # tool dir
  if [ "$1" = buildkit ]; then
    $docker -H "$sock" builder prune -af >/dev/null
    $docker -H "$sock" image ls -q | sort -u | xargs -r $docker -H "$sock" image rm -f >/dev/null
  fi
  unmount_under "$2"; rm -rf "$2"; mkdir -p "$2"
}

declare -A times
rss_note=""
# /usr/bin/time cannot run a shell function: the gigabyte case measures jbuild's RSS with its own run
rss_run() { # state scenario
  JBUILD_ROOT="$1" /usr/bin/time -f %M -o "$work/rss" ./jbuild build --progress=quiet -f "$(dockerfile "$2")" \
    --build-arg BASE="$(base "$2")" "$ctx" >/dev/null
  rss_note="jbuild peak RSS, cold COPY of a 1 GiB file: $(( $(cat "$work/rss") / 1024 )) MiB"
}

timed() { # key tool state scenario platforms
  local s e
  s=$(date +%s%N)
  "build_$2" "$2" "$3" "$4" "$5" 2>"$work/log" || { cat "$work/log" >&2; echo "compare.sh: $2 failed on $1" >&2; exit 1; }
  e=$(date +%s%N)
  times[$1]+="$(( (e - s) / 1000000 )) "
}

# --- report ---------------------------------------------------------------------------------------
stats() { # "a b c" -> "median min max"
  tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {m=(NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)); print m, a[1], a[NR]}'
}
print_scenario() { # scenario
  local s=$1 c t m lo hi
  for c in $(cases "$s"); do
    printf '%-20s' "$s/$c"
    declare -A med=()
    for t in $tools; do
      read -r m lo hi < <(echo "${times[$s/$c/$t]}" | stats)
      med[$t]=$m
      printf '%20s' "$m ($lo-$hi)"
    done
    for t in $tools; do
      [ "$t" = jbuild ] && continue
      if [ -n "${med[jbuild]:-}" ]; then printf '%14s' "$(awk -v j="${med[jbuild]}" -v p="${med[$t]}" 'BEGIN{printf "%.2f", j/p}')"; fi
    done
    echo
    unset med
  done
}

echo "state on: $(findmnt -no SOURCE,FSTYPE -T "$work" | xargs) (BENCH_LOOPFS=${BENCH_LOOPFS:-1})"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB, kernel $(uname -r), load at start $(cut -d' ' -f1-3 /proc/loadavg)"
echo "versions: $(java -version 2>&1 | head -1); $($docker -H "${sock:-unix:///nonexistent}" version --format 'docker {{.Server.Version}}' 2>/dev/null || echo 'docker -'); $(buildah --version | cut -d' ' -f1-3)"
echo "median of $runs runs, ms (min-max); ratio = jbuild / peer (below 1: jbuild faster)"
printf '%-20s' "scenario/case"; for t in $tools; do printf '%20s' "$t"; done
for t in $tools; do [ "$t" = jbuild ] || printf '%14s' "j/$t"; done; echo
host=linux/amd64
for s in $scenarios; do
  orig="$work/in/$s"
  for i in $(seq "$runs"); do
    echo "compare.sh: $s, run $i of $runs" >&2
    for t in $tools; do
      ctx="$work/ctx"; rm -rf "$ctx"; cp -a "$orig" "$ctx"
      st="$work/state-$t"
      fresh_state "$t" "$st"
      for c in $(cases "$s"); do
        case $c in
          touch) touch "$ctx/d000/f00001.txt" ;;
          edit) echo "edit $i" >> "$ctx/d000/f00002.txt" ;;
          2p) fresh_state "$t" "$st" ;;
        esac
        plats=$host; [ "$c" = 2p ] && plats=linux/amd64,linux/arm64
        timed "$s/$c/$t" "$t" "$st" "$s" "$plats"
      done
      if [ "$s" = gigabyte ] && [ "$t" = jbuild ] && [ "$i" = 1 ]; then
        fresh_state jbuild "$st"; rss_run "$st" "$s"
      fi
      fresh_state "$t" "$st"
    done
  done
  print_scenario "$s"
done

[ -n "$rss_note" ] && echo "$rss_note"
exit 0
