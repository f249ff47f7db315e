#!/bin/sh
# preStop of a Redis server of the Sentinel topology (k8s/components/redis-sentinel). When this server is the
# primary, it hands the role to a replica before it stops (a rollout, a drain), instead of leaving the Sentinels to
# find it gone (down-after-milliseconds, 5 s) while every write is refused meanwhile.
# SENTINEL FAILOVER alone promotes a replica as if this server were unreachable: the writes this server took until
# it learnt of the promotion would be lost, acknowledged ones included. So writes are paused here first, the failover
# is asked only once every replica holds all this server took, and writes are never let through here again while a
# failover may be under way: this server follows the promoted replica first (held writes then fail with READONLY:
# not run, so the services answer 503 with Retry-After), then drops its clients so that they ask the Sentinels again,
# as Sentinel does when it reconfigures a server.
# Bounded to 35 s of the pod's 60 s grace. A hand-over that cannot be done exits 1 (the kubelet records a
# FailedPreStopHook event) and leaves the Sentinels' usual failover to act.
# RedisHandOverIT runs this script against servers and Sentinels on loopback (SELF, LOCAL, SENTINELS and LOG set).
set -u
self="${SELF:-$(hostname).redis-headless:6379}"
local="${LOCAL:-127.0.0.1:6379}"
sentinels="${SENTINELS:-redis-sentinel-0.redis-sentinel:26379 redis-sentinel-1.redis-sentinel:26379 redis-sentinel-2.redis-sentinel:26379}"
# The kubelet keeps a hook's output only when it fails: the container's own output is where an operator looks.
out="${LOG:-/proc/1/fd/1}"
deadline=$(($(date +%s) + 35))

log() {
  echo "redis-prestop: $*" >>"$out"
}

# This server, as the operator (REDISCLI_AUTH); an error reply is a failure (-e).
server() {
  timeout 3 redis-cli -e -h "${local%:*}" -p "${local##*:}" "$@"
}

# The first Sentinel that answers, and which one it was ($asked).
sentinel() {
  for s in $sentinels; do
    if reply=$(timeout 3 redis-cli -e -h "${s%:*}" -p "${s##*:}" --raw "$@" 2>/dev/null) && [ -n "$reply" ]; then
      asked="$s"
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

left_to_sentinels() {
  log "$* : left to the Sentinels' failover"
  exit 1
}

current=$(primary) || left_to_sentinels "no Sentinel answers"
[ "$current" = "$self" ] || exit 0

# The replication stream's own PING (every 10 s) would move this server's offset past the promoted replica's, and the
# other replica could then only follow the new primary through a full resync. The server stops after this anyway.
period=$(server --raw CONFIG GET repl-ping-replica-period | sed -n 2p)
server CONFIG SET repl-ping-replica-period 3600 >/dev/null || left_to_sentinels "could not set the ping period"
# Longer than the grace period: once a failover may be under way, nothing here lets writes through again.
if ! server CLIENT PAUSE 70000 WRITE >/dev/null; then
  server CONFIG SET repl-ping-replica-period "${period:-10}" >/dev/null
  left_to_sentinels "could not pause writes"
fi

# Every replica this server lists must be online and at its offset (replicas report theirs every second). Any of them
# may be the one promoted: Sentinel chooses by the offsets it last read, which may be seconds old. At most 3 s: a
# paused server answers the Sentinels late (their PUBLISH waits), and well before down-after-milliseconds the pause
# must either be lifted or lead to the failover asked for.
in_sync=""
until_sync=$(($(date +%s) + 3))
while [ "$(date +%s)" -lt "$until_sync" ]; do
  info=$(server INFO replication | tr -d '\r')
  offset=$(echo "$info" | sed -n 's/^master_repl_offset://p')
  replicas=$(echo "$info" | grep -c '^slave[0-9]*:')
  synced=$(echo "$info" | grep '^slave[0-9]*:' | grep -c "state=online,offset=$offset,")
  if [ -n "$offset" ] && [ "$replicas" -gt 0 ] && [ "$synced" -eq "$replicas" ]; then
    in_sync=yes
    break
  fi
  sleep 0.2
done
if [ -z "$in_sync" ]; then
  server CLIENT UNPAUSE >/dev/null
  server CONFIG SET repl-ping-replica-period "${period:-10}" >/dev/null
  left_to_sentinels "replicas not in sync within 3 s"
fi

# Asked of one Sentinel only: a second one would start a failover of its own. Another answer than OK (INPROG: the
# Sentinels already fail it over) still ends in a promotion, waited for below.
answer=$(sentinel SENTINEL FAILOVER authsuite) || answer="no Sentinel answers"
[ "$answer" = "OK" ] || log "SENTINEL FAILOVER at $asked answered: $answer"

promoted=""
while [ "$(date +%s)" -lt "$deadline" ]; do
  promoted=$(primary) && [ -n "$promoted" ] && [ "$promoted" != "$self" ] && break
  promoted=""
  sleep 0.2
done
# Writes stay paused: a failover may still complete, and a write taken here then would be lost.
[ -n "$promoted" ] || left_to_sentinels "no new primary named within the grace period"

server REPLICAOF "${promoted%:*}" "${promoted##*:}" >/dev/null \
  || left_to_sentinels "could not follow $promoted (writes stay paused)"
server CLIENT UNPAUSE >/dev/null
server CLIENT KILL TYPE normal >/dev/null
log "primary role handed to $promoted"
