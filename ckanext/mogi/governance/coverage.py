"""Coverage of the recurring publications of the schemas library.

Each schema of the library (licitações, contratos, despesas...) is a
publication the city owes regularly. A dataset covers it when one of its
resources is validated against that schema (its ``schema`` is the library's
address); the library and that mapping are ``mogi_validation``'s, read
through its template helpers. A publication nobody covers is a gap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from ckan.plugins import toolkit

from ckanext.mogi.governance import freshness


def publications() -> list[dict[str, str]]:
    """``[{"name", "title"}]`` of the library (empty without ``mogi_validation``)."""
    helper = getattr(toolkit.h, "mogi_validation_library_choices", None)
    if helper is None:
        return []
    return [{"name": c["value"], "title": c["label"]} for c in helper()]


def coverage(rows: Iterable[Mapping[str, Any]], on: dt.date, days: int,
             library: list[dict[str, str]]) -> list[dict[str, Any]]:
    """One entry per publication, ``{"name", "title", "datasets": [...]}``,
    each dataset ``{"dataset", "title", "org_id", "modified", "next",
    "freshness", "current"}``; ``datasets`` empty for a gap."""
    by_name: dict[str, list[dict[str, Any]]] = {p["name"]: [] for p in library}
    for row in rows:
        for name in row["publications"]:
            if name not in by_name:
                continue
            status = freshness.status(row, on, days)
            by_name[name].append({
                "dataset": row["name"], "title": row["title"], "org_id": row["org_id"],
                "state": row["state"], "modified": row["modified"],
                "next": row[freshness.NEXT_UPDATE], "freshness": status,
                "current": status != "overdue"})
    return [{**p, "datasets": sorted(by_name[p["name"]], key=lambda d: d["title"])}
            for p in library]


def gaps(entries: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [e for e in entries if not e["datasets"]]
