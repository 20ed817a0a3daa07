#!/usr/bin/env bash
# The ROI work-queue benchmark (issue 5, point 9) against a running local platform: start it first
# with ./run-local.sh, then run this from anywhere. Puts 50,000 requests (requester name prefix
# "BENCH-QUEUE") in the requests database with psql, then prints throughput and p50/p95/p99 of
# GET /api/requests/roi per query shape, through the gateway and straight to requests-service;
# --help lists the options, --cleanup true removes the rows.
#
# The benchmark needs only the JDK (and psql), so it is compiled here with javac on its own:
# nothing is rebuilt under the running platform. BENCH_JAVA_OPTS overrides the JVM's options.
set -euo pipefail
cd "$(dirname "$0")/../.."
src=deploy/src/main/java/dev/him/deploy/load
out=deploy/target/load-classes
if [ ! -f "$out/dev/him/deploy/load/RoiQueueBenchmark.class" ] || [ -n "$(find "$src" -newer "$out/dev/him/deploy/load/RoiQueueBenchmark.class" -name '*.java')" ]; then
  rm -rf "$out" && mkdir -p "$out"
  javac -nowarn -d "$out" "$src"/*.java
fi
exec java ${BENCH_JAVA_OPTS:--Xms64m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1} \
  -cp "$out" dev.him.deploy.load.RoiQueueBenchmark "$@"
