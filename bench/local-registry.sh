# Sourced by the bench scripts: start_registry DIR starts Debian's docker-registry on a free loopback
# port, its storage under DIR/registry, and waits until it answers; sets reg (HOST:PORT) and reg_pid
# (the caller stops it with kill "$reg_pid").
start_registry() {
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  reg="127.0.0.1:$port"
  printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s/registry\nhttp:\n  addr: %s\n' "$1" "$reg" > "$1/registry.yml"
  docker-registry serve "$1/registry.yml" >/dev/null 2>&1 & reg_pid=$!
  for _ in $(seq 100); do curl -fsS "http://$reg/v2/" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "$0: docker-registry did not answer on $reg" >&2
  return 1
}
