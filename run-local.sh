#!/usr/bin/env bash
# Runs the whole HIM platform on this machine: builds what is needed, then starts PostgreSQL,
# Kafka, Keycloak and the five services, and stops them all on Ctrl-C.
#   ./run-local.sh          start (data kept in .him-data/ across restarts)
#   ./run-local.sh --wipe   delete the local data first, then start
set -euo pipefail
cd "$(dirname "$0")"

# Refuse before building: a rebuild would replace the jars under a running platform.
if [ -f .him-data/platform.pid ]; then
  pid=$(cat .him-data/platform.pid)
  if kill -0 "$pid" 2>/dev/null && grep -q LocalPlatform "/proc/$pid/cmdline" 2>/dev/null; then
    echo "The HIM platform is already running from $(pwd)/.him-data (pid $pid)." >&2
    echo "Stop it with Ctrl-C in its terminal before starting it again." >&2
    exit 2
  fi
fi

echo "Building (tests skipped; run the test command from the README for those) ..."
./mvnw -B -q -DskipTests -Dspotless.apply.skip package

exec java -Dhim.repo.root="$(pwd)" -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "deploy/target/classes:deploy/target/lib/*" dev.him.deploy.LocalPlatform "$@"
