#!/bin/sh
# Starts one Sentinel (k8s/components/redis-sentinel). Sentinel keeps what it learns (the current primary, the
# epoch, the other Sentinels) by rewriting its configuration file on its volume: a restarted Sentinel keeps that and
# gets only its passwords refreshed. On its first start, the primary to monitor is the one the other Sentinels name
# (after a failover it is no longer redis-0), else redis-0.
set -eu
self="$(hostname).redis-sentinel"
skip="$(hostname)"
umask 077
if [ -s /data/sentinel.conf ]; then
  grep -v -e '^sentinel auth-pass ' -e '^sentinel sentinel-pass ' /data/sentinel.conf >/tmp/sentinel.conf
  printf 'sentinel auth-pass authsuite %s\nsentinel sentinel-pass %s\n' "$REDISCLI_AUTH" "$REDISCLI_AUTH" \
    >>/tmp/sentinel.conf
  cat /tmp/sentinel.conf >/data/sentinel.conf
  rm -f /tmp/sentinel.conf
  exec redis-server /data/sentinel.conf --sentinel
fi
# Asked only on a first start: a restart keeps what its configuration file learnt, and needs no other Sentinel.
. /scripts/current-primary.sh
cat >/data/sentinel.conf <<CONF
port 26379
dir /data
# The servers and Sentinels are known by their stable DNS names (pod IPs change on every restart).
sentinel resolve-hostnames yes
sentinel announce-hostnames yes
sentinel announce-ip $self
# The services log in with their own users, allowed only to ask where the primary is (redis/sentinel-users.acl).
aclfile /etc/sentinel-users/users.acl
sentinel monitor authsuite $primary 6379 2
sentinel auth-user authsuite default
sentinel auth-pass authsuite $REDISCLI_AUTH
sentinel sentinel-user default
sentinel sentinel-pass $REDISCLI_AUTH
# A primary that answers nothing for 5 s is failed over; one replica resyncs at a time.
sentinel down-after-milliseconds authsuite 5000
sentinel failover-timeout authsuite 60000
sentinel parallel-syncs authsuite 1
CONF
exec redis-server /data/sentinel.conf --sentinel
