#!/usr/bin/env bash
# Mounts binfmt_misc and registers qemu-user-static's handlers (with the F flag, so foreign
# binaries run inside containers). Works without systemd. As root. Idempotent.
set -euo pipefail
bm=/proc/sys/fs/binfmt_misc
[ -f "$bm/register" ] || mount -t binfmt_misc binfmt_misc "$bm"
shopt -s nullglob
confs=(/usr/lib/binfmt.d/qemu-*.conf)
if [ ${#confs[@]} -eq 0 ]; then echo "setup-emulation.sh: no qemu handlers in /usr/lib/binfmt.d: apt-get install -y qemu-user-static" >&2; exit 2; fi
for conf in "${confs[@]}"; do
  line=$(grep -v '^#' "$conf" | head -n1)
  name=$(echo "$line" | cut -d: -f2)
  if [ -f "$bm/$name" ]; then
    grep -q '^flags:.*F' "$bm/$name" && grep -qx enabled <(head -n1 "$bm/$name") && continue
    echo -1 > "$bm/$name"     # re-register: wrong flags or disabled
  fi
  case "$line" in *:*F) ;; *) line="${line}F" ;; esac
  echo "$line" > "$bm/register" 2>/dev/null || echo "setup-emulation.sh: could not register $name" >&2
done
[ -f "$bm/qemu-aarch64" ] || { echo "setup-emulation.sh: qemu-aarch64 is not registered" >&2; exit 2; }
