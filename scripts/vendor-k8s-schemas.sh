#!/usr/bin/env bash
# Vendors the Kubernetes OpenAPI v3 documents that the manifests in k8s/ use into k8s/schemas/, gzip-compressed
# and otherwise unmodified, with their SHA-256 in k8s/schemas/PROVENANCE.md. The validation (scripts/validate-k8s.sh)
# reads only these copies. Run it again when a supported Kubernetes version or a new group-version is added.
#
#   vendor-k8s-schemas.sh SOURCE_DIR [GROUP_VERSION...]
#
# SOURCE_DIR holds vX.Y/api/v1.json and vX.Y/apis/<group>/<version>.json: the upstream documents of
# kubernetes/kubernetes api/openapi-spec/v3/ (api__v1_openapi.json, apis__apps__v1_openapi.json, ...) of each
# release-X.Y branch, renamed so. GROUP_VERSIONs default to those the manifests use.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SRC=${1:?usage: vendor-k8s-schemas.sh SOURCE_DIR [GROUP_VERSION...]}; shift
GVS=("$@")
[ ${#GVS[@]} -gt 0 ] || GVS=(v1 apps/v1 autoscaling/v2 networking.k8s.io/v1 policy/v1)
OUT="$ROOT/k8s/schemas"
MIN_MINOR=30   # the oldest supported Kubernetes: 1.30

mkdir -p "$OUT"
find "$OUT" -name '*.json.gz' -delete
versions=()
for d in "$SRC"/v1.*; do
  v=$(basename "$d"); minor=${v#v1.}
  [[ $minor =~ ^[0-9]+$ ]] && [ "$minor" -ge "$MIN_MINOR" ] && versions+=("$v")
done
mapfile -t versions < <(printf '%s\n' "${versions[@]}" | sort -t. -k2,2n)
[ ${#versions[@]} -gt 0 ] || { echo "no v1.N folders with N >= $MIN_MINOR in $SRC" >&2; exit 1; }

{
  echo "# Vendored Kubernetes OpenAPI v3 schemas"
  echo
  echo "Upstream Kubernetes OpenAPI v3 documents (kubernetes/kubernetes \`api/openapi-spec/v3/\` on each"
  echo "\`release-X.Y\` branch), one per group-version the manifests in \`k8s/\` use, for every supported Kubernetes"
  echo "version. Each file is the upstream document unmodified, compressed with \`gzip -9n\`: \`zcat FILE | sha256sum\`"
  echo "gives the SHA-256 below. Written by \`scripts/vendor-k8s-schemas.sh\`; \`scripts/validate-k8s.sh\` reads"
  echo "only these copies."
  if [ -f "$SRC/PROVENANCE.md" ]; then
    echo
    echo "Where the source folder's copies came from (its PROVENANCE.md):"
    echo
    sed -e '/^# /d' -e 's/^/> /' "$SRC/PROVENANCE.md"
  fi
  echo
  echo "| file | upstream file | SHA-256 of the uncompressed document |"
  echo "| --- | --- | --- |"
} >"$OUT/PROVENANCE.md"

for v in "${versions[@]}"; do
  for gv in "${GVS[@]}"; do
    if [ "$gv" = v1 ]; then rel=api/v1.json; up=api__v1_openapi.json
    else rel=apis/$gv.json; up="apis__${gv%/*}__${gv#*/}_openapi.json"; fi
    [ -f "$SRC/$v/$rel" ] || { echo "missing $SRC/$v/$rel" >&2; exit 1; }
    mkdir -p "$OUT/$v/$(dirname "$rel")"
    gzip -9n -c "$SRC/$v/$rel" >"$OUT/$v/$rel.gz"
    echo "| \`$v/$rel.gz\` | release-${v#v}: \`$up\` | \`$(sha256sum "$SRC/$v/$rel" | cut -d' ' -f1)\` |" >>"$OUT/PROVENANCE.md"
  done
done
echo "Vendored ${#GVS[@]} group-version(s) for ${versions[*]} into $OUT ($(du -sh "$OUT" | cut -f1))"
