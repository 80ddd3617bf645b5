#!/usr/bin/env bash
# Skewed against even key ranges, in one command: builds rivet and the bench, creates both tables in embedded
# PostgreSQL, exports each at parallel: 2, and rewrites the "Skewed key ranges" section of docs/performance.md.
#   Usage: bench/skew.sh [rows=2000000]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mvn -B -q install -DskipTests
mvn -B -q -Pbench -pl bench install -DskipTests
CP="bench/target/rivet-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath.txt)"
exec java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" io.rivet.bench.SkewBench \
  "${1:-2000000}" bench/work-skew docs/performance.md
