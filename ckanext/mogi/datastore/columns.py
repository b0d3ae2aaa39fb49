"""A table's DataStore columns, typed from its Table Schema.

Each field of the schema the validation used (declared, or inferred with
pt-BR conventions) becomes one column, in the file's order:

- ``string`` → ``text`` (codes keep their leading zeros), ``integer`` →
  ``int8``, ``number`` → ``numeric`` (exact: ``1.234,56`` is 1234.56, never a
  float), ``date`` → ``date`` (``31/12/2024`` with the field's format),
  ``datetime`` → ``timestamp``, ``boolean`` → ``bool`` (the field's
  ``trueValues``/``falseValues``, ``sim``/``não`` by default); anything else
  ``text`` (``data/types.yaml``);
- the column's DataStore ``info`` carries the field's title (``label``) and
  description (``notes``).

A column converts the text of one cell in two ways, which agree:
:meth:`Column.sql` is the PostgreSQL expression that converts a staging text
column as the file wrote it (CSV and TSV: the conversion runs in the
database, at COPY speed), :meth:`Column.canonical` converts a cell in Python
into the plain form PostgreSQL reads without a format (spreadsheets, whose
cells are already numbers and dates). Every value taken from the schema
reaches SQL as a bound parameter, never as SQL text.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml
from psycopg2 import sql

#: PostgreSQL's limit on the length of a name, in bytes.
MAX_NAME_BYTES = 63
#: Table Schema's missing values when a schema declares none.
DEFAULT_MISSING = ("",)
_STRPTIME_CODE = re.compile(r"%.")


@functools.cache
def _types() -> dict[str, Any]:
    text = resources.files("ckanext.mogi.datastore").joinpath("data", "types.yaml")
    return yaml.safe_load(text.read_text("utf-8"))


def pg_encoding(python_encoding: str | None) -> str | None:
    """PostgreSQL's name of a Python encoding COPY can decode itself (else None)."""
    import codecs

    try:
        name = codecs.lookup(python_encoding or "utf-8").name
    except LookupError:
        return None
    return _types()["encodings"].get(name)


def column_ids(names: Sequence[Any]) -> list[str]:
    """Valid, distinct DataStore column names for a schema's field names.

    CKAN refuses names that start with ``_`` or carry ``"`` or control
    characters; PostgreSQL cuts names at 63 bytes. Empty names become
    ``campoN`` (as the validation names them), repeated ones get ``_2``, ``_3``.
    """
    ids: list[str] = []
    for index, raw in enumerate(names, start=1):
        name = "".join(char for char in str(raw or "").replace('"', "'")
                       if not unicodedata.category(char).startswith("C"))
        name = _cut(name.strip().lstrip("_").strip()) or f"campo{index}"
        candidate, suffix = name, 2
        while candidate in ids:
            tail = f"_{suffix}"
            candidate = _cut(name, MAX_NAME_BYTES - len(tail)).rstrip() + tail
            suffix += 1
        ids.append(candidate)
    return ids


def _cut(name: str, limit: int = MAX_NAME_BYTES) -> str:
    encoded = name.encode("utf-8")
    if len(encoded) <= limit:
        return name
    return encoded[:limit].decode("utf-8", errors="ignore").rstrip()


def pg_pattern(fmt: str) -> str | None:
    """The to_date/to_timestamp pattern of a strptime format; None if a code has none.

    ``%d/%m/%Y`` is ``DD/MM/YYYY``; literal letters are quoted (``"T"``).
    """
    codes = _types()["date_codes"]
    out: list[str] = []
    position = 0
    for match in _STRPTIME_CODE.finditer(fmt):
        out.append(_literal(fmt[position:match.start()]))
        code = codes.get(match.group())
        if code is None:
            return None
        out.append(code)
        position = match.end()
    out.append(_literal(fmt[position:]))
    return "".join(out)


def _literal(text: str) -> str:
    if not text:
        return ""
    if any(char.isalpha() or char in '"\\' for char in text):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def _format(field_: Mapping[str, Any]) -> str | None:
    """The strptime format of a date/datetime field; None for ISO or "any"."""
    fmt = str(field_.get("format") or "default")
    if fmt.startswith("fmt:"):
        fmt = fmt[len("fmt:"):]
    return None if fmt in ("default", "any") else fmt


@dataclass(frozen=True)
class Column:
    """One DataStore column: its name, type, info and conversions."""

    id: str
    type: str
    field: Mapping[str, Any]
    missing: tuple[str, ...] = DEFAULT_MISSING
    info: dict[str, str] = field(default_factory=dict)

    # ------------------------------------------------------------ in SQL
    def sql(self, source: sql.Composable, params: dict[str, Any],
            *, canonical: bool = False) -> sql.Composable:
        """The expression giving this column's value from the text column
        ``source``; values taken from the schema are added to ``params``.

        ``canonical``: the text is already plain (from :meth:`canonical`).
        """
        value = self._convert(source, params, canonical)
        if canonical or not self.missing:
            return value
        name = self._param(params, "missing", list(self.missing))
        return sql.SQL("CASE WHEN {source} = ANY({missing}) THEN NULL ELSE {value} END").format(
            source=source, missing=name, value=value)

    def _convert(self, source: sql.Composable, params: dict[str, Any],
                 canonical: bool) -> sql.Composable:
        cast = {"text": "{}", "int8": "{}::int8", "numeric": "{}::numeric",
                "date": "{}::date", "timestamp": "{}::timestamp", "bool": "{}::bool"}
        if canonical:
            return sql.SQL(cast[self.type]).format(source)
        if self.type in ("int8", "numeric"):
            return sql.SQL(cast[self.type]).format(self._plain_number(source, params))
        if self.type in ("date", "timestamp"):
            fmt = _format(self.field)
            pattern = pg_pattern(fmt) if fmt else None
            if pattern is None:  # ISO, "any", or a code PostgreSQL has no pattern for
                return sql.SQL(cast[self.type]).format(source)
            function = "to_date({}, {})" if self.type == "date" else (
                "(to_timestamp({}, {}) AT TIME ZONE 'UTC')")
            return sql.SQL(function).format(source, self._param(params, "pattern", pattern))
        if self.type == "bool":
            true, false = self._booleans()
            return sql.SQL(
                "CASE WHEN {source} = ANY({true}) THEN true "
                "WHEN {source} = ANY({false}) THEN false END").format(
                source=source, true=self._param(params, "true", true),
                false=self._param(params, "false", false))
        return source

    def _plain_number(self, source: sql.Composable, params: dict[str, Any]) -> sql.Composable:
        decimal_char, group_char = self._number_chars()
        value = source
        if not self.field.get("bareNumber", True):
            allowed = "0-9+\\-eE" + re.escape(decimal_char) + re.escape(group_char)
            value = sql.SQL("regexp_replace({}, {}, '', 'g')").format(
                value, self._param(params, "strip", f"[^{allowed}]"))
        if group_char:
            value = sql.SQL("replace({}, {}, '')").format(
                value, self._param(params, "group", group_char))
        if decimal_char != ".":
            value = sql.SQL("replace({}, {}, '.')").format(
                value, self._param(params, "decimal", decimal_char))
        return value

    def _param(self, params: dict[str, Any], kind: str, value: Any) -> sql.Placeholder:
        name = f"p{len(params)}_{kind}"
        params[name] = value
        return sql.Placeholder(name)

    def _number_chars(self) -> tuple[str, str]:
        if self.type == "numeric":
            return str(self.field.get("decimalChar") or "."), str(self.field.get("groupChar") or "")
        return ".", str(self.field.get("groupChar") or "")

    def _booleans(self) -> tuple[list[str], list[str]]:
        defaults = _types()["boolean"]
        true = self.field.get("trueValues") or defaults["true"]
        false = self.field.get("falseValues") or defaults["false"]
        return [str(value) for value in true], [str(value) for value in false]

    # --------------------------------------------------------- in Python
    def canonical(self, cell: Any) -> str | None:
        """A spreadsheet cell as plain text for this column's type (None: NULL)."""
        if cell is None or (isinstance(cell, str) and cell in self.missing):
            return None
        if self.type == "text":
            return _text(cell)
        if isinstance(cell, str):
            return self._canonical_text(cell.strip())
        if self.type == "bool":
            return "true" if cell else "false"
        if self.type in ("date", "timestamp"):
            return _canonical_moment(cell, self.type)
        if isinstance(cell, float):
            number = decimal.Decimal(repr(cell))
        else:
            number = decimal.Decimal(str(cell))
        return str(number.to_integral_value()) if self.type == "int8" else str(number)

    def _canonical_text(self, text: str) -> str | None:
        if self.type in ("int8", "numeric"):
            decimal_char, group_char = self._number_chars()
            if not self.field.get("bareNumber", True):
                text = re.sub(f"[^0-9+\\-eE{re.escape(decimal_char + group_char)}]", "", text)
            if group_char:
                text = text.replace(group_char, "")
            return text.replace(decimal_char, ".")
        if self.type == "bool":
            true, false = self._booleans()
            return "true" if text in true else "false" if text in false else None
        fmt = _format(self.field)
        if fmt is None:
            return text
        moment = dt.datetime.strptime(text, fmt)
        return moment.date().isoformat() if self.type == "date" else moment.isoformat(sep=" ")


def _text(cell: Any) -> str:
    if isinstance(cell, str):
        return cell
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime):
        return cell.isoformat(sep=" ")
    if isinstance(cell, dt.date | dt.time):
        return cell.isoformat()
    return str(cell)


def _canonical_moment(cell: Any, kind: str) -> str:
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if kind == "date" else cell.isoformat(sep=" ")
    if isinstance(cell, dt.date):
        return cell.isoformat() if kind == "date" else f"{cell.isoformat()} 00:00:00"
    return str(cell)


def plan(schema: Mapping[str, Any]) -> list[Column]:
    """The columns of a table with this Table Schema, in the schema's order."""
    fields = [f for f in schema.get("fields") or [] if isinstance(f, Mapping)]
    missing = tuple(str(value) for value in schema.get("missingValues", DEFAULT_MISSING))
    types = _types()["columns"]
    columns = []
    for field_, column_id in zip(fields, column_ids([f.get("name") for f in fields]),
                                 strict=True):
        info = {}
        title = str(field_.get("title") or "").strip()
        if title or column_id != field_.get("name"):
            info["label"] = title or str(field_.get("name") or column_id)
        description = str(field_.get("description") or "").strip()
        if description:
            info["notes"] = description
        columns.append(Column(id=column_id, type=types.get(field_.get("type"), "text"),
                              field=field_, missing=missing, info=info))
    return columns
