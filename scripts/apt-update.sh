#!/usr/bin/env bash
# apt-get update with retries: Debian mirrors are sometimes caught mid-sync ("File has unexpected
# size … Mirror sync in progress?"), which fails the update for a few minutes. After the last try
# it warns and goes on with the indexes apt has; a real outage then fails at apt-get install.
set -u
for attempt in 1 2 3; do
  if apt-get update -q -o Acquire::Retries=3 >/tmp/apt-update.$$ 2>&1; then rm -f /tmp/apt-update.$$; exit 0; fi
  echo "apt-update.sh: apt-get update failed (attempt $attempt of 3), retrying in $((attempt * 5))s" >&2
  grep -E '^(E|Err):' /tmp/apt-update.$$ | head -5 >&2
  sleep $((attempt * 5))
done
echo "apt-update.sh: WARNING: apt-get update kept failing; using the package indexes apt already has" >&2
rm -f /tmp/apt-update.$$
exit 0
