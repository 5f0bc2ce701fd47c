#!/usr/bin/env bash
# The main job: builds the project (first run downloads Maven and the dependencies), then runs an in-process Kafka
# broker with ingest, graph-stream and api-sink in one process. Flags: --api-port, --ingest-port, --graph-port, --data-dir, --reset.
set -euo pipefail
cd "$(dirname "$0")"
./mvnw -q -B package -DskipTests -pl local-runtime -am
exec java -XX:+UseParallelGC -Xmx2g \
  -jar local-runtime/target/local-runtime-0.1.0-SNAPSHOT.jar "$@"
