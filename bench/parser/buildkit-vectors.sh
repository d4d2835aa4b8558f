#!/usr/bin/env bash
# Runs BuildKit's / Docker's own conformance vectors through `jbuild debug …` and prints how many
# pass. The vectors are not in this repository (their licence and provenance stay with them):
# put them in DIR, laid out as their projects ship them:
#   DIR/testfiles/NAME/{Dockerfile,result}  parser test files   → jbuild debug parse
#   DIR/envVarTest                          shell-lexer vectors → jbuild debug expand
#                                           ("A|word | expected", A/U run, W skipped; env PWD=/home
#                                            SHELL=bash KOREAN=한국어, as the Go test sets it)
#   DIR/wordsTest                           word splitting      → jbuild debug words ("word | a,b")
#   DIR/ignoreVectors.tsv                   .dockerignore       → jbuild debug ignore-match
#                                           (patterns joined by \x1f <TAB> path <TAB> true|false|error)
# Usage: bench/parser/buildkit-vectors.sh DIR [-v]   (-v prints each failure)
set -uo pipefail
dir=${1:?usage: $0 VECTORS_DIR [-v]}
verbose=${2:-}
jbuild="$(cd "$(dirname "$0")/../.." && pwd)/jbuild"
env_args=(--env PWD=/home --env SHELL=bash --env KOREAN=$'\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4')
total_pass=0 total_all=0

report() { # name pass all
  printf '%-28s %4d / %-4d pass\n' "$1" "$2" "$3"
  total_pass=$((total_pass + $2)); total_all=$((total_all + $3))
}
fail() { [ "$verbose" = -v ] && printf '  FAIL %s\n' "$*" >&2; return 0; }

if [ -d "$dir/testfiles" ]; then
  pass=0 all=0
  for t in "$dir"/testfiles/*/; do
    all=$((all + 1))
    got=$("$jbuild" debug parse "$t/Dockerfile" 2>&1)
    want=$(cat "$t/result")
    if [ "$got" = "$want" ]; then pass=$((pass + 1)); else fail "parse $(basename "$t"):"$'\n'"$(diff <(echo "$want") <(echo "$got"))"; fi
  done
  report "parser testfiles" "$pass" "$all"
fi

if [ -f "$dir/envVarTest" ]; then
  pass=0 all=0
  while IFS= read -r line; do
    case "$line" in '#'*|'') continue ;; esac
    IFS='|' read -r platform source expected <<<"$line"
    platform=$(echo "$platform" | xargs); [ "$platform" = W ] && continue
    source=$(sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' <<<"$source")
    expected=$(sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' <<<"$expected")
    all=$((all + 1))
    if got=$("$jbuild" debug expand "${env_args[@]}" -- "$source" 2>/dev/null); then :; else got=error; fi
    if [ "$got" = "$expected" ]; then pass=$((pass + 1)); else fail "expand <$source>: want <$expected> got <$got>"; fi
  done <"$dir/envVarTest"
  report "shell lexer (envVarTest)" "$pass" "$all"
fi

if [ -f "$dir/wordsTest" ]; then
  pass=0 all=0 envs=()
  while IFS= read -r line; do
    case "$line" in '#'*) continue ;; 'ENV '*) v=${line:3}; envs+=(--env "${v#"${v%%[! ]*}"}"); continue ;; esac
    word=${line%%|*}; expected=${line#*|}
    word=$(sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' <<<"$word"); expected=${expected#"${expected%%[! ]*}"}
    all=$((all + 1))
    if out=$("$jbuild" debug words "${envs[@]}" -- "$word" 2>/dev/null); then
      mapfile -t got_words <<<"$out"; got=$(IFS=,; echo "${got_words[*]}")
    else got=error; fi
    if [ "$got" = "$expected" ]; then pass=$((pass + 1)); else fail "words <$word>: want <$expected> got <$got>"; fi
  done <"$dir/wordsTest"
  report "word splitting (wordsTest)" "$pass" "$all"
fi

if [ -f "$dir/ignoreVectors.tsv" ]; then
  pass=0 all=0
  while IFS=$'\t' read -r patterns path expected; do
    args=(); IFS=$'\x1f' read -r -a pats <<<"$patterns"
    for p in "${pats[@]}"; do args+=(--pattern "$p"); done
    all=$((all + 1))
    if got=$("$jbuild" debug ignore-match "${args[@]}" -- "$path" 2>/dev/null); then :; else got=error; fi
    if [ "$got" = "$expected" ]; then pass=$((pass + 1)); else fail "ignore ${pats[*]} <$path>: want $expected got $got"; fi
  done <"$dir/ignoreVectors.tsv"
  report ".dockerignore" "$pass" "$all"
fi
printf '%-28s %4d / %-4d pass\n' total "$total_pass" "$total_all"
