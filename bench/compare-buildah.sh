#!/usr/bin/env bash
# Times jbuild against buildah in the same run on the same machine: a two-platform build of
# samples/hello (linux/amd64 + linux/arm64 through qemu) pushed to a local registry, cold (empty
# stores) and warm (everything cached). Prints medians and the jbuild/buildah ratio (< 1 = jbuild faster).
#   bench/compare-buildah.sh [RUNS]     (default 5; needs root, buildah, docker-registry, skopeo)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
command -v buildah >/dev/null || { echo "compare-buildah.sh: apt-get install -y buildah" >&2; exit 2; }
bash scripts/prereqs.sh >/dev/null
work=$(mktemp -d /tmp/jbuild-bench.XXXXXX)
trap 'kill $reg_pid 2>/dev/null; umount -R "$work"/* 2>/dev/null; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s/registry\nhttp:\n  addr: 127.0.0.1:%s\n' "$work" "$port" > "$work/registry.yml"
docker-registry serve "$work/registry.yml" >/dev/null 2>&1 & reg_pid=$!
for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && break; sleep 0.1; done
bash scripts/base-images.sh --push "127.0.0.1:$port" >/dev/null
[ -f cli/target/jbuild.jar ] || ./jbuild --version >/dev/null
base="127.0.0.1:$port/busybox:latest"

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

jbuild_build() { # store
  JBUILD_ROOT="$1" ./jbuild build --progress=quiet --platform linux/amd64,linux/arm64 \
    --build-arg BASE_IMAGE="$base" --build-arg GIT_COMMIT=bench -t "127.0.0.1:$port/hello-jbuild:latest" --push samples/hello
}
buildah_build() { # root
  buildah --root "$1/root" --runroot "$1/run" --storage-driver overlay bud -q --isolation chroot --layers \
    --tls-verify=false --platform linux/amd64,linux/arm64 --manifest localhost/hello-buildah \
    --build-arg BASE_IMAGE="$base" --build-arg GIT_COMMIT=bench samples/hello >/dev/null 2>&1
  buildah --root "$1/root" --runroot "$1/run" --storage-driver overlay manifest push -q --all --tls-verify=false \
    localhost/hello-buildah "docker://127.0.0.1:$port/hello-buildah:latest" >/dev/null 2>&1
}

declare -A t
for tool in jbuild buildah; do
  cold=(); warm=()
  for i in $(seq "$runs"); do
    store="$work/$tool-$i"; mkdir -p "$store"
    s=$(date +%s%N); ${tool}_build "$store"; cold+=("$(ms "$s")")
    s=$(date +%s%N); ${tool}_build "$store"; warm+=("$(ms "$s")")
    umount -R "$store"/* 2>/dev/null || true; rm -rf "$store"
  done
  t[$tool-cold]=$(printf '%s\n' "${cold[@]}" | median)
  t[$tool-warm]=$(printf '%s\n' "${warm[@]}" | median)
done
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), kernel $(uname -r)"
echo "jbuild: $(java -version 2>&1 | head -1); $(buildah --version)"
printf '%-44s %10s %10s %8s\n' "scenario (median of $runs, ms)" jbuild buildah ratio
for sc in cold warm; do
  j=${t[jbuild-$sc]}; b=${t[buildah-$sc]}
  printf '%-44s %10s %10s %8s\n' "samples/hello, 2 platforms, push ($sc)" "$j" "$b" "$(awk -v j="$j" -v b="$b" 'BEGIN{printf "%.2f", j/b}')"
done
