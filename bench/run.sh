#!/usr/bin/env bash
# The benchmark, in one command: builds, creates the fixture in embedded PostgreSQL, runs every contender,
# and rewrites docs/performance.md.   Usage: bench/run.sh [rows=10000000]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mvn -B -q -Pbench -pl bench -am install -DskipTests
CP="bench/target/rivet-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath.txt)"
exec java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" io.rivet.bench.Bench "${1:-10000000}" bench/work docs/performance.md
