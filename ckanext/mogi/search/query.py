"""CKAN's Solr search parameters -> one SQL statement (text, filters, facets, sort, page).

``package_search`` and friends keep building Solr parameters exactly as
they do for Solr (``q``, ``fq`` list with ``+site_id``, ``+state``,
``+permission_labels``, ``defType=dismax``, ``mm``, ``facet.field``...);
:func:`search` answers them in a single round trip to PostgreSQL.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from ckan.common import _, config
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from ckanext.mogi.common.lists import one_or_many

from . import cache, limits, text
from .fields import BLOB_FIELDS, NOT_RETURNED, Kind, kind_of
from .lucene import Params, QueryError, Translation, translate, tsquery_for, values_of
from .model import TABLE_NAME, generation_table

GENERATION_TABLE = generation_table.name

DEFAULT_MM = "2<-1 5<80%"
DEFAULT_FACET_LIMIT = 50
_DISMAX_CLAUSE_RE = re.compile(r'([+-]?)"([^"]*)"|([+-]?)(\S+)')
# At most 63 characters: the longest PostgreSQL identifier (see _Record).
_FIELD_NAME_RE = re.compile(r"^[A-Za-z0-9_.\-]{1,63}$")
_SORT_RE = re.compile(r"^([A-Za-z0-9_.\-]+)\s+(asc|desc)$", re.IGNORECASE)
_COLUMN_SORTS = {
    "metadata_modified": "s.metadata_modified",
    "metadata_created": "s.metadata_created",
    "title_string": "s.title_sort",
    "name": "s.name",
    "index_id": "s.index_id",
}


@dataclass
class Result:
    """What Solr would have answered: hit count, documents, facet counts."""

    hits: int
    docs: list[dict[str, Any]]
    facets: dict[str, list[Any]] = field(default_factory=dict)

    def as_solr(self) -> dict[str, Any]:
        return {
            "responseHeader": {"status": 0},
            "response": {"numFound": self.hits, "start": 0, "docs": self.docs},
            "facet_counts": {"facet_fields": self.facets},
        }


def min_should_match(spec: str, optional: int) -> int:
    """How many of ``optional`` clauses must match under Solr's ``mm`` spec."""

    def apply(rule: str) -> int:
        rule = rule.strip()
        if rule.endswith("%"):
            pct = int(rule[:-1])
            amount = math.floor(optional * abs(pct) / 100)
            return optional - amount if pct < 0 else amount
        number = int(rule)
        return optional + number if number < 0 else number

    try:
        rules = spec.split()
        if all("<" not in r for r in rules):
            required = apply(rules[0]) if rules else optional
        else:
            required = optional
            for rule in rules:
                threshold, _sep, then = rule.partition("<")
                if optional > int(threshold):
                    required = apply(then)
    except ValueError as error:
        raise QueryError(_('The "mm" parameter "{mm}" is not valid.').format(mm=spec)) from error
    return max(1, min(optional, required)) if optional else 0


def dismax(q: str, mm: str, params: Params) -> Translation:
    """Free text the way dismax reads it: terms, "phrases", +required, -excluded."""
    required: list[str] = []
    optional: list[str] = []
    excluded: list[str] = []
    rank: list[str] = []
    for match in _DISMAX_CLAUSE_RE.finditer(q):
        sign = match.group(1) or match.group(3)
        chunk = match.group(2) if match.group(2) is not None else match.group(4)
        terms = text.terms(chunk)
        if not terms:
            continue
        tsquery = tsquery_for(terms)
        if sign == "-":
            excluded.append(tsquery)
            continue
        rank.extend(terms)
        (required if sign == "+" else optional).append(tsquery)
    if not (required or optional or excluded):
        return Translation("TRUE")

    def matches(tsquery: str) -> str:
        return f"(s.tsv @@ CAST({params(tsquery)} AS tsquery))"

    parts = [matches(t) for t in required]
    need = min_should_match(mm, len(optional))
    if optional and need == len(optional):
        parts += [matches(t) for t in optional]
    elif optional:
        parts.append(matches(" | ".join(f"({t})" for t in optional)))
        hits = " + ".join(f"CAST({matches(t)} AS int)" for t in optional)
        parts.append(f"({hits}) >= {need}")
    parts += [f"NOT {matches(t)}" for t in excluded]
    return Translation(" AND ".join(parts) or "TRUE", rank)


def _sort_keys(sort: str | None, params: Params, record: _Record) -> list[tuple[str, str]]:
    """``(expression over s, direction)`` for each key of a Solr ``sort``."""
    keys = []
    for part in (sort or "score desc, metadata_modified desc").split(","):
        part = part.strip()
        if not part:
            continue
        match = _SORT_RE.match(part)
        if not match:
            raise QueryError(_('Invalid "sort" parameter: "{sort}".').format(sort=sort))
        name, direction = match.group(1), match.group(2).upper()
        if name == "score":
            keys.append(("score", direction))
            continue
        column = _COLUMN_SORTS.get(name)
        if column is None and kind_of(name) is not Kind.TEXT:
            column = f"({record.column(name)} ->> 0)"
        keys.append((column or f"({values_of(name, params)} ->> 0)", direction))
    return keys


class _Record:
    """Exact-match fields read from ``s.fields`` with a single decompression.

    Each ``fields -> 'key'`` would unpack the whole JSON value again; one
    ``jsonb_to_record`` per row extracts every key the statement needs.
    """

    def __init__(self) -> None:
        self.names: list[str] = []

    def column(self, name: str) -> str:
        if not _FIELD_NAME_RE.match(name):
            raise QueryError(_('"{field}" is not a valid field name.').format(field=name))
        if name not in self.names:
            self.names.append(name)
        return f"r.\"{name}\""

    def join(self) -> str:
        if not self.names:
            return ""
        columns = ", ".join(f'"{name}" jsonb' for name in self.names)
        return f" CROSS JOIN LATERAL jsonb_to_record(s.fields) AS r({columns})"


def _projection(fl: str | None) -> tuple[bool, set[str] | None, bool]:
    """(include blobs, fields wanted or None for all, include score)."""
    wanted = set(re.split(r"[\s,]+", fl.strip())) - {""} if fl else {"*"}
    score = "score" in wanted
    if "*" in wanted:
        return True, None, score
    return bool(wanted & set(BLOB_FIELDS)), wanted - {"score"}, score


def _shape(row: Mapping[str, Any], wanted: set[str] | None, score: bool) -> dict[str, Any]:
    doc = {k: v for k, v in row["doc"].items() if k not in NOT_RETURNED}
    for blob in BLOB_FIELDS:
        if row.get(blob) is not None:
            doc[blob] = row[blob]
    if wanted is not None:
        doc = {k: v for k, v in doc.items() if k in wanted}
    if score:
        doc["score"] = row["score"]
    return doc


@dataclass
class Statements:
    """The SQL of one search: the page (with hit count) and, apart, the facets."""

    page: str
    page_params: dict[str, Any]
    facets: str | None
    facet_params: dict[str, Any]
    wanted: set[str] | None
    with_score: bool
    guarded: bool = False


def _where(solr: Mapping[str, Any], params: Params) -> Translation:
    q = (solr.get("q") or "*:*").strip()
    def_type = solr.get("defType")
    if def_type in ("dismax", "edismax") and (def_type == "dismax" or ":" not in q):
        main = dismax(q, str(solr.get("mm") or DEFAULT_MM), params)
    else:
        main = translate(q, params)
    filters = [translate(fq, params).sql for fq in one_or_many(solr.get("fq"))]
    filters += [translate(fq, params).sql for fq in one_or_many(solr.get("fq_list"))]
    return Translation(" AND ".join(f"({sql})" for sql in [main.sql, *filters]),
                       list(dict.fromkeys(main.rank_terms)))


def _page_statement(solr: Mapping[str, Any], params: Params) -> tuple[str, set[str] | None, bool]:
    where = _where(solr, params)
    if where.rank_terms:
        rank_query = params(" | ".join(f"'{t}'" for t in where.rank_terms))
        weights = config.get("ckanext.mogi.search.rank_weights")
        score = f"ts_rank(CAST({params(weights)} AS real[]), s.tsv, CAST({rank_query} AS tsquery))"
    else:
        score = "1.0"
    rows, start = limits.paging(solr)
    blobs, wanted, with_score = _projection(solr.get("fl"))
    blob_columns = "".join(f", '{b}', s.{b}" for b in BLOB_FIELDS) if blobs else ""

    # ``m`` carries only what paging needs: the score and the sort keys.
    columns = [f"{score} AS score"]
    order = []
    record = _Record()
    for n, (expression, direction) in enumerate(_sort_keys(solr.get("sort"), params, record)):
        if expression == "score":
            order.append(f"m.score {direction}")
        else:
            columns.append(f"{expression} AS k{n}")
            order.append(f"m.k{n} {direction} NULLS LAST")
    order.append("m.index_id ASC")
    order_sql = ", ".join(order)
    sql = f"""
WITH m AS MATERIALIZED (
    SELECT s.index_id, {", ".join(columns)}
    FROM {TABLE_NAME} AS s{record.join()}
    WHERE {where.sql}
), page AS (
    SELECT m.index_id, m.score, row_number() OVER (ORDER BY {order_sql}) AS pos
    FROM m ORDER BY {order_sql} LIMIT {params(rows)} OFFSET {params(start)}
)
SELECT
    (SELECT count(*) FROM m) AS hits,
    (SELECT coalesce(json_agg(json_build_object('doc', s.doc, 'score', page.score
        {blob_columns}) ORDER BY page.pos), CAST('[]' AS json))
     FROM page JOIN {TABLE_NAME} AS s ON s.index_id = page.index_id) AS docs,
    (SELECT g.token FROM {GENERATION_TABLE} AS g WHERE g.id = 1) AS generation
"""
    return sql, wanted, with_score


def _facet_statement(solr: Mapping[str, Any], params: Params) -> str | None:
    facet_fields = list(dict.fromkeys(one_or_many(solr.get("facet.field")))) if str(
        solr.get("facet", "true")).lower() == "true" else []
    if not facet_fields:
        return None
    where = _where(solr, params)
    limit, mincount_value = limits.facet_bounds(solr, DEFAULT_FACET_LIMIT)
    mincount = params(mincount_value)
    keep = f"f.rank <= {params(limit)}" if limit >= 0 else "TRUE"
    record = _Record()
    columns, arrays, names = [], [], []
    for n, name in enumerate(facet_fields):
        if kind_of(name) is Kind.TEXT:
            columns.append(f"{values_of(name, params)} AS f{n}")
        else:
            columns.append(f"{record.column(name)} AS f{n}")
        arrays.append(f"({n}, m.f{n})")
        names.append(f"({n}, {params(name)})")
    # Every facet in one pass over the matches: (facet, value) -> datasets.
    return f"""
WITH m AS (
    SELECT {", ".join(columns)}
    FROM {TABLE_NAME} AS s{record.join()}
    WHERE {where.sql}
), counts AS (
    SELECT a.n, v.x AS v, count(*) AS c
    FROM m CROSS JOIN LATERAL (VALUES {", ".join(arrays)}) AS a(n, arr)
         CROSS JOIN LATERAL jsonb_array_elements_text(a.arr) AS v(x)
    GROUP BY a.n, v.x HAVING count(*) >= {mincount}
), ranked AS (
    SELECT c.n, c.v, c.c, row_number() OVER (PARTITION BY c.n ORDER BY c.c DESC, c.v) AS rank
    FROM counts AS c
)
SELECT json_object_agg(k.name, coalesce(x.items, CAST('[]' AS json))) AS facets
FROM (VALUES {", ".join(names)}) AS k(n, name)
LEFT JOIN (SELECT f.n, json_agg(json_build_array(f.v, f.c) ORDER BY f.c DESC, f.v) AS items
           FROM ranked AS f WHERE {keep} GROUP BY f.n) AS x ON x.n = k.n
"""


def build(solr: Mapping[str, Any]) -> Statements:
    """The SQL statements answering ``solr`` parameters (values bound apart)."""
    limits.check_solr_params(solr)
    page_params, facet_params = Params(), Params()
    page, wanted, with_score = _page_statement(solr, page_params)
    facets = _facet_statement(solr, facet_params)
    return Statements(page, page_params.values, facets, facet_params.values, wanted,
                      with_score, page_params.guarded or facet_params.guarded)


@contextmanager
def _guarded(session: Session) -> Iterator[None]:
    """Run read-only statements that PostgreSQL may refuse, under a time limit.

    A user's regular expression is only fully checked when PostgreSQL
    compiles it, and can be slow to match: the statements run in a savepoint
    with ``statement_timeout`` set locally. The savepoint is always rolled
    back (searches write nothing), which also drops the timeout, so neither a
    refused pattern nor the limit reaches the rest of the request's transaction.
    """
    savepoint = session.begin_nested()
    try:
        timeout = config.get("ckanext.mogi.search.regex_timeout_ms")
        session.execute(sa.select(sa.func.set_config("statement_timeout", str(timeout), True)))
        yield
    except DBAPIError as error:
        code = getattr(error.orig, "pgcode", None) or ""
        if code == "57014":
            raise QueryError(_("The search took too long and was stopped: simplify the "
                               "regular expression.")) from error
        if code[:2] in ("22", "54"):  # data exception, program limit exceeded
            raise QueryError(_("The regular expression in the search is not valid or is "
                               "too complex.")) from error
        raise
    finally:
        savepoint.rollback()


def search(session: Session, solr: Mapping[str, Any]) -> Result:
    """Run a Solr-style search against the PostgreSQL index.

    One statement gives the page and the hit count; facet counts, which only
    change when the index does, come from a second one unless cached for the
    index generation the first statement saw.
    """
    statements = build(solr)
    if not statements.guarded:
        return _run(session, statements)
    with _guarded(session):
        return _run(session, statements)


def _run(session: Session, statements: Statements) -> Result:
    row = session.execute(sa.text(statements.page), statements.page_params).one()
    docs = [_shape(r, statements.wanted, statements.with_score) for r in row.docs]
    facets: dict[str, Any] = {}
    if statements.facets is not None:
        facet_sql = statements.facets

        def compute() -> dict[str, Any]:
            found = session.execute(sa.text(facet_sql), statements.facet_params)
            return found.scalar() or {}

        counted = cache.facets(row.generation, facet_sql, statements.facet_params, compute)
        facets = {k: [x for pair in v for x in pair] for k, v in counted.items()}
    return Result(hits=row.hits, docs=docs, facets=facets)


def predicate(query: str) -> tuple[str, dict[str, Any]]:
    """A WHERE clause over ``s`` for a Lucene query (used by deletes)."""
    params = Params()
    return translate(query, params).sql, params.values


def ids_matching(session: Session, query: str) -> Iterable[str]:
    where, values = predicate(query)
    rows = session.execute(sa.text(f"SELECT s.index_id FROM {TABLE_NAME} AS s WHERE {where}"),
                           values)
    return [r[0] for r in rows]
