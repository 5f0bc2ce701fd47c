#!/usr/bin/env bash
# hub benchmark: ./graph-stream/hub-bench.sh [hubs=3] [connections=10000] [events=20000]  (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl schemas,graph-stream test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench.classpath
exec java -Xmx2g -XX:+UseParallelGC -cp "graph-stream/target/test-classes:graph-stream/target/classes:$(cat graph-stream/target/bench.classpath)" \
  io.insidernetwork.graph.it.HubBenchmark "$@"
