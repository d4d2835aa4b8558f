#!/usr/bin/env bash
# Builds and runs every sample end to end, on a fresh Debian bookworm machine as root: installs
# the prerequisites (scripts/prereqs.sh), builds the realistic base images (cached under the user
# cache dir), then runs the samples' end-to-end tests — each builds its sample for linux/amd64 and
# linux/arm64 with the real CLI through a docker.io mirror, pushes it to a test registry and runs
# it with podman for both architectures. Prints the build times and ends with
# "samples: N passed, M failed" (one per sample test class); exit status 0 only when none failed.
set -uo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then echo "run-e2e.sh: run as root (it installs packages and runs containers)" >&2; exit 2; fi
bash scripts/prereqs.sh || { echo "run-e2e.sh: scripts/prereqs.sh failed" >&2; exit 2; }

start=$(date +%s)
bash scripts/realistic-bases.sh >/dev/null || { echo "run-e2e.sh: scripts/realistic-bases.sh failed" >&2; exit 2; }
echo "run-e2e.sh: base images ready in $(( $(date +%s) - start ))s"

reports=samples/target/surefire-reports
rm -rf "$reports" samples/target/sample-times.tsv
offline=(); [ -n "${JBUILD_MVN_OFFLINE:-}" ] && offline=(-o)
mvn -B -ntp "${offline[@]}" -pl samples -am verify -Djazzer.skip -DskipFuzz \
  -Dtest='Sample*Test,CaCertsBuildTest' -Dsurefire.failIfNoSpecifiedTests=false
echo "run-e2e.sh: tests finished $(( $(date +%s) - start ))s after the start"

if [ -f samples/target/sample-times.tsv ]; then
  echo "build times (seconds; per platform = summed time of the steps that ran):"
  column -t -s $'\t' samples/target/sample-times.tsv 2>/dev/null || cat samples/target/sample-times.tsv
fi
passed=0; failed=0
for xml in "$reports"/TEST-dev.jbuild.samples.Sample*Test.xml "$reports"/TEST-dev.jbuild.samples.CaCertsBuildTest.xml; do
  [ -f "$xml" ] || continue
  head=$(grep -m1 '<testsuite' "$xml")
  n() { echo "$head" | sed -nE "s/.* $1=\"([0-9]+)\".*/\\1/p"; }
  name=$(basename "$xml" .xml | sed 's/^TEST-dev.jbuild.samples.//')
  if [ "$(n tests)" -gt 0 ] && [ "$(n failures)" = 0 ] && [ "$(n errors)" = 0 ] && [ "$(n skipped)" = 0 ]; then
    passed=$((passed + 1)); echo "  passed  $name"
  else
    failed=$((failed + 1)); echo "  FAILED  $name"
  fi
done
expected=$(ls samples/src/test/java/dev/jbuild/samples/Sample*Test.java samples/src/test/java/dev/jbuild/samples/CaCertsBuildTest.java | wc -l)
missing=$((expected - passed - failed)); [ "$missing" -gt 0 ] && { echo "  $missing test classes did not run"; failed=$((failed + missing)); }
echo "samples: $passed passed, $failed failed"
[ "$failed" = 0 ]
