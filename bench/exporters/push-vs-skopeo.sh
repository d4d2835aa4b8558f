#!/usr/bin/env bash
# Times jbuild's push of a ~500 MB two-platform image against `skopeo copy --all` of the same OCI
# layout, each into an empty local registry, in the same run on the same machine. The image is
# busybox plus one 250 MiB incompressible layer per platform; it is built (and its OCI layout
# exported) once, then every timed jbuild run is a fully cached build whose work is the push.
# Prints medians and the jbuild/skopeo ratio (target <= 1.2), end to end (the cached build's own
# work, mostly hashing the 500 MB context, included) and for the push step alone.
#   bench/exporters/push-vs-skopeo.sh [RUNS] [MIB_PER_PLATFORM]   (defaults 5 and 250; needs root,
#   docker-registry, skopeo)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}
mib=${2:-250}
for c in docker-registry skopeo curl python3; do command -v $c >/dev/null || { echo "push-vs-skopeo.sh: $c is missing (bash scripts/prereqs.sh installs it)" >&2; exit 2; }; done
work=$(mktemp -d /tmp/jbuild-bench-push.XXXXXX)
reg_pid=
trap '[ -n "$reg_pid" ] && kill $reg_pid 2>/dev/null; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
host="127.0.0.1:$port"

start_registry() { # fresh, empty storage each time so every blob is really uploaded
  [ -n "$reg_pid" ] && { kill "$reg_pid"; wait "$reg_pid" 2>/dev/null || true; }
  rm -rf "$work/registry"
  printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s/registry\nhttp:\n  addr: %s\n' \
    "$work" "$host" > "$work/registry.yml"
  docker-registry serve "$work/registry.yml" >/dev/null 2>&1 & reg_pid=$!
  for _ in $(seq 100); do curl -fsS "http://$host/v2/" >/dev/null 2>&1 && break; sleep 0.1; done
  bash scripts/base-images.sh --push "$host" >/dev/null
}

mkdir -p "$work/ctx"
for arch in amd64 arm64; do head -c "${mib}M" /dev/urandom > "$work/ctx/data-$arch.bin"; done
cat > "$work/ctx/Dockerfile" <<'DOCKERFILE'
ARG BASE_IMAGE
FROM ${BASE_IMAGE}
ARG TARGETARCH
COPY data-${TARGETARCH}.bin /data.bin
DOCKERFILE
[ -f cli/target/jbuild.jar ] || ./jbuild --version >/dev/null
export JBUILD_ROOT="$work/store"
start_registry
jb() { ./jbuild build --platform linux/amd64,linux/arm64 --build-arg BASE_IMAGE="$host/busybox:latest" "$@" "$work/ctx"; }
jb --progress=quiet -o "type=oci,dest=$work/layout,tar=false" -t bench:1 >/dev/null   # build once; not timed
size=$(du -sm "$work/layout/blobs" | cut -f1)

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }
jt=(); st=(); pt=()
for i in $(seq "$runs"); do
  start_registry; t0=$(date +%s%N)
  jb -t "$host/pushed-by-jbuild:$i" --push --progress=plain 2> "$work/progress.txt" >/dev/null; jt+=("$(ms "$t0")")
  # the push step alone, as the progress output times it ("#7 DONE 2.9s")
  pt+=("$(awk '/^#[0-9]+ pushing /{id=$1} id && $1==id && $2=="DONE"{sub("s","",$3); printf "%d", $3*1000}' "$work/progress.txt")")
  start_registry; t0=$(date +%s%N)
  skopeo copy -q --all --dest-tls-verify=false "oci:$work/layout:1" "docker://$host/pushed-by-skopeo:$i" >/dev/null
  st+=("$(ms "$t0")")
done
j=$(printf '%s\n' "${jt[@]}" | median); s=$(printf '%s\n' "${st[@]}" | median); p=$(printf '%s\n' "${pt[@]}" | median)
echo "image: 2 platforms, ${size} MiB of blobs; runs: $runs; machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
echo "jbuild build --push (cached):  median ${j} ms  (runs: ${jt[*]})"
echo "skopeo copy --all oci: -> docker://: median ${s} ms  (runs: ${st[*]})"
echo "  of which the push step:      median ${p} ms  (runs: ${pt[*]})"
awk -v j="$j" -v s="$s" -v p="$p" 'BEGIN { printf "ratio jbuild/skopeo: %.2f end to end, %.2f push step only\n", j / s, p / s }'
