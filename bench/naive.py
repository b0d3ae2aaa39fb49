"""The naive baseline: search straight over CKAN's tables, as ckanext-pgsearch does.

GSA's ckanext-pgsearch answers ``package_search`` with ``ILIKE '%q%'`` over
``package.name``/``title``/``notes``, filters through joins/subqueries on
``group``, ``member`` and ``package_tag``, a ``count()`` and a paged
``SELECT``. Facets are computed here with one ``GROUP BY`` per field over
the same matching set (pgsearch only counts the page, which is cheaper but
wrong). Seven parameterised statements per search, no search index.

Flattering to the baseline on purpose: pgsearch also ORs an unindexed
``to_tsvector(...) @@ plainto_tsquery(...)`` into the text filter and calls
``package_show`` for every result; both are left out, so the ratio
reported against it is conservative.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

FACET_LIMIT = 50

# Facet field -> (extra FROM/JOIN, value expression, counted expression).
_FACETS: dict[str, tuple[str, str, str]] = {
    "organization": ('JOIN "group" AS fg ON fg.id = p.owner_org', "fg.name", "p.id"),
    "groups": (
        "JOIN member AS fm ON fm.table_id = p.id AND fm.table_name = 'package' "
        "AND fm.state = 'active' "
        "JOIN \"group\" AS fg ON fg.id = fm.group_id AND NOT fg.is_organization "
        "AND fg.state = 'active'",
        "fg.name",
        "DISTINCT p.id",
    ),
    "tags": (
        "JOIN package_tag AS fpt ON fpt.package_id = p.id AND fpt.state = 'active' "
        "JOIN tag AS ft ON ft.id = fpt.tag_id AND ft.vocabulary_id IS NULL",
        "ft.name",
        "p.id",
    ),
    "res_format": (
        "JOIN resource AS fr ON fr.package_id = p.id AND fr.state = 'active' "
        "AND fr.format <> ''",
        "fr.format",
        "DISTINCT p.id",
    ),
    "license_id": ("", "p.license_id", "p.id"),
}

# Filter field -> predicate over ``p`` taking the bound value ``:{name}``.
_FILTERS: dict[str, str] = {
    "organization": 'p.owner_org IN (SELECT g.id FROM "group" AS g WHERE g.name = :{name})',
    "groups": (
        "p.id IN (SELECT m.table_id FROM member AS m JOIN \"group\" AS g ON g.id = m.group_id "
        "WHERE m.table_name = 'package' AND m.state = 'active' AND g.name = :{name})"
    ),
    "tags": (
        "p.id IN (SELECT pt.package_id FROM package_tag AS pt JOIN tag AS t ON t.id = pt.tag_id "
        "WHERE pt.state = 'active' AND t.name = :{name})"
    ),
    "res_format": (
        "p.id IN (SELECT r.package_id FROM resource AS r "
        "WHERE r.state = 'active' AND r.format = :{name})"
    ),
    "license_id": "p.license_id = :{name}",
}


@dataclass
class NaiveResult:
    hits: int
    ids: list[str]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


def search(session: Session, q: str, filters: list[tuple[str, str]], facet_fields: list[str],
           rows: int, start: int) -> NaiveResult:
    """One logical ``package_search`` for an anonymous user, naively."""
    params: dict[str, Any] = {"rows": rows, "start": start, "limit": FACET_LIMIT}
    where = ["p.state = 'active'", "p.type = 'dataset'", "NOT p.private"]
    if q.strip():
        params["pattern"] = f"%{q.strip()}%"
        where.append("(p.name ILIKE :pattern OR p.title ILIKE :pattern "
                     "OR p.notes ILIKE :pattern)")
    for number, (name, value) in enumerate(filters):
        key = f"f{number}"
        params[key] = value
        where.append(_FILTERS[name].format(name=key))
    condition = " AND ".join(where)

    hits = session.execute(
        sa.text(f"SELECT count(*) FROM package AS p WHERE {condition}"), params
    ).scalar_one()
    ids = list(session.execute(
        sa.text(f"SELECT p.id FROM package AS p WHERE {condition} "
                "ORDER BY p.metadata_modified DESC, p.id LIMIT :rows OFFSET :start"),
        params,
    ).scalars())
    facets: dict[str, dict[str, int]] = {}
    for name in facet_fields:
        join, value, counted = _FACETS[name]
        counts = session.execute(
            sa.text(f"SELECT {value} AS v, count({counted}) AS c FROM package AS p {join} "
                    f"WHERE {condition} AND {value} IS NOT NULL GROUP BY {value} "
                    "ORDER BY c DESC, v LIMIT :limit"),
            params,
        )
        facets[name] = {r.v: r.c for r in counts}
    return NaiveResult(hits=hits, ids=ids, facets=facets)
