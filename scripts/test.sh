#!/usr/bin/env bash
# `make test`: lint, then the whole pytest suite against real PostgreSQL and
# Redis, with the bundle installed as a NON-editable wheel (as in Docker).
#
#   PYTEST_ARGS="tests/test_packaging.py -x" make test    run a subset
#   MOGI_TEST_DB_NAME=other_test make test                another test database
#   MOGI_TEST_WORKERS=1 make test                         one pytest process (default 2)
#
# With N workers (pytest-xdist, whole files per worker), worker k uses copies
# of the test databases (<db>_gwk and <db>_gwk_datastore), Redis database <test.ini's> + k and
# its own storage folder (tests/conftest.py, pytest_configure).
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TEST_DB="${MOGI_TEST_DB_NAME:-ckan_mogi_test}"
if [[ -n "${MOGI_TEST_DB_NAME:-}" ]]; then
    export CKAN_SQLALCHEMY_URL="postgresql://$DB_USER@$PG_HOST:$PG_PORT/$TEST_DB"
    # Its own DataStore (<test db>_datastore): parallel runs never share one.
    datastore_urls "$TEST_DB"
fi

ensure_system_deps
# tests/test_packaging.py validates docker/docker-compose.yml with it.
apt_install docker-compose
ensure_services
ensure_database "$TEST_DB"
ensure_datastore_database "$TEST_DB"
ensure_python_env

log "Lint: ruff check"
lint_paths=()
for p in ckanext tests bench; do [[ -e "$p" ]] && lint_paths+=("$p"); done
"$VENV/bin/ruff" check "${lint_paths[@]}"

# The import contract of pyproject.toml ([tool.importlinter]) on the source
# tree. A broken contract fails the run, after pytest (so that one run
# reports both).
log "Architecture: lint-imports"
contract=0
PYTHONPATH="$ROOT" "$VENV/bin/lint-imports" --no-cache || contract=$?

datastore_permissions test.ini

log "Test database schema (ckan -c test.ini db init)"
mkdir -p "$ROOT/.local"
"$VENV/bin/ckan" -c test.ini db init 2>&1 | sed -e '/^[[:space:]]*$/d' -e 's/^/    /'

workers="${MOGI_TEST_WORKERS:-2}"
[[ "$workers" =~ ^[1-9][0-9]*$ ]] || die "MOGI_TEST_WORKERS must be a positive number, not '$workers'"
parallel=()
if (( workers > 1 )); then
    log "Databases of $workers test workers (copies of $TEST_DB and its DataStore)"
    for ((k = 0; k < workers; k++)); do
        clone_database "$TEST_DB" "${TEST_DB}_gw$k"
        copy="$(datastore_db "${TEST_DB}_gw$k")"
        clone_database "$(datastore_db "$TEST_DB")" "$copy"
        # What a copy does not take from its template: database settings and grants.
        psql_admin >/dev/null <<SQL
alter database $copy set default_text_search_config to 'pg_catalog.portuguese';
grant connect on database $copy to $DB_RO_USER;
SQL
    done
    parallel=(-n "$workers" --dist loadfile)
fi

log "pytest ${parallel[*]} ${PYTEST_ARGS:-}"
status=0
# shellcheck disable=SC2086  # PYTEST_ARGS is a list of words on purpose
"$VENV/bin/pytest" "${parallel[@]}" ${PYTEST_ARGS:-} || status=$?
if [[ $contract -ne 0 ]]; then
    die "the import contract is broken (lint-imports above; exit status $contract)"
fi
case $status in
    0) log "All tests passed" ;;
    5) die "pytest collected no tests (exit status 5): that is a failure here" ;;
    *) die "pytest failed (exit status $status)" ;;
esac
