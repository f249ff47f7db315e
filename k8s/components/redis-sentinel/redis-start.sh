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
  if [ "$primary" != "$self" ]; then
    echo "replicaof $primary 6379"
  fi
} >/tmp/redis.conf
exec redis-server /tmp/redis.conf
