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
from ckanext.mogi.search.lucene import Params


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


def sql_only_ms(session: Session, solr: Mapping[str, Any], repeat: int = 30) -> float:
    """Median milliseconds of the backend's statement alone (no CKAN around it)."""
    params = Params()
    sql = query.build(solr, params)[0]
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        session.execute(sa.text(sql), params.values).one()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def explain(session: Session, solr: Mapping[str, Any]) -> str:
    """``EXPLAIN (ANALYZE, BUFFERS)`` of the backend's statement for ``solr``."""
    params = Params()
    sql = query.build(solr, params)[0]
    rows = session.execute(sa.text(f"EXPLAIN (ANALYZE, BUFFERS) {sql}"), params.values)
    return "\n".join(r[0] for r in rows)
