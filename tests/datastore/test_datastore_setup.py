"""The DataStore set-up of `make run` / `make test` (scripts/lib.sh): its own
database beside CKAN's, a read-only role, CKAN's permissions script, Portuguese
full text. Real PostgreSQL, the real scripts."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa
from ckan.plugins import toolkit

ROOT = Path(__file__).resolve().parents[2]
LIB = ROOT / "scripts" / "lib.sh"


def _engine(url: str) -> sa.Engine:
    return sa.create_engine(url, poolclass=sa.NullPool)


def test_the_datastore_of_the_test_database_is_its_own():
    """Parallel test runs (MOGI_TEST_DB_NAME) never share a DataStore."""
    main = sa.make_url(toolkit.config["sqlalchemy.url"])
    write = sa.make_url(toolkit.config["ckan.datastore.write_url"])
    read = sa.make_url(toolkit.config["ckan.datastore.read_url"])
    assert write.database == read.database == f"{main.database}_datastore"
    assert write.username == main.username
    assert read.username != write.username


def test_the_read_only_role_reads_but_never_writes():
    engine = _engine(toolkit.config["ckan.datastore.read_url"])
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT count(*) FROM _table_metadata")).scalar_one()
            with pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
                conn.execute(sa.text("CREATE TABLE mogi_intruder (a int)"))
    finally:
        engine.dispose()


def test_full_text_is_portuguese_in_ckan_and_in_the_database():
    assert toolkit.config["ckan.datastore.default_fts_lang"] == "portuguese"
    engine = _engine(toolkit.config["ckan.datastore.write_url"])
    try:
        with engine.connect() as conn:
            # CKAN's own full-text trigger uses the database's default configuration.
            assert conn.execute(sa.text("SHOW default_text_search_config")).scalar_one() == (
                "pg_catalog.portuguese")
    finally:
        engine.dispose()


def test_sql_search_is_on_and_read_only():
    search_sql = toolkit.get_action("datastore_search_sql")
    with pytest.raises(toolkit.ValidationError):
        search_sql({"ignore_auth": True}, {"sql": "DELETE FROM _table_metadata"})
    result = search_sql({"ignore_auth": True}, {"sql": "SELECT 1 AS um"})
    assert result["records"] == [{"um": 1}]


def test_setting_the_permissions_again_is_harmless():
    """What `make run` / `make test` run every time, twice in a row."""
    for _ in range(2):
        done = subprocess.run(
            ["bash", "-c", f"source {LIB} && datastore_permissions test.ini"],
            cwd=ROOT, env=os.environ.copy(), capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    engine = _engine(toolkit.config["ckan.datastore.read_url"])
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT count(*) FROM _table_metadata")).scalar_one()
    finally:
        engine.dispose()
