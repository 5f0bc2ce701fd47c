#!/usr/bin/env bash
# End-to-end freshness benchmark (webhook 2xx -> visible through the API), issue 6.
# Usage: bench/freshness.sh [rates=1000,5000] [seconds=30]; results printed and in local-runtime/target/freshness.md.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B package -DskipTests -pl local-runtime -am
cd local-runtime
exec java -Xmx3g -XX:+UseParallelGC \
  -cp "target/test-classes:target/local-runtime-0.1.0-SNAPSHOT.jar:target/lib/*" \
  io.insidernetwork.local.bench.FreshnessBenchmark "${1:-1000,5000}" "${2:-30}"
