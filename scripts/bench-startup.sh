#!/usr/bin/env bash
# make bench-startup: each service started alone (beside its own Redis), measured from exec to the first 200 of
# /q/health/ready, with its RSS then; the JVM jars, or with NATIVE=1 the native executables (make native).
# auth-service's first start is measured twice: searching for the fleet's keys, and starting from a folder's key.
# auth-service gets a 20 s client-credentials load (wrk) afterwards and its RSS after the load is printed too; after
# its restart, 10 s of a steady load below saturation, with the grants' latencies (the JIT's warm-up, as clients see it).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/bench/lib.sh
. scripts/bench/lib.sh
# Ports below 32768: Linux hands out 32768-60999 as the source ports of outgoing connections, so a listening port
# there can be taken by a connection the moment a service binds.
export SUITE_RUN_DIR="$ROOT/.run/startup" AUTH_PORT=29080 ORDERS_PORT=29081 INVENTORY_PORT=29082 REDIS_PORT=29389
OUT="$ROOT/target/bench-startup"; mkdir -p "$OUT"
kind=$([ "${NATIVE:-0}" = 1 ] && echo native || echo jvm)
if [ "$kind" = jvm ] && [ auth-service/target/quarkus-app/app.aot -nt auth-service/target/quarkus-app/quarkus-run.jar ]; then
  kind="jvm, AOT cache"
fi
need_bench_tools
trap 'scripts/suite.sh down >/dev/null 2>&1 || true' EXIT

# Whether GET /q/health/ready answers 200. Bash's /dev/tcp in this shell, and nap between probes, without starting a
# process every few milliseconds: on 2 cores a probe that costs a process start slows down the start it measures.
ready() {
  local status=""
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET /q/health/ready HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3 2>/dev/null && read -r _ status _ <&3
  exec 3<&- 3>&-
  [ "$status" = 200 ]
}

port_of() { case "$1" in auth-service) echo $AUTH_PORT ;; orders-service) echo $ORDERS_PORT ;; *) echo $INVENTORY_PORT ;; esac; }

# Beside the time to ready, Quarkus' own "started in" (from its main, after the JVM's boot): the difference is the
# runtime's start and the first readiness answer, the figure itself the application's start.
printf '\nstart-up, each service alone (%s, %s cores)\n%-18s %12s %12s %12s %14s\n' "$kind" "$(nproc)" service ready \
  "started in" "RSS ready" "RSS after load"
# auth-service starts three times: first beside an empty Redis, where it searches for the fleet's signing keys (once
# in a fleet's life); then again, as every later replica and restart does, finding them there; then beside an empty
# Redis again, with a key from a folder (as k8s-secrets.sh makes one for a Secret), which the new set starts from.
seed="$OUT/seed-keys"; rm -rf "$seed"; mkdir -p "$seed"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$seed/key-1.pem" 2>/dev/null
for run in auth-service auth-service:restart auth-service:seeded inventory-service orders-service; do
  s=${run%%:*}
  if [ "$run" = auth-service:seeded ]; then
    # The key set of the Redis started here, gone: this start is a fleet's first again.
    [ "$(redis_admin "DEL auth:keys" | head -1)" = "+OK" ] || { echo "could not empty the key set in Redis" >&2; exit 1; }
    export AUTH_KEYS_DIR="$seed"
  else
    unset AUTH_KEYS_DIR
  fi
  port=$(port_of "$s")
  log="$OUT/${run/:/-}-${kind%%,*}.log"
  rm -f "$SUITE_RUN_DIR/exec-$s.ns"
  scripts/suite.sh exec-one "$s" >"$log" 2>&1 &
  pid=$!
  until ready "$port"; do
    kill -0 "$pid" 2>/dev/null || { echo "$s exited: $log" >&2; tail -20 "$log" >&2; exit 1; }
    nap 0.005
  done
  ready=$(date +%s%N)
  # exec-one records the moment it hands over to the service; wait for it in case of a slow file system.
  for _ in $(seq 1 100); do [ -s "$SUITE_RUN_DIR/exec-$s.ns" ] && break; sleep 0.01; done
  started=$(cat "$SUITE_RUN_DIR/exec-$s.ns")
  rss=$(rss_mb "$pid")
  for _ in $(seq 1 20); do
    quarkus=$(sed -n 's/.*started in \([0-9.]*\)s.*/\1/p' "$log" | head -1)
    [ -n "$quarkus" ] && break
    nap 0.01
  done
  quarkus=${quarkus:--}
  after="-"
  if [ "$run" = auth-service:restart ]; then
    # A replica's first seconds, what the JIT's warm-up costs a client: 10 s of a steady load right after ready (8
    # connections, each BENCH_PACE_MS, 10, apart) and its latencies.
    f="$OUT/paced-${kind%%,*}.txt"
    BENCH_PACE_MS=${BENCH_PACE_MS:-10} wrk -t2 -c8 -d10s --latency -s scripts/bench/client_credentials.lua \
      "http://127.0.0.1:$port/oauth2/token" >"$f" 2>&1
    paced="$(rps "$f") grants/s, p50 $(pct "$f" 50%), p99 $(pct "$f" 99%), max $(awk '$1 == "Latency" {print $4}' "$f")"
  fi
  if [ "$run" = auth-service ]; then
    wrk -t2 -c32 -d20s -s scripts/bench/client_credentials.lua "http://127.0.0.1:$port/oauth2/token" >"$OUT/load-${kind%%,*}.txt" 2>&1
    split="$(rss_split "$pid")"
    after="${split%% (*}"
  fi
  case "$run" in
    *:restart) label="  restarted" ;;
    *:seeded) label="  first, seeded" ;;
    *) label=$s ;;
  esac
  printf '%-18s %10.3f s %10s s %9s MB %14s\n' "$label" \
    "$(awk -v a="$started" -v b="$ready" 'BEGIN {print (b - a) / 1e9}')" "$quarkus" "$rss" "$after"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
echo "auth-service after the token load: $split"
echo "auth-service's first 10 s after the restart, a steady load (8 connections, ${BENCH_PACE_MS:-10} ms apart): $paced"
