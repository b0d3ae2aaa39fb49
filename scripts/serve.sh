#!/usr/bin/env bash
# The web server of `make run`: gunicorn, sized by scripts/gunicorn.conf.py
# (two processes per core, gthread), serving CKAN's app for INI in the
# foreground. Stop it with SIGTERM/SIGINT (graceful) like any gunicorn.
#
#   scripts/serve.sh INI HOST PORT
#
# gunicorn puts the directory it starts in on sys.path; started from the
# repository root, the source tree's ckanext/mogi (which has no schemas/)
# would shadow the installed wheel. So it starts in .local/ instead.
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# -eq 3 ]] || die "usage: scripts/serve.sh INI HOST PORT"
ini="$(realpath "$1")"
mkdir -p "$ROOT/.local"
# CKAN's web assets, built once before the workers start: on a cold cache,
# concurrent first page views race in webassets' file cache (a 500).
"$VENV/bin/ckan" -c "$ini" asset build >/dev/null 2>&1 \
    || warn "ckan asset build failed: the first page views build the assets"
exec env -C "$ROOT/.local" CKAN_INI="$ini" "$VENV/bin/gunicorn" \
    -c "$ROOT/scripts/gunicorn.conf.py" --bind "$2:$3" 'ckanext.mogi.wsgi:create_app()'
