#!/usr/bin/env bash
# Render ckan.ini.template into a local CKAN config with generated secrets.
#
#   scripts/render-ini.sh [OUTPUT]        (default: ./ckan.ini)
#
# Never overwrites: an existing OUTPUT is kept as it is (it holds the secrets
# that sign sessions and API tokens). MOGI_SECRET_KEY / MOGI_JWT_SECRET, when
# set, are used instead of fresh random values (the tests use dummy ones).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TEMPLATE="${MOGI_INI_TEMPLATE:-$ROOT/ckan.ini.template}"
OUTPUT="${1:-$ROOT/ckan.ini}"

if [[ -e "$OUTPUT" ]]; then
    echo "    $OUTPUT exists; keeping it (delete it to render a new one)"
    exit 0
fi
[[ -f "$TEMPLATE" ]] || { echo "ERROR: template $TEMPLATE not found" >&2; exit 1; }

PY="$(command -v python3 || command -v python)"
gen_secret() { "$PY" -c 'import secrets; print(secrets.token_urlsafe(32))'; }
secret_key="${MOGI_SECRET_KEY:-$(gen_secret)}"
jwt_secret="${MOGI_JWT_SECRET:-$(gen_secret)}"
# token_urlsafe only yields [A-Za-z0-9_-]; refuse anything that would break sed.
for s in "$secret_key" "$jwt_secret"; do
    [[ "$s" =~ ^[A-Za-z0-9_.-]+$ ]] || { echo "ERROR: secrets may only use [A-Za-z0-9_.-]" >&2; exit 1; }
done

tmp="$(mktemp "$(dirname "$OUTPUT")/.ckan.ini.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
sed -e "s/__SECRET_KEY__/$secret_key/g" -e "s/__JWT_SECRET__/$jwt_secret/g" "$TEMPLATE" >"$tmp"
if grep -q '__[A-Z_]*__' "$tmp"; then
    echo "ERROR: unreplaced placeholders left in $TEMPLATE:" >&2
    grep -n '__[A-Z_]*__' "$tmp" >&2
    exit 1
fi
chmod 600 "$tmp"
mv "$tmp" "$OUTPUT"
trap - EXIT
echo "    wrote $OUTPUT (new secrets)"
