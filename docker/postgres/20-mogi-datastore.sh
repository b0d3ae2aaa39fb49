#!/bin/bash
# The DataStore's database and its read-only role (CKAN's `datastore` plugin).
#
# The postgres image runs this from /docker-entrypoint-initdb.d when it creates
# a new data volume. It only adds what is missing, so it can also be run by
# hand on an existing volume (a portal that predates the DataStore):
#
#   docker compose -f docker/docker-compose.yml exec db \
#       bash /docker-entrypoint-initdb.d/20-mogi-datastore.sh
#
# Permissions are CKAN's own script (`ckan datastore set-permissions`), applied
# by the ckan container on every start (docker/entrypoint.d/30-mogi-datastore.sh).
set -euo pipefail

DATASTORE_DB="${DATASTORE_DB:-ckan_mogi_datastore}"
READONLY_USER="${DATASTORE_READONLY_USER:-ckan_mogi_ro}"
: "${DATASTORE_READONLY_PASSWORD:?set DATASTORE_READONLY_PASSWORD in docker/.env}"

psql_admin() {
    psql -v ON_ERROR_STOP=1 -Atq --username "${POSTGRES_USER:-postgres}" --dbname postgres "$@"
}

if [[ -z "$(psql_admin -c "select 1 from pg_roles where rolname = '$READONLY_USER'")" ]]; then
    echo "[mogi] creating the DataStore's read-only role $READONLY_USER"
    psql_admin -v name="$READONLY_USER" -v password="$DATASTORE_READONLY_PASSWORD" <<'SQL'
CREATE ROLE :"name" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD :'password';
SQL
fi
if [[ -z "$(psql_admin -c "select 1 from pg_database where datname = '$DATASTORE_DB'")" ]]; then
    echo "[mogi] creating the DataStore database $DATASTORE_DB"
    psql_admin -v name="$DATASTORE_DB" -v owner="${POSTGRES_USER:-postgres}" <<'SQL'
CREATE DATABASE :"name" OWNER :"owner" ENCODING 'UTF8' TEMPLATE template0;
SQL
fi
# CKAN's own full-text trigger uses the database's default configuration:
# Portuguese, as ckan.datastore.default_fts_lang.
psql_admin -v name="$DATASTORE_DB" <<'SQL'
ALTER DATABASE :"name" SET default_text_search_config TO 'pg_catalog.portuguese';
SQL
