"""When datasets last entered or left the public catalogue.

The catalogue's validators (:func:`ckanext.mogi.dcat.http.catalog_state`)
are computed from public active datasets only, so that nothing done to a
private dataset shows in them. The latest ``metadata_modified`` of those
datasets moves whenever one of them is edited or published, but not when one
leaves the catalogue (made private, deleted, purged; the validation's
blocking mode flips ``private`` without touching ``metadata_modified``).

A SQLAlchemy ``before_flush`` hook therefore watches every dataset whose
``private`` or ``state`` changes, or that is created or purged, and when it
is public and active before or after the change, records the time in CKAN's
``system_info`` table (key :data:`KEY`), in the same transaction. A change
between two non-public states (editing a private dataset, deleting a draft)
records nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.model.system_info import system_info_table
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import attributes

#: ``system_info`` key of the last time the public catalogue gained or lost a dataset.
KEY = "mogi_dcat.public_catalogue_changed"
#: ``system_info`` key of the last verdict on a table of a public dataset.
VERDICT_KEY = "mogi_dcat.public_verdict"
#: ``session.info`` flag: this flush moves a dataset in or out of the catalogue.
_MOVED = "mogi_dcat_public_catalogue_moved"


def _public(state: Any, private: Any) -> bool:
    return state == "active" and not private


def _old_values(session: Any, package: model.Package) -> tuple[Any, Any]:
    """``(state, private)`` of ``package`` before this flush."""
    inspected = sa.inspect(package)
    old: dict[str, Any] = {}
    for name in ("state", "private"):
        history = inspected.attrs[name].history
        if history.deleted:
            old[name] = history.deleted[0]
        elif history.unchanged:
            old[name] = history.unchanged[0]
    if len(old) < 2 and inspected.persistent:
        # Set without being loaded first: the row still holds the old values.
        row = session.connection().execute(
            sa.select(model.package_table.c.state, model.package_table.c.private)
            .where(model.package_table.c.id == package.id)
        ).one_or_none()
        if row is not None:
            old.setdefault("state", row.state)
            old.setdefault("private", row.private)
    return old.get("state"), old.get("private")


def moves_catalogue(session: Any, package: model.Package, *, purged: bool = False) -> bool:
    """Whether this flush adds ``package`` to the public catalogue or takes it out."""
    if package in session.new:
        return _public(package.state, package.private)
    if purged:
        return _public(*_old_values(session, package))
    if not any(attributes.get_history(package, name).has_changes()
               for name in ("state", "private")):
        return False
    return _public(*_old_values(session, package)) != _public(package.state, package.private)


def _before_flush(session: Any, _flush_context: Any, _instances: Any) -> None:
    if session.info.get(_MOVED):
        return
    for package in (*session.new, *session.dirty):
        if isinstance(package, model.Package) and moves_catalogue(session, package):
            session.info[_MOVED] = True
            return
    for package in session.deleted:
        if isinstance(package, model.Package) and moves_catalogue(session, package,
                                                                   purged=True):
            session.info[_MOVED] = True
            return


def _stamp(connection: Any, key: str) -> None:
    """``system_info[key]`` = now (naive UTC, ISO 8601)."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat()
    statement = insert(system_info_table).values(key=key, value=now, state="active")
    connection.execute(statement.on_conflict_do_update(
        index_elements=[system_info_table.c.key], set_={"value": now}))


def _after_flush(session: Any, _flush_context: Any) -> None:
    if not session.info.pop(_MOVED, False):
        return
    _stamp(session.connection(), KEY)


def _after_rollback(session: Any) -> None:
    session.info.pop(_MOVED, None)


def install_session_hooks() -> None:
    """Listen to the CKAN session's flushes (idempotent)."""
    for name, hook in (("before_flush", _before_flush), ("after_flush", _after_flush),
                       ("after_rollback", _after_rollback)):
        if not sa.event.contains(model.Session, name, hook):
            sa.event.listen(model.Session, name, hook)


def _read(key: str) -> dt.datetime | None:
    value = model.Session.execute(
        sa.select(system_info_table.c.value).where(system_info_table.c.key == key)
    ).scalar()
    try:
        return dt.datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def last_change() -> dt.datetime | None:
    """When a dataset last entered or left the public catalogue (naive UTC), if ever."""
    return _read(KEY)


def on_verdict(_resource_id: str, package_id: str | None = None, **_kwargs: Any) -> None:
    """Listener of ``mogi_validation_verdict``: a table of a PUBLIC dataset got a
    verdict, which changes its DQV validation measurement (:mod:`.quality`)
    without moving ``metadata_modified``; record when (:data:`VERDICT_KEY`)."""
    package = model.Package.get(package_id) if package_id else None
    if package is None or not _public(package.state, package.private):
        return
    _stamp(model.Session.connection(), VERDICT_KEY)
    model.Session.commit()


def last_verdict() -> dt.datetime | None:
    """When a table of a public dataset last got a verdict (naive UTC), if ever."""
    return _read(VERDICT_KEY)
