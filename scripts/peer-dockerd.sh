#!/usr/bin/env bash
# Starts or stops a private Docker daemon (Debian's docker.io, with its BuildKit) kept off the host
# network, as the reference peer for differential tests, benchmarks and --load tests.
#   peer-dockerd.sh start DIR [INSECURE_REGISTRY]   prints the socket (unix://DIR/docker.sock) once the daemon answers
#   peer-dockerd.sh stop DIR                          stops it by PID and unmounts what it left under DIR
# Use Debian's client: DOCKER_BUILDKIT=1 /usr/bin/docker -H unix://DIR/docker.sock build --network none ...
set -euo pipefail
cmd=${1:?usage: peer-dockerd.sh start|stop DIR [INSECURE_REGISTRY]}
dir=$(realpath -m "${2:?usage: peer-dockerd.sh start|stop DIR [INSECURE_REGISTRY]}")
case "$cmd" in
  start)
    command -v dockerd >/dev/null || { echo "peer-dockerd.sh: dockerd missing: apt-get install -y docker.io" >&2; exit 2; }
    mkdir -p "$dir/data" "$dir/exec"
    extra=()
    [ -n "${3:-}" ] && extra+=(--insecure-registry "$3")
    # a short exec-root: containerd's socket paths must stay under 108 bytes
    exec_root=$(mktemp -d /tmp/jbdk.XXXXXX)
    echo "$exec_root" > "$dir/exec-root"
    setsid dockerd --bridge=none --iptables=false --ip-forward=false --ip-masq=false \
      --data-root "$dir/data" --exec-root "$exec_root" --pidfile "$dir/dockerd.pid" \
      --host "unix://$dir/docker.sock" "${extra[@]}" > "$dir/dockerd.log" 2>&1 < /dev/null &
    for _ in $(seq 1 120); do
      if /usr/bin/docker -H "unix://$dir/docker.sock" version >/dev/null 2>&1; then
        echo "unix://$dir/docker.sock"; exit 0
      fi
      sleep 0.25
    done
    echo "peer-dockerd.sh: dockerd did not answer within 30s; log: $dir/dockerd.log" >&2
    tail -20 "$dir/dockerd.log" >&2 || true
    exit 1
    ;;
  stop)
    if [ -f "$dir/dockerd.pid" ]; then
      pid=$(cat "$dir/dockerd.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 80); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    exec_root=$(cat "$dir/exec-root" 2>/dev/null || true)
    # containerd shims outlive dockerd when it is killed; unmount what they left
    for d in "$dir" ${exec_root:+"$exec_root"}; do
      grep -o " $d[^ ]*" /proc/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
    done
    [ -n "$exec_root" ] && rm -rf "$exec_root"
    ;;
  *) echo "usage: peer-dockerd.sh start|stop DIR [INSECURE_REGISTRY]" >&2; exit 2 ;;
esac
