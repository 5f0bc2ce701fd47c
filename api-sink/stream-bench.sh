#!/usr/bin/env bash
# Live-feed benchmark: point reads (profile GETs) p50/p99 and throughput in alternating phases with no stream open
# and with N open streams receiving entries; the load generator runs in its own JVM. Prints RESULT lines.
# Usage (from anywhere): api-sink/stream-bench.sh [insiders=20000] [seconds per phase=10] [streams=100] [entries/s=200]
#   [clients=8]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl schemas,api-sink test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/stream-bench.classpath
cd api-sink
# STREAM_BENCH_OPTS: more JVM options of the server, e.g. -Dapi.live.poll.ms=1000 (api.* properties are api-sink settings)
# shellcheck disable=SC2086
exec java -Xmx2g -XX:+UseParallelGC ${STREAM_BENCH_OPTS:-} \
  -cp "target/test-classes:target/classes:$(cat target/stream-bench.classpath)" \
  io.insidernetwork.api.bench.StreamBenchmark "$@"
