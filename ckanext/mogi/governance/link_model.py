"""The stored link checks (SQLAlchemy 2 Core, CKAN's database).

``mogi_link_check``: one row per linked resource, its latest check:

- ``url``: the link checked (a result whose ``url`` is not the resource's
  link any more is stale: the link changed since);
- ``checked_at`` (UTC), ``outcome`` (``linkcheck.OUTCOMES``), ``http_status``,
  ``final_url`` (after redirects), ``content_type`` (media type seen),
  ``redirects``, ``detail`` (the parameters of the explanation).

``mogi_link_check_run``: one row (``name = "catalogue"``), the scheduled run:
the job that was queued, when it was queued, started and finished, and how
many links it checked.

Declared on CKAN's metadata, so CKAN's ``reset_db`` empties them; created by
the plugin's migration (``ckanext/mogi/migration/mogi_governance``).
"""

from __future__ import annotations

import datetime
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.model import meta
from sqlalchemy.dialects.postgresql import JSONB, insert

CATALOGUE = "catalogue"

check_table = sa.Table(
    "mogi_link_check",
    meta.metadata,
    sa.Column("resource_id", sa.UnicodeText, primary_key=True),
    sa.Column("package_id", sa.UnicodeText, nullable=False),
    sa.Column("url", sa.UnicodeText, nullable=False),
    sa.Column("checked_at", sa.DateTime, nullable=False),
    sa.Column("outcome", sa.UnicodeText, nullable=False),
    sa.Column("http_status", sa.Integer),
    sa.Column("final_url", sa.UnicodeText),
    sa.Column("content_type", sa.UnicodeText),
    sa.Column("redirects", sa.Integer, nullable=False, server_default="0"),
    sa.Column("detail", JSONB, nullable=False, server_default="{}"),
    sa.Index("mogi_link_check_outcome_idx", "outcome"),
)

run_table = sa.Table(
    "mogi_link_check_run",
    meta.metadata,
    sa.Column("name", sa.UnicodeText, primary_key=True),
    sa.Column("job_id", sa.UnicodeText),
    sa.Column("queued_at", sa.DateTime),
    sa.Column("started_at", sa.DateTime),
    sa.Column("finished_at", sa.DateTime),
    sa.Column("checked", sa.Integer),
)


def utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


def save(resource_id: str, package_id: str, url: str, **values: Any) -> None:
    """Store the resource's latest check (``checked_at`` = now)."""
    values = {"package_id": package_id, "url": url, "checked_at": utcnow(), **values}
    statement = insert(check_table).values(resource_id=resource_id, **values)
    model.Session.execute(statement.on_conflict_do_update(
        index_elements=[check_table.c.resource_id], set_=values))


def get(resource_id: str) -> dict[str, Any] | None:
    row = model.Session.execute(
        sa.select(check_table).where(check_table.c.resource_id == resource_id)).first()
    return dict(row._mapping) if row is not None else None


def run_state(lock: bool = False) -> dict[str, Any]:
    """The scheduled run's row (created empty when missing); ``lock``: held
    (``FOR UPDATE``) until the transaction ends, so that two workers' maintenance
    never both queue a run."""
    model.Session.execute(insert(run_table).values(name=CATALOGUE).on_conflict_do_nothing())
    query = sa.select(run_table).where(run_table.c.name == CATALOGUE)
    if lock:
        query = query.with_for_update()
    row = model.Session.execute(query).first()
    assert row is not None
    return dict(row._mapping)


def save_run(**values: Any) -> None:
    run_state()
    model.Session.execute(
        run_table.update().where(run_table.c.name == CATALOGUE).values(**values))
