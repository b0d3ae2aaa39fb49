# shellcheck shell=bash
# Shared helpers for the scripts behind the Makefile (make run / make test).
# Sourced, never executed. Every helper is idempotent: it checks first and
# only changes the machine when something is missing.
#
# Knobs (environment variables, all optional):
#   PYTHON              interpreter for a new .venv          (python3.11)
#   VENV                virtualenv folder                    (.venv)
#   MOGI_PG_HOST/PORT   PostgreSQL address                   (127.0.0.1 / 5432)
#   MOGI_REDIS_HOST/PORT Redis address                       (127.0.0.1 / 6379)
#   MOGI_REDIS_DIR      data folder of a Redis that make starts (.local/redis)
#   MOGI_DB_USER        database role                        (ckan_mogi)
#   MOGI_DB_RO_USER     read-only role of the DataStore      (<MOGI_DB_USER>_ro)
#   MOGI_DB_NAME        database of `make run`               (ckan_mogi)
#   MOGI_TEST_DB_NAME   database of `make test`              (ckan_mogi_test)
# MOGI_DB_NAME / MOGI_TEST_DB_NAME, when set, also override sqlalchemy.url
# through CKAN's own CKAN_SQLALCHEMY_URL variable (the .ini files stay as they are),
# and the DataStore's URLs (CKAN_DATASTORE_WRITE_URL / CKAN_DATASTORE_READ_URL):
# the DataStore of database X is always X_datastore.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PYTHON="${PYTHON:-python3.11}"
VENV="${VENV:-.venv}"
case "$VENV" in /*) ;; *) VENV="$ROOT/$VENV" ;; esac
PG_HOST="${MOGI_PG_HOST:-127.0.0.1}"
PG_PORT="${MOGI_PG_PORT:-5432}"
REDIS_HOST="${MOGI_REDIS_HOST:-127.0.0.1}"
REDIS_PORT="${MOGI_REDIS_PORT:-6379}"
REDIS_DIR="${MOGI_REDIS_DIR:-$ROOT/.local/redis}"
DB_USER="${MOGI_DB_USER:-ckan_mogi}"
DB_RO_USER="${MOGI_DB_RO_USER:-${DB_USER}_ro}"

# ---------------------------------------------------------------- messages
if [[ -t 1 ]]; then _B=$'\033[1m' _R=$'\033[31m' _Y=$'\033[33m' _N=$'\033[0m'; else _B='' _R='' _Y='' _N=''; fi
log()  { printf '%s==> %s%s\n' "$_B" "$*" "$_N"; }
info() { printf '    %s\n' "$*"; }
warn() { printf '%s!!! %s%s\n' "$_Y" "$*" "$_N" >&2; }
die()  { printf '%sERROR: %s%s\n' "$_R" "$*" "$_N" >&2; exit 1; }

valid_ident() { [[ "$1" =~ ^[a-z_][a-z0-9_]*$ ]] || die "invalid PostgreSQL name: '$1'"; }
valid_ident "$DB_USER"
valid_ident "$DB_RO_USER"

# Run a command as root (directly, or through sudo when available).
as_root() {
    if [[ $EUID -eq 0 ]]; then "$@"
    elif command -v sudo >/dev/null; then sudo "$@"
    else die "'$*' needs root and sudo is not installed"
    fi
}

# ---------------------------------------------------------- system packages
pkg_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

_APT_UPDATED=0
apt_install() {  # apt_install PKG...  (only the missing ones; apt-get update once)
    local missing=() p
    for p in "$@"; do pkg_installed "$p" || missing+=("$p"); done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    command -v apt-get >/dev/null || die "missing system packages (${missing[*]}) and no apt-get here: install them by hand"
    log "Installing system packages: ${missing[*]}"
    if [[ $_APT_UPDATED -eq 0 ]]; then
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
        _APT_UPDATED=1
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# Packages the Python stack needs to build and run (psycopg2 builds from source).
ensure_system_deps() {
    local pkgs=(libpq-dev libmagic1 gcc)
    if ! command -v "$PYTHON" >/dev/null; then
        [[ "$PYTHON" == python3.11 ]] || die "$PYTHON not found"
        pkgs+=(python3.11 python3.11-venv python3.11-dev)
    fi
    apt_install "${pkgs[@]}" \
        || die "could not install ${pkgs[*]} (this bundle needs Python 3.11: on releases without a python3.11 package use pyenv or deadsnakes, then PYTHON=/path/to/python3.11)"
    command -v "$PYTHON" >/dev/null || die "$PYTHON still not found (this bundle needs Python 3.11)"
    # Debian's own interpreters need python3-venv for `-m venv` and -dev for headers.
    if ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
        apt_install python3-venv python3.11-venv
    fi
    if ! "$PYTHON" -c 'import os, sys, sysconfig; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))'; then
        apt_install python3-dev python3.11-dev
    fi
}

# ----------------------------------------------------------------- services
port_open() {  # port_open HOST PORT
    timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
}

wait_port() {  # wait_port HOST PORT NAME
    for _ in $(seq 1 60); do
        port_open "$1" "$2" && return 0
        sleep 0.5
    done
    die "$3 did not come up on $1:$2"
}

ensure_postgres() {
    if port_open "$PG_HOST" "$PG_PORT"; then
        info "PostgreSQL is running on $PG_HOST:$PG_PORT"
        return 0
    fi
    [[ "$PG_HOST" == 127.0.0.1 || "$PG_HOST" == localhost ]] \
        || die "PostgreSQL is not reachable on $PG_HOST:$PG_PORT (not local: start it yourself)"
    if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
        apt_install postgresql
    fi
    log "Starting PostgreSQL"
    local version
    version="$(find /etc/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n1)"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null \
        || as_root service postgresql start \
        || as_root systemctl start postgresql \
        || die "could not start PostgreSQL $version (try: pg_ctlcluster $version main start)"
    wait_port "$PG_HOST" "$PG_PORT" PostgreSQL
}

# The job queue must survive a restart of Redis: append-only persistence.
# A local Redis that `make run` starts writes its append-only file into
# $REDIS_DIR. A local Redis that is already running without it (started by
# someone else, e.g. with --appendonly no) gets it turned on with
# `CONFIG SET appendonly yes`: it writes its file into its own `dir` from then
# on, until that server is restarted with its old settings. A remote Redis is
# left alone (a warning only).
redis_cli() { redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" "$@"; }

ensure_redis_persistence() {
    command -v redis-cli >/dev/null || apt_install redis-tools
    local aof
    aof="$(redis_cli --raw config get appendonly 2>/dev/null | sed -n 2p)" || aof=""
    case "$aof" in
        yes) info "Redis keeps its data across restarts (appendonly yes)" ;;
        no)
            if [[ "$REDIS_HOST" != 127.0.0.1 && "$REDIS_HOST" != localhost ]]; then
                warn "Redis on $REDIS_HOST:$REDIS_PORT runs without appendonly: queued jobs are lost when it restarts"
            elif [[ "$(redis_cli --raw config set appendonly yes 2>&1)" == OK ]]; then
                info "turned on append-only persistence of the running Redis (CONFIG SET appendonly yes; its dir: $(redis_cli --raw config get dir | sed -n 2p))"
            else
                warn "could not turn on appendonly in the running Redis: queued jobs are lost when it restarts"
            fi ;;
        *) warn "could not read Redis's appendonly setting (CONFIG disabled?)" ;;
    esac
}

ensure_redis() {
    if port_open "$REDIS_HOST" "$REDIS_PORT"; then
        info "Redis is running on $REDIS_HOST:$REDIS_PORT"
        ensure_redis_persistence
        return 0
    fi
    [[ "$REDIS_HOST" == 127.0.0.1 || "$REDIS_HOST" == localhost ]] \
        || die "Redis is not reachable on $REDIS_HOST:$REDIS_PORT (not local: start it yourself)"
    apt_install redis-server
    log "Starting Redis (append-only persistence in $REDIS_DIR)"
    mkdir -p "$REDIS_DIR"
    chmod 700 "$REDIS_DIR"
    as_root redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" \
            --appendonly yes --dir "$REDIS_DIR" --logfile "$REDIS_DIR/redis.log" \
        || as_root service redis-server start \
        || die "could not start Redis"
    wait_port "$REDIS_HOST" "$REDIS_PORT" Redis
    ensure_redis_persistence
}

ensure_services() {
    log "Checking PostgreSQL and Redis"
    ensure_postgres
    ensure_redis
    command -v psql >/dev/null || apt_install postgresql-client
}

# ------------------------------------------------------------ roles and DBs
_PSQL_ADMIN=""
psql_admin() {  # SQL on stdin; prints unaligned tuples
    if [[ -z "$_PSQL_ADMIN" ]]; then
        if psql -X -w -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
            _PSQL_ADMIN=tcp
        elif as_root su postgres -c "psql -X -p $PG_PORT -d postgres -Atqc 'select 1'" >/dev/null 2>&1; then
            _PSQL_ADMIN=su
        else
            die "cannot reach PostgreSQL as its superuser (tried 'psql -h $PG_HOST -U postgres' and 'su postgres -c psql')"
        fi
    fi
    if [[ $_PSQL_ADMIN == tcp ]]; then
        psql -X -w -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -Atq
    else
        as_root su postgres -c "psql -X -p $PG_PORT -d postgres -v ON_ERROR_STOP=1 -Atq"
    fi
}

# The .ini files connect as $DB_USER (and the DataStore's readers as
# $DB_RO_USER) without a password. When the server asks for one (a stock
# Debian install), allow the role from localhost (dev only).
ensure_role_can_connect() {  # DB [ROLE]
    local role="${2:-$DB_USER}"
    local url="postgresql://$role@$PG_HOST:$PG_PORT/$1"
    psql -X -w "$url" -Atqc 'select 1' >/dev/null 2>&1 && return 0
    local hba
    hba="$(psql_admin <<<'show hba_file')"
    warn "role $role cannot log in without a password; adding 'trust' for it from localhost to $hba (development setup)"
    as_root sed -i "1i # ckanext-mogi (make run/test): passwordless local role for development\nhost all $role 127.0.0.1/32 trust\nhost all $role ::1/128 trust" "$hba"
    psql_admin <<<'select pg_reload_conf()' >/dev/null
    sleep 1
    psql -X -w "$url" -Atqc 'select 1' >/dev/null || die "still cannot connect to $url"
}

# The DataStore of database DB: the database DB_datastore (owner $DB_USER,
# who writes) and the login role $DB_RO_USER (who reads). Its permissions come
# from CKAN itself: datastore_permissions, once the venv exists.
datastore_db() { printf '%s_datastore' "$1"; }  # DB

datastore_urls() {  # DB: export CKAN's DataStore URLs for the DataStore of DB
    local ds
    ds="$(datastore_db "$1")"
    export CKAN_DATASTORE_WRITE_URL="postgresql://$DB_USER@$PG_HOST:$PG_PORT/$ds"
    export CKAN_DATASTORE_READ_URL="postgresql://$DB_RO_USER@$PG_HOST:$PG_PORT/$ds"
}

ensure_datastore_database() {  # DB
    local ds
    ds="$(datastore_db "$1")"
    ensure_database "$ds"
    if [[ -z "$(psql_admin <<<"select 1 from pg_roles where rolname = '$DB_RO_USER'")" ]]; then
        log "Creating PostgreSQL role $DB_RO_USER (DataStore, read-only)"
        psql_admin <<<"create role $DB_RO_USER login nosuperuser nocreatedb nocreaterole noinherit" >/dev/null
    fi
    ensure_role_can_connect "$ds" "$DB_RO_USER"
    # CKAN's own full-text trigger (datastore_create/upsert) uses the database's
    # default configuration: Portuguese, as ckan.datastore.default_fts_lang.
    psql_admin <<<"alter database $ds set default_text_search_config to 'pg_catalog.portuguese'" >/dev/null
}

# `ckan datastore set-permissions` (the read-only role may only read the
# DataStore; the _table_metadata view, the full-text trigger, the row-count
# functions), run as the PostgreSQL superuser. The script is CKAN's and can
# run any number of times.
datastore_permissions() {  # INI
    log "DataStore permissions (ckan datastore set-permissions | psql as admin)"
    local sql errors
    errors="$(mktemp)"
    if ! sql="$("$VENV/bin/ckan" -c "$1" datastore set-permissions 2>"$errors")"; then
        grep -v -E '\] (Using configuration file|Loading (static files|templates) from)' "$errors" >&2 || true
        rm -f "$errors"
        die "ckan -c $1 datastore set-permissions failed (are the DataStore's database and URLs set up?)"
    fi
    rm -f "$errors"
    grep -q '^\\connect ' <<<"$sql" || die "unexpected output of ckan datastore set-permissions"
    # Quiet: the script's NOTICEs ("already exists, skipping") on every run.
    sed 's/^\\connect .*/&\nSET client_min_messages TO warning;/' <<<"$sql" | psql_admin >/dev/null
}

ensure_db_role() {  # the login role $DB_USER that owns the databases
    if [[ -z "$(psql_admin <<<"select 1 from pg_roles where rolname = '$DB_USER'")" ]]; then
        log "Creating PostgreSQL role $DB_USER"
        psql_admin <<<"create role $DB_USER login" >/dev/null
    fi
}

ensure_database() {  # DB
    local db="$1"
    valid_ident "$db"
    ensure_db_role
    if [[ -z "$(psql_admin <<<"select 1 from pg_database where datname = '$db'")" ]]; then
        log "Creating database $db (UTF8, owner $DB_USER)"
        psql_admin <<<"create database $db owner $DB_USER encoding 'UTF8' template template0" >/dev/null \
            || psql_admin <<<"create database $db owner $DB_USER encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8' template template0" >/dev/null
    fi
    ensure_role_can_connect "$db"
}

# A fresh copy of database SOURCE named TARGET (dropped first if it exists):
# the databases of each worker of a parallel test run. Nothing may be
# connected to SOURCE meanwhile.
clone_database() {  # SOURCE TARGET
    valid_ident "$1"
    valid_ident "$2"
    psql_admin <<<"drop database if exists $2 with (force)" >/dev/null
    psql_admin <<<"create database $2 owner $DB_USER template $1" >/dev/null
}

# -------------------------------------------------------- virtualenv, stack
venv_python() { printf '%s/bin/python' "$VENV"; }

ensure_venv() {
    if [[ -x "$VENV/bin/python" ]]; then
        local v
        v="$("$VENV/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
        [[ "$v" == 3.11 ]] || die "$VENV uses Python $v; this bundle needs 3.11 (remove $VENV and retry)"
        return 0
    fi
    log "Creating $VENV with $PYTHON"
    "$PYTHON" -m venv "$VENV"
}

# requirements.txt is the whole pinned stack; reinstall only when it changed.
ensure_stack() {
    local stamp="$VENV/.mogi-requirements.sha256" sum
    sum="$(sha256sum requirements.txt | cut -d' ' -f1)"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$sum" ]]; then
        info "pinned stack up to date (requirements.txt unchanged)"
        return 0
    fi
    log "Installing the pinned stack from requirements.txt"
    "$(venv_python)" -m pip install -q -r requirements.txt
    printf '%s\n' "$sum" >"$stamp"
}

# The files that end up in the wheel: tracked + new (not ignored) ones.
source_files() {
    if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        git -C "$ROOT" ls-files -z --cached --others --exclude-standard \
            | while IFS= read -r -d '' f; do [[ -f "$f" ]] && printf '%s\0' "$f"; done
    else
        find . \( -path ./.venv -o -path ./.git -o -path ./.local -o -path ./build \
                  -o -path ./dist -o -name '*.egg-info' -o -name __pycache__ \) -prune \
               -o -type f -print0
    fi
}

# Fingerprint of what the wheel is built from (not tests, scripts, docs...).
source_fingerprint() {
    source_files \
        | grep -z -E '^(setup\.py|setup\.cfg|pyproject\.toml|MANIFEST\.in|README\.md|ckanext/|schemas/|i18n/)' \
        | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1
}

# True when ckanext.mogi is imported from the venv's site-packages (a wheel
# install), not from a source checkout (an editable install).
bundle_installed_as_wheel() {
    local file
    file="$(cd / && "$(venv_python)" -c 'import ckanext.mogi as m; print(m.__file__)' 2>/dev/null)" || return 1
    [[ "$file" == "$VENV"/lib/*/site-packages/* ]]
}

# Build and install the bundle NON-editable (as in Docker) from a clean copy
# of the source, so stale build/ leftovers never reach the wheel.
ensure_bundle() {
    local stamp="$VENV/.mogi-bundle.sha256" sum
    sum="$(source_fingerprint)"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$sum" ]] && bundle_installed_as_wheel; then
        info "ckanext-mogi wheel up to date"
        return 0
    fi
    log "Building and installing ckanext-mogi (non-editable wheel)"
    local tmp
    tmp="$(mktemp -d)"
    source_files | tar -c --null -T - -f - | tar -x -C "$tmp"
    "$(venv_python)" -m pip install -q --no-deps --force-reinstall "$tmp" \
        || { rm -rf "$tmp"; die "building/installing the ckanext-mogi wheel failed"; }
    rm -rf "$tmp"
    bundle_installed_as_wheel || die "ckanext.mogi is still not imported from $VENV (editable leftovers?)"
    printf '%s\n' "$sum" >"$stamp"
}

ensure_python_env() {
    ensure_venv
    ensure_stack
    ensure_bundle
}

ckan_cli() { "$VENV/bin/ckan" "$@"; }

# `ckan user token add` prints "API Token created:" and then the token on a
# line of its own, indented with a tab. Write the token alone (no tab, no
# newline) to FILE, readable by its owner only, so that it can be sent as an
# HTTP header as it is (`$(cat FILE)`, Path.read_text()).
save_token() {  # CKAN's output on stdin; save_token FILE
    local token
    token="$(grep -v '^[[:space:]]*$' | tail -n1 | tr -d '[:space:]')"
    [[ "$token" =~ ^[A-Za-z0-9._-]+$ ]] || die "no API token in the output of 'ckan user token add'"
    (umask 077 && printf '%s' "$token" >"$1.tmp" && mv "$1.tmp" "$1")
}
