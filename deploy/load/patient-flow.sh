#!/usr/bin/env bash
# Load on a running local platform (start it with ./run-local.sh first); prints throughput,
# latency percentiles and audit lag. Options: --seconds N (per operation), --clients N,
# --gateway URL, --realm URL.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -d deploy/target/lib ] || ./mvnw -B -q -DskipTests -pl deploy -am package
exec java -cp "deploy/target/classes:deploy/target/lib/*" dev.him.deploy.load.PatientFlowLoad "$@"
