#!/usr/bin/env bash
# Generates the Kubernetes Secrets of the suite into git-ignored files, as a kustomize Component that the overlay
# includes (k8s/overlays/OVERLAY/secrets/: the pattern k8s/**/secrets/ is in .gitignore).
#
#   k8s-secrets.sh [--dir DIR] OVERLAY [COMMAND [ARGS]]
#
#   OVERLAY   dev or prod: writes k8s/overlays/OVERLAY/secrets/ unless --dir names another folder
#   --dir DIR write there instead (the validation renders copies of the overlays with throwaway secrets)
#
# Commands:
#   init                 (default) create whatever is missing: a signing key, the Redis passwords (the operator's
#                        and one per service user), the secrets of the orders-service and inventory-service
#                        clients. Never replaces what exists.
#   add-key              add a new signing key, published in the JWKS but not yet signing; prints its name
#   activate NAME        sign with key NAME (a file signing-keys/NAME.pem)
#   remove-key NAME      stop publishing key NAME (not the active one) and delete its file
#   revoke-key NAME      a leaked key: remove-key, and every token it signed is refused at once everywhere (its kid
#                        goes into AUTH_KEYS_REVOKED, which auth-service puts on the revocation feed at start)
#   add-client ID SCOPES [GRANT_TYPES]
#                        register a confidential client (SCOPES and GRANT_TYPES comma-separated; grant types
#                        default to client_credentials); prints its secret, also kept in clients/ID.secret
#   remove-client ID     delete a client registered with add-client
#   external             write an empty Component: the Secrets are created by hand with kubectl (k8s/README.md)
#   show                 list the keys and clients
#
# After any command: `kubectl apply -k k8s/overlays/OVERLAY`. Secret names carry a hash of their content, so a
# change rolls out the pods that use it. Needs bash, openssl and coreutils.
#
# The files, all mode 600:
#   signing-keys/NAME.pem     PKCS#8 PEM RSA 2048 keys        -> Secret auth-signing-keys (mounted by auth-service)
#   active-key                the name of the signing key      -> AUTH_KEYS_ACTIVE in ConfigMap auth-service-config
#   clients.properties        auth.clients.<id>.* (hashes,     -> Secret auth-clients, key application.properties
#                             public keys)
#   orders-service-key.pem    orders-service's private key     -> Secret orders-service-client, key key.pem
#                             (private_key_jwt, RFC 7523)
#   inventory-service-key.pem inventory-service's private key  -> Secret inventory-service-client, key key.pem
#   redis-password            the Redis operator's password    -> Secret redis-auth, key password (redis-cli, probes)
#   redis-users/SVC.password  SVC's own Redis user's password  -> Secret SVC-redis, key password (the service)
#   redis-users.acl           redis/users.acl with the SHA-256 -> Secret redis-users, key users.acl (Redis aclfile)
#   redis-sentinel-users.acl  redis/sentinel-users.acl, same   -> Secret redis-sentinel-users (the Sentinels' aclfile)
#                             of each password
#   clients/ID.secret         secrets of clients from add-client (for you to hand over; not sent to the cluster)
#   kustomization.yaml        the Component (written from the files above by every command)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib/client-keys.sh
. "$ROOT/scripts/lib/client-keys.sh"
umask 077

die() { printf 'k8s-secrets: %s\n' "$*" >&2; exit 1; }
log() { printf '%s\n' "$*" >&2; }
usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2; exit 2; }

DIR=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) [ $# -ge 2 ] || usage; DIR=$2; shift 2 ;;
    --dir=*) DIR=${1#--dir=}; shift ;;
    -h|--help) usage ;;
    --) shift; break ;;
    -*) die "unknown option $1" ;;
    *) break ;;
  esac
done
[ $# -ge 1 ] || usage
OVERLAY=$1; shift
case "$OVERLAY" in dev|prod) ;; *) die "unknown overlay '$OVERLAY' (dev or prod)" ;; esac
DIR=${DIR:-$ROOT/k8s/overlays/$OVERLAY/secrets}
CMD=${1:-init}; [ $# -gt 0 ] && shift

command -v openssl >/dev/null || die "openssl is needed (Debian: apt-get install openssl)"

# 256 random bits, base64url without padding (43 characters).
random_secret() { head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'; }

# The stored form of a client secret: sha256: + base64url, without padding, of its SHA-256 digest
# (as io.authsuite.auth.clients.ClientSecrets.hash).
secret_hash() { printf 'sha256:%s' "$(printf '%s' "$1" | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '=\n')"; }

valid_name() { [[ $1 =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]]; }

# The Redis users of the suite, their rules without passwords (one `user NAME RULES` line each).
ACL_RULES="$ROOT/redis/users.acl"
redis_users() { sed -n 's/^user \([^ ]*\) .*/\1/p' "$ACL_RULES"; }
service_redis_users() { redis_users | grep -v -x default; }

# Where a Redis user's password is: the operator (default) keeps the historical redis-password file.
redis_password_file() { if [ "$1" = default ]; then echo "$DIR/redis-password"; else echo "$DIR/redis-users/$1.password"; fi; }

# An ACL rules file (redis/users.acl, redis/sentinel-users.acl) with `#<sha256 of the password>` after each name:
# Redis keeps only the hash. The Sentinels' users are the servers' users, with the same passwords.
write_acl() { # rules-file output-file
  local name rules file out="$2"
  : >"$out"
  while read -r word name rules; do
    [ "$word" = user ] || continue
    file=$(redis_password_file "$name")
    [ -s "$file" ] || die "no password for Redis user $name in $file (run init)"
    printf 'user %s #%s %s\n' "$name" "$(openssl dgst -sha256 -r <"$file" | cut -d' ' -f1)" "$rules" >>"$out"
  done <"$1"
}

new_key() { # prints the new key's name
  local name n=0
  name="key-$(date -u +%Y%m%d-%H%M%S)"
  while [ -e "$DIR/signing-keys/$name.pem" ]; do n=$((n + 1)); name="key-$(date -u +%Y%m%d-%H%M%S)-$n"; done
  mkdir -p "$DIR/signing-keys"
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$DIR/signing-keys/$name.pem" 2>/dev/null \
    || die "openssl could not generate an RSA key"
  grep -q -- '-----BEGIN PRIVATE KEY-----' "$DIR/signing-keys/$name.pem" || die "openssl did not write PKCS#8"
  printf '%s' "$name"
}

key_names() { # one name a line, sorted
  local f
  for f in "$DIR"/signing-keys/*.pem; do [ -e "$f" ] && basename "$f" .pem; done | sort
}

active_key() { [ -s "$DIR/active-key" ] && cat "$DIR/active-key"; }

# Replaces every auth.clients.ID.* line of clients.properties with the given properties (none: unregisters).
set_registration() { # id property=value...
  local props="$DIR/clients.properties" tmp id=$1 kv
  shift
  tmp=$(mktemp "$DIR/.clients.XXXXXX")
  grep -v -F "auth.clients.$id." "$props" >"$tmp" || true
  for kv in "$@"; do printf 'auth.clients.%s.%s\n' "$id" "$kv"; done >>"$tmp"
  mv "$tmp" "$props"
}

register_client() { # id secret scopes grant-types
  set_registration "$1" "secret-hash=$(secret_hash "$2")" "grant-types=$4" "scopes=$3"
}

# A service client that authenticates with private_key_jwt (RFC 7523 §2.2): auth-service holds its public key only.
register_key_client() { # id jwks scopes grant-types [more property=value...]
  local id=$1 jwks=$2 scopes=$3 grants=$4
  shift 4
  set_registration "$id" auth-methods=private_key_jwt "jwks=$jwks" "grant-types=$grants" "scopes=$scopes" "$@"
}

unregister_client() { # id
  set_registration "$1"
}

# A secretGenerator entry up to its files; the labels find the Secrets that older versions left behind.
secret_head() {
  printf '  - name: %s\n    options:\n      labels:\n        app.kubernetes.io/part-of: authsuite\n' "$1"
  printf '        authsuite/secret: %s\n    files:\n' "$1"
}

write_component() {
  local out="$DIR/kustomization.yaml" active names
  mapfile -t names < <(key_names)
  [ ${#names[@]} -gt 0 ] || die "no signing key in $DIR/signing-keys (run init)"
  active=$(active_key) || die "no active key in $DIR/active-key (run init)"
  [ -e "$DIR/signing-keys/$active.pem" ] || die "the active key $active has no signing-keys/$active.pem"
  {
    printf '# Written by scripts/k8s-secrets.sh from the files in this folder; do not edit. Never commit this folder.\n'
    printf 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n'
    printf 'secretGenerator:\n'
    secret_head auth-signing-keys
    local n; for n in "${names[@]}"; do printf '      - signing-keys/%s.pem\n' "$n"; done
    secret_head auth-clients; printf '      - application.properties=clients.properties\n'
    secret_head orders-service-client; printf '      - key.pem=orders-service-key.pem\n'
    secret_head inventory-service-client; printf '      - key.pem=inventory-service-key.pem\n'
    secret_head redis-auth; printf '      - password=redis-password\n'
    write_acl "$ACL_RULES" "$DIR/redis-users.acl"
    secret_head redis-users; printf '      - users.acl=redis-users.acl\n'
    # For the redis-sentinel component (unused otherwise).
    write_acl "$ROOT/redis/sentinel-users.acl" "$DIR/redis-sentinel-users.acl"
    secret_head redis-sentinel-users; printf '      - users.acl=redis-sentinel-users.acl\n'
    local user; for user in $(service_redis_users); do
      secret_head "$user-redis"; printf '      - password=redis-users/%s.password\n' "$user"
    done
    printf 'configMapGenerator:\n  - name: auth-service-config\n    behavior: merge\n    literals:\n'
    printf '      - AUTH_KEYS_ACTIVE=%s\n' "$active"
    if [ -s "$DIR/revoked-kids" ]; then
      printf '      - AUTH_KEYS_REVOKED=%s\n' "$(sort -u "$DIR/revoked-kids" | paste -sd, -)"
    fi
  } >"$out"
}

init() {
  mkdir -p "$DIR"
  chmod 700 "$DIR"
  if [ -z "$(key_names)" ]; then
    local name; name=$(new_key)
    printf '%s\n' "$name" >"$DIR/active-key"
    log "signing key $name (active)"
  elif ! active_key >/dev/null; then
    key_names | tail -n 1 >"$DIR/active-key"
  fi
  # Hex: safe in a redis:// URL, in redis.conf and on a redis-cli command line without quoting.
  local user file
  for user in $(redis_users); do
    file=$(redis_password_file "$user")
    if [ ! -s "$file" ]; then
      mkdir -p "$(dirname "$file")"
      openssl rand -hex 32 | tr -d '\n' >"$file"
      log "Redis password of $user"
    fi
  done
  [ -e "$DIR/clients.properties" ] || printf '%s\n' \
    '# Client registrations of auth-service (secret hashes and public keys only). Written by scripts/k8s-secrets.sh; add-client adds more.' \
    >"$DIR/clients.properties"
  # The two services authenticate with their own key pairs (private_key_jwt): no secret is shared with them.
  local client scopes grants file jwks extra
  for client in orders-service inventory-service; do
    file="$DIR/$client-key.pem"
    case "$client" in
      # orders-service also reserves stock in the name of the person who orders (token exchange, RFC 8693).
      orders-service) scopes=inventory:reserve,inventory:read
        grants=client_credentials,urn:ietf:params:oauth:grant-type:token-exchange
        extra=(exchange.inventory-service.scopes=inventory:reserve exchange.inventory-service.subject-scopes=orders:write) ;;
      # inventory-service cancels the open orders of a discontinued item.
      inventory-service) scopes=orders:cancel; grants=client_credentials; extra=() ;;
    esac
    if [ ! -s "$file" ]; then
      new_client_key "$file" || die "openssl could not generate the key of $client"
      log "$client client key"
    fi
    jwks=$(public_jwks "$file" "$client") || die "cannot read $file"
    # Registered anew when its key or its rights changed (an older version of this script wrote fewer rights).
    if ! grep -q -x -F "auth.clients.$client.jwks=$jwks" "$DIR/clients.properties" \
        || ! grep -q -x -F "auth.clients.$client.grant-types=$grants" "$DIR/clients.properties" \
        || ! grep -q -x -F "auth.clients.$client.scopes=$scopes" "$DIR/clients.properties"; then
      register_key_client "$client" "$jwks" "$scopes" "$grants" "${extra[@]}"
    fi
  done
  write_component
  log "Secrets for overlay $OVERLAY are in $DIR"
}

case "$CMD" in
  init) init ;;
  add-key)
    [ -d "$DIR/signing-keys" ] || die "run init first"
    name=$(new_key)
    write_component
    log "Added signing key $name: published, not signing yet. Apply, wait for the rollout, then: activate $name"
    printf '%s\n' "$name" ;;
  activate)
    [ $# -eq 1 ] || usage
    valid_name "$1" || die "bad key name '$1'"
    [ -e "$DIR/signing-keys/$1.pem" ] || die "no key $1 (have: $(key_names | tr '\n' ' '))"
    printf '%s\n' "$1" >"$DIR/active-key"
    write_component
    log "Key $1 signs after the next apply." ;;
  remove-key)
    [ $# -eq 1 ] || usage
    valid_name "$1" || die "bad key name '$1'"
    [ -e "$DIR/signing-keys/$1.pem" ] || die "no key $1"
    [ "$(active_key)" != "$1" ] || die "$1 is the active key: activate another first"
    rm -f "$DIR/signing-keys/$1.pem"
    write_component
    log "Key $1 removed; tokens it signed fail verification once the pods roll." ;;
  revoke-key)
    [ $# -eq 1 ] || usage
    valid_name "$1" || die "bad key name '$1'"
    [ -e "$DIR/signing-keys/$1.pem" ] || die "no key $1"
    [ "$(active_key)" != "$1" ] || die "$1 is the active key: add-key and activate another first"
    kid=$(key_thumbprint "$DIR/signing-keys/$1.pem") || die "cannot read $DIR/signing-keys/$1.pem"
    (umask 077 && printf '%s\n' "$kid" >>"$DIR/revoked-kids")
    rm -f "$DIR/signing-keys/$1.pem"
    write_component
    log "Key $1 (kid $kid) revoked: once auth-service has rolled out, every token it signed is refused everywhere." ;;
  add-client)
    [ $# -ge 2 ] && [ $# -le 3 ] || usage
    [ -e "$DIR/clients.properties" ] || die "run init first"
    valid_name "$1" || die "bad client id '$1'"
    [[ $2 =~ ^[A-Za-z0-9:._,-]+$ ]] || die "bad scopes '$2' (comma-separated)"
    grants=${3:-client_credentials}
    [[ $grants =~ ^[a-z_,]+$ ]] || die "bad grant types '$grants'"
    mkdir -p "$DIR/clients"
    secret=$(random_secret)
    printf '%s' "$secret" >"$DIR/clients/$1.secret"
    register_client "$1" "$secret" "$2" "$grants"
    write_component
    log "Client $1 registered (scopes $2). Its secret, also in $DIR/clients/$1.secret:"
    printf '%s\n' "$secret" ;;
  remove-client)
    [ $# -eq 1 ] || usage
    case "$1" in orders-service|inventory-service) die "$1 is a service client of the suite" ;; esac
    unregister_client "$1"
    rm -f "$DIR/clients/$1.secret"
    write_component
    log "Client $1 removed." ;;
  external)
    mkdir -p "$DIR"
    printf '%s\n' '# Written by scripts/k8s-secrets.sh external: the Secrets are created by hand (k8s/README.md).' \
      'apiVersion: kustomize.config.k8s.io/v1alpha1' 'kind: Component' >"$DIR/kustomization.yaml"
    log "Empty Component written: create the Secrets with kubectl (k8s/README.md)." ;;
  show)
    printf 'folder:  %s\nactive:  %s\nkeys:    %s\nclients: %s\n' "$DIR" "$(active_key || echo -)" \
      "$(key_names | tr '\n' ' ')" \
      "$(sed -n 's/^auth\.clients\.\([^.]*\)\.secret-hash=.*/\1/p' "$DIR/clients.properties" 2>/dev/null | tr '\n' ' ')" ;;
  *) die "unknown command '$CMD'" ;;
esac
