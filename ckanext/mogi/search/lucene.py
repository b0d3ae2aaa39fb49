"""Lucene/Solr query syntax -> one parameterised SQL predicate.

``q`` (when fielded), ``fq`` and ``fq_list`` are parsed with luqum and
translated node by node. Values never reach the SQL text: every value is a
bound parameter; field names are bound too (as JSON keys), and checked.

Semantics follow Solr's standard parser with CKAN's ``q.op=AND``: bare
clauses are required, ``+`` required, ``-``/``NOT`` excluded, ``OR`` any;
a purely negative clause set matches everything else (Solr adds ``*:*``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from ckan.common import _
from dateutil.relativedelta import relativedelta
from luqum import tree
from luqum.exceptions import ParseError
from luqum.thread import parse as thread_parse

from ckanext.mogi.common.errors import QueryError

from . import text
from .fields import COLUMNS, Kind, kind_of

DEFAULT_FIELD = "text"
_FIELD_RE = re.compile(r"^[A-Za-z0-9_.\-]+$")
_ESCAPE_RE = re.compile(r"\\(.)")
_NUMBER_RE = r"^-?[0-9]+(\.[0-9]+)?$"
_DATE_VALUE_RE = (r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
                  r"([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?Z?)?$")
_DATE_MATH_RE = re.compile(r"([+-])(\d+)([A-Z]+)|/([A-Z]+)")
_UNITS = {
    "YEAR": "years", "MONTH": "months", "DAY": "days", "DATE": "days",
    "HOUR": "hours", "MINUTE": "minutes", "SECOND": "seconds",
}
_TRUNCATE = ("YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND")
# Date math further than this from the base is refused (Solr has no such
# bound, but nothing on a portal is dated ten thousand years away).
_MAX_DATE_STEP = {"years": 10_000, "months": 120_000, "days": 3_700_000,
                  "hours": 88_000_000, "minutes": 5_300_000_000, "seconds": 316_000_000_000}
# Numbers in ranges: beyond this exponent PostgreSQL's numeric overflows.
_MAX_EXPONENT = 1000
# Lucene regular-expression operators with no PostgreSQL equivalent
# (complement, intersection, numeric interval, any string, empty language).
_LUCENE_ONLY_REGEX = frozenset("~&<>@#")
_REGEX_CLASS_ESCAPES = frozenset("dDsSwW")
_MAX_REPEAT = 255  # PostgreSQL's largest {n,m} bound
_REPEAT_RE = re.compile(r"\{(\d+)(?:,(\d*))?\}")


@dataclass
class Params:
    """Bound parameters of one SQL statement."""

    values: dict[str, Any] = field(default_factory=dict)
    # Set when the statement holds a user's regular expression: PostgreSQL
    # may still refuse it or take long, so it runs guarded (see query).
    guarded: bool = False

    def __call__(self, value: Any) -> str:
        name = f"p{len(self.values)}"
        self.values[name] = value
        return f":{name}"


class Occur(Enum):
    MUST = "must"
    SHOULD = "should"
    MUST_NOT = "must_not"


@dataclass
class Translation:
    """A SQL predicate plus the positive text terms it searched (for ranking)."""

    sql: str
    rank_terms: list[str] = field(default_factory=list)


def parse(query: str) -> tree.Item:
    """Parse Lucene syntax, or raise a :class:`QueryError` in Portuguese.

    luqum's module-level parser shares one lexer between threads (wrong or
    failed parses under a threaded server); ``luqum.thread.parse`` gives each
    thread its own lexer.
    """
    try:
        return thread_parse(query)
    except (ParseError, TypeError, ValueError) as error:
        raise QueryError(
            _('The search query "{query}" could not be understood: check quotes, '
              "parentheses and operators.").format(query=query)
        ) from error


def translate(query: str, params: Params) -> Translation:
    """Translate one Lucene query string into a SQL predicate over ``s``."""
    if query.strip() in ("", "*:*", "*"):
        return Translation("TRUE")
    translator = _Translator(params)
    sql = translator.node(parse(query), DEFAULT_FIELD)
    return Translation(sql, translator.rank_terms)


def unescape(value: str) -> str:
    return _ESCAPE_RE.sub(r"\1", value)


def has_wildcard(value: str) -> bool:
    return bool(re.search(r"(?<!\\)[*?]", value))


def tsquery_for(terms: list[str], prefix: bool = False) -> str:
    """A tsquery matching ``terms`` as a phrase (terms are ``[a-z0-9]+``)."""
    suffix = ":*" if prefix else ""
    return " <-> ".join(f"'{t}'{suffix}" for t in terms)


def parse_date(value: str, now: dt.datetime | None = None) -> dt.datetime:
    """A Solr date or date-math expression (``NOW-1DAY/DAY``) as a datetime."""
    now = now or dt.datetime.now(dt.UTC)
    raw = value.strip().upper()
    if raw.startswith("NOW"):
        base, rest = now, raw[3:]
    else:
        head = re.match(r"^\d{4}-\d{2}-\d{2}(T[0-9:.]+Z?)?", raw)
        if not head:
            raise QueryError(_('"{value}" is not a date; use 2024-01-31T00:00:00Z or '
                               "NOW-1DAY.").format(value=value))
        try:
            base = dt.datetime.fromisoformat(head.group(0).rstrip("Z"))
        except ValueError as error:
            raise QueryError(_('"{value}" is not a real calendar date (check the day, '
                               "month and year).").format(value=value)) from error
        base = base if base.tzinfo else base.replace(tzinfo=dt.UTC)
        rest = raw[head.end():]
    position = 0
    for match in _DATE_MATH_RE.finditer(rest):
        sign, amount, unit, round_unit = match.groups()
        delta = _UNITS.get((unit or "").rstrip("S"))
        if match.start() != position or not (round_unit or delta):
            break
        position = match.end()
        if round_unit:
            base = _truncate(base, round_unit.rstrip("S"), value)
        else:
            base = _step(base, sign, delta, amount, value)
    if position != len(rest):
        raise QueryError(_('"{value}" is not a valid date expression.').format(value=value))
    return base


def _step(base: dt.datetime, sign: str, unit: str, amount: str, original: str) -> dt.datetime:
    """``base`` moved by ``amount`` ``unit``s, within the calendar's years 1-9999."""
    too_far = QueryError(_('The date "{value}" is out of range: use dates between the '
                           "years 1 and 9999.").format(value=original))
    if len(amount) > 12 or int(amount) > _MAX_DATE_STEP[unit]:
        raise too_far
    step = relativedelta(**{unit: int(amount)})
    try:
        return base + step if sign == "+" else base - step
    except (OverflowError, ValueError) as error:
        raise too_far from error


def _truncate(moment: dt.datetime, unit: str, original: str) -> dt.datetime:
    unit = "DAY" if unit == "DATE" else unit
    if unit not in _TRUNCATE:
        raise QueryError(_('"{value}" is not a valid date expression.').format(value=original))
    keep = _TRUNCATE.index(unit)
    names = ("month", "day", "hour", "minute", "second", "microsecond")
    reset = {name: (1 if name in ("month", "day") else 0) for name in names[keep:]}
    return moment.replace(**reset)


class _Translator:
    def __init__(self, params: Params) -> None:
        self.p = params
        self.rank_terms: list[str] = []

    # -- structure ---------------------------------------------------------

    def node(self, node: tree.Item, fieldname: str) -> str:
        if isinstance(node, tree.SearchField):
            return self.search_field(node)
        if isinstance(node, tree.Group | tree.FieldGroup):
            return self.node(node.expr, fieldname)
        if isinstance(node, tree.AndOperation | tree.UnknownOperation):
            return self.boolean(node, fieldname, Occur.MUST)
        if isinstance(node, tree.OrOperation):
            return self.boolean(node, fieldname, Occur.SHOULD)
        if isinstance(node, tree.Not | tree.Prohibit):
            return f"NOT ({self.node(node.a, fieldname)})"
        if isinstance(node, tree.Plus):
            return self.node(node.a, fieldname)
        if isinstance(node, tree.Boost):
            return self.node(node.expr, fieldname)
        if isinstance(node, tree.Fuzzy | tree.Proximity):
            return self.node(node.term, fieldname)
        if isinstance(node, tree.Range):
            return self.range(node, fieldname)
        if isinstance(node, tree.Regex):
            return self.regex(node, fieldname)
        if isinstance(node, tree.Word | tree.Phrase):
            return self.term(node, fieldname)
        raise QueryError(
            _('The search query uses syntax that is not supported here: "{part}".')
            .format(part=str(node))
        )

    def boolean(self, node: tree.BaseOperation, fieldname: str, bare: Occur) -> str:
        clauses: dict[Occur, list[str]] = {o: [] for o in Occur}
        for child in node.children:
            if isinstance(child, tree.Prohibit | tree.Not):
                clauses[Occur.MUST_NOT].append(self.node(child.a, fieldname))
            elif isinstance(child, tree.Plus):
                clauses[Occur.MUST].append(self.node(child.a, fieldname))
            else:
                clauses[bare].append(self.node(child, fieldname))
        parts = [f"({sql})" for sql in clauses[Occur.MUST]]
        if clauses[Occur.SHOULD] and not clauses[Occur.MUST]:
            parts.append("(" + " OR ".join(f"({sql})" for sql in clauses[Occur.SHOULD]) + ")")
        parts += [f"NOT ({sql})" for sql in clauses[Occur.MUST_NOT]]
        return " AND ".join(parts) if parts else "TRUE"

    def search_field(self, node: tree.SearchField) -> str:
        name = node.name
        if name == "*":
            if isinstance(node.expr, tree.Word) and node.expr.value == "*":
                return "TRUE"
            raise QueryError(_('"*" can only be used as "*:*" (every dataset).'))
        if not _FIELD_RE.match(name):
            raise QueryError(_('"{field}" is not a valid field name.').format(field=name))
        return self.node(node.expr, name)

    # -- leaves ------------------------------------------------------------

    def term(self, node: tree.Word | tree.Phrase, fieldname: str) -> str:
        phrase = isinstance(node, tree.Phrase)
        raw = node.value[1:-1] if phrase else node.value
        if not phrase and raw == "*":
            return self.exists(fieldname)
        wildcard = not phrase and has_wildcard(raw)
        kind = kind_of(fieldname)
        if kind is Kind.TEXT:
            return self.text_match(unescape(raw) if not wildcard else raw, fieldname, wildcard)
        value = unescape(raw) if not wildcard else raw
        if wildcard:
            return self.like(fieldname, value)
        if kind is Kind.DATE:
            return self.date_compare(fieldname, "=", parse_date(value))
        if fieldname in COLUMNS:
            if COLUMNS[fieldname]:
                return f"(s.{fieldname} @> CAST({self.p([value])} AS text[]))"
            return f"(s.{fieldname} = {self.p(value)})"
        return f"(s.fields @> CAST({self.p(json.dumps({fieldname: [value]}))} AS jsonb))"

    def exists(self, fieldname: str) -> str:
        column = "ftext" if kind_of(fieldname) is Kind.TEXT else "fields"
        return f"(s.{column} ? {self.p(fieldname)})"

    def text_match(self, value: str, fieldname: str, wildcard: bool) -> str:
        if wildcard:
            stem = re.split(r"(?<!\\)[*?]", value, maxsplit=1)[0]
            terms = text.prefix_terms(unescape(stem))
        else:
            terms = text.terms(value)
        if not terms:
            return "FALSE"
        self.rank_terms.extend(terms)
        tsquery = self.p(tsquery_for(terms, prefix=wildcard))
        if fieldname == DEFAULT_FIELD:
            return f"(s.tsv @@ CAST({tsquery} AS tsquery))"
        return (f"(to_tsvector('simple', coalesce(s.ftext ->> {self.p(fieldname)}, '')) "
                f"@@ CAST({tsquery} AS tsquery))")

    def like(self, fieldname: str, pattern: str) -> str:
        escaped = re.sub(r"([%_])", r"\\\1", unescape(re.sub(r"(?<!\\)\*", "\x00", pattern)))
        escaped = escaped.replace("\x00", "%")
        escaped = re.sub(r"(?<!\\)\?", "_", escaped)
        return self._any_value(fieldname, f"v.x LIKE {self.p(escaped)}")

    def regex(self, node: tree.Regex, fieldname: str) -> str:
        if kind_of(fieldname) is not Kind.STRING:
            raise QueryError(_("Regular expressions only work on exact-value fields "
                               '(such as tags or res_format), not on "{field}".')
                             .format(field=fieldname))
        pattern = regex_to_postgres(node.value[1:-1])
        self.p.guarded = True
        return self._any_value(fieldname, f"v.x ~ {self.p(pattern)}")

    def range(self, node: tree.Range, fieldname: str) -> str:
        low, high = _bound(node.low), _bound(node.high)
        lo_op = ">=" if node.include_low else ">"
        hi_op = "<=" if node.include_high else "<"
        kind = kind_of(fieldname)
        conditions: list[tuple[str, str]] = []
        if kind is Kind.DATE:
            if low != "*":
                conditions.append((lo_op, low))
            if high != "*":
                conditions.append((hi_op, high))
            if not conditions:
                return self.exists(fieldname)
            return " AND ".join(
                self.date_compare(fieldname, op, parse_date(unescape(v))) for op, v in conditions
            )
        bounds = [(lo_op, low), (hi_op, high)]
        bounds = [(op, unescape(v)) for op, v in bounds if v != "*"]
        if not bounds:
            return self.exists(fieldname)
        numbers = _numbers(bounds)
        if numbers is not None:
            # CASE, not AND: PostgreSQL may evaluate the cast before the test.
            value = f"(CASE WHEN v.x ~ '{_NUMBER_RE}' THEN CAST(v.x AS numeric) END)"
            checks = " AND ".join(f"{value} {op} {self.p(n)}" for op, n in numbers)
            return self._any_value(fieldname, checks)
        checks = " AND ".join(f"v.x {op} {self.p(v)}" for op, v in bounds)
        return self._any_value(fieldname, checks)

    def date_compare(self, fieldname: str, op: str, moment: dt.datetime) -> str:
        if fieldname in ("metadata_modified", "metadata_created"):
            return f"(s.{fieldname} {op} {self.p(moment)})"
        # Only values shaped like a date are cast (a bad one would fail the search).
        value = f"(CASE WHEN v.x ~ '{_DATE_VALUE_RE}' THEN CAST(v.x AS timestamptz) END)"
        return self._any_value(fieldname, f"{value} {op} {self.p(moment)}")

    def _any_value(self, fieldname: str, condition: str) -> str:
        return (f"EXISTS (SELECT 1 FROM jsonb_array_elements_text("
                f"{values_of(fieldname, self.p)}) AS v(x) WHERE {condition})")


def _bound(node: tree.Item) -> str:
    """The text of a range bound (luqum reads ``-1`` as a prohibited ``1``)."""
    if isinstance(node, tree.Prohibit | tree.Plus) and isinstance(node.a, tree.Word):
        return ("-" if isinstance(node, tree.Prohibit) else "+") + node.a.value
    if isinstance(node, tree.Phrase):
        return node.value[1:-1]
    if isinstance(node, tree.Word):
        return node.value
    raise QueryError(_('The range bound "{bound}" is not valid: use a number, a date, a '
                       'word or "*".').format(bound=str(node)))


def _numbers(bounds: list[tuple[str, str]]) -> list[tuple[str, Decimal]] | None:
    """The bounds as numbers, None if any is not one (then they compare as text)."""
    try:
        numbers = [(op, Decimal(v)) for op, v in bounds]
    except InvalidOperation:
        return None
    if not all(n.is_finite() for _op, n in numbers):
        return None
    for (_op, n), (_op2, raw) in zip(numbers, bounds, strict=True):
        if abs(n.adjusted()) > _MAX_EXPONENT:
            raise QueryError(_('The number "{value}" is out of range.').format(value=raw))
    return numbers


def regex_to_postgres(lucene: str) -> str:
    """A Lucene regular expression as an anchored PostgreSQL one, or a QueryError.

    The common syntax (literals, ``.``, ``* + ?``, ``{n,m}``, ``|``, groups,
    classes, ``\\d \\s \\w``) means the same in both; Lucene-only operators
    are refused, escapes of other letters (back-references in PostgreSQL,
    plain letters in Lucene) become the letter. Python's ``re`` checks the
    structure; PostgreSQL still compiles it under a time limit (see query).
    """
    invalid = QueryError(_('The regular expression "/{regex}/" is not valid.').format(
        regex=lucene))
    out: list[str] = []
    chars = iter(lucene)
    in_class = False
    for char in chars:
        if char == "\\":
            escaped = next(chars, None)
            if escaped is None:
                raise invalid
            if escaped.isalnum() and escaped not in _REGEX_CLASS_ESCAPES:
                out.append(escaped)
            else:
                out.append("\\" + escaped)
            continue
        if char in _LUCENE_ONLY_REGEX and not in_class:
            raise QueryError(_('The operator "{operator}" is not supported in regular '
                               'expressions here; write "\\{operator}" to match the '
                               "character itself.").format(operator=char))
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        out.append(char)
    pattern = "".join(out)
    for bounds in _REPEAT_RE.findall(pattern):
        if any(len(n) > 3 or int(n) > _MAX_REPEAT for n in bounds if n):
            raise invalid
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError) as error:
        raise invalid from error
    return f"^({pattern})$"


def values_of(fieldname: str, param: Params) -> str:
    """A JSON array expression of ``fieldname``'s values in row ``s``.

    Exact-match fields come from ``fields``; text fields (rarely used with
    ranges, regular expressions or sorts) from the stored document.
    """
    if kind_of(fieldname) is not Kind.TEXT:
        return f"(s.fields -> {param(fieldname)})"
    value = f"(s.doc -> {param(fieldname)})"
    # A document without the field (SQL NULL) or with null has no value: it
    # must not count as a "null" facet value.
    return (f"(CASE WHEN jsonb_typeof({value}) = 'array' THEN {value} "
            f"WHEN jsonb_typeof({value}) IN ('string', 'number', 'boolean') "
            f"THEN jsonb_build_array({value}) END)")
