#!/bin/sh
# Sourced by redis-start.sh and sentinel-start.sh: sets $primary to the server the Sentinels name as the primary of
# "authsuite" (skipping the Sentinel $skip, the caller itself), or to redis-0 when none answers (the very first start).
primary=""
for i in 0 1 2; do
  [ "redis-sentinel-$i" = "${skip:-}" ] && continue
  # Bounded: a Sentinel on a lost node stays in DNS (the Service publishes not-ready addresses), and a connect to
  # it would hang for minutes, past the caller's startup probe.
  primary=$(timeout 3 redis-cli -h "redis-sentinel-$i.redis-sentinel" -p 26379 --raw \
    SENTINEL get-master-addr-by-name authsuite 2>/dev/null | head -n 1) || primary=""
  [ -n "$primary" ] && break
done
if [ -z "$primary" ]; then
  primary="redis-0.redis-headless"
fi
