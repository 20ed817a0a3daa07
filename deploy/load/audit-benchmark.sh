#!/usr/bin/env bash
# The audit-service benchmark (issue 6, point 7) against a running local platform: start it first
# with ./run-local.sh, then run this from anywhere. Ingest: publishes access events to Kafka and
# follows the chains in the audit database until every one is stored (sustained events/s);
# verify: times GET /api/audit/verify; query: p50/p95/p99 of "who accessed this patient".
# --help lists the options. Needs the JDK, psql, and the Kafka client jar in the local Maven
# repository (any build of the project puts it there).
set -euo pipefail
cd "$(dirname "$0")/../.."
src=deploy/src/main/java/dev/him/deploy/load
out=deploy/target/load-classes-audit
# the Kafka client the services use, and its logging API, from the local Maven repository
m2="${MAVEN_REPO:-$HOME/.m2/repository}"
kafka="$(ls "$m2"/org/apache/kafka/kafka-clients/*/kafka-clients-*.jar | grep -v -e sources -e test | sort -V | tail -1)"
slf4j="$(ls "$m2"/org/slf4j/slf4j-api/*/slf4j-api-*.jar | grep -v sources | sort -V | tail -1)"
cp="$kafka:$slf4j"
if [ ! -f "$out/dev/him/deploy/load/AuditBenchmark.class" ] || [ -n "$(find "$src" -newer "$out/dev/him/deploy/load/AuditBenchmark.class" -name '*.java')" ]; then
  rm -rf "$out" && mkdir -p "$out"
  javac -nowarn -cp "$cp" -d "$out" "$src"/*.java
fi
exec java ${BENCH_JAVA_OPTS:--Xms64m -Xmx512m -XX:+UseSerialGC} \
  -cp "$out:$cp" dev.him.deploy.load.AuditBenchmark "$@"
