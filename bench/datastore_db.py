"""The DataStore database of a bench configuration, as ``make run`` sets it up.

``ensure_datastore(config, admin_user)`` creates, when missing, the read-only
role and the database of the configuration's ``ckan.datastore.write_url`` /
``read_url`` (owner: the write URL's role), then applies CKAN's own
permissions script (``ckan datastore set-permissions``) as ``admin_user``.
Every step can run again without harm. Call it before the first ``ckan``
command on the configuration: the ``datastore`` plugin connects to both URLs
when it starts.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent


def ensure_datastore(config: Path, admin_user: str) -> None:
    from ckan.cli import load_config

    settings = load_config(str(config))
    write = sa.make_url(settings["ckan.datastore.write_url"])
    read = sa.make_url(settings["ckan.datastore.read_url"])
    admin = sa.create_engine(write.set(username=admin_user, password=None, database="postgres"),
                             isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    try:
        with admin.connect() as conn:
            if not conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :name"),
                                {"name": read.username}).scalar():
                print(f"Creating role {read.username} (DataStore, read-only).")
                conn.execute(sa.text(f'CREATE ROLE "{read.username}" LOGIN NOSUPERUSER '
                                     "NOCREATEDB NOCREATEROLE NOINHERIT"))
            if not conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                {"name": write.database}).scalar():
                print(f"Creating database {write.database} (DataStore).")
                conn.execute(sa.text(f'CREATE DATABASE "{write.database}" '
                                     f'OWNER "{write.username}"'))
            # CKAN's full-text trigger: Portuguese, as ckan.datastore.default_fts_lang.
            conn.execute(sa.text(f'ALTER DATABASE "{write.database}" '
                                 "SET default_text_search_config TO 'pg_catalog.portuguese'"))
    finally:
        admin.dispose()
    ckan_cli = Path(sys.executable).with_name("ckan")
    script = subprocess.run([str(ckan_cli), "-c", str(config), "datastore", "set-permissions"],
                            check=True, capture_output=True, text=True, cwd=ROOT).stdout
    # psql's \connect line: the connection below is already on that database.
    script = re.sub(r"(?m)^\\connect .*$", "", script)
    engine = sa.create_engine(write.set(username=admin_user, password=None),
                              poolclass=sa.NullPool)
    try:
        raw = engine.raw_connection()
        try:
            with raw.cursor() as cursor:
                cursor.execute(script)
            raw.commit()
        finally:
            raw.close()
    finally:
        engine.dispose()
