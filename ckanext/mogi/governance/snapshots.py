"""The panel's daily counts per Secretaria, kept for the charts over time.

One row per day, Secretaria and scope: ``all`` (every dataset, for staff
entitled to them) or ``public`` (public datasets only, for the public page
and for viewers who may not read a Secretaria's private datasets). Taken
once a day by :func:`take` (the job worker's maintenance, or
``ckan mogi painel instantaneo``); taking it again the same day replaces it.

Declared on CKAN's metadata, so CKAN's ``reset_db`` empties it; created by
the migration ``ckanext/mogi/migration/mogi_governance``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.model import meta
from sqlalchemy.dialects.postgresql import JSONB, insert

snapshot_table = sa.Table(
    "mogi_governance_snapshot",
    meta.metadata,
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("organization_id", sa.UnicodeText, primary_key=True),
    sa.Column("scope", sa.UnicodeText, primary_key=True),
    sa.Column("counts", JSONB, nullable=False),
)


def save(day: dt.date, scope: str, counts: Mapping[str, Mapping[str, int]]) -> None:
    """Store (or replace) the day's counts of each Secretaria in ``scope``."""
    if not counts:
        return
    statement = insert(snapshot_table).values([
        {"day": day, "organization_id": org_id, "scope": scope, "counts": dict(values)}
        for org_id, values in counts.items()])
    statement = statement.on_conflict_do_update(
        index_elements=[snapshot_table.c.day, snapshot_table.c.organization_id,
                        snapshot_table.c.scope],
        set_={"counts": statement.excluded.counts})
    model.Session.execute(statement)


def taken(day: dt.date) -> bool:
    t = snapshot_table
    return model.Session.execute(
        sa.select(sa.literal(1)).where(t.c.day == day).limit(1)).first() is not None


def series(since: dt.date, key: str, scopes: Mapping[str, str],
           ) -> dict[str, dict[dt.date, int]]:
    """``{org_id: {day: counts[key]}}`` from ``since``, each Secretaria of
    ``scopes`` read in its scope (one query)."""
    if not scopes:
        return {}
    t = snapshot_table
    wanted = sa.or_(*(sa.and_(t.c.organization_id == org_id, t.c.scope == scope)
                      for org_id, scope in scopes.items()))
    query = sa.select(t.c.day, t.c.organization_id, t.c.counts[key].astext).where(
        t.c.day >= since, wanted).order_by(t.c.day)
    result: dict[str, dict[dt.date, int]] = {org_id: {} for org_id in scopes}
    for day, org_id, value in model.Session.execute(query):
        result[org_id][day] = int(value or 0)
    return result


def days(entries: Iterable[Mapping[dt.date, Any]]) -> list[dt.date]:
    return sorted({day for entry in entries for day in entry})
