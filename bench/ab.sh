#!/usr/bin/env bash
# Same-server A/B of two builds: `base` and `new` distributions (each a copy of rivet-runner-cli/target's jar and
# lib/) under $AB_DIR (default /tmp/ab), run alternately on one source kept up by
#   java -cp bench/target/rivet-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath.txt) \
#     io.rivet.bench.Serve postgres 10000000 1000 /tmp/pgserve     (prints its URL; keeps serving until stdin closes)
# Usage: bench/ab.sh <jdbc url> <parallel> <pairs>; results (wall, CPU, peak RSS) in $AB_DIR/results-p<parallel>.txt
set -euo pipefail
URL="$1"; P="$2"; PAIRS="$3"; OUT=${AB_DIR:-/tmp/ab}/results-p$P.txt
: > $OUT
for i in $(seq 1 $PAIRS); do
  for D in base new; do
    W=${AB_DIR:-/tmp/ab}/run-$D; rm -rf $W; mkdir -p $W
    cat > $W/rivet.yaml <<YAML
source: {type: postgres, url: "$URL"}
exports:
  - name: narrow
    table: narrow
    mode: chunked
    parallel: $P
    format: parquet
    destination: {type: local, path: ./out}
YAML
    /usr/bin/time -f "$D p$P wall %e user %U sys %S rss_kb %M" -a -o $OUT \
      java -Xms256m -Xmx256m -XX:+AlwaysPreTouch -XX:+UseParallelGC -XX:Tier4InvocationThreshold=80000 \
        -XX:Tier4CompileThreshold=100000 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
        -cp "${AB_DIR:-/tmp/ab}/$D/rivet-runner-cli-0.1.0-SNAPSHOT.jar:${AB_DIR:-/tmp/ab}/$D/lib/*" io.rivet.cli.Main run -c $W/rivet.yaml > $W/run.log 2>&1 \
      || { echo "$D failed"; tail -5 $W/run.log; exit 1; }
    tail -1 $OUT
  done
done
