#!/usr/bin/env bash
# network-size at scale: ./graph-stream/scale-bench.sh [insiders=1000000] [connections=10000000]  (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl schemas,graph-stream test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench.classpath
exec java -Xmx12g -XX:+UseParallelGC -cp "graph-stream/target/test-classes:graph-stream/target/classes:$(cat graph-stream/target/bench.classpath)" \
  io.insidernetwork.graph.it.NetworkScaleBenchmark "$@"
