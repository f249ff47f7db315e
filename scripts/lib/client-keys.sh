# Sourced by scripts/suite.sh and scripts/k8s-secrets.sh: the public half of a service client's key, as auth-service
# takes it in a client registration (auth.clients.<id>.jwks).

# {"keys":[the RSA public key of a PKCS#8 PEM file as a JWK]} (RFC 7517), kid = name + a digest of the modulus.
public_jwks() { # pem-file name
  local hex n
  hex=$(openssl rsa -in "$1" -noout -modulus 2>/dev/null | sed 's/^Modulus=//')
  [ -n "$hex" ] || { echo "cannot read the RSA key $1" >&2; return 1; }
  n=$(b64url_hex "$hex")
  printf '{"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":"%s-%s","n":"%s","e":"AQAB"}]}' \
    "$2" "$(printf '%s' "$hex" | openssl dgst -sha256 -r | cut -c1-8)" "$n"
}

# A new RSA 2048 private key, PKCS#8 PEM, readable by its owner only.
new_client_key() { # pem-file
  (umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null) \
    && grep -q -- '-----BEGIN PRIVATE KEY-----' "$1"
}

# The RFC 7638 JWK thumbprint (SHA-256, base64url) of a PEM RSA key: the kid auth-service gives a signing key.
key_thumbprint() { # pem-file
  local hex n e
  hex=$(openssl rsa -in "$1" -noout -modulus 2>/dev/null | sed 's/^Modulus=//')
  e=$(openssl rsa -in "$1" -noout -text 2>/dev/null | sed -n 's/^publicExponent: [0-9]* (0x\([0-9a-fA-F]*\)).*/\1/p')
  [ -n "$hex" ] && [ -n "$e" ] || { echo "cannot read the RSA key $1" >&2; return 1; }
  [ $(( ${#e} % 2 )) -eq 0 ] || e="0$e"
  n=$(b64url_hex "$hex")
  e=$(b64url_hex "$e")
  printf '{"e":"%s","kty":"RSA","n":"%s"}' "$e" "$n" | openssl dgst -sha256 -binary | b64url
}

# hex digits -> the bytes they spell (printf alone: no xxd on a bare machine), base64url without padding
b64url_hex() {
  # shellcheck disable=SC2059
  printf "$(printf '%s' "$1" | sed 's/../\\x&/g')" | b64url
}

# stdin, base64url without padding; openssl rather than base64 -w0, which macOS lacks
b64url() {
  openssl base64 -A | tr '+/' '-_' | tr -d '='
}
