#!/usr/bin/env bash
# The release-packet benchmark (issue 5, point 9) against a running local platform:
# start it first with ./run-local.sh, then run this from anywhere. Prints what each phase did and
# measured; --help lists the options (builds, warm-up).
#
# The benchmark needs only the JDK, so it is compiled here with javac on its own: nothing is
# rebuilt under the running platform. BENCH_JAVA_OPTS overrides the benchmark JVM's options.
set -euo pipefail
cd "$(dirname "$0")/../.."
src=deploy/src/main/java/dev/him/deploy/load
out=deploy/target/load-classes
if [ ! -f "$out/dev/him/deploy/load/RoiPacketBenchmark.class" ] || [ -n "$(find "$src" -newer "$out/dev/him/deploy/load/RoiPacketBenchmark.class" -name '*.java')" ]; then
  rm -rf "$out" && mkdir -p "$out"
  javac -nowarn -d "$out" "$src"/*.java
fi
exec java ${BENCH_JAVA_OPTS:--Xms64m -Xmx512m -XX:+UseSerialGC} -Dhim.repo.root="$(pwd)" \
  -cp "$out" dev.him.deploy.load.RoiPacketBenchmark "$@"
