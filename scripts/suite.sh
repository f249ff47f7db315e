#!/usr/bin/env bash
# Runs the suite on this machine: Redis and the three packaged services on 127.0.0.1.
#   suite.sh up              build if needed, start everything in the background, wait until all are ready
#   suite.sh down            stop everything this script started
#   suite.sh run             up, then follow the logs; Ctrl-C stops everything
#   suite.sh dev SERVICE     the others as in `up`, SERVICE in quarkus:dev with hot reload
#   suite.sh status          what runs
#   suite.sh up-only SVC...  start only these services (and Redis), quietly; for the benchmark
#   suite.sh exec-one SVC    Redis in the background, then SVC in the foreground (exec); for the startup benchmark
# SUITE_RUN_DIR moves the state folder (.run) so that a second suite can run beside the first.
# Ports: AUTH_PORT (8080), ORDERS_PORT (8081), INVENTORY_PORT (8082), REDIS_PORT (6389).
# REDIS_URL=redis://host:port uses that Redis instead of starting one (then REDIS_USER and QUARKUS_REDIS_PASSWORD,
# if set, are the services' login there). The Redis started here has the users of redis/users.acl: each service logs
# in as its own, with a password from .run/secrets.env; redis-cli as the operator:
#   redis-cli -p 6389 --user default --pass "$(sed -n 's/^REDIS_ADMIN_PASSWORD=//p' .run/secrets.env)"
# NATIVE=1 runs the native executables (SERVICE/target/SERVICE-*-runner, from `make native`) instead of the jars.
# JAVA_OPTS: more JVM options for the jars, after the memory shape below (so they can override it).
# NATIVE_OPTS: more options for the native executables (say -Xmn16m, -Xmx64m).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib/client-keys.sh
. "$ROOT/scripts/lib/client-keys.sh"
cd "$ROOT"
JAVA_HOME=$("$ROOT/scripts/jdk.sh")
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
RUN="${SUITE_RUN_DIR:-$ROOT/.run}"
SERVICES="auth-service inventory-service orders-service"
AUTH_PORT=${AUTH_PORT:-8080}
ORDERS_PORT=${ORDERS_PORT:-8081}
INVENTORY_PORT=${INVENTORY_PORT:-8082}
REDIS_PORT=${REDIS_PORT:-6389}
REDIS_VERSION=7.0.15
EMBEDDED_REDIS=org.signal:embedded-redis:0.9.1

port_of() {
  case "$1" in
    auth-service) echo "$AUTH_PORT" ;; orders-service) echo "$ORDERS_PORT" ;;
    inventory-service) echo "$INVENTORY_PORT" ;; redis) echo "$REDIS_PORT" ;;
    *) echo "unknown service $1" >&2; exit 2 ;;
  esac
}

log() { printf '%s\n' "$*" >&2; }

pid_running() { # name
  local f="$RUN/pids/$1.pid"
  [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null
}

# The status code of GET http://127.0.0.1:PORT/PATH, or nothing when nothing answers (bash /dev/tcp: no curl needed).
http_status() {
  ( exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3
    read -r _ code _ <&3 && printf '%s' "$code" ) 2>/dev/null || true
}

# Whether the Redis on REDIS_PORT lets the operator (default, REDIS_ADMIN_PASSWORD) in and answers PING.
redis_ping() {
  ( exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT" || exit 1
    printf 'AUTH default %s\r\nPING\r\n' "$REDIS_ADMIN_PASSWORD" >&3
    read -r auth <&3; read -r reply <&3; [ "${auth%$'\r'}" = "+OK" ] && [ "${reply%$'\r'}" = "+PONG" ] ) 2>/dev/null
}

redis_port_open() { ( exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT" ) 2>/dev/null; }

# The jars' memory, as the JVM images (SERVICE/src/main/docker/Dockerfile.jvm) and the dev overlay's 320Mi pods have
# it: Serial GC and a 64 MiB heap (each service's live set after `make bench-orders` is 15-18 MiB), and glibc's freed
# native memory handed back every second (the class loading of the start leaves some 40 MB of it). Left to itself on
# this 24 GB machine the JVM took G1 with a 6 GB heap and held 424 MB (auth-service) to 531 MB (inventory-service)
# after the benchmarks' loads; this shape holds 173-223 MB at the same token and order rates (docs/performance.md).
# The unlock is for JDK 21, where the trim interval is still an experimental option. A collector chosen in JAVA_OPTS
# replaces Serial GC: the JVM refuses to start with two.
# C2 alone (-XX:-TieredCompilation): without C1's profiled code and its recompilations each service holds 10-45 MB
# less, its hot paths settle sooner and run at least as fast; the price is the first seconds after a start, in the
# interpreter longer (docs/performance.md, 2026-12-07). JAVA_OPTS=-XX:+TieredCompilation brings C1 back.
JVM_MEMORY="-Xmx64m -XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=1000 -XX:-TieredCompilation"
jvm_gc="-XX:+UseSerialGC"
collectors=" -XX:+UseSerialGC -XX:+UseParallelGC -XX:+UseG1GC -XX:+UseZGC -XX:+UseShenandoahGC -XX:+UseEpsilonGC "
read -r -a java_opts <<<"${JAVA_OPTS:-}"
for option in ${java_opts[@]+"${java_opts[@]}"}; do
  case "$collectors" in *" $option "*) jvm_gc="" ;; esac
done
JVM_MEMORY="$jvm_gc $JVM_MEMORY"

# The command that runs one service: its native executable with NATIVE=1, else its jar on the JVM.
launcher() {
  if [ "${NATIVE:-0}" = 1 ]; then
    local exe; exe=$(ls "$1"/target/"$1"-*-runner 2>/dev/null | head -1)
    [ -x "$exe" ] || { log "No native executable for $1: run make native first"; exit 1; }
    echo "$exe ${NATIVE_OPTS:-} -Dquarkus.profile=local"
  else
    local app="$ROOT/$1/target/quarkus-app" opts=""
    # The AOT cache of `make build AOT=1` (JDK 25, Project Leyden: classes loaded and linked, method profiles, from a
    # training run). The JVM ignores a cache that does not match this JDK and jar, saying so on stderr.
    [ "$app/app.aot" -nt "$app/quarkus-run.jar" ] && opts="-XX:AOTCache=$app/app.aot"
    # auth-service's build puts ACCP's library beside the jar: loaded from there, nothing is unpacked at start. The
    # JVM's default folders follow it, as the option replaces them.
    [ -d "$app/lib/accp" ] && opts="$opts -Djava.library.path=$app/lib/accp:/usr/java/packages/lib:/usr/lib64:/lib64:/lib:/usr/lib"
    echo "$JAVA $opts $JVM_MEMORY ${JAVA_OPTS:-} -Dquarkus.profile=local -jar $app/quarkus-run.jar"
  fi
}

build_if_needed() {
  [ "${NATIVE:-0}" = 1 ] && return 0
  local stale=""
  for s in $SERVICES; do
    local jar="$s/target/quarkus-app/quarkus-run.jar"
    if [ ! -f "$jar" ] || [ -n "$(find "$s/src" "$s/pom.xml" resource-server/src pom.xml -newer "$jar" -type f 2>/dev/null | head -1)" ]; then
      stale="$stale $s"
    fi
  done
  if [ -n "$stale" ]; then
    log "Building:$stale (./mvnw install -DskipTests)"
    ./mvnw -B -q -DskipTests install
  fi
}

redis_binary() {
  if command -v redis-server >/dev/null 2>&1; then command -v redis-server; return; fi
  local arch
  case "$(uname -m)" in x86_64|amd64) arch=amd64 ;; aarch64|arm64) arch=arm64 ;;
    *) log "No bundled redis-server for $(uname -m): install redis-server or set REDIS_URL"; exit 1 ;; esac
  local bin="$RUN/redis/redis-server-$REDIS_VERSION-linux-$arch"
  if [ ! -x "$bin" ]; then
    log "Extracting redis-server $REDIS_VERSION from $EMBEDDED_REDIS (Maven Central)"
    mkdir -p "$RUN/redis"
    ./mvnw -B -q dependency:copy -Dartifact="$EMBEDDED_REDIS" -DoutputDirectory="$RUN/redis" >/dev/null
    (cd "$RUN/redis" && "$JAVA_HOME/bin/jar" xf embedded-redis-*.jar "redis-server-$REDIS_VERSION-linux-$arch")
    chmod +x "$bin"
  fi
  echo "$bin"
}

# redis/users.acl with this run's passwords, as their SHA-256 (the form scripts/k8s-secrets.sh writes).
write_acl() {
  local out="$RUN/redis/users.acl" name rules var
  mkdir -p "$RUN/redis"
  : >"$out"; chmod 600 "$out"
  while read -r word name rules; do
    [ "$word" = user ] || continue
    var=$(redis_password_var "$name")
    printf 'user %s #%s %s\n' "$name" "$(printf '%s' "${!var}" | sha256sum | cut -d' ' -f1)" "$rules" >>"$out"
  done <redis/users.acl
}

# The secrets.env variable with the password of a Redis user: default -> REDIS_ADMIN_PASSWORD,
# orders-service -> ORDERS_SERVICE_REDIS_PASSWORD.
redis_password_var() {
  if [ "$1" = default ]; then echo REDIS_ADMIN_PASSWORD; else echo "$(echo "$1" | tr 'a-z-' 'A-Z_')_REDIS_PASSWORD"; fi
}

start_redis() {
  if [ -n "${REDIS_URL:-}" ]; then log "Using Redis at $REDIS_URL"; return; fi
  export REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
  MANAGED_REDIS=1
  if pid_running redis; then return; fi
  if redis_ping; then log "Port $REDIS_PORT already answers as this run's Redis: using it"; return; fi
  if redis_port_open; then
    log "Port $REDIS_PORT is taken by another Redis (or another program): stop it or set REDIS_PORT"; exit 1
  fi
  local bin; bin=$(redis_binary)
  write_acl
  "$bin" --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --protected-mode yes \
    --aclfile "$RUN/redis/users.acl" >"$RUN/logs/redis.log" 2>&1 &
  echo $! >"$RUN/pids/redis.pid"
  for _ in $(seq 1 100); do redis_ping && return; sleep 0.1; done
  log "Redis did not start: $RUN/logs/redis.log"; exit 1
}

secrets() {
  local f="$RUN/secrets.env"
  if [ ! -f "$f" ]; then
    log "Generating service client secrets into $f"
    : >"$f"; chmod 600 "$f"
    for client in ORDERS_SERVICE INVENTORY_SERVICE; do
      local secret; secret=$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
      # The stored form of ClientSecrets.hash: sha256:base64url(SHA-256(secret)), so no jar is needed here.
      printf '%s_SECRET=%s\n%s_SECRET_HASH=sha256:%s\n' "$client" "$secret" "$client" \
        "$(printf '%s' "$secret" | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '=\n')" >>"$f"
    done
    # The key-encryption key of auth-service's managed signing keys (sealed in Redis, rotated by the server).
    printf 'AUTH_KEYS_ENCRYPTION_KEY=%s\n' "$(head -c 32 /dev/urandom | base64 | tr -d '\n')" >>"$f"
  fi
  # A password per Redis user (also added to a secrets.env of an older checkout). Hex: safe in any Redis client.
  local name var
  while read -r word name _; do
    [ "$word" = user ] || continue
    var=$(redis_password_var "$name")
    grep -q "^$var=" "$f" || printf '%s=%s\n' "$var" "$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')" >>"$f"
  done <redis/users.acl
  # shellcheck disable=SC1090
  . "$f"
  # The services' own key pairs: they authenticate to auth-service with private_key_jwt (RFC 7523), so neither
  # process holds a shared secret; auth-service gets the public halves as the clients' jwks.
  mkdir -p "$RUN/keys"; chmod 700 "$RUN/keys"
  local client key
  for client in orders-service inventory-service; do
    key="$RUN/keys/$client.pem"
    [ -s "$key" ] || new_client_key "$key" || { log "openssl could not generate the key of $client"; exit 1; }
  done
  ORDERS_SERVICE_JWKS=$(public_jwks "$RUN/keys/orders-service.pem" orders-service) || exit 1
  INVENTORY_SERVICE_JWKS=$(public_jwks "$RUN/keys/inventory-service.pem" inventory-service) || exit 1
}

# The environment one service gets: addresses of the others, and only its own secret.
service_env() {
  local common=(REDIS_URL="$REDIS_URL" AUTH_PORT="$AUTH_PORT" ORDERS_PORT="$ORDERS_PORT" INVENTORY_PORT="$INVENTORY_PORT"
    AUTH_ISSUER="http://127.0.0.1:$AUTH_PORT" AUTH_URL="http://127.0.0.1:$AUTH_PORT"
    AUTH_JWKS_URL="http://127.0.0.1:$AUTH_PORT/oauth2/jwks" INVENTORY_URL="http://127.0.0.1:$INVENTORY_PORT"
    ORDERS_URL="http://127.0.0.1:$ORDERS_PORT" DEMO_ORIGIN="http://127.0.0.1:$AUTH_PORT")
  case "$1" in
    # The service clients are registered with their public keys (private_key_jwt) and, for a person who wants to
    # call auth-service as a service by hand (introspection with curl), with the secrets of secrets.env too.
    auth-service) common+=(ORDERS_SERVICE_SECRET_HASH="$ORDERS_SERVICE_SECRET_HASH"
      INVENTORY_SERVICE_SECRET_HASH="$INVENTORY_SERVICE_SECRET_HASH" AUTH_KEYS_ENCRYPTION_KEY="${AUTH_KEYS_ENCRYPTION_KEY:-}"
      ORDERS_SERVICE_AUTH_METHODS=client_secret_basic,client_secret_post,private_key_jwt
      INVENTORY_SERVICE_AUTH_METHODS=client_secret_basic,client_secret_post,private_key_jwt
      ORDERS_SERVICE_JWKS="$ORDERS_SERVICE_JWKS" INVENTORY_SERVICE_JWKS="$INVENTORY_SERVICE_JWKS") ;;
    orders-service) common+=(SERVICE_CLIENT_KEY_FILE="$RUN/keys/orders-service.pem") ;;
    inventory-service) common+=(SERVICE_CLIENT_KEY_FILE="$RUN/keys/inventory-service.pem") ;;
  esac
  # Each service logs in to the Redis started here as its own user, confined to its keys (redis/users.acl).
  if [ "${MANAGED_REDIS:-0}" = 1 ]; then
    local var; var=$(redis_password_var "$1")
    common+=(REDIS_USER="$1" QUARKUS_REDIS_PASSWORD="${!var}")
  fi
  printf '%s\n' "${common[@]}"
}

start_service() {
  local name=$1 port; port=$(port_of "$1")
  if pid_running "$name"; then log "$name already running"; return; fi
  if [ -n "$(http_status "$port" /q/health/ready)" ]; then
    log "Port $port is taken by another process: stop it or set $(echo "${name%-service}" | tr a-z A-Z)_PORT"; exit 1
  fi
  mapfile -t env_vars < <(service_env "$name")
  local cmd; cmd=$(launcher "$name")
  # shellcheck disable=SC2086 # the launcher is a command with its arguments
  env "${env_vars[@]}" $cmd >"$RUN/logs/$name.log" 2>&1 &
  echo $! >"$RUN/pids/$name.pid"
}

await_ready() {
  local name=$1 port; port=$(port_of "$1")
  for _ in $(seq 1 300); do
    [ "$(http_status "$port" /q/health/ready)" = "200" ] && { log "  $name ready on http://127.0.0.1:$port"; return; }
    if [ -f "$RUN/pids/$name.pid" ] && ! pid_running "$name"; then
      log "$name exited; last lines of $RUN/logs/$name.log:"; tail -n 30 "$RUN/logs/$name.log" >&2; return 1
    fi
    sleep 0.3
  done
  log "$name not ready after 90 s: $RUN/logs/$name.log"; return 1
}

up() { # services to start (default: all)
  local wanted=${*:-$SERVICES}
  mkdir -p "$RUN/pids" "$RUN/logs"
  build_if_needed
  secrets
  start_redis
  for s in $wanted; do start_service "$s"; done
  for s in $wanted; do await_ready "$s" || { down; exit 1; }; done
}

stop_pid() {
  local f="$RUN/pids/$1.pid" pid
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
    log "Stopped $1"
  fi
  rm -f "$f"
}

down() {
  for s in orders-service inventory-service auth-service redis; do stop_pid "$s"; done
}

status() {
  for s in $SERVICES redis; do
    if pid_running "$s"; then echo "$s: running (pid $(cat "$RUN/pids/$s.pid"))"; else echo "$s: stopped"; fi
  done
}

walkthrough() {
  cat <<TXT

The suite is up: auth-service http://127.0.0.1:$AUTH_PORT, orders-service http://127.0.0.1:$ORDERS_PORT,
inventory-service http://127.0.0.1:$INVENTORY_PORT, Redis $REDIS_URL. Logs: ${RUN#"$ROOT"/}/logs/.
Metrics (Prometheus text): http://127.0.0.1:$AUTH_PORT/q/metrics, http://127.0.0.1:$ORDERS_PORT/q/metrics,
http://127.0.0.1:$INVENTORY_PORT/q/metrics (authsuite_* are the suite's own; README "Logs and metrics"). Audit
events: GET http://127.0.0.1:$AUTH_PORT/admin/events with an admin token of scope audit:read. Try:

  TOKEN=\$(curl -s -u demo-cli:demo-cli-secret -d grant_type=client_credentials \\
      http://127.0.0.1:$AUTH_PORT/oauth2/token | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
  curl -s -H "Authorization: Bearer \$TOKEN" http://127.0.0.1:$INVENTORY_PORT/inventory/items/BOOK-001
  curl -s -H "Authorization: Bearer \$TOKEN" -H 'Content-Type: application/json' \\
      -d '{"lines":[{"sku":"BOOK-001","quantity":2}]}' http://127.0.0.1:$ORDERS_PORT/orders
  curl -s -H "Authorization: Bearer \$TOKEN" http://127.0.0.1:$INVENTORY_PORT/inventory/items/BOOK-001

TXT
}

cmd=${1:-}
case "$cmd" in
  up) up; walkthrough; log "Stop with: make down" ;;
  up-only) shift; up "$@" ;;
  exec-one)
    service=${2:?usage: suite.sh exec-one SERVICE}
    mkdir -p "$RUN/pids" "$RUN/logs"
    build_if_needed; secrets; start_redis
    mapfile -t env_vars < <(service_env "$service")
    cmd=$(launcher "$service")
    # The moment of exec, for a start-to-ready figure that leaves out this script.
    date +%s%N >"$RUN/exec-$service.ns"
    # shellcheck disable=SC2086
    exec env "${env_vars[@]}" $cmd
    ;;
  down) down ;;
  status) status ;;
  run)
    trap 'trap - INT TERM EXIT; echo; down' INT TERM EXIT
    up; walkthrough; log "Following the logs; Ctrl-C stops everything."
    tail -n 0 -F "$RUN"/logs/*.log &
    wait
    ;;
  dev)
    service=${2:-}
    case " $SERVICES " in *" $service "*) ;; *) log "usage: suite.sh dev <auth-service|orders-service|inventory-service>"; exit 2 ;; esac
    others=""; for s in $SERVICES; do [ "$s" = "$service" ] || others="$others $s"; done
    trap 'trap - INT TERM EXIT; echo; down' INT TERM EXIT
    up $others
    mapfile -t env_vars < <(service_env "$service")
    log "Starting $service in quarkus:dev (hot reload; press q or Ctrl-C to stop everything)"
    env "${env_vars[@]}" ./mvnw -B -pl "$service" quarkus:dev
    ;;
  *) log "usage: suite.sh up|down|run|dev SERVICE|status"; exit 2 ;;
esac
