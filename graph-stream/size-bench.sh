#!/usr/bin/env bash
# network-size recompute micro benchmark (no Kafka): one search per insider against batched searches of 64
# ./graph-stream/size-bench.sh [insiders=100000] [events=300000] [sources=10,100,1000] [rounds=15]  (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl schemas,graph-stream test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench.classpath
exec java -Xmx2g -XX:+UseParallelGC -cp "graph-stream/target/test-classes:graph-stream/target/classes:$(cat graph-stream/target/bench.classpath)" \
  io.insidernetwork.graph.it.NetworkSizeRecomputeBenchmark "$@"
