#!/usr/bin/env bash
# Runs the JMH benchmarks: bench/run.sh [JMH args, e.g. a benchmark regex and -f 1 -wi 3 -i 5]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp -DskipTests -pl bench -am package
exec java -cp "bench/target/jbuild-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" org.openjdk.jmh.Main "$@"
