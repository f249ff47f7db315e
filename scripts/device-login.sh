#!/usr/bin/env bash
# Signs in on a device without a browser (RFC 8628 device authorization grant), as the public client demo-device:
# prints a code and a URL to open on any other device, polls the token endpoint as RFC 8628 §3.5 says
# (authorization_pending: wait; slow_down: wait 5 s longer), and prints the token response.
#   scripts/device-login.sh [ISSUER] [SCOPE]
set -euo pipefail
ISSUER=${1:-http://127.0.0.1:${AUTH_PORT:-8080}}
SCOPE=${2:-openid profile orders:read orders:write}
CLIENT=${DEVICE_CLIENT_ID:-demo-device}
field() { sed -n "s/.*\"$1\":\"\\{0,1\\}\\([^\",}]*\\).*/\\1/p" <<<"$2"; }

start=$(curl -s "$ISSUER/oauth2/device_authorization" -d "client_id=$CLIENT" --data-urlencode "scope=$SCOPE")
device_code=$(field device_code "$start")
[ -n "$device_code" ] || { echo "device authorization failed: $start" >&2; exit 1; }
interval=$(field interval "$start")
expires=$(field expires_in "$start")
echo "Open $(field verification_uri "$start") and enter the code $(field user_code "$start")"
echo "(or open $(field verification_uri_complete "$start"))"

deadline=$(( $(date +%s) + expires ))
while [ "$(date +%s)" -lt "$deadline" ]; do
  sleep "$interval"
  response=$(curl -s "$ISSUER/oauth2/token" -d "grant_type=urn:ietf:params:oauth:grant-type:device_code" \
    -d "client_id=$CLIENT" -d "device_code=$device_code")
  case "$(field error "$response")" in
    authorization_pending) ;;
    slow_down) interval=$((interval + 5)) ;;
    "") echo "$response"; exit 0 ;;
    *) echo "refused: $response" >&2; exit 1 ;;
  esac
done
echo "the code expired" >&2
exit 1
