"""Where the OCDS releases live: two tables of CKAN's database (SQLAlchemy 2 Core).

- ``mogi_ocds_release``: one row per release of a resource (``seq`` keeps the
  source's order), with the columns the pages filter and sort on (``ocid``,
  ``buyer``, ``modality``, ``status``, ``year``, ``date``), a Portuguese
  full-text vector (``search``), the release itself (``release``, JSONB) and
  its size as the packages write it (``bytes``: the distribution's byte size).
  A resource's releases are replaced as a whole, in one transaction
  (:func:`replace_releases`): readers see the old set or the new one.
- ``mogi_ocds_import``: the import state of each resource whose file or table
  was looked at (see :mod:`.imports`): ``state`` (``queued``, ``importing``,
  ``imported``, ``failed``, ``skipped``: not OCDS material), the job, the
  attempts, ``fingerprint`` (what was imported: the file's hash, or the
  table's verdict), how many releases, the ``findings`` staff see, ``error``,
  ``created`` (first seen: the OCDS distribution's issue date).

Visibility is never stored: every public query joins CKAN's ``package`` table
(``queries.public``), so a dataset made private, deleted or draft drops
out of every answer at once. Declared on CKAN's metadata, so ``reset_db``
empties them; created by the migration ``ckanext/mogi/migration/mogi_ocds``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.model import meta
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR, insert

QUEUED, IMPORTING, IMPORTED, FAILED, SKIPPED = (
    "queued", "importing", "imported", "failed", "skipped")

release_table = sa.Table(
    "mogi_ocds_release",
    meta.metadata,
    sa.Column("resource_id", sa.UnicodeText, primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("package_id", sa.UnicodeText, nullable=False),
    sa.Column("ocid", sa.UnicodeText, nullable=False),
    sa.Column("release_id", sa.UnicodeText, nullable=False),
    sa.Column("buyer", sa.UnicodeText),
    sa.Column("modality", sa.UnicodeText),
    sa.Column("status", sa.UnicodeText),
    sa.Column("year", sa.Integer),
    sa.Column("date", sa.DateTime(timezone=True)),
    sa.Column("search", TSVECTOR, nullable=False),
    sa.Column("release", JSONB, nullable=False),
    sa.Column("bytes", sa.Integer, nullable=False),
)

import_table = sa.Table(
    "mogi_ocds_import",
    meta.metadata,
    sa.Column("resource_id", sa.UnicodeText, primary_key=True),
    sa.Column("package_id", sa.UnicodeText),
    sa.Column("source", sa.UnicodeText),
    sa.Column("state", sa.UnicodeText, nullable=False),
    sa.Column("job_id", sa.UnicodeText),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("fingerprint", sa.UnicodeText),
    sa.Column("updated", sa.DateTime, nullable=False),
    sa.Column("created", sa.DateTime, nullable=False,
              server_default=sa.text("timezone('utc', now())")),
    sa.Column("imported_at", sa.DateTime),
    sa.Column("releases", sa.Integer),
    sa.Column("findings", JSONB),
    sa.Column("error", sa.UnicodeText),
)

#: Rows written per INSERT while a resource's releases are replaced.
BATCH = 500


def utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


# ------------------------------------------------------------------ releases
def replace_releases(resource_id: str, package_id: str,
                     rows: Iterable[Mapping[str, Any]]) -> int:
    """Replace every release of the resource with ``rows`` (dicts of the
    table's columns but ``resource_id``, ``seq``, ``package_id``; ``search``
    is the text to index). Not committed: the caller commits once, so the set
    changes whole or not at all. Returns how many rows were written."""
    session = model.Session
    session.execute(release_table.delete().where(release_table.c.resource_id == resource_id))
    count = 0
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append({**row, "resource_id": resource_id, "package_id": package_id,
                      "seq": count})
        count += 1
        if len(batch) >= BATCH:
            _insert(batch)
            batch = []
    if batch:
        _insert(batch)
    return count


def _insert(batch: list[dict[str, Any]]) -> None:
    statement = release_table.insert().values(
        search=sa.func.to_tsvector(sa.literal_column("'portuguese'::regconfig"),
                                   sa.bindparam("text_")))
    model.Session.execute(statement, [
        {**{k: v for k, v in row.items() if k != "search"}, "text_": row["search"]}
        for row in batch])


def delete_releases(resource_ids: Iterable[str]) -> None:
    ids = list(resource_ids)
    if ids:
        model.Session.execute(release_table.delete().where(
            release_table.c.resource_id.in_(ids)))


# ------------------------------------------------------------------- imports
def get_import(resource_id: str) -> dict[str, Any] | None:
    row = model.Session.execute(
        sa.select(import_table).where(import_table.c.resource_id == resource_id)).first()
    return dict(row._mapping) if row is not None else None


def all_imports() -> list[dict[str, Any]]:
    return [dict(row._mapping) for row in model.Session.execute(sa.select(import_table))]


def save_import(resource_id: str, **values: Any) -> dict[str, Any]:
    """Insert or update the resource's import state (``updated`` = now)."""
    values = {**values, "updated": utcnow()}
    statement = insert(import_table).values(
        resource_id=resource_id, **{"state": QUEUED, **values})
    statement = statement.on_conflict_do_update(
        index_elements=[import_table.c.resource_id], set_=values).returning(*import_table.c)
    row = model.Session.execute(statement).first()
    assert row is not None
    return dict(row._mapping)


def delete_import(resource_id: str) -> None:
    model.Session.execute(import_table.delete().where(
        import_table.c.resource_id == resource_id))
    model.Session.execute(release_table.delete().where(
        release_table.c.resource_id == resource_id))
