#!/usr/bin/env bash
# `make lock`: regenerate requirements.txt (the pinned stack used by make, CI
# and Docker) from requirements.in, in a fresh throw-away virtualenv.
#
# requirements.txt keeps its leading comment block, and CKAN keeps the form of
# requirements.in (ckan[requirements,dev]==X) so that one `pip install -r`
# brings CKAN's own pinned extras.
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_system_deps
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

log "Resolving requirements.in in a fresh virtualenv ($PYTHON)"
"$PYTHON" -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install -q -r requirements.in

log "Writing requirements.txt"
ckan_line="$(grep -E '^[[:space:]]*ckan(\[[^]]*\])?[[:space:]]*==' requirements.in | sed 's/[[:space:]]//g' | head -n1)"
[[ -n "$ckan_line" ]] || die "requirements.in has no 'ckan[...]==X' line"
ckan_version="${ckan_line##*==}"
{
    # The leading comment block of the current file, or a default one.
    if [[ -f requirements.txt ]] && head -n1 requirements.txt | grep -q '^#'; then
        sed -n '/^#/!q;p' requirements.txt
    else
        echo "# The whole pinned stack of ckanext-mogi: used by make, CI and the Docker image."
        echo "# Regenerate: make lock (installs requirements.in, then freezes)."
    fi
    "$tmp/venv/bin/python" -m pip freeze --exclude-editable \
        | grep -v -i -E '^(ckanext-mogi|pip|setuptools|wheel)==' \
        | sed -E "s/^ckan==.*/$ckan_line/"
} >"$tmp/requirements.txt"

grep -qxF "$ckan_line" "$tmp/requirements.txt" || die "ckan==$ckan_version is not in the frozen set"
mv "$tmp/requirements.txt" requirements.txt
info "$(grep -vc '^#' requirements.txt) pinned packages; review with: git diff requirements.txt"
