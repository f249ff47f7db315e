# Helpers of the benchmark scripts (sourced).

need() { command -v "$1" >/dev/null 2>&1; }

# The load every benchmark drives: BENCH_SECONDS (20), BENCH_CONNECTIONS (32), BENCH_THREADS (2).
SECONDS_RUN=${BENCH_SECONDS:-20}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-2}
# The benchmark clients must not meet the per-client rate limit they measure past.
export AUTH_LIMITS_TOKEN_REQUESTS_PER_MINUTE=1000000000

# A pause that starts no process: a read with a timeout on a pipe nobody writes to. `sleep` forks and execs
# /usr/bin/sleep, which costs this VM about 4 ms of CPU: a loop of `sleep 0.005` probing a starting service took 44%
# of a core (1.29 s of CPU in 2.9 s), taken from the start it was timing.
exec {NAP_FD}<> <(:)
nap() { read -r -t "$1" -u "$NAP_FD" _ || true; }

# CPU time of a process so far (user + system, in clock ticks), and the ticks in a second.
TICK=$(getconf CLK_TCK)
# The fields are counted after the name's closing parenthesis: a name may hold spaces ("C2 CompilerThre").
cpu_ticks() { # pid, or pid/task/tid
  local stat f; stat=$(<"/proc/$1/stat"); read -r -a f <<<"${stat##*) }"; echo $(( f[11] + f[12] ))
}
# Each thread of a process with its CPU time so far: "tid name ticks" per line (the name as the kernel keeps it, 15
# characters, so the thread id tells two event loops apart).
thread_ticks() {
  local t name
  for t in /proc/"$1"/task/*; do
    read -r name <"$t/comm"
    printf '%s %s %s\n' "${t##*/}" "${name// /_}" "$(cpu_ticks "$1/task/${t##*/}")"
  done 2>/dev/null
}
# The threads that took the most CPU between two thread_ticks snapshots, as name/tid=seconds: whether a load kept every
# event loop busy, or left the machine idle behind one thread.
busiest_threads() { # before after [how many, 4]
  awk 'NR == FNR {b[$1] = $3; next} {d = $3 - b[$1]; if (d >= 5) print d, $2 "/" $1}' <(echo "$1") <(echo "$2") |
    sort -rn | head -"${3:-4}" | awk -v t="$TICK" '{printf "%s%s=%.1fs", (NR > 1 ? " " : ""), $2, $1 / t}'
}
# Resident memory of a process, in MB.
rss_mb() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
# The same, split into pages of files (for a native executable, mostly its own code and image heap) and anonymous
# memory (the Java heap, stacks, malloc): only the second grows with the load. The peak (VmHWM) is what a pod's memory
# limit must hold: a heap that hands free memory back (say, a native -XX:MaxHeapFree) lowers the reading, not the peak.
rss_split() {
  awk '/^VmRSS/ {t = $2} /^RssFile/ {f = $2} /^RssAnon/ {a = $2} /^VmHWM/ {p = $2}
    END {printf "%.0f MB (files %.0f, anonymous %.0f; peak %.0f)", t / 1024, f / 1024, a / 1024, p / 1024}' "/proc/$1/status"
}
# The machine's CPU counters (the all-cores line of /proc/stat); machine_shares prints the idle and steal shares between
# two of them. A load that leaves cores idle is bound by latency (or one busy thread), not by CPU.
machine_stat() { head -1 /proc/stat; }
machine_shares() { # before after
  echo "$1" "$2" | awk '{for (i = 2; i <= 11; i++) {b += $i; a += $(i + 11)}
    printf "machine_idle %.3f\nmachine_steal %.3f\n", ($(16) + $(17) - $5 - $6) / (a - b), ($(20) - $9) / (a - b)}'
}
idle() { awk '/^machine_idle/ {printf "%.0f%%", $2 * 100}' "$1"; }
# Commands to the bench's Redis as its operator (the password suite.sh generated in $SUITE_RUN_DIR); prints the replies.
redis_admin() {
  local password; password=$(sed -n 's/^REDIS_ADMIN_PASSWORD=//p' "$SUITE_RUN_DIR/secrets.env")
  ( exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT"
    printf 'AUTH default %s\r\n%s\r\nQUIT\r\n' "$password" "$1" >&3
    tr -d '\r' <&3 ) 2>/dev/null
}

# wrk, curl and openssl; wrk is installed from Debian's packages when running as root.
need_bench_tools() {
  if ! need wrk; then
    if [ "$(id -u)" = 0 ] && need apt-get; then
      echo "Installing wrk (Debian package)"; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
    else
      echo "wrk is missing: sudo apt-get install wrk" >&2; exit 1
    fi
  fi
  need openssl || { echo "openssl is missing" >&2; exit 1; }
  need curl || { echo "curl is missing" >&2; exit 1; }
}

# A string field of the JSON object on stdin (flat objects only: enough for token responses and items).
json_field() {
  sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p" | head -1
}

BENCH_VERIFIER=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk
BENCH_CHALLENGE=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM
BENCH_REDIRECT=http://127.0.0.1:9999/callback

# The authorization request of client web-app for a scope (PKCE S256 with the fixed verifier above).
authorize_url() { # auth-url scope
  local scope=${2// /%20}
  echo "$1/oauth2/authorize?response_type=code&client_id=web-app&redirect_uri=${BENCH_REDIRECT//:/%3A}&scope=${scope//:/%3A}&code_challenge=$BENCH_CHALLENGE&code_challenge_method=S256"
}

# Signs a person in through the login form, keeping the session in the cookie jar $1.
sign_in_session() { # jar auth-url username password scope
  local login page csrf request
  login=$(curl -s -o /dev/null -w '%{redirect_url}' -c "$1" -b "$1" "$(authorize_url "$2" "$5")")
  page=$(curl -s -c "$1" -b "$1" "$login")
  csrf=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' <<<"$page" | head -1)
  request=$(sed -n 's/.*name="request" value="\([^"]*\)".*/\1/p' <<<"$page" | head -1)
  curl -s -o /dev/null -c "$1" -b "$1" --data-urlencode "request=$request" --data-urlencode "username=$3" \
    --data-urlencode "password=$4" --data-urlencode "csrf=$csrf" "$2/login"
}

# One more authorization code from the signed-in session in jar $1, exchanged; prints the token response.
code_tokens() { # jar auth-url scope
  local code
  code=$(curl -s -o /dev/null -w '%{redirect_url}' -b "$1" "$(authorize_url "$2" "$3")" | sed -n 's/.*[?&]code=\([^&]*\).*/\1/p')
  curl -s "$2/oauth2/token" -d grant_type=authorization_code -d client_id=web-app -d "code=$code" \
    -d "redirect_uri=$BENCH_REDIRECT" -d "code_verifier=$BENCH_VERIFIER"
}

# Signs in and prints the token response.
sign_in() { # auth-url username password scope
  local jar
  jar=$(mktemp)
  sign_in_session "$jar" "$1" "$2" "$3" "$4"
  code_tokens "$jar" "$1" "$4"
  rm -f "$jar"
}

# Figures from a wrk report.
rps() { sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$1"; }
# How many requests wrk completed in a run.
requests() { awk '/requests in/ {print $1}' "$1"; }
pct() { awk -v p="$2" '$1==p {print $2}' "$1"; }
errors() { local n; n=$(sed -n 's/.*Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$1"); echo "${n:-0}"; }
