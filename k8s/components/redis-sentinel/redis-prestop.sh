#!/bin/sh
# preStop of a Redis server of the Sentinel topology (k8s/components/redis-sentinel). When this server is the
# primary, it hands the role to a replica before it stops (a rollout, a drain), instead of leaving the Sentinels to
# find it gone (down-after-milliseconds, 5 s) while every write is refused meanwhile.
# SENTINEL FAILOVER alone promotes a replica as if this server were unreachable: the writes this server took until
# it learnt of the promotion would be lost, acknowledged ones included. So writes are paused here first, the failover
# is asked only once every replica holds all this server took, and this server then follows the new primary and
# drops its clients, which ask the Sentinels again (as Sentinel does when it reconfigures a server).
# Bounded to about 35 s of the pod's 60 s grace; whatever fails leaves the Sentinels' usual failover to act.
# RedisHandOverIT runs this script against servers and Sentinels on loopback (SELF, LOCAL and SENTINELS set).
set -u
self="${SELF:-$(hostname).redis-headless:6379}"
local="${LOCAL:-127.0.0.1:6379}"
sentinels="${SENTINELS:-redis-sentinel-0.redis-sentinel:26379 redis-sentinel-1.redis-sentinel:26379 redis-sentinel-2.redis-sentinel:26379}"

log() {
  echo "redis-prestop: $*"
}

# This server, as the operator (REDISCLI_AUTH).
server() {
  timeout 3 redis-cli -h "${local%:*}" -p "${local##*:}" "$@"
}

# The first Sentinel that answers.
sentinel() {
  for s in $sentinels; do
    if reply=$(timeout 3 redis-cli -h "${s%:*}" -p "${s##*:}" --raw "$@" 2>/dev/null) && [ -n "$reply" ]; then
      echo "$reply"
      return 0
    fi
  done
  return 1
}

# The primary the Sentinels name, as host:port.
primary() {
  address=$(sentinel SENTINEL get-master-addr-by-name authsuite) || return 1
  echo "$address" | paste -sd: -
}

current=$(primary) || { log "no Sentinel answers: nothing handed over"; exit 0; }
[ "$current" = "$self" ] || exit 0

# Longer than this script waits below: the pause never ends while the hand-over may still be under way.
server CLIENT PAUSE 40000 WRITE >/dev/null || { log "could not pause writes: left to the Sentinels"; exit 0; }

# Every replica this server lists must be online and at its offset (replicas report theirs every second). Any of them
# may be the one promoted: Sentinel chooses by the offsets it last read, which may be seconds old.
in_sync=""
tries=0
while [ $tries -lt 50 ]; do
  info=$(server INFO replication | tr -d '\r')
  offset=$(echo "$info" | sed -n 's/^master_repl_offset://p')
  replicas=$(echo "$info" | grep -c '^slave[0-9]*:')
  synced=$(echo "$info" | grep '^slave[0-9]*:' | grep -c "state=online,offset=$offset,")
  if [ -n "$offset" ] && [ "$replicas" -gt 0 ] && [ "$synced" -eq "$replicas" ]; then
    in_sync=yes
    break
  fi
  sleep 0.2
  tries=$((tries + 1))
done
if [ -z "$in_sync" ]; then
  server CLIENT UNPAUSE >/dev/null
  log "replicas not in sync after 10 s: left to the Sentinels"
  exit 0
fi

if [ "$(sentinel SENTINEL FAILOVER authsuite)" != "OK" ]; then
  server CLIENT UNPAUSE >/dev/null
  log "no Sentinel started the failover: left to the Sentinels"
  exit 0
fi

# Until the Sentinels name the promoted replica (at most 20 s). Writes stay paused if they never do: the failover
# may still complete, and a write taken here then would be lost; the server stops right after this script anyway.
promoted=""
tries=0
while [ $tries -lt 100 ]; do
  promoted=$(primary) && [ "$promoted" != "$self" ] && break
  promoted=""
  sleep 0.2
  tries=$((tries + 1))
done
[ -n "$promoted" ] || { log "the Sentinels named no new primary in 20 s"; exit 0; }

server REPLICAOF "${promoted%:*}" "${promoted##*:}" >/dev/null
server CLIENT KILL TYPE normal >/dev/null
server CLIENT UNPAUSE >/dev/null
log "primary role handed to $promoted"
