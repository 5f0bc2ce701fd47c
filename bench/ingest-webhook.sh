#!/usr/bin/env bash
# Webhook acceptance benchmark: signed partner events accepted per second and p50/p99 acceptance latency, beside the
# raw Kafka producer rate measured in the same run on the same in-process broker.
# Usage: bench/ingest-webhook.sh [single-calls] [batch-calls] [batch-size] [concurrency]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl schemas,ingest -DskipTests -DskipITs package dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
mkdir -p ingest/target/bench-tmp
exec java -Xmx2g -XX:+UseParallelGC -Djava.io.tmpdir=ingest/target/bench-tmp \
  -cp "ingest/target/test-classes:ingest/target/classes:$(cat ingest/target/bench.classpath)" \
  io.insidernetwork.ingest.bench.WebhookBenchmark "$@"
