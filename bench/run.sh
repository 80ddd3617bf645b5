#!/usr/bin/env bash
# The benchmark, in one command: builds rivet and the bench, creates the fixtures in embedded PostgreSQL and
# MariaDB, runs every contender on each, and rewrites docs/performance.md (its "## Notes" section is kept).
#   Usage: bench/run.sh [narrow rows=10000000] [wide rows=2000000]
#   BENCH_ENGINES=postgres|mysql|postgres,mysql  BENCH_TABLES=narrow,wide,narrow_1m  BENCH_RIVET_OPTS="-Xmx… -XX:…"
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mvn -B -q install -DskipTests
mvn -B -q -Pbench -pl bench install -DskipTests
CP="bench/target/rivet-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath.txt)"
exec java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" io.rivet.bench.Bench \
  "${1:-10000000}" "${2:-2000000}" bench/work docs/performance.md
