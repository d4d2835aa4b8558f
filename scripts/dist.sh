#!/usr/bin/env bash
# Builds the distribution: OUTDIR/jbuild-VERSION.tar.gz (default OUTDIR: target/dist), holding
#   bin/jbuild                                   the launcher (the repository's ./jbuild, which knows this layout)
#   lib/jbuild/jbuild.jar, lib/jbuild/lib/*.jar  the program; lib/jbuild/COMMIT its git commit
#   share/bash-completion/completions/jbuild, share/zsh/site-functions/_jbuild
#   share/doc/jbuild/                            README and every command's --help
# Install onto PATH with one command:  tar -xzf jbuild-VERSION.tar.gz -C /usr/local --strip-components=1
# Needs a JDK 17+ to run; --no-build packs the jars already in cli/target (after mvn package).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=1
if [ "${1:-}" = --no-build ]; then build=0; shift; fi
out=$(realpath -m "${1:-$root/target/dist}")
if [ "$build" = 1 ]; then
  (cd "$root" && mvn -B -q -ntp -DskipTests -pl cli -am package >&2)
fi
[ -f "$root/cli/target/jbuild.jar" ] && [ -d "$root/cli/target/lib" ] || {
  echo "dist.sh: cli/target/jbuild.jar is missing: run without --no-build (or mvn -pl cli -am package)" >&2; exit 2; }
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$root/pom.xml" | head -1)
commit=$(git -C "$root" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
name="jbuild-$version"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
d="$stage/$name"
mkdir -p "$d/bin" "$d/lib/jbuild/lib" "$d/share/bash-completion/completions" "$d/share/zsh/site-functions" "$d/share/doc/jbuild"
cp "$root/jbuild" "$d/bin/jbuild"
cp "$root/cli/target/jbuild.jar" "$d/lib/jbuild/"
cp "$root/cli/target/lib/"*.jar "$d/lib/jbuild/lib/"
echo "$commit" > "$d/lib/jbuild/COMMIT"
run() { HOME="$stage" XDG_CACHE_HOME="$stage/cache" JBUILD_CDS=0 "$d/bin/jbuild" "$@"; }
run completion bash > "$d/share/bash-completion/completions/jbuild"
run completion zsh > "$d/share/zsh/site-functions/_jbuild"
cp "$root/README.md" "$d/share/doc/jbuild/README.md"
{
  run --help
  for c in build bake imagetools "imagetools create" "imagetools inspect" login logout version completion setup; do
    echo; echo "jbuild $c"; echo "=========="; run $c --help
  done
} > "$d/share/doc/jbuild/jbuild.txt"
mkdir -p "$out"
# reproducible: sorted names, fixed owner and times
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$stage" -czf "$out/$name.tar.gz" "$name"
echo "$out/$name.tar.gz"
