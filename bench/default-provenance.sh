#!/usr/bin/env bash
# What buildx's default provenance (mode=min) costs a push: a cached two-platform build and push of
# samples/hello, with the default and with --provenance=false, alternated; then the time of
# `imagetools inspect --format '{{json .Provenance}}'` on the result. A private docker-registry on a
# loopback port holds the busybox base (scripts/base-images.sh).
#   bench/default-provenance.sh [RUNS]     (default 5; needs root and runc or crun, qemu for arm64)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
port=${JBUILD_BENCH_PORT:-5391}
[ -f cli/target/jbuild.jar ] || ./jbuild --version >/dev/null
work=$(mktemp -d /tmp/jbuild-provenance.XXXXXX)
mkdir -p "$work/reg"
cat > "$work/reg/config.yml" <<YML
version: 0.1
log: {level: warn}
storage: {filesystem: {rootdirectory: $work/reg/data}}
http: {addr: 127.0.0.1:$port}
YML
docker-registry serve "$work/reg/config.yml" > "$work/reg/log" 2>&1 &
registry=$!
cleanup() {
  kill "$registry" 2>/dev/null || true
  umount -R "$work"/store/tmp/* 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && break; sleep 0.1; done
bash scripts/base-images.sh --push "127.0.0.1:$port" >/dev/null
jb() { JBUILD_ROOT="$work/store" ./jbuild "$@"; }
build() {
  jb build --platform linux/amd64,linux/arm64 --build-arg BASE_IMAGE="127.0.0.1:$port/busybox:latest" \
    --progress=quiet -t "127.0.0.1:$port/hello:$1" --push "${@:2}" samples/hello >/dev/null
}
seconds() { local s; s=$(date +%s.%N); "$@"; echo "$(date +%s.%N) - $s" | bc; }
build warm
declare -a with without
for _ in $(seq "$runs"); do
  with+=("$(seconds build default)")
  without+=("$(seconds build off --provenance=false)")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "cached push, default provenance:   median $(median "${with[@]}") s  (${with[*]})"
echo "cached push, --provenance=false:   median $(median "${without[@]}") s  (${without[*]})"
show_provenance() { jb imagetools inspect --format '{{json .Provenance}}' "127.0.0.1:$port/hello:default" >/dev/null; }
declare -a inspect
for _ in 1 2 3; do
  inspect+=("$(seconds show_provenance)")
done
echo "imagetools inspect .Provenance:    median $(median "${inspect[@]}") s  (${inspect[*]})"
skopeo inspect --raw --tls-verify=false "docker://127.0.0.1:$port/hello:default" \
  | python3 -c 'import json,sys; d=json.load(sys.stdin); print("index entries:", [m["platform"]["architecture"] for m in d["manifests"]])'
