# shellcheck shell=bash
# Sourced by ckan-base's start_ckan.sh after prerun.py (db init), before uWSGI
# starts: CKAN's DataStore permissions (`ckan datastore set-permissions`: the
# read-only role may only read the DataStore; _table_metadata, the full-text
# trigger, the row-count functions), applied on every start (the script can
# run any number of times). The database and the read-only role come from
# the db service (docker/postgres/20-mogi-datastore.sh). The SQL runs on the
# DataStore's write URL, whose role (POSTGRES_USER of the db service) is the
# database's superuser in this compose set-up.
if ckan -c "$CKAN_INI" datastore set-permissions >/tmp/mogi-datastore-permissions.sql; then
    python3 - /tmp/mogi-datastore-permissions.sql <<'PY' || echo "[mogi] applying the DataStore permissions failed"
import os
import re
import sys

import psycopg2

with open(sys.argv[1], encoding="utf-8") as script:
    # psql's \connect line: this connection is already on the DataStore database.
    sql = re.sub(r"(?m)^\\connect .*$", "", script.read())
connection = psycopg2.connect(os.environ["CKAN_DATASTORE_WRITE_URL"])
with connection, connection.cursor() as cursor:
    cursor.execute(sql)
connection.close()
print("[mogi] DataStore permissions applied")
PY
else
    echo "[mogi] ckan datastore set-permissions failed"
fi
rm -f /tmp/mogi-datastore-permissions.sql
