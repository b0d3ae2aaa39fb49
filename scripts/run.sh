#!/usr/bin/env bash
# `make run`: set up everything that is missing, then serve the portal on
# http://127.0.0.1:5000 with gunicorn (scripts/serve.sh) together with a
# background job worker. Ctrl-C stops both.
#
# Optional environment (besides those of scripts/lib.sh):
#   MOGI_HOST, MOGI_PORT   address of the web server     (127.0.0.1, 5000)
#   MOGI_DEMO_SOURCE       shared data folder            (../shared/data)
#   MOGI_DEMO_CATALOGUE    demo catalogue's data files   (demo)
#   MOGI_SKIP_DEMO=1       do not load the demo catalogue
#   MOGI_ADMIN_EMAIL       e-mail of the sysadmin `admin` (admin@example.com)
#   MOGI_SETUP_ONLY=1      stop after the set-up, serve nothing
#   MOGI_WEB_WORKERS, MOGI_WEB_THREADS  gunicorn processes / threads each (2 x cores, 4)
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

HOST="${MOGI_HOST:-127.0.0.1}"
PORT="${MOGI_PORT:-5000}"
DB_NAME="${MOGI_DB_NAME:-ckan_mogi}"
DEMO_SOURCE="${MOGI_DEMO_SOURCE:-../shared/data}"
DEMO_CATALOGUE="${MOGI_DEMO_CATALOGUE:-$ROOT/demo}"
ADMIN_EMAIL="${MOGI_ADMIN_EMAIL:-admin@example.com}"
INI="$ROOT/ckan.ini"
LOCAL="$ROOT/.local"

# Overrides go through CKAN's own environment variables; ckan.ini stays untouched.
if [[ -n "${MOGI_DB_NAME:-}" ]]; then
    export CKAN_SQLALCHEMY_URL="postgresql://$DB_USER@$PG_HOST:$PG_PORT/$DB_NAME"
    datastore_urls "$DB_NAME"
fi
if [[ -n "${MOGI_PORT:-}${MOGI_HOST:-}" ]]; then
    export CKAN_SITE_URL="http://$HOST:$PORT"
fi

ensure_system_deps
ensure_services
ensure_database "$DB_NAME"
ensure_datastore_database "$DB_NAME"
ensure_python_env

log "Configuration"
"$ROOT/scripts/render-ini.sh" "$INI"
mkdir -p "$LOCAL/storage"
chmod 700 "$LOCAL"
# A ckan.ini rendered before the DataStore was part of the portal.
if ! grep -q '^[[:space:]]*ckan\.datastore\.write_url' "$INI"; then
    die "$INI predates the DataStore (no ckan.datastore.write_url): move it aside and run make run again to render a new one, or copy the DataStore settings and plugins of ckan.ini.template into it"
fi
datastore_permissions "$INI"

# psql URL of the database CKAN really uses (environment first, then ckan.ini).
db_url() {
    local url="${CKAN_SQLALCHEMY_URL:-}"
    if [[ -z "$url" ]]; then
        url="$(sed -n 's/^[[:space:]]*sqlalchemy\.url[[:space:]]*=[[:space:]]*//p' "$INI" | tail -n1)"
    fi
    printf '%s' "${url/+psycopg2/}"
}
sql() { psql -X -w "$(db_url)" -v ON_ERROR_STOP=1 -Atqc "$1"; }
# `ckan -c ckan.ini ...` without the start-up INFO lines every CLI call logs.
ckan_step() {
    "$VENV/bin/ckan" -c "$INI" "$@" \
        2> >(grep -v -E '\] (Using configuration file|Loading (static files|templates) from)' >&2)
}

log "Database schema (ckan db init: CKAN core and plugin migrations)"
ckan_step db init 2>&1 | sed -e '/^[[:space:]]*$/d' -e 's/^/    /'

log "Sysadmin 'admin'"
if [[ -z "$(sql "select 1 from \"user\" where name = 'admin' and state = 'active'")" ]]; then
    password="$("$(venv_python)" -c 'import secrets; print(secrets.token_urlsafe(18))')"
    ckan_step user add admin "email=$ADMIN_EMAIL" "password=$password" >/dev/null
    (umask 077 && printf '%s\n' "$password" >"$LOCAL/sysadmin.password")
    info "created; password in .local/sysadmin.password"
fi
if [[ "$(sql "select sysadmin from \"user\" where name = 'admin'")" != t ]]; then
    ckan_step sysadmin add admin >/dev/null
    info "granted sysadmin"
fi
if [[ ! -s "$LOCAL/sysadmin.token" ]]; then
    ckan_step user token add admin make-run | save_token "$LOCAL/sysadmin.token"
    info "API token written to .local/sysadmin.token"
elif grep -q '[[:space:]]' "$LOCAL/sysadmin.token"; then
    # Written by an older make run with CKAN's tab and a newline around it.
    save_token "$LOCAL/sysadmin.token" <"$LOCAL/sysadmin.token"
    info "API token in .local/sysadmin.token (tab and newline removed)"
else
    info "API token in .local/sysadmin.token"
fi

# The loader is idempotent but not instant: skip it when the same data was
# already loaded into this database (stamp) and the datasets are still there.
log "Demo catalogue"
if [[ "${MOGI_SKIP_DEMO:-0}" == 1 ]]; then
    info "skipped (MOGI_SKIP_DEMO=1)"
else
    [[ -d "$DEMO_SOURCE" ]] || die "demo data folder $DEMO_SOURCE not found (clone the shared data beside the repo, or MOGI_SKIP_DEMO=1)"
    [[ -d "$DEMO_CATALOGUE" ]] || die "demo catalogue folder $DEMO_CATALOGUE not found (MOGI_DEMO_CATALOGUE, or MOGI_SKIP_DEMO=1)"
    stamp="$LOCAL/demo-loaded.$(db_url | sha256sum | cut -c1-12)"
    fingerprint="$( { find "$DEMO_SOURCE"/ -type f -printf '%P %s %T@\n' | LC_ALL=C sort
                      find "$DEMO_CATALOGUE"/ -type f -printf '%P %s %T@\n' | LC_ALL=C sort
                      cat "$VENV/.mogi-bundle.sha256"; } | sha256sum | cut -d' ' -f1)"
    datasets="$(sql "select count(*) from package where state = 'active' and type = 'dataset'")"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$fingerprint" && "$datasets" -gt 0 ]]; then
        info "already loaded ($datasets datasets)"
    else
        ckan_cli -c "$INI" mogi demo load --help >/dev/null 2>&1 \
            || die "'ckan mogi demo load' is not available in this version of ckanext-mogi (MOGI_SKIP_DEMO=1 starts without the demo catalogue)"
        ckan_step mogi demo load --source "$DEMO_SOURCE" --catalogue "$DEMO_CATALOGUE"
        printf '%s\n' "$fingerprint" >"$stamp"
        info "loaded ($(sql "select count(*) from package where state = 'active' and type = 'dataset'") datasets)"
    fi
fi

if [[ "${MOGI_SETUP_ONLY:-0}" == 1 ]]; then
    log "Set-up done (MOGI_SETUP_ONLY=1)"
    exit 0
fi

port_open "$HOST" "$PORT" && die "$HOST:$PORT is already in use (another make run?); choose another with MOGI_PORT=..."

# ------------------------------------------------------------------ serving
# Each process gets its own process group (setsid), so that stopping it also
# stops what it forked (the worker's job "horses"). Background children of a
# script ignore SIGINT, hence the explicit forwarding in the trap.
pids=()
stopping=0
stop_all() {
    [[ $stopping == 1 ]] && return
    stopping=1
    # PIPE too: when the output goes through a pipe (make run | tee log), Ctrl-C
    # also stops the reader, and a message written then must not kill this
    # script before it has stopped the server and the worker.
    trap '' INT TERM PIPE
    echo
    log "Stopping the web server and the worker"
    local pid
    for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
    for _ in $(seq 1 50); do
        local alive=0
        for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [[ $alive == 0 ]] && return
        sleep 0.2
    done
    for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap 'stop_all' EXIT

# Only `ckan run` builds the JavaScript translations (the pt_BR strings of
# CKAN's and our JS modules); with gunicorn it is a step of its own.
log "JavaScript translations (ckan translation js)"
ckan_step translation js >/dev/null \
    || warn "building the JavaScript translations failed: JS strings stay in English"

log "Starting the job worker and the web server (gunicorn)"
# The job worker with the validation reconciler (requeues lost validations).
setsid "$VENV/bin/ckan" -c "$INI" mogi validation worker &
pids+=($!)
# gunicorn, sized by scripts/gunicorn.conf.py (2 workers per core, gthread),
# started outside the repository root (see scripts/serve.sh).
setsid "$ROOT/scripts/serve.sh" "$INI" "$HOST" "$PORT" &
pids+=($!)

for _ in $(seq 1 120); do
    port_open "$HOST" "$PORT" && break
    kill -0 "${pids[1]}" 2>/dev/null || break
    sleep 0.5
done
if port_open "$HOST" "$PORT"; then
    printf '\n%s    Portal: http://%s:%s/   (admin API token: .local/sysadmin.token, password: .local/sysadmin.password)\n    Ctrl-C stops the web server and the worker.%s\n\n' "$_B" "$HOST" "$PORT" "$_N"
fi

# Whichever stops first (crash or Ctrl-C) takes the other one down with it.
status=0
wait -n "${pids[@]}" || status=$?
warn "a process stopped (exit status $status)"
stop_all
exit "$status"
