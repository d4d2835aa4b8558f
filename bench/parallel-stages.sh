#!/usr/bin/env bash
# Wall time of a build whose two independent stages each `RUN sleep 3`, merged by COPY --from
# into a final stage (issue 9's acceptance case: under 5 s; run one after the other it is > 6 s).
# The base (a busybox rootfs COPY) is cached by a first build; each timed build passes a new
# NONCE build arg, so both RUN steps run again. Also times --max-parallelism 1 for comparison,
# and with --buildkit the same build by Docker's BuildKit (a private dockerd, scripts/peer-dockerd.sh).
#   bench/parallel-stages.sh [RUNS] [--buildkit]     (default 5; needs root and runc or crun)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
buildkit=${2:-}
[ -f cli/target/jbuild.jar ] || ./jbuild --version >/dev/null
work=$(mktemp -d /tmp/jbuild-parallel.XXXXXX)
cleanup() {
  if [ -n "$buildkit" ]; then bash scripts/peer-dockerd.sh stop "$work/dockerd" >/dev/null 2>&1 || true; fi
  umount -R "$work"/store/tmp/* 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/ctx/rootfs"
cp -a "$(bash scripts/busybox-rootfs.sh amd64)/." "$work/ctx/rootfs/"
cat > "$work/ctx/Dockerfile" <<'DOCKERFILE'
FROM scratch AS base
COPY rootfs/ /

FROM base AS a
ARG NONCE
RUN sleep 3 && echo "a $NONCE" > /a

FROM base AS b
ARG NONCE
RUN sleep 3 && echo "b $NONCE" > /b

FROM base
COPY --from=a /a /a
COPY --from=b /b /b
DOCKERFILE

build() { # NONCE [flags…]
  local nonce=$1; shift
  JBUILD_ROOT="$work/store" ./jbuild build --progress=quiet --build-arg NONCE="$nonce" "$@" \
    -o "type=oci,dest=$work/out.tar" "$work/ctx" >/dev/null
}
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

build warmup
for mode in parallel serial; do
  flags=(); [ "$mode" = serial ] && flags=(--max-parallelism 1)
  times=()
  for i in $(seq "$runs"); do
    s=$(date +%s%N); build "$mode-$i-$RANDOM" "${flags[@]}"; times+=("$(ms "$s")")
  done
  echo "jbuild $mode (${flags[*]:-default}): median $(printf '%s\n' "${times[@]}" | median) ms of ${times[*]}"
done
if [ -n "$buildkit" ]; then
  sock=$(bash scripts/peer-dockerd.sh start "$work/dockerd")
  bk() { DOCKER_BUILDKIT=1 /usr/bin/docker -H "$sock" build -q --network none --build-arg NONCE="$1" "$work/ctx" >/dev/null; }
  bk warmup
  times=()
  for i in $(seq "$runs"); do
    s=$(date +%s%N); bk "bk-$i-$RANDOM"; times+=("$(ms "$s")")
  done
  echo "BuildKit ($(/usr/bin/docker -H "$sock" version -f '{{.Server.Version}}')): median $(printf '%s\n' "${times[@]}" | median) ms of ${times[*]}"
fi
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
