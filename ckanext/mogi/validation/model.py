"""The validation records and the LGPD audit trail (SQLAlchemy 2 Core).

``validation`` has the name and first columns of ckanext-validation's table
(id, resource_id, status, created, finished, report, error), so a database it
left behind keeps its reports; our columns come after them. Both tables are
declared on CKAN's metadata so that CKAN's ``reset_db`` empties them; they are
created by the plugin's alembic migration (``ckanext/mogi/migration/
mogi_validation``), run by ``ckan db upgrade``.

One record per resource (the latest run; ckanext-validation kept one too).
The audit table is append-only: LGPD justifications and the datasets the
worker made private.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.model import meta
from sqlalchemy.dialects.postgresql import JSONB

#: ckanext-validation's statuses (the resource's ``validation_status`` too).
STATUSES = ("created", "running", "success", "failure", "error")
PENDING = ("created", "running")

validation_table = sa.Table(
    "validation",
    meta.metadata,
    sa.Column("id", sa.Unicode, primary_key=True),
    sa.Column("resource_id", sa.Unicode),
    sa.Column("status", sa.Unicode),
    sa.Column("created", sa.DateTime),
    sa.Column("finished", sa.DateTime),
    sa.Column("report", JSONB),
    sa.Column("error", JSONB),
    # Added by ckanext-mogi.
    sa.Column("lgpd", JSONB),
    sa.Column("dialect", JSONB),
    sa.Column("inferred_schema", JSONB),
    sa.Column("options", JSONB),
    # The declared (resolved) schema the verdict was reached with; None when inferred.
    sa.Column("schema", JSONB),
    # SHA-256 of the bytes the verdict was reached on.
    sa.Column("file_sha256", sa.UnicodeText),
    sa.Column("fingerprint", sa.UnicodeText),
    # Runs started for this verdict (the reconciler requeues a lost job, up to a limit).
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
)

audit_table = sa.Table(
    "mogi_validation_audit",
    meta.metadata,
    sa.Column("id", sa.UnicodeText, primary_key=True),
    sa.Column("resource_id", sa.UnicodeText, nullable=False),
    sa.Column("package_id", sa.UnicodeText),
    # "justification" (LGPD, recorded by staff) or "made_private" (by the worker).
    sa.Column("event", sa.UnicodeText, nullable=False),
    sa.Column("user_name", sa.UnicodeText),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("legal_basis", sa.UnicodeText),
    sa.Column("text", sa.UnicodeText),
    # The resource's fingerprint (file, schema, options) the entry refers to.
    sa.Column("fingerprint", sa.UnicodeText),
)

EVENT_JUSTIFICATION = "justification"
EVENT_MADE_PRIVATE = "made_private"


def utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


def _row(row: Any) -> dict[str, Any] | None:
    return dict(row._mapping) if row is not None else None


def latest(resource_id: str) -> dict[str, Any] | None:
    """The resource's most recent validation record, or ``None``."""
    t = validation_table
    query = (
        sa.select(t)
        .where(t.c.resource_id == resource_id)
        .order_by(t.c.created.desc().nulls_last())
        .limit(1)
    )
    return _row(model.Session.execute(query).first())


def latest_for(resource_ids: list[str]) -> dict[str, dict[str, Any]]:
    """``{resource_id: latest record}`` for several resources at once."""
    if not resource_ids:
        return {}
    t = validation_table
    query = (
        sa.select(t)
        .where(t.c.resource_id.in_(resource_ids))
        .distinct(t.c.resource_id)
        .order_by(t.c.resource_id, t.c.created.desc().nulls_last())
    )
    return {row.resource_id: dict(row._mapping) for row in model.Session.execute(query)}


def start(
    resource_id: str, fingerprint: str | None, options: dict[str, Any] | None
) -> dict[str, Any]:
    """A new run: the resource's record reset to ``created`` (inserted if none)."""
    t = validation_table
    values = {
        "status": "created",
        "created": utcnow(),
        "finished": None,
        "report": None,
        "error": None,
        "lgpd": None,
        "dialect": None,
        "inferred_schema": None,
        "schema": None,
        "file_sha256": None,
        "options": options,
        "fingerprint": fingerprint,
        "attempts": 0,
    }
    current = latest(resource_id)
    if current is None:
        record_id = str(uuid.uuid4())
        model.Session.execute(t.insert().values(id=record_id, resource_id=resource_id, **values))
    else:
        record_id = current["id"]
        model.Session.execute(t.update().where(t.c.id == record_id).values(**values))
    return {"id": record_id, "resource_id": resource_id, **values}


def pending_before(moment: datetime.datetime) -> list[dict[str, Any]]:
    """Records still ``created``/``running`` whose run was scheduled before ``moment``."""
    t = validation_table
    query = (
        sa.select(t)
        .where(t.c.status.in_(PENDING), t.c.created < moment)
        .order_by(t.c.created)
    )
    return [dict(row._mapping) for row in model.Session.execute(query)]


def unrecorded_resources() -> list[model.Resource]:
    """Active resources of active datasets that have no validation record at all
    (validated before this plugin was enabled, or whose record was deleted)."""
    t = validation_table
    return (
        model.Session.query(model.Resource)
        .join(model.Package, model.Package.id == model.Resource.package_id)
        .filter(
            model.Resource.state == "active",
            model.Package.state == "active",
            ~sa.exists().where(t.c.resource_id == model.Resource.id),
        )
        .all()
    )


def begin(
    resource_id: str, fingerprint: str | None, options: dict[str, Any] | None
) -> dict[str, Any]:
    """A run about to check the file: the resource's pending record (a new run
    when none is pending), marked ``running`` for this fingerprint."""
    current = latest(resource_id)
    record_id = (
        current["id"]
        if current is not None and current["status"] in PENDING
        else start(resource_id, fingerprint, options)["id"]
    )
    record = update(record_id, status="running", fingerprint=fingerprint)
    assert record is not None
    return record


def update(record_id: str, **values: Any) -> dict[str, Any] | None:
    """Change a record; the record as stored now (``None`` if there is none)."""
    t = validation_table
    query = t.update().where(t.c.id == record_id).values(**values).returning(*t.c)
    return _row(model.Session.execute(query).first())


def delete(resource_id: str) -> int:
    """Delete the resource's records; how many there were."""
    t = validation_table
    result = model.Session.execute(t.delete().where(t.c.resource_id == resource_id))
    return int(result.rowcount or 0)


def add_audit(
    resource_id: str,
    package_id: str | None,
    event: str,
    *,
    user_name: str | None,
    legal_basis: str | None = None,
    text: str | None = None,
    fingerprint: str | None = None,
) -> dict[str, Any]:
    values = {
        "id": str(uuid.uuid4()),
        "resource_id": resource_id,
        "package_id": package_id,
        "event": event,
        "user_name": user_name,
        "created": utcnow(),
        "legal_basis": legal_basis,
        "text": text,
        "fingerprint": fingerprint,
    }
    model.Session.execute(audit_table.insert().values(**values))
    return values


def audit(resource_id: str, event: str | None = None) -> list[dict[str, Any]]:
    """The resource's audit entries, newest first."""
    t = audit_table
    query = sa.select(t).where(t.c.resource_id == resource_id)
    if event:
        query = query.where(t.c.event == event)
    query = query.order_by(t.c.created.desc())
    return [dict(row._mapping) for row in model.Session.execute(query)]


def justified(pairs: list[tuple[str, str | None]]) -> set[tuple[str, str | None]]:
    """Which ``(resource_id, fingerprint)`` have an LGPD justification (one query)."""
    if not pairs:
        return set()
    t = audit_table
    query = sa.select(t.c.resource_id, t.c.fingerprint).where(
        t.c.event == EVENT_JUSTIFICATION,
        t.c.resource_id.in_(sorted({rid for rid, _ in pairs})))
    found = {(row.resource_id, row.fingerprint) for row in model.Session.execute(query)}
    return found & set(pairs)


def justification(resource_id: str, fingerprint: str | None) -> dict[str, Any] | None:
    """The newest LGPD justification recorded for this very file (fingerprint)."""
    for entry in audit(resource_id, EVENT_JUSTIFICATION):
        if entry["fingerprint"] == fingerprint:
            return entry
    return None
