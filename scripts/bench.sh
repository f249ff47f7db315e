#!/usr/bin/env bash
# make bench: the token endpoint under load on loopback, beside this machine's RSA-2048 signing speed.
# Starts its own Redis and auth-service (ports 16389 and 18080, state in .run/bench), warms up, then drives
#   1. client-credentials grants (demo-cli, client_secret_basic)
#   2. refresh-token grants with rotation (web-app, public; one family per seeded token)
# with wrk, and measures `openssl speed rsa2048` on one core and on all cores in the same run.
# Settings: BENCH_SECONDS (20), BENCH_CONNECTIONS (32), BENCH_THREADS (2), BENCH_FAMILIES (512).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/bench/lib.sh
. scripts/bench/lib.sh
FAMILIES=${BENCH_FAMILIES:-512}
export SUITE_RUN_DIR="$ROOT/.run/bench" AUTH_PORT=18080 REDIS_PORT=16389 ORDERS_PORT=18081 INVENTORY_PORT=18082
export BENCH_THREADS=$THREADS
URL="http://127.0.0.1:$AUTH_PORT"
OUT="$ROOT/target/bench"
mkdir -p "$OUT"

need_bench_tools

trap 'scripts/suite.sh down >/dev/null 2>&1 || true' EXIT
# Every seeded family is alice's: one person on $FAMILIES devices, beyond the 100 live families a person may hold.
export AUTH_REFRESH_TOKEN_MAX_FAMILIES_PER_SUBJECT=$FAMILIES
scripts/suite.sh up-only auth-service

echo "Seeding $FAMILIES refresh-token families (one sign-in as alice, then one code per family)"
jar="$OUT/cookies.txt"; rm -f "$jar"
sign_in_session "$jar" "$URL" alice alice-password "openid orders:read"
: >"$OUT/refresh-tokens.txt"
for _ in $(seq 1 "$FAMILIES"); do
  token=$(code_tokens "$jar" "$URL" "openid orders:read" | json_field refresh_token)
  [ -n "$token" ] && echo "$token" >>"$OUT/refresh-tokens.txt"
done
seeded=$(grep -c . "$OUT/refresh-tokens.txt" || true)
[ "$seeded" -ge "$CONNECTIONS" ] || { echo "only $seeded refresh tokens seeded" >&2; exit 1; }

AUTH_PID=$(cat "$SUITE_RUN_DIR/pids/auth-service.pid")
REDIS_PID=$(cat "$SUITE_RUN_DIR/pids/redis.pid")
# auth-service's own count and total time of its signatures, per JCA provider ("provider count seconds" lines), from
# authsuite_token_signing_seconds at /q/metrics.
signing_totals() {
  curl -sf "$URL/q/metrics" | awk -F'[{}" ]+' '/^authsuite_token_signing_seconds_count\{/ {c[$3] = $NF}
    /^authsuite_token_signing_seconds_sum\{/ {s[$3] = $NF} END {for (p in c) print p, c[p], s[p]}'
}
# The signatures between two of those: "provider count mean-microseconds" of the provider that made the most.
signing_delta() { # before after
  SIGNING_BEFORE="$1" SIGNING_AFTER="$2" awk 'BEGIN {
    n = split(ENVIRON["SIGNING_BEFORE"], lines, "\n"); for (i = 1; i <= n; i++) { split(lines[i], f, " "); bc[f[1]] = f[2]; bs[f[1]] = f[3] }
    n = split(ENVIRON["SIGNING_AFTER"], lines, "\n"); best = ""; most = 0
    for (i = 1; i <= n; i++) { split(lines[i], f, " "); d = f[2] - bc[f[1]]
      if (d > most) { most = d; best = f[1]; secs = f[3] - bs[f[1]] } }
    if (best == "") print "- 0 -"; else printf "%s %d %.0f\n", best, most, secs / most * 1e6 }'
}
run_wrk() { # name script seconds; also records auth-service's and Redis' CPU time over the run (user + system)
  local before redis_before machine_before threads_before signing_before; before=$(cpu_ticks "$AUTH_PID")
  signing_before=$(signing_totals)
  redis_before=$(cpu_ticks "$REDIS_PID"); machine_before=$(machine_stat); threads_before=$(thread_ticks "$AUTH_PID")
  redis_admin "CONFIG RESETSTAT" >/dev/null
  # wrk's own CPU time too (GNU time appends it to the report): the load generator shares the two cores.
  local timed=(); [ -x /usr/bin/time ] && timed=(/usr/bin/time -f 'wrk_cpu_seconds %U %S' -a -o "$OUT/$1.txt")
  "${timed[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$3s" --latency -s "$2" "$URL/oauth2/token" >"$OUT/$1.txt" 2>&1
  echo "cpu_ticks $(( $(cpu_ticks "$AUTH_PID") - before ))" >>"$OUT/$1.txt"
  echo "redis_cpu_ticks $(( $(cpu_ticks "$REDIS_PID") - redis_before ))" >>"$OUT/$1.txt"
  machine_shares "$machine_before" "$(machine_stat)" >>"$OUT/$1.txt"
  echo "auth_threads $(busiest_threads "$threads_before" "$(thread_ticks "$AUTH_PID")")" >>"$OUT/$1.txt"
  echo "signing $(signing_delta "$signing_before" "$(signing_totals)")" >>"$OUT/$1.txt"
  # Which commands Redis ran during the run and what each cost it (usec_per_call): target/bench/<name>-redis.txt.
  redis_admin "INFO commandstats" | grep '^cmdstat' >"$OUT/$1-redis.txt" || true
}
# CPU per request in microseconds (auth-service, or Redis with "redis_"): independent of how much CPU wrk takes from
# the same cores. Redis' share matters here: it runs on the same two cores.
cpu_per() { # file requests [redis_]
  awk -v n="$2" -v t="$TICK" -v k="^${3:-}cpu_ticks" '$0 ~ k {printf "%.0f", $2 / t * 1e6 / n}' "$1"
}
wrk_cpu_per() { # file requests: wrk's CPU per request in microseconds, or - without GNU time
  awk -v n="$2" '/^wrk_cpu_seconds/ {v = ($2 + $3) * 1e6 / n} END {if (v == "") print "-"; else printf "%.0f", v}' "$1"
}
echo "Warming up (${SECONDS_RUN}s of client-credentials grants)"
run_wrk warmup scripts/bench/client_credentials.lua "$SECONDS_RUN"
# One connection: each signature has a core to itself, so its time is the provider's cost, comparable between the JVM
# and the native executable and with openssl's.
echo "Signing alone: client-credentials grants over one connection (5s)"
THREADS=1 CONNECTIONS=1 run_wrk signing-alone scripts/bench/client_credentials.lua 5
echo "Client credentials: ${SECONDS_RUN}s, $THREADS threads, $CONNECTIONS connections"
run_wrk client-credentials scripts/bench/client_credentials.lua "$SECONDS_RUN"
# Its own warm-up: the refresh path (rotation script, user read, refresh-token parsing) is code the client-credentials
# load never ran, and it was JIT-compiled during the measured run before. The warm-up hands its families on.
echo "Warming up the refresh grant (${SECONDS_RUN}s)"
BENCH_REFRESH_TOKENS="$OUT/refresh-tokens.txt" BENCH_REFRESH_NEXT="$OUT/refresh-tokens-next.txt" \
  run_wrk refresh-warmup scripts/bench/refresh.lua "$SECONDS_RUN"
echo "Refresh with rotation: ${SECONDS_RUN}s"
BENCH_REFRESH_TOKENS="$OUT/refresh-tokens-next.txt" run_wrk refresh scripts/bench/refresh.lua "$SECONDS_RUN"

echo "openssl speed rsa2048 (one core, then $(nproc) cores)"
openssl speed -seconds 5 rsa2048 >"$OUT/openssl-1.txt" 2>/dev/null
openssl speed -seconds 5 -multi "$(nproc)" rsa2048 >"$OUT/openssl-n.txt" 2>/dev/null

signs() { awk '/^rsa 2048 bits/ {print $6}' "$1" | tail -1; }
signed() { awk '/^signing / {printf "%sus each by %s", $4, $2}' "$1"; }
cc=$(rps "$OUT/client-credentials.txt")
# Refreshes per second counts successful rotations only (the script's own tally, not wrk's request count).
rf=$(awk '/^refreshes_ok/ {ok=$2} /^duration_us/ {d=$2} END {printf "%.2f", ok / (d / 1e6)}' "$OUT/refresh.txt")
rf_failed=$(awk '/^refreshes_failed/ {print $2}' "$OUT/refresh.txt")
one=$(signs "$OUT/openssl-1.txt"); all=$(signs "$OUT/openssl-n.txt")
cc_total=$(requests "$OUT/client-credentials.txt")
rf_total=$(awk '/^refreshes_ok/ {print $2}' "$OUT/refresh.txt")
report=$(cat <<TXT

token endpoint benchmark ($(nproc) cores, wrk -t$THREADS -c$CONNECTIONS -d${SECONDS_RUN}s)
                        req/s      p50      p90      p99   non-2xx  auth CPU/req  Redis CPU/req  wrk CPU/req
client_credentials  $(printf '%9s %8s %8s %8s %9s %10sus %12sus %10sus' "$cc" "$(pct "$OUT/client-credentials.txt" 50%)" "$(pct "$OUT/client-credentials.txt" 90%)" "$(pct "$OUT/client-credentials.txt" 99%)" "$(errors "$OUT/client-credentials.txt")" "$(cpu_per "$OUT/client-credentials.txt" "$cc_total")" "$(cpu_per "$OUT/client-credentials.txt" "$cc_total" redis_)" "$(wrk_cpu_per "$OUT/client-credentials.txt" "$cc_total")")
refresh_token       $(printf '%9s %8s %8s %8s %9s %10sus %12sus %10sus' "$rf" "$(pct "$OUT/refresh.txt" 50%)" "$(pct "$OUT/refresh.txt" 90%)" "$(pct "$OUT/refresh.txt" 99%)" "$rf_failed" "$(cpu_per "$OUT/refresh.txt" "$rf_total")" "$(cpu_per "$OUT/refresh.txt" "$rf_total" redis_)" "$(wrk_cpu_per "$OUT/refresh.txt" "$(requests "$OUT/refresh.txt")")")
machine idle during the runs (all cores): client_credentials $(idle "$OUT/client-credentials.txt"), refresh_token $(idle "$OUT/refresh.txt")
auth-service's busiest threads, client_credentials: $(sed -n 's/^auth_threads //p' "$OUT/client-credentials.txt")
                                refresh_token:      $(sed -n 's/^auth_threads //p' "$OUT/refresh.txt")
openssl speed rsa2048 sign/s: $one on one core, $all on $(nproc) cores
ratio client_credentials / RSA signs on all cores: $(awk -v a="$cc" -v b="$all" 'BEGIN {printf "%.2f (bar 0.50, goal 0.60)", a / b}')
ratio refresh / RSA signs on all cores:            $(awk -v a="$rf" -v b="$all" 'BEGIN {printf "%.2f (bar 0.40, goal 0.50)", a / b}')
one RSA signature on one core costs $(awk -v a="$one" 'BEGIN {printf "%.0f", 1e6 / a}')us: the rest of auth CPU/req is HTTP, Redis, JSON and claims
auth-service's own signatures (authsuite_token_signing_seconds): $(signed "$OUT/signing-alone.txt") alone (one connection), $(signed "$OUT/client-credentials.txt") under the client_credentials load (wall time, waits for a core included)
raw output: target/bench/
TXT
)
echo "$report" | tee "$OUT/summary.txt"
