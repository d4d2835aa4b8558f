#!/usr/bin/env bash
# The build step of action.yml: turns the INPUT_* variables (docker/build-push-action's inputs) into
# one jbuild command line, prints it, runs it, and writes digest, imageid and metadata to $GITHUB_OUTPUT.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

jbuild=${INPUT_JBUILD:-}
if [ -z "$jbuild" ]; then
  if command -v jbuild >/dev/null 2>&1; then jbuild=jbuild; else jbuild="$here/jbuild"; fi
fi

# newline-separated list (blank lines and surrounding spaces dropped); with $2=csv also split on commas
items() {
  local value=$1 mode=${2:-lines}
  if [ "$mode" = csv ]; then value=${value//,/$'\n'}; fi
  while IFS= read -r line; do
    line="${line#"${line%%[![:space:]]*}"}"; line="${line%"${line##*[![:space:]]}"}"
    [ -n "$line" ] && printf '%s\n' "$line"
  done <<< "$value"
}
is_true() { case "${1,,}" in true|1|yes) return 0 ;; *) return 1 ;; esac; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
args=(build --progress=plain --iidfile "$work/iid" --metadata-file "$work/metadata.json")
[ -n "${INPUT_FILE:-}" ] && args+=(--file "$INPUT_FILE")
[ -n "${INPUT_PLATFORMS:-}" ] && args+=(--platform "$(items "$INPUT_PLATFORMS" csv | paste -sd, -)")
while IFS= read -r t; do args+=(--tag "$t"); done < <(items "${INPUT_TAGS:-}" csv)
while IFS= read -r l; do args+=(--label "$l"); done < <(items "${INPUT_LABELS:-}")
while IFS= read -r a; do args+=(--annotation "$a"); done < <(items "${INPUT_ANNOTATIONS:-}")
while IFS= read -r a; do args+=(--build-arg "$a"); done < <(items "${INPUT_BUILD_ARGS:-}")
[ -n "${INPUT_TARGET:-}" ] && args+=(--target "$INPUT_TARGET")
is_true "${INPUT_PUSH:-false}" && args+=(--push)
is_true "${INPUT_LOAD:-false}" && args+=(--load)
while IFS= read -r o; do args+=(--output "$o"); done < <(items "${INPUT_OUTPUTS:-}")
while IFS= read -r c; do args+=(--cache-from "$c"); done < <(items "${INPUT_CACHE_FROM:-}")
while IFS= read -r c; do args+=(--cache-to "$c"); done < <(items "${INPUT_CACHE_TO:-}")
# ID=VALUE secrets travel in environment variables, never on the command line
n=0
while IFS= read -r s; do
  id=${s%%=*}
  [ "$id" = "$s" ] && { echo "::error::secrets: expected ID=VALUE, got a line without '='" >&2; exit 1; }
  n=$((n + 1))
  export "JBUILD_ACTION_SECRET_$n=${s#*=}"
  args+=(--secret "id=$id,env=JBUILD_ACTION_SECRET_$n")
done < <(items "${INPUT_SECRETS:-}")
while IFS= read -r s; do args+=(--secret "id=${s%%=*},src=${s#*=}"); done < <(items "${INPUT_SECRET_FILES:-}")
# passed even when "false": jbuild, like buildx, attaches min-mode provenance to pushed images unless told not to
[ -n "${INPUT_PROVENANCE:-}" ] && args+=(--provenance "$INPUT_PROVENANCE")
[ -n "${INPUT_SBOM:-}" ] && [ "${INPUT_SBOM,,}" != false ] && args+=(--sbom "$INPUT_SBOM")
is_true "${INPUT_NO_CACHE:-false}" && args+=(--no-cache)
is_true "${INPUT_PULL:-false}" && args+=(--pull)
args+=("${INPUT_CONTEXT:-.}")

echo "$jbuild ${args[*]@Q}"
"$jbuild" "${args[@]}"

out=${GITHUB_OUTPUT:-/dev/stdout}
digest=$(sed -n 's/.*"containerimage.digest": *"\([^"]*\)".*/\1/p' "$work/metadata.json" | head -1)
{
  echo "digest=$digest"
  echo "imageid=$(cat "$work/iid")"
  delimiter="jbuild-metadata-$RANDOM$RANDOM"
  echo "metadata<<$delimiter"
  cat "$work/metadata.json"
  echo
  echo "$delimiter"
} >> "$out"
