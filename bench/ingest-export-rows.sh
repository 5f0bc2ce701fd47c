#!/usr/bin/env bash
# Export rows ingested per second (CSV and Parquet, webhook -> download -> Kafka) beside the raw Kafka producer rate,
# on the same in-process broker in the same run. Results: ingest/target/benchmarks/export-rows.md and the log.
# Options: BENCH_ROWS (default 300000), BENCH_ROUNDS (default 3), BENCH_JVM_ARGS (extra JVM options, e.g.
# "-Dbench.kafka.compression.type=none" to try a producer setting on the import and the baseline alike, or
# "-XX:StartFlightRecording=settings=profile,filename=/tmp/export-rows.jfr" to profile the run).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl schemas,ingest verify \
  -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=ExportRowsBenchmark -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dbench.rows="${BENCH_ROWS:-300000}" -Dbench.rounds="${BENCH_ROUNDS:-3}" \
  -Dtest.jvm.args="-Xmx2g -XX:+UseParallelGC -Djava.io.tmpdir=target -Dbench.rows=${BENCH_ROWS:-300000} -Dbench.rounds=${BENCH_ROUNDS:-3} ${BENCH_JVM_ARGS:-}"
cat ingest/target/benchmarks/export-rows.md
