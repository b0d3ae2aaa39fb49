"""The load state of each table (SQLAlchemy 2 Core, CKAN's database).

One row per resource whose table the loader has dealt with:

- ``state``: ``queued`` (a job waits), ``loading``, ``loaded``, ``failed``
  (the last attempt failed: the rows of the previous load, if any, stay),
  ``not_loaded`` (the table's validation does not allow it: no rows);
- ``verdict``: the validation verdict (its ``finished`` time) the last
  decision followed; ``attempts``: jobs started for it (the reconciler gives
  up after ``ckanext.mogi.datastore.max_attempts``);
- ``loaded_at``, ``rows``, ``loaded_verdict``: the rows visitors see now;
- ``error``: why the last attempt failed (site's language), else None.

Declared on CKAN's metadata, so CKAN's ``reset_db`` empties it; created by
the plugin's migration (``ckanext/mogi/migration/mogi_datastore``).
"""

from __future__ import annotations

import datetime
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.model import meta
from sqlalchemy.dialects.postgresql import insert

QUEUED, LOADING, LOADED, FAILED, NOT_LOADED = (
    "queued", "loading", "loaded", "failed", "not_loaded")

load_table = sa.Table(
    "mogi_datastore_load",
    meta.metadata,
    sa.Column("resource_id", sa.UnicodeText, primary_key=True),
    sa.Column("package_id", sa.UnicodeText),
    sa.Column("state", sa.UnicodeText, nullable=False),
    sa.Column("verdict", sa.UnicodeText),
    sa.Column("job_id", sa.UnicodeText),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("updated", sa.DateTime, nullable=False),
    sa.Column("loaded_verdict", sa.UnicodeText),
    sa.Column("loaded_at", sa.DateTime),
    sa.Column("rows", sa.BigInteger),
    sa.Column("error", sa.UnicodeText),
)


def utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


def get(resource_id: str) -> dict[str, Any] | None:
    row = model.Session.execute(
        sa.select(load_table).where(load_table.c.resource_id == resource_id)).first()
    return dict(row._mapping) if row is not None else None


def get_many(resource_ids: list[str]) -> dict[str, dict[str, Any]]:
    if not resource_ids:
        return {}
    query = sa.select(load_table).where(load_table.c.resource_id.in_(resource_ids))
    return {row.resource_id: dict(row._mapping) for row in model.Session.execute(query)}


def save(resource_id: str, **values: Any) -> dict[str, Any]:
    """Insert or update the resource's row with ``values`` (``updated`` = now)."""
    values = {**values, "updated": utcnow()}
    statement = insert(load_table).values(
        resource_id=resource_id, **{"state": QUEUED, **values})
    statement = statement.on_conflict_do_update(
        index_elements=[load_table.c.resource_id], set_=values).returning(*load_table.c)
    row = model.Session.execute(statement).first()
    assert row is not None
    return dict(row._mapping)


def delete(resource_id: str) -> None:
    model.Session.execute(load_table.delete().where(load_table.c.resource_id == resource_id))
