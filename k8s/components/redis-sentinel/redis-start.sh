#!/bin/sh
# Starts one Redis server of the Sentinel topology (k8s/components/redis-sentinel). Its role comes from the
# Sentinels when they know a primary (a restarted pod rejoins as a replica of the current one); on the very first
# start nobody knows one yet, and redis-0 is the primary. The replication password goes into a file in the
# in-memory /tmp, not on the command line, where `ps` would show it.
set -eu
self="$(hostname).redis-headless"
. /scripts/current-primary.sh
umask 077
{
  echo "include /etc/redis/redis.conf"
  # Others (the Sentinels, the services, the replicas) reach this server by its stable name, not its pod IP.
  echo "replica-announce-ip $self"
  echo "masteruser default"
  echo "masterauth $REDISCLI_AUTH"
  # As the base's command line does: 70% of the container's memory limit (REDIS_MEMORY_LIMIT, the Downward API).
  echo "maxmemory $((REDIS_MEMORY_LIMIT / 10 * 7))"
  # A primary cut off from every replica (a partition, or a frozen node the Sentinels replaced) stops taking writes
  # after 10 s instead of accepting ones the promoted replica never sees; the services answer NOREPLICAS with 503.
  echo "min-replicas-to-write 1"
  echo "min-replicas-max-lag 10"
  if [ "$primary" != "$self" ]; then
    echo "replicaof $primary 6379"
  fi
} >/tmp/redis.conf
exec redis-server /tmp/redis.conf
