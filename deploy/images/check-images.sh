#!/usr/bin/env bash
# Builds the five service images with the Maven build (Quarkus Jib, no Docker daemon), pushes them
# to a throw-away registry on this machine, checks what Kubernetes relies on in each image, and
# with --run starts each image as a container (runc: read-only root filesystem, uid 65532, a tmpfs
# /tmp) against the running local platform and sends a real flow through the containers.
#
#   deploy/images/check-images.sh            build, push, inspect
#   deploy/images/check-images.sh --run      ... then start the local platform (PostgreSQL, Kafka,
#                                            Keycloak, services) and run the images beside it
#
# Options: --base IMAGE uses that base image instead of the stand-in below (a reachable mirror of
# gcr.io/distroless/java17-debian12:nonroot, say); --registry HOST:PORT pushes to that registry
# (plain HTTP allowed) instead of starting one. Work files: $HIM_IMAGE_WORK (/tmp/him-images).
#
# Needs root (runc, debootstrap) and Debian's packages:
#   apt-get install docker-registry skopeo umoci runc debootstrap jq
#
# The stand-in base image: where gcr.io cannot be reached (as on the development machine), the
# script assembles one from Debian 12 packages (debootstrap minbase + openjdk-17-jre-headless +
# ca-certificates, user nonroot 65532) — the same distribution and JRE as the distroless image the
# build names, but with a shell. It is pushed to the throw-away registry as
# <registry>/him-base/java17-debian12:nonroot and passed to the build with -Dquarkus.jib.base-jvm-image.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
work=${HIM_IMAGE_WORK:-/tmp/him-images}
services=(records-service coding-service requests-service audit-service gateway)
run=false
base=""
registry=""
while [ $# -gt 0 ]; do
  case "$1" in
    --run) run=true ;;
    --base) base="$2"; shift ;;
    --registry) registry="$2"; shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (--help)" >&2; exit 2 ;;
  esac
  shift
done
if $run && [ -f .him-data/platform.pid ] && kill -0 "$(cat .him-data/platform.pid)" 2>/dev/null; then
  # the build below rewrites target/quarkus-app under the running services
  echo "stop the local platform first: --run builds, then starts its own" >&2
  exit 2
fi
for tool in skopeo umoci jq; do
  command -v "$tool" >/dev/null || { echo "$tool missing: apt-get install docker-registry skopeo umoci runc debootstrap jq" >&2; exit 2; }
done
mkdir -p "$work"
version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -1)
revision=$(git rev-parse HEAD)
started=()
cleanup() {
  for id in "${started[@]:-}"; do
    [ -n "$id" ] && { runc kill "$id" KILL 2>/dev/null || true; sleep 1; runc delete -f "$id" 2>/dev/null || true; }
  done
  [ -n "${registry_pid:-}" ] && kill "$registry_pid" 2>/dev/null || true
  if [ -n "${platform_pid:-}" ]; then kill -TERM "$platform_pid" 2>/dev/null || true; wait "$platform_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT

# ---------------------------------------------------------------- registry
if [ -z "$registry" ]; then
  registry=127.0.0.1:${HIM_REGISTRY_PORT:-5000}
  if ! curl -fs "http://$registry/v2/" >/dev/null; then
    command -v docker-registry >/dev/null || { echo "docker-registry missing (apt-get install docker-registry)" >&2; exit 2; }
    mkdir -p "$work/registry"
    cat > "$work/registry.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $work/registry
http:
  addr: $registry
EOF
    docker-registry serve "$work/registry.yml" > "$work/registry.log" 2>&1 &
    registry_pid=$!
    for _ in $(seq 50); do curl -fs "http://$registry/v2/" >/dev/null && break; sleep 0.2; done
    echo "registry: started on $registry (storage $work/registry)"
  else
    echo "registry: using the one on $registry"
  fi
fi

# ---------------------------------------------------------------- base image
if [ -z "$base" ]; then
  base=$registry/him-base/java17-debian12:nonroot
  if ! skopeo inspect --tls-verify=false "docker://$base" >/dev/null 2>&1; then
    echo "base: assembling the stand-in from Debian 12 packages (debootstrap) ..."
    rootfs=$work/base-rootfs
    rm -rf "$rootfs" "$work/base-oci"
    debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates \
      bookworm "$rootfs" http://deb.debian.org/debian > "$work/debootstrap.log" 2>&1
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
      "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/* "$rootfs"/var/log/*
    echo 'nonroot:x:65532:65532:nonroot:/home/nonroot:/usr/sbin/nologin' >> "$rootfs/etc/passwd"
    echo 'nonroot:x:65532:' >> "$rootfs/etc/group"
    mkdir -p "$rootfs/home/nonroot" && chown 65532:65532 "$rootfs/home/nonroot" && chmod 1777 "$rootfs/tmp"
    tar --numeric-owner -C "$rootfs" -cf "$work/base-layer.tar" .
    umoci init --layout "$work/base-oci"
    umoci new --image "$work/base-oci:nonroot"
    umoci raw add-layer --image "$work/base-oci:nonroot" "$work/base-layer.tar"
    umoci config --image "$work/base-oci:nonroot" --os linux --architecture amd64 \
      --config.user 65532 --config.workingdir /home/nonroot \
      --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
    skopeo copy -q --dest-tls-verify=false "oci:$work/base-oci:nonroot" "docker://$base"
    rm -f "$work/base-layer.tar"
  fi
  echo "base: $base"
fi

# ---------------------------------------------------------------- build and push
echo "build: ./mvnw package with Jib, pushing to $registry ..."
modules=$(IFS=,; echo "${services[*]}")
$run && modules=$modules,deploy # the local platform's launcher
./mvnw -B -q -pl "$modules" -am package -DskipTests -Dspotless.apply.skip \
  -Dquarkus.container-image.build=true -Dquarkus.container-image.push=true \
  -Dquarkus.container-image.registry="$registry" -Dquarkus.container-image.insecure=true \
  -Dquarkus.jib.base-jvm-image="$base" > "$work/build.log" 2>&1 \
  || { tail -40 "$work/build.log"; echo "build failed (log: $work/build.log)" >&2; exit 1; }

# ---------------------------------------------------------------- inspect
failures=0
fail() { echo "  FAIL $*"; failures=$((failures + 1)); }
base_layers=$(skopeo inspect --tls-verify=false --raw "docker://$base" | jq '[.layers[].digest]')
printf '\n%-17s %-9s %-9s %-7s %s\n' image "size MB" "app MB" layers checks
for s in "${services[@]}"; do
  ref="docker://$registry/him-platform/$s:$version"
  manifest=$(skopeo inspect --tls-verify=false --raw "$ref")
  config=$(skopeo inspect --tls-verify=false --config "$ref" | jq .config)
  total=$(jq '[.layers[].size] | add' <<<"$manifest")
  app=$(jq --argjson b "$base_layers" '[.layers[] | select(.digest as $d | $b | index($d) | not) | .size] | add' <<<"$manifest")
  layers=$(jq '.layers | length' <<<"$manifest")
  printf '%-17s %-9.1f %-9.1f %-7s' "$s" "$(echo "$total/1048576" | bc -l)" "$(echo "$app/1048576" | bc -l)" "$layers"
  checks=()
  [ "$(jq -r .User <<<"$config")" = 65532 ] && checks+=("user 65532") || fail "$s: user is $(jq -r .User <<<"$config"), not 65532"
  [ "$(jq -r .WorkingDir <<<"$config")" = /app ] || fail "$s: working directory $(jq -r .WorkingDir <<<"$config")"
  jq -e '.Entrypoint | index("quarkus-run.jar")' <<<"$config" >/dev/null || fail "$s: entrypoint does not run quarkus-run.jar"
  [ "$(jq -r '.Labels["org.opencontainers.image.title"]' <<<"$config")" = "$s" ] || fail "$s: title label"
  [ "$(jq -r '.Labels["org.opencontainers.image.version"]' <<<"$config")" = "$version" ] || fail "$s: version label"
  [ "$(jq -r '.Labels["org.opencontainers.image.revision"]' <<<"$config")" = "$revision" ] || fail "$s: revision label is not HEAD $revision"
  checks+=("labels title/version/revision=${revision:0:12}")
  echo " ${checks[*]}"
done

# ---------------------------------------------------------------- run
if $run; then
  command -v runc >/dev/null || { echo "runc missing (apt-get install runc)" >&2; exit 2; }
  echo "run: starting the local platform (log $work/platform.log) ..."
  java -Dhim.repo.root="$root" -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
    -cp "deploy/target/classes:deploy/target/lib/*" dev.him.deploy.LocalPlatform > "$work/platform.log" 2>&1 &
  platform_pid=$!
  for _ in $(seq 300); do grep -q "Get a token" "$work/platform.log" && break; kill -0 "$platform_pid" || break; sleep 1; done
  grep -q "Get a token" "$work/platform.log" || { tail -30 "$work/platform.log"; echo "the local platform did not start" >&2; exit 1; }
  shared=$(cd "$root/.." && pwd)/shared/data
  mkdir -p "$work/audit-data"
  cp "$root/.him-data/audit/signing-key.pem" "$root/.him-data/audit/signing-key.pub.pem" "$work/audit-data/"
  chown -R 65532:65532 "$work/audit-data"
  declare -A port=([records-service]=18081 [coding-service]=18082 [requests-service]=18083 [audit-service]=18084 [gateway]=18080)
  env_of() { # the settings the local platform gives its own processes (deploy/.../Platform.java), local demo values
    local s=$1
    echo "QUARKUS_HTTP_PORT=${port[$s]}"
    echo "HIM_SHARED_DATA=/data"
    case $s in
      gateway)
        echo "HIM_ROUTES_RECORDS=http://localhost:18081"; echo "HIM_ROUTES_CODING=http://localhost:18082"
        echo "HIM_ROUTES_REQUESTS=http://localhost:18083"; echo "HIM_ROUTES_AUDIT=http://localhost:18084" ;;
      requests-service)
        echo "QUARKUS_REST_CLIENT_RECORDS_SERVICE_URL=http://localhost:18081"
        echo "QUARKUS_OIDC_CLIENT_CREDENTIALS_SECRET=requests-service-local-secret" ;;
      audit-service)
        echo "QUARKUS_REST_CLIENT_RECORDS_SERVICE_URL=http://localhost:18081"
        echo "QUARKUS_REST_CLIENT_KEYCLOAK_ADMIN_URL=http://localhost:8180"
        echo "QUARKUS_OIDC_CLIENT_CREDENTIALS_SECRET=audit-service-local-secret"
        echo "HIM_AUDIT_SIGNING_PRIVATE_KEY_FILE=/audit-data/signing-key.pem"
        echo "HIM_AUDIT_SIGNING_PUBLIC_KEY_FILE=/audit-data/signing-key.pub.pem"
        echo "HIM_AUDIT_CHECKPOINT_FILE=/audit-data/checkpoints-container.jsonl" ;;
    esac
    echo "JAVA_TOOL_OPTIONS=-Xmx192m"
  }
  echo
  for s in "${services[@]}"; do
    bundle=$work/bundle-$s
    rm -rf "$bundle" "$work/oci-$s"
    skopeo copy -q --src-tls-verify=false "docker://$registry/him-platform/$s:$version" "oci:$work/oci-$s:run"
    umoci unpack --image "$work/oci-$s:run" "$bundle" > /dev/null
    extra=$(env_of "$s" | jq -R . | jq -s .)
    # the pod's settings: read-only root, an emptyDir /tmp, the host's network (the platform's
    # PostgreSQL, Kafka and Keycloak on localhost), code sets and audit data mounted
    jq --argjson extra "$extra" --arg shared "$shared" --arg audit "$work/audit-data" '
      .root.readonly = true
      | .process.terminal = false
      | .process.env += $extra
      | .linux.namespaces |= map(select(.type != "network"))
      | .mounts += [
          {"destination":"/tmp","type":"tmpfs","source":"tmpfs","options":["nosuid","nodev","mode=1777","size=262144k"]},
          {"destination":"/data","type":"bind","source":$shared,"options":["rbind","ro"]},
          {"destination":"/audit-data","type":"bind","source":$audit,"options":["rbind","rw"]}]
      ' "$bundle/config.json" > "$bundle/config.run.json"
    mv "$bundle/config.run.json" "$bundle/config.json"
    id=him-check-$s
    runc delete -f "$id" 2>/dev/null || true
    (cd "$bundle" && runc run -d --pid-file "$work/$s.pid" "$id" > "$work/$s.log" 2>&1 < /dev/null)
    started+=("$id")
  done
  t0=$(date +%s)
  for s in "${services[@]}"; do
    until curl -fs "http://localhost:${port[$s]}/q/health/ready" >/dev/null; do
      if [ $(( $(date +%s) - t0 )) -gt 240 ]; then fail "$s container not ready after 240 s (log $work/$s.log)"; tail -20 "$work/$s.log"; break; fi
      sleep 2
    done
    pid=$(cat "$work/$s.pid")
    echo "run: $s ready on :${port[$s]} (read-only root, tmpfs /tmp) as uid $(awk '/^Uid:/{print $2}' /proc/$pid/status), RSS $(awk '/^VmRSS:/{print int($2/1024)}' /proc/$pid/status) MiB"
  done
  # a real flow through the containers: the gateway image in front of the service images
  g=http://localhost:18080
  token() { curl -fs -d client_id=him-cli -d grant_type=password -d username="$1" -d password="$1" \
    http://localhost:8180/realms/him/protocol/openid-connect/token | jq -r .access_token; }
  clerk=$(token clerk)
  id=$(curl -fs -H "Authorization: Bearer $clerk" -H 'Content-Type: application/fhir+json' \
    -d '{"resourceType":"Patient","name":[{"family":"Container","given":["Check"]}],"birthDate":"1970-01-01"}' \
    "$g/fhir/r4/Patient" | jq -r .id) || true
  [ -n "$id" ] && [ "$id" != null ] && echo "flow: created Patient/$id through the gateway image" || fail "create Patient through the gateway image"
  curl -fs -H "Authorization: Bearer $clerk" "$g/fhir/r4/Patient/$id" | jq -e '.name[0].family == "Container"' >/dev/null \
    && echo "flow: read it back" || fail "read Patient/$id"
  curl -fs -H "Authorization: Bearer $(token coder)" "$g/api/coding/icd10cm/search?q=diabetes&limit=3" | jq -e '.total >= 1' >/dev/null \
    && echo "flow: ICD-10-CM search answered by the coding-service image" || fail "code search"
  curl -fs -H "Authorization: Bearer $(token roi)" "$g/api/requests/roi?count=1" >/dev/null \
    && echo "flow: ROI queue answered by the requests-service image" || fail "ROI queue"
  privacy=$(token privacy)
  for _ in $(seq 60); do
    n=$(curl -fs -H "Authorization: Bearer $privacy" "$g/api/audit/entries?patient=$id" | jq .total) || n=0
    [ "${n:-0}" -ge 2 ] && break
    sleep 1
  done
  [ "${n:-0}" -ge 2 ] && echo "flow: the audit-service image shows both accesses to Patient/$id" || fail "audit trail of Patient/$id has ${n:-0} entries"
  if grep -q '"message"' "$work/gateway.log"; then echo "flow: the gateway image logs JSON lines"; else fail "no JSON log lines from the gateway image"; fi
fi

echo
if [ "$failures" -gt 0 ]; then echo "$failures check(s) failed"; exit 1; fi
echo "all checks passed"
