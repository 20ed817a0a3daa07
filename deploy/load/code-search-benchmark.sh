#!/usr/bin/env bash
# The code search benchmark (issue 4, point 8) against a running local platform: start it first
# with ./run-local.sh, then run this from anywhere. Prints throughput, client latency and the time
# inside coding-service (Server-Timing) through the gateway and straight to the service, with the
# CPU each process used; --help lists the options (clients, seconds, rate, user).
#
# The benchmark needs only the JDK, so it is compiled here with javac on its own: nothing is
# rebuilt under the running platform. BENCH_JAVA_OPTS overrides the benchmark JVM's options.
set -euo pipefail
cd "$(dirname "$0")/../.."
src=deploy/src/main/java/dev/him/deploy/load
out=deploy/target/load-classes
if [ ! -f "$out/dev/him/deploy/load/CodeSearchBenchmark.class" ] || [ -n "$(find "$src" -newer "$out/dev/him/deploy/load/CodeSearchBenchmark.class" -name '*.java')" ]; then
  rm -rf "$out" && mkdir -p "$out"
  javac -nowarn -d "$out" "$src"/*.java
fi
exec java ${BENCH_JAVA_OPTS:--Xms64m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1} \
  -cp "$out" dev.him.deploy.load.CodeSearchBenchmark "$@"
