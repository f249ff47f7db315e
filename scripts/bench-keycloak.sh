#!/usr/bin/env bash
# make bench-keycloak: client-credentials grants at Keycloak and at auth-service, one after the other in one run,
# same machine, same wrk load (-t2 -c32 by default), each warmed for 20 s first. Prints both rates and the ratio.
#
# Keycloak (org.keycloak:keycloak-quarkus-dist, KEYCLOAK_VERSION 26.5.6) comes from Maven Central through the Maven
# wrapper, is unpacked under .run/keycloak/ and started in dev mode on a free port with a realm "bench" holding one
# confidential client with a service account (its secret generated for the run); it is stopped afterwards.
# auth-service runs as in `make bench` (its own Redis, prod build, local profile). Neither uses TLS. What differs:
# Keycloak keeps state for each grant (a client session of the service account, in its caches) where auth-service
# keeps none for client credentials; both sign RS256 with 2048-bit keys.
# Settings: BENCH_SECONDS (20), BENCH_CONNECTIONS (32), BENCH_THREADS (2), KEYCLOAK_VERSION, KEYCLOAK_PORT (18480).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/bench/lib.sh
. scripts/bench/lib.sh
KC_VERSION=${KEYCLOAK_VERSION:-26.5.6}
KC_PORT=${KEYCLOAK_PORT:-18480}
export SUITE_RUN_DIR="$ROOT/.run/bench" AUTH_PORT=18080 REDIS_PORT=16389 ORDERS_PORT=18081 INVENTORY_PORT=18082
OUT="$ROOT/target/bench-keycloak"
KC_DIR="$ROOT/.run/keycloak"
mkdir -p "$OUT" "$KC_DIR"
JAVA_HOME=${JAVA_HOME:-$(scripts/jdk.sh)}
export JAVA_HOME

need_bench_tools

KC_HOME="$KC_DIR/keycloak-$KC_VERSION"
if [ ! -x "$KC_HOME/bin/kc.sh" ]; then
  echo "Fetching org.keycloak:keycloak-quarkus-dist:$KC_VERSION (zip) from Maven Central"
  ./mvnw -B -q dependency:copy -Dartifact="org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip" \
    -DoutputDirectory="$KC_DIR" -Dmdep.overWriteIfNewer=true
  (cd "$KC_DIR" && unzip -q -o "keycloak-quarkus-dist-$KC_VERSION.zip")
  [ -x "$KC_HOME/bin/kc.sh" ] || { echo "no $KC_HOME/bin/kc.sh in the zip" >&2; exit 1; }
fi

# The realm: one confidential client with a service account; the secret exists only for this run.
secret=$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
rm -rf "$KC_HOME/data"
mkdir -p "$KC_HOME/data/import"
umask 077
cat >"$KC_HOME/data/import/bench-realm.json" <<JSON
{
  "realm": "bench",
  "enabled": true,
  "accessTokenLifespan": 900,
  "clients": [{
    "clientId": "bench-client",
    "enabled": true,
    "publicClient": false,
    "clientAuthenticatorType": "client-secret",
    "secret": "$secret",
    "serviceAccountsEnabled": true,
    "standardFlowEnabled": false,
    "directAccessGrantsEnabled": false
  }]
}
JSON
umask 022

kc_pid=""
stop_all() {
  [ -n "$kc_pid" ] && kill "$kc_pid" 2>/dev/null && wait "$kc_pid" 2>/dev/null
  scripts/suite.sh down >/dev/null 2>&1 || true
}
trap stop_all EXIT

echo "Starting Keycloak $KC_VERSION (dev mode) on port $KC_PORT"
"$KC_HOME/bin/kc.sh" start-dev --http-port="$KC_PORT" --import-realm --log-level=warn >"$OUT/keycloak.log" 2>&1 &
kc_pid=$!
KC_TOKEN="http://127.0.0.1:$KC_PORT/realms/bench/protocol/openid-connect/token"
for _ in $(seq 1 180); do
  curl -fsS -o /dev/null "http://127.0.0.1:$KC_PORT/realms/bench/.well-known/openid-configuration" 2>/dev/null && break
  kill -0 "$kc_pid" 2>/dev/null || { echo "Keycloak exited: $OUT/keycloak.log" >&2; tail -20 "$OUT/keycloak.log" >&2; exit 1; }
  sleep 1
done
KC_BASIC="Basic $(printf '%s' "bench-client:$secret" | base64 -w0)"
curl -fsS -H "Authorization: $KC_BASIC" -d grant_type=client_credentials "$KC_TOKEN" | json_field access_token \
  | grep -q . || { echo "Keycloak issued no token" >&2; exit 1; }

run_wrk() { # name url [env...]
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_RUN}s" --latency -s scripts/bench/client_credentials.lua "$2" \
    >"$OUT/$1.txt" 2>&1
}
echo "Keycloak: warming up ${SECONDS_RUN}s, then ${SECONDS_RUN}s measured"
BENCH_BASIC="$KC_BASIC" BENCH_BODY="grant_type=client_credentials" run_wrk keycloak-warmup "$KC_TOKEN"
BENCH_BASIC="$KC_BASIC" BENCH_BODY="grant_type=client_credentials" run_wrk keycloak "$KC_TOKEN"
# kc.sh runs Java as its child and forwards signals to it, unless its first start rebuilt Keycloak and it then exec'd
# Java itself: the RSS is the Java process'.
kc_java=$(pgrep -P "$kc_pid" -x java || echo "$kc_pid")
kc_rss=$(rss_mb "$kc_java")
kill "$kc_pid"; wait "$kc_pid" 2>/dev/null || true; kc_pid=""

scripts/suite.sh up-only auth-service
URL="http://127.0.0.1:$AUTH_PORT/oauth2/token"
echo "auth-service: warming up ${SECONDS_RUN}s, then ${SECONDS_RUN}s measured"
run_wrk auth-warmup "$URL"
run_wrk auth "$URL"
auth_rss=$(rss_mb "$(cat "$SUITE_RUN_DIR/pids/auth-service.pid")")

kc=$(rps "$OUT/keycloak.txt"); au=$(rps "$OUT/auth.txt")
report=$(cat <<TXT

client_credentials grants, Keycloak $KC_VERSION vs auth-service ($(nproc) cores, wrk -t$THREADS -c$CONNECTIONS -d${SECONDS_RUN}s, each warmed ${SECONDS_RUN}s)
                        req/s      p50      p99   non-2xx   RSS after
Keycloak (dev mode) $(printf '%9s %8s %8s %9s %8s MB' "$kc" "$(pct "$OUT/keycloak.txt" 50%)" "$(pct "$OUT/keycloak.txt" 99%)" "$(errors "$OUT/keycloak.txt")" "$kc_rss")
auth-service        $(printf '%9s %8s %8s %9s %8s MB' "$au" "$(pct "$OUT/auth.txt" 50%)" "$(pct "$OUT/auth.txt" 99%)" "$(errors "$OUT/auth.txt")" "$auth_rss")
ratio auth-service / Keycloak: $(awk -v a="$au" -v b="$kc" 'BEGIN {printf "%.2fx (bar 4x, goal 5x)", a / b}')
raw output: target/bench-keycloak/
TXT
)
echo "$report" | tee "$OUT/summary.txt"
