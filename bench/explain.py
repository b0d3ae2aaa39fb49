"""Profiling aids for ``search.py --explain``: the SQL behind one package_search.

The Solr parameters CKAN builds are captured on their way into
``ckanext.mogi.search.query.search``; ``query.build`` turns them into the
exact statement the backend runs, which is then timed alone and explained.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ckanext.mogi.search import query


def captured_solr_params(run: Callable[[], object]) -> dict[str, Any]:
    """The Solr parameters the backend received while ``run()`` searched."""
    captured: list[dict[str, Any]] = []
    original = query.search

    def recording(session: Session, solr: Mapping[str, Any]) -> query.Result:
        captured.append(dict(solr))
        return original(session, solr)

    query.search = recording
    try:
        run()
    finally:
        query.search = original
    return captured[-1]


def _statements(solr: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    built = query.build(solr)
    pairs = [(built.page, built.page_params)]
    if built.facets is not None:
        pairs.append((built.facets, built.facet_params))
    return pairs


def sql_only_ms(session: Session, solr: Mapping[str, Any], repeat: int = 30) -> float:
    """Median ms of the backend's statements alone (page + uncached facets)."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        for sql, params in _statements(solr):
            session.execute(sa.text(sql), params).all()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def explain(session: Session, solr: Mapping[str, Any]) -> str:
    """``EXPLAIN (ANALYZE, BUFFERS)`` of the backend's statements for ``solr``."""
    plans = []
    for sql, params in _statements(solr):
        rows = session.execute(sa.text(f"EXPLAIN (ANALYZE, BUFFERS) {sql}"), params)
        plans.append("\n".join(r[0] for r in rows))
    return "\n\n".join(plans)
