#!/usr/bin/env bash
# make bench-orders: the resource services under load on loopback, with Redis and all three services running
# (ports 26389 and 28080-28082, state in .run/bench-orders). With a demo-cli token it drives
#   1. GET /inventory/items/{sku}: JWT verification (cached JWKS) and one Redis read
#   2. POST /orders: JWT verification, reserve and confirm at inventory-service over HTTP with orders-service's
#      cached service token, the order stored in Redis
# with wrk, then checks that nothing was lost or counted twice: the stock taken equals the orders stored, and so
# does `reserved`; and that orders-service fetched one service token for the whole run. For each load it also prints
# the CPU time each service and Redis spent per request, and keeps what Redis ran (target/bench-orders/<load>-redis.txt,
# INFO commandstats reset before each load).
# It ends with each service's RSS after the loads. NATIVE=1 runs the native executables (make native) instead of the jars.
# Settings: BENCH_SECONDS (20), BENCH_CONNECTIONS (32), BENCH_THREADS (2), BENCH_ORDERS_WARMUP (60): seconds of
# POST /orders before the measured run. With three JVMs, Redis and wrk on two cores, orders-service's JIT compiler was
# still busy (40% of its CPU) 20 s into the load, so a 20 s warm-up measured the compiler, not the order path; and
# 40-60 s were not enough either on a slower day (2026-12-07: 44% of its CPU in C2 during the measured POST, 446 of
# the 519 methods C2 compiled then never compiled by C2 before). So the JVM's warm-up goes on in 5 s steps of the
# same load until the service it loads most compiled at most BENCH_JIT_SETTLED (25) methods in a step (jstat), for
# at most BENCH_WARMUP_MAX (240) seconds in all, and the script says how long that took.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/bench/lib.sh
. scripts/bench/lib.sh
export SUITE_RUN_DIR="$ROOT/.run/bench-orders" AUTH_PORT=28080 REDIS_PORT=26389 ORDERS_PORT=28081 INVENTORY_PORT=28082
AUTH="http://127.0.0.1:$AUTH_PORT"
ORDERS="http://127.0.0.1:$ORDERS_PORT"
INVENTORY="http://127.0.0.1:$INVENTORY_PORT"
OUT="$ROOT/target/bench-orders"
STOCK=100000000
mkdir -p "$OUT"
need_bench_tools

trap 'scripts/suite.sh down >/dev/null 2>&1 || true' EXIT
scripts/suite.sh up-only auth-service inventory-service orders-service

admin=$(sign_in "$AUTH" admin admin-password "openid inventory:write inventory:read" | json_field access_token)
[ -n "$admin" ] || { echo "could not sign in as admin at $AUTH" >&2; exit 1; }
sku="BENCH-$(date +%s)"
curl -sf -o /dev/null -X PUT "$INVENTORY/inventory/items/$sku" -H "Authorization: Bearer $admin" \
  -H 'Content-Type: application/json' \
  -d "{\"name\":\"benchmark\",\"price\":{\"amount\":100,\"currency\":\"EUR\"},\"stock\":$STOCK}"
token=$(curl -sf -u demo-cli:demo-cli-secret "$AUTH/oauth2/token" -d grant_type=client_credentials \
  -d 'scope=orders:read orders:write inventory:read' | json_field access_token)
[ -n "$token" ] || { echo "could not get a demo-cli token from $AUTH" >&2; exit 1; }
export BENCH_TOKEN="$token" BENCH_SKU="$sku"

WARMUP_ORDERS=${BENCH_ORDERS_WARMUP:-60}
PROCESSES="auth-service inventory-service orders-service redis"
run_wrk() { # name script url seconds; also records each process's CPU time over the run, and Redis' commandstats
  local p before=() machine_before
  for p in $PROCESSES; do before+=("$(cpu_ticks "$(cat "$SUITE_RUN_DIR/pids/$p.pid")")"); done
  machine_before=$(machine_stat)
  redis_admin "CONFIG RESETSTAT" >/dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$4s" --latency -s "$2" "$3" >"$OUT/$1.txt" 2>&1
  local i=0
  for p in $PROCESSES; do
    echo "cpu_ticks_$p $(( $(cpu_ticks "$(cat "$SUITE_RUN_DIR/pids/$p.pid")") - before[i] ))" >>"$OUT/$1.txt"
    i=$((i + 1))
  done
  machine_shares "$machine_before" "$(machine_stat)" >>"$OUT/$1.txt"
  redis_admin "INFO commandstats" | grep '^cmdstat' >"$OUT/$1-redis.txt" || true
}
# CPU microseconds per request of each process: file requests
cpu_per_request() {
  local p line=""
  for p in $PROCESSES; do
    line="$line $(printf '%9s' "$(awk -v n="$2" -v t="$TICK" -v k="^cpu_ticks_$p " '$0 ~ k {printf "%.0f", $2 / t * 1e6 / n}' "$1")")"
  done
  echo "$line"
}
SETTLED=${BENCH_JIT_SETTLED:-25}
WARMUP_MAX=${BENCH_WARMUP_MAX:-240}
JSTAT="${JAVA_HOME:-$("$ROOT/scripts/jdk.sh")}/bin/jstat"
compiled() { "$JSTAT" -compiler "$1" | awk 'NR == 2 {print $1}'; }
# Goes on with a load (script url) in 5 s steps until process's JIT settles; prints the methods compiled per step.
settle() { # script url process seconds-so-far
  [ "${NATIVE:-0}" = 1 ] && return
  local pid steps="" waited=$4 before after
  pid=$(cat "$SUITE_RUN_DIR/pids/$3.pid")
  before=$(compiled "$pid")
  while [ "$waited" -lt "$WARMUP_MAX" ]; do
    wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -s "$1" "$2" >/dev/null 2>&1
    waited=$((waited + 5))
    after=$(compiled "$pid")
    steps="$steps $((after - before))"
    [ $((after - before)) -le "$SETTLED" ] && break
    before=$after
  done
  echo "  $3's JIT after ${waited}s of this load: methods compiled per 5 s step:${steps:- (none needed)}"
}
echo "Warming up (${SECONDS_RUN}s of GET, ${WARMUP_ORDERS}s of POST, then until the JIT settles)"
run_wrk warmup-read scripts/bench/read_item.lua "$INVENTORY" "$SECONDS_RUN"
run_wrk warmup-place scripts/bench/place_order.lua "$ORDERS" "$WARMUP_ORDERS"
settle scripts/bench/place_order.lua "$ORDERS" orders-service "$WARMUP_ORDERS"
settle scripts/bench/read_item.lua "$INVENTORY" inventory-service "$SECONDS_RUN"
orders_stored() { curl -sf -H "Authorization: Bearer $token" "$ORDERS/orders?limit=1" | json_field total; }
# wrk stops with requests in flight that the services still complete: let them finish before each count.
sleep 3
orders_before=$(orders_stored)
item=$(curl -sf -H "Authorization: Bearer $token" "$INVENTORY/inventory/items/$sku")
stock_before=$(json_field stock <<<"$item"); reserved_before=$(json_field reserved <<<"$item")
echo "GET /inventory/items/{sku}: ${SECONDS_RUN}s, $THREADS threads, $CONNECTIONS connections"
run_wrk read scripts/bench/read_item.lua "$INVENTORY" "$SECONDS_RUN"
echo "POST /orders: ${SECONDS_RUN}s"
run_wrk place scripts/bench/place_order.lua "$ORDERS" "$SECONDS_RUN"

rss_after=""
for p in auth-service inventory-service orders-service; do
  rss_after="$rss_after $p $(rss_split "$(cat "$SUITE_RUN_DIR/pids/$p.pid")"),"
done
sleep 3
item=$(curl -sf -H "Authorization: Bearer $token" "$INVENTORY/inventory/items/$sku")
orders_after=$(orders_stored)
[ -n "$orders_before" ] && [ -n "$orders_after" ] || { echo "could not count the stored orders" >&2; exit 1; }
stored=$((orders_after - orders_before))
stock_after=$(json_field stock <<<"$item"); reserved_after=$(json_field reserved <<<"$item")
created=$(awk '/^orders_created/ {print $2}' "$OUT/place.txt")
refused=$(awk '/^orders_refused/ {print $2}' "$OUT/place.txt")
service_tokens=$(curl -sf "$AUTH/q/metrics" \
  | sed -n 's/^authsuite_tokens_issued_total{\(.*client_id="orders-service".*\)} \([0-9.]*\)$/\2/p' | head -1)
taken=$((stock_before - stock_after)); held=$((reserved_after - reserved_before))
verdict=$([ "$taken" = "$stored" ] && [ "$held" = "$stored" ] && echo consistent || echo INCONSISTENT)
tokens_ok=$([ "${service_tokens%.0}" = 1 ] && echo "one per token lifetime" || echo "UNEXPECTED")
report=$(cat <<TXT

resource services benchmark ($([ "${NATIVE:-0}" = 1 ] && echo native || echo JVM), $(nproc) cores, all three services and Redis on this machine, wrk -t$THREADS -c$CONNECTIONS -d${SECONDS_RUN}s)
                            req/s      p50      p90      p99   non-2xx
GET /inventory/items/{sku} $(printf '%9s %8s %8s %8s %9s' "$(rps "$OUT/read.txt")" "$(pct "$OUT/read.txt" 50%)" "$(pct "$OUT/read.txt" 90%)" "$(pct "$OUT/read.txt" 99%)" "$(errors "$OUT/read.txt")")
POST /orders               $(printf '%9s %8s %8s %8s %9s' "$(rps "$OUT/place.txt")" "$(pct "$OUT/place.txt" 50%)" "$(pct "$OUT/place.txt" 90%)" "$(pct "$OUT/place.txt" 99%)" "$refused")
CPU per request (us)            auth inventory    orders     Redis
GET /inventory/items/{sku} $(cpu_per_request "$OUT/read.txt" "$(requests "$OUT/read.txt")")
POST /orders               $(cpu_per_request "$OUT/place.txt" "${created:-1}")
machine idle during the runs (all cores): GET $(idle "$OUT/read.txt"), POST $(idle "$OUT/place.txt")
ratio POST / GET: $(awk -v a="$(rps "$OUT/place.txt")" -v b="$(rps "$OUT/read.txt")" 'BEGIN {printf "%.3f (bar 0.25, goal 0.33)", a / b}')
orders stored $stored (wrk saw $created answered 201, the rest were in flight when it stopped); stock taken $taken; reserved grew by $held: $verdict
RSS after the loads:${rss_after%,}
service tokens orders-service fetched from auth-service (warm-up included): ${service_tokens:-0} ($tokens_ok)
raw output: target/bench-orders/
TXT
)
echo "$report" | tee "$OUT/summary.txt"
[ "$verdict" = consistent ] && [ "$tokens_ok" != UNEXPECTED ]
