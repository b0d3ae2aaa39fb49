"""Reading and validating a sniffed table with frictionless, row by row.

Nothing here keeps the rows of a table: :func:`iter_rows` streams them,
:func:`infer_schema` looks at a bounded sample and :func:`validate` lets frictionless
check one row at a time (stopping at ``limit_errors``), so memory stays flat
whatever the size of the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

import frictionless
from frictionless import formats

from ckanext.mogi.common import dates
from ckanext.mogi.common.reading import frictionless_resource, spreadsheet_cells
from ckanext.mogi.validation import wordlists
from ckanext.mogi.validation.dialect import Dialect

#: Null markers of Brazilian exports (TabNet "-", SIDRA "...", R "NA").
MISSING_VALUES = ["", "-", "--", "...", "NA"]
#: Rows looked at to infer a schema.
INFER_ROWS = 10_000
#: frictionless stops validating after this many errors (the report stays small).
DEFAULT_LIMIT_ERRORS = 1000

_INTEGER = re.compile(r"^[-+]?\d+$")
_PTBR_GROUPED = re.compile(r"^[-+]?\d{1,3}(\.\d{3})+$")
_PTBR_DECIMAL = re.compile(r"^[-+]?(\d{1,3}(\.\d{3})+|\d+),\d+$")
_DOT_DECIMAL = re.compile(r"^[-+]?\d+\.\d+$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def frictionless_dialect(dialect: Dialect) -> frictionless.Dialect:
    """The frictionless dialect reading ``dialect``'s header row and skipping its junk."""
    controls: list[frictionless.Control] = []
    if dialect.format == "csv":
        controls.append(
            formats.CsvControl(
                delimiter=dialect.delimiter or ",",
                quote_char='"',
                double_quote=True,
                skip_initial_space=False,
            )
        )
    footer = [row for row in dialect.skip_rows if row > dialect.header_row]
    return frictionless.Dialect(
        header_rows=[dialect.header_row], comment_rows=footer, controls=controls
    )


def _text_records(path: str, dialect: Dialect) -> Generator[list[Any], None, None]:
    # Same reading as frictionless' CSV parser, so row numbers agree. A byte the
    # encoding cannot decode is frictionless' "encoding-error" to report, not a crash
    # of the inference or of the LGPD scan.
    with open(path, encoding=dialect.encoding or "utf-8", errors="replace", newline="") as stream:
        yield from csv.reader(
            stream, delimiter=dialect.delimiter or ",", quotechar='"', doublequote=True
        )


def _records(path: str, dialect: Dialect) -> Generator[list[Any], None, None]:
    if dialect.format == "csv":
        return _text_records(path, dialect)
    return spreadsheet_cells(path, dialect.format)


def _label(cell: Any) -> str:
    return "" if cell is None else str(cell).strip()


def iter_rows(path: str, dialect: Dialect) -> tuple[list[str], Iterator[list[Any]]]:
    """The header (labels stripped, like frictionless) and the data rows, streamed.

    Rows before the header and the rows in ``dialect.skip_rows`` are left out; cells
    are as read (strings for CSV, typed values for spreadsheets).
    """
    header: list[str] = []
    records = _records(path, dialect)
    try:
        for number, record in enumerate(records, start=1):
            if number == dialect.header_row:
                header = [_label(cell) for cell in record]
                break
    finally:
        records.close()  # the file (or workbook) is closed at once
    return header, _data_rows(path, dialect)


def _data_rows(path: str, dialect: Dialect) -> Iterator[list[Any]]:
    skip = set(dialect.skip_rows)
    for number, record in enumerate(_records(path, dialect), start=1):
        if number > dialect.header_row and number not in skip:
            yield record


# Schema inference


@dataclass
class _Column:
    """What the sampled values of one column look like."""

    seen: int = 0
    leading_zero: bool = False
    integer: bool = True
    ptbr_number: bool = True
    dot_number: bool = True
    ptbr_marker: bool = False
    dot_marker: bool = False
    br_date: bool = True
    br_datetime: bool = True
    iso_date: bool = True
    seconds: bool = False
    midnight: bool = True
    typed_only: bool = True
    yes_no: bool = True

    def add(self, cell: Any) -> None:
        if isinstance(cell, str):
            value = cell.strip()
            if value in MISSING_VALUES:
                return
            self.seen += 1
            self.typed_only = False
            self._add_text(value)
            return
        if cell is None:
            return
        self.seen += 1
        self._add_typed(cell)

    def _add_text(self, value: str) -> None:
        integer = bool(_INTEGER.match(value))
        digits = value.lstrip("+-")
        if integer and len(digits) > 1 and digits[0] == "0":
            self.leading_zero = True  # a code ("0250073", CEP): keep it a string
        grouped = bool(_PTBR_GROUPED.match(value))
        ptbr_decimal = bool(_PTBR_DECIMAL.match(value))
        dot_decimal = bool(_DOT_DECIMAL.match(value))
        self.integer = self.integer and integer
        self.ptbr_number = self.ptbr_number and (integer or grouped or ptbr_decimal)
        self.dot_number = self.dot_number and (integer or dot_decimal)
        self.ptbr_marker = self.ptbr_marker or ptbr_decimal or (grouped and not dot_decimal)
        self.dot_marker = self.dot_marker or (dot_decimal and not grouped)
        self.br_date = (
            self.br_date
            and bool(dates.BR_DATE.fullmatch(value))
            and _parses(value, dates.BR_DATE_FORMAT)
        )
        self.br_datetime = self.br_datetime and bool(dates.BR_DATETIME.fullmatch(value))
        self.seconds = self.seconds or value.count(":") == 2
        self.iso_date = (
            self.iso_date and bool(_ISO_DATE.match(value)) and _parses(value, "%Y-%m-%d")
        )
        self.midnight = False
        words = wordlists.load("booleans")
        self.yes_no = self.yes_no and value in words["true"] + words["false"]

    def _add_typed(self, cell: Any) -> None:
        is_bool = isinstance(cell, bool)
        self.yes_no = self.yes_no and is_bool
        self.integer = self.integer and isinstance(cell, int) and not is_bool
        number = isinstance(cell, int | float) and not is_bool
        self.ptbr_number = self.ptbr_number and number
        self.dot_number = self.dot_number and number
        self.br_date = self.br_date and isinstance(cell, dt.date)
        self.br_datetime = self.br_datetime and isinstance(cell, dt.datetime)
        self.iso_date = False
        if isinstance(cell, dt.datetime):
            self.midnight = self.midnight and cell.time() == dt.time(0)

    def field(self, name: str, dialect: Dialect) -> dict[str, Any]:
        descriptor: dict[str, Any] = {"name": name, "type": "string"}
        if not self.seen or self.leading_zero:
            return descriptor
        if self.typed_only:
            return descriptor | self._typed_type()
        if self.yes_no:  # only "sim" and "não"
            words = wordlists.load("booleans")
            descriptor |= {"type": "boolean", "trueValues": list(words["true"]),
                           "falseValues": list(words["false"])}
        elif self.integer:
            descriptor["type"] = "integer"
        elif self.ptbr_number and self.dot_number:  # only "1.234": follow the file
            descriptor |= _number(dialect.decimal_char, dialect.group_char)
        elif self.ptbr_number and (self.ptbr_marker or not self.dot_marker):
            descriptor |= _number(",", ".")
        elif self.dot_number:
            descriptor |= _number(".", "")
        elif self.br_date:
            descriptor |= {"type": "date", "format": dates.BR_DATE_FORMAT}
        elif self.br_datetime:
            seconds = ":%S" if self.seconds else ""
            descriptor |= {"type": "datetime", "format": f"{dates.BR_DATE_FORMAT} %H:%M{seconds}"}
        elif self.iso_date:
            descriptor["type"] = "date"
        return descriptor

    def _typed_type(self) -> dict[str, Any]:
        if self.yes_no:
            return {"type": "boolean"}
        if self.integer:
            return {"type": "integer"}
        if self.dot_number:
            return {"type": "number"}
        if self.br_datetime:
            return {"type": "date" if self.midnight else "datetime"}
        if self.br_date:
            return {"type": "date"}
        return {}


def _parses(value: str, fmt: str) -> bool:
    try:
        dt.datetime.strptime(value, fmt)
    except ValueError:
        return False
    return True


def _number(decimal_char: str, group_char: str) -> dict[str, Any]:
    descriptor: dict[str, Any] = {"type": "number"}
    if decimal_char != ".":
        descriptor["decimalChar"] = decimal_char
    if group_char:
        descriptor["groupChar"] = group_char
    return descriptor


def _field_names(header: list[str]) -> list[str]:
    names: list[str] = []
    for index, label in enumerate(header, start=1):
        name = label or f"campo{index}"
        candidate, suffix = name, 2
        while candidate in names:
            candidate, suffix = f"{name}_{suffix}", suffix + 1
        names.append(candidate)
    return names


def infer_schema(path: str, dialect: Dialect, sample_rows: int = INFER_ROWS) -> dict[str, Any]:
    """A Table Schema with pt-BR conventions, from the first ``sample_rows`` rows.

    Numbers with decimal comma get ``decimalChar: ","`` (and ``groupChar: "."`` for
    "1.234,56"), dd/mm/yyyy dates ``format: "%d/%m/%Y"``, columns of only "sim" and
    "não" are booleans (``data/booleans.yaml``), codes with leading zeros stay
    strings, and the null markers of Brazilian exports are missing values.
    Labels are stripped (trailing non-breaking spaces of some exports).
    """
    header, rows = iter_rows(path, dialect)
    columns = [_Column() for _ in header]
    for row in islice(rows, sample_rows):
        for column, cell in zip(columns, row, strict=False):
            column.add(cell)
    fields = [
        column.field(name, dialect)
        for name, column in zip(_field_names(header), columns, strict=True)
    ]
    return {"fields": fields, "missingValues": list(MISSING_VALUES)}


# Validation


def validate(
    path: str,
    dialect: Dialect,
    schema: dict[str, Any],
    *,
    limit_errors: int = DEFAULT_LIMIT_ERRORS,
    limit_rows: int | None = None,
    skip_errors: list[str] | None = None,
    pick_errors: list[str] | None = None,
) -> dict[str, Any]:
    """frictionless' report (as a dict) for ``path`` read with ``dialect``.

    Raises ``frictionless.FrictionlessException`` if ``schema`` is not a valid
    Table Schema.
    """
    resource = frictionless_resource(
        path,
        dialect.format,
        encoding=dialect.encoding if dialect.format == "csv" else None,
        dialect=frictionless_dialect(dialect),
        schema=frictionless.Schema.from_descriptor(schema),
    )
    checklist = frictionless.Checklist(
        skip_errors=list(skip_errors or []), pick_errors=list(pick_errors or [])
    )
    report = resource.validate(checklist, limit_errors=limit_errors, limit_rows=limit_rows)
    return report.to_dict()
