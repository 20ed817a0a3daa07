#!/usr/bin/env bash
# The records-service performance benchmark (issue point 10) against a running local platform:
# start it first with ./run-local.sh, then run this from anywhere. Prints what each phase did and
# measured; --help lists the options (patients to load, seconds, clients, rates).
#
# The benchmark needs only the JDK, so it is compiled here with javac on its own: nothing is
# rebuilt under the running platform. BENCH_JAVA_OPTS overrides the benchmark JVM's options.
set -euo pipefail
cd "$(dirname "$0")/../.."
src=deploy/src/main/java/dev/him/deploy/load
out=deploy/target/load-classes
if [ ! -f "$out/dev/him/deploy/load/RecordsBenchmark.class" ] || [ -n "$(find "$src" -newer "$out/dev/him/deploy/load/RecordsBenchmark.class" -name '*.java')" ]; then
  rm -rf "$out" && mkdir -p "$out"
  javac -nowarn -d "$out" "$src"/*.java
fi
exec java ${BENCH_JAVA_OPTS:--Xms256m -Xmx1g -XX:+UseSerialGC} -Dhim.repo.root="$(pwd)" \
  -cp "$out" dev.him.deploy.load.RecordsBenchmark "$@"
