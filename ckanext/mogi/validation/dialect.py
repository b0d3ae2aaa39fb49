"""Sniffing an uploaded table: format, encoding, delimiter, header row and junk rows.

Brazilian public-sector exports are rarely clean CSV: Windows-1252 or ISO-8859-1
bytes, ``;`` delimiters, title lines above the header (IBGE SIDRA, DATASUS TabNet),
free-text footers ("Fonte:", "Notas:") and sometimes an HTML error page saved with a
``.csv`` name. :func:`sniff` looks at the head and the tail of the file (plus one
cheap streaming pass over the bytes for the encoding) and describes what it found as
a :class:`Dialect`; it never loads the whole file in memory.

Row numbers are 1-based *physical* rows, counted the way frictionless counts them
(one CSV record, or one spreadsheet row, per number), so they match the report.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import re
import zipfile
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import charset_normalizer

from ckanext.mogi.common import dates, formats, i18n
from ckanext.mogi.common.i18n import N_
from ckanext.mogi.common.reading import spreadsheet_cells
from ckanext.mogi.validation import wordlists

#: Bytes read from the start of the file to sniff it.
SAMPLE_BYTES = 256 * 1024
#: Bytes read from the end of the file to find a free-text footer.
TAIL_BYTES = 64 * 1024
#: Chunk size of the streaming passes over the whole file.
CHUNK_BYTES = 1024 * 1024
#: Records examined to find the header row.
HEAD_ROWS = 60
#: At most this many trailing rows can be a footer.
MAX_FOOTER_ROWS = 200

TEXT_FORMATS = ("csv", "tsv")
SPREADSHEET_FORMATS = ("xlsx", "xls", "ods")
DELIMITERS = (";", ",", "\t", "|")

_C1_RANGE = bytes(range(0x80, 0xA0))
# Bytes with no character in Windows-1252.
_CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
_HTML_START = re.compile(r"^\s*(<!doctype\s+html|<html|<head|<body|<table|<script|<meta)", re.I)
_HTML_TAG = re.compile(r"<(html|head|body|div|table|script|meta|title)\b", re.I)
_PTBR_NUMBER = re.compile(r"^-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
_PTBR_DECIMAL = re.compile(r"^-?(\d{1,3}(\.\d{3})+|\d+),\d+$")
_DOT_DECIMAL = re.compile(r"^-?\d+\.\d+$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class _Footers:
    """The footer patterns of ``data/footers.yaml``."""

    marker: re.Pattern[str]
    label: re.Pattern[str]
    total_row: re.Pattern[str]


@functools.cache
def _footers() -> _Footers:
    data = wordlists.load("footers")
    return _Footers(
        marker=re.compile(r"^\s*(" + "|".join(data["markers"]) + r")\b", re.I),
        label=re.compile(r"^\s*(" + "|".join(data["labels"]) + r")\s*:", re.I),
        total_row=re.compile(r"^\s*" + data["total_row"] + r"\s*$", re.I),
    )


class RejectedFile(i18n.TranslatableError):
    """The upload is not a table at all (HTML page, binary, empty...).

    ``code`` is a stable identifier ("html-file", "binary-file", "empty-file",
    "format-mismatch"); the message (an English msgid) is the explanation
    shown to staff.
    """

    def __init__(self, code: str, msgid: str, **params: Any) -> None:
        super().__init__(msgid, **params)
        self.code = code


@dataclass(frozen=True)
class Dialect:
    """How to read a table: the result of :func:`sniff`, stored with the report."""

    format: str
    encoding: str | None = None
    delimiter: str | None = None
    header_row: int = 1
    skip_rows: list[int] = field(default_factory=list)
    decimal_char: str = ","
    group_char: str = "."
    date_format: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Dialect:
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        known["skip_rows"] = [int(row) for row in known.get("skip_rows") or []]
        return cls(**known)


def sniff(
    path: str,
    fmt: str | None = None,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> Dialect:
    """Describe the table in ``path``; raise :class:`RejectedFile` if it is none.

    ``fmt`` is the declared format (resource format or file extension, any case);
    ``encoding``/``delimiter`` are staff overrides and skip their detection.
    """
    declared = _normalise_format(fmt)
    with open(path, "rb") as stream:
        head = stream.read(SAMPLE_BYTES)
    if not head.strip():
        raise RejectedFile(
            "empty-file",
            N_(
                "The file is empty: it has neither a header nor data rows. Send the "
                "table exported from the system again."
            ),
        )
    container = _container_format(path, head)
    if container == "zip":
        raise RejectedFile(
            "binary-file",
            N_(
                "The file is a compressed archive (ZIP), not a table. Extract it and send "
                "the table (CSV, XLSX, XLS or ODS) inside it."
            ),
        )
    if container:
        if declared in TEXT_FORMATS:
            raise RejectedFile(
                "binary-file",
                N_(
                    "The file has a CSV name, but it is a {format} spreadsheet. Send it "
                    "with the extension .{extension} or export the spreadsheet as CSV."
                ),
                format=container.upper(),
                extension=container,
            )
        return _sniff_spreadsheet(path, container)  # an .xls that is really XLSX is read
    if declared in SPREADSHEET_FORMATS:
        _reject_if_html(head.decode("utf-8", errors="replace"), spreadsheet=True)
        raise RejectedFile(
            "format-mismatch",
            N_(
                "The file was sent as {format}, but its content is not a spreadsheet. "
                "Check the resource's format (CSV, XLSX, XLS or ODS) and send the "
                "original file."
            ),
            format=declared.upper(),
        )
    return _sniff_text(path, head, declared or "csv", encoding, delimiter)


# Formats and containers


def _normalise_format(fmt: str | None) -> str | None:
    value = formats.normalise(fmt, loose=True)
    return value if value in TEXT_FORMATS + SPREADSHEET_FORMATS else None


def _container_format(path: str, head: bytes) -> str | None:
    """The spreadsheet format the bytes really are, if any."""
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                if "mimetype" in names:
                    mimetype = archive.read("mimetype").decode("ascii", errors="replace")
                    if "opendocument.spreadsheet" in mimetype:
                        return "ods"
        except zipfile.BadZipFile:
            return "zip"
        return "xlsx" if "xl/workbook.xml" in names else "zip"
    return None


# Text tables


def _sniff_text(
    path: str, head: bytes, fmt: str, encoding: str | None, delimiter: str | None
) -> Dialect:
    _reject_if_binary(head)
    encoding = encoding or detect_encoding(path, head)
    complete = len(head) < SAMPLE_BYTES
    text = _decode_sample(head, encoding, complete)
    _reject_if_html(text)
    if fmt == "tsv" and not delimiter:
        delimiter = "\t"
    lines = _lines(text)
    delimiter = delimiter or detect_delimiter(lines)
    records = list(_records(lines, delimiter, HEAD_ROWS))
    header_row = find_header_row(records)
    width = len(records[header_row - 1]) if records else 0
    footer = _text_footer(path, encoding, delimiter, width, text if complete else None)
    footer = [row for row in footer if row > header_row]
    decimal_char, group_char, date_format = detect_conventions(records[header_row:])
    return Dialect(
        format="csv",
        encoding=encoding,
        delimiter=delimiter,
        header_row=header_row,
        skip_rows=list(range(1, header_row)) + footer,
        decimal_char=decimal_char,
        group_char=group_char,
        date_format=date_format,
    )


def _reject_if_binary(head: bytes) -> None:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return
    sample = head[:8192]
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13))
    if b"\x00" in sample or controls > len(sample) * 0.05:
        raise RejectedFile(
            "binary-file",
            N_(
                "The file is not a text table: its content is binary (for example a PDF, "
                "an image or a compressed archive) under a CSV name. Export the table "
                "from the system as CSV or send the original spreadsheet (XLSX, XLS or "
                "ODS)."
            ),
        )


def _reject_if_html(text: str, spreadsheet: bool = False) -> None:
    start = text.lstrip()[:4096]
    if not (_HTML_START.match(start) or (start.startswith("<") and _HTML_TAG.search(start))):
        return
    if spreadsheet:  # some systems export "XLS" files that are HTML tables
        raise RejectedFile(
            "html-file",
            N_(
                "The file has a spreadsheet extension, but it is an HTML page (some "
                "systems export so). Open it in Excel or LibreOffice and save it as XLSX "
                "or CSV before sending it."
            ),
        )
    raise RejectedFile(
        "html-file",
        N_(
            "The file is not a table: it is an HTML page (probably an error or login "
            "page saved with a .csv extension when the download failed). Download the "
            "table again from the source system and check that it opens in a "
            "spreadsheet before sending it."
        ),
    )


def detect_encoding(path: str, head: bytes) -> str:
    """ "utf-8-sig", "utf-8", "utf-16", "cp1252" or "iso-8859-1" (or a guess).

    UTF-8 is checked over the whole file in one streaming pass (a Latin-1 byte can
    hide after the first megabyte); Windows-1252 is told from ISO-8859-1 by the
    bytes 0x80-0x9F (curly quotes, dashes), which ISO-8859-1 only uses for controls.
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    c1 = False
    cp1252_undefined = False
    with open(path, "rb") as stream:
        while chunk := stream.read(CHUNK_BYTES):
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
            if not utf8:
                # bytes.translate deleting a range is several times faster than
                # a regex scan; the rarer cp1252 check runs only after a C1 byte.
                c1 = c1 or len(chunk.translate(None, _C1_RANGE)) != len(chunk)
                if c1 and not cp1252_undefined:
                    cp1252_undefined = bool(_CP1252_UNDEFINED.search(chunk))
                if c1 and cp1252_undefined:
                    break
    if utf8:
        try:
            decoder.decode(b"", final=True)
            return "utf-8"
        except UnicodeDecodeError:
            pass
    if not c1:
        return "iso-8859-1"
    if not cp1252_undefined:
        return "cp1252"
    best = charset_normalizer.from_bytes(head).best()
    return best.encoding if best is not None else "iso-8859-1"


def _decode_sample(head: bytes, encoding: str, complete: bool) -> str:
    text = head.decode(encoding, errors="replace")
    if not complete and "\n" in text:
        text = text[: text.rindex("\n") + 1]  # drop the cut-off last line
    return text.lstrip("\ufeff")


def _lines(text: str) -> list[str]:
    """Lines split only at CR/LF, as a file opened with ``newline=""`` reads them.

    (``str.splitlines`` would also split at U+2028, U+0085... inside cells.)
    """
    return io.StringIO(text, newline="").readlines()


def _records(lines: Iterable[str], delimiter: str, limit: int | None = None) -> Iterator[list[str]]:
    reader = csv.reader(lines, delimiter=delimiter, quotechar='"', doublequote=True)
    for index, record in enumerate(reader):
        if limit is not None and index >= limit:
            return
        yield record


def detect_delimiter(lines: Sequence[str]) -> str:
    """The delimiter giving most records the same (>1) number of cells.

    Records are read CSV-aware (quoted delimiters and line breaks); if a stray quote
    (``"Monitor 24`` without its closing quote) swallows lines, that candidate is
    judged on plain lines instead. Ties go to the wider table.
    """
    best, best_score = ",", (0.0, 0)
    sample = [line for line in lines[:200] if line.strip()]
    for candidate in DELIMITERS:
        try:
            widths = [len(record) for record in _records(sample, candidate) if record]
        except csv.Error:
            widths = []
        if len(widths) < len(sample) / 2:
            widths = [line.count(candidate) + 1 for line in sample]
        if not widths:
            continue
        width, count = Counter(widths).most_common(1)[0]
        if width < 2:
            continue
        score = (round(count / len(widths), 2), width)
        if score > best_score:
            best, best_score = candidate, score
    return best


def _filled(record: Sequence[Any]) -> int:
    return sum(1 for cell in record if cell is not None and str(cell).strip() != "")


def find_header_row(records: Sequence[Sequence[Any]]) -> int:
    """1-based row of the header: the first row as wide and as filled as the body.

    Title lines ("Tabela 3940 - ...;;;"), merged super-headers (";Ano;;") and blank
    lines above the header have fewer cells or mostly empty ones; a row with a single
    filled cell is a title unless the body has a single column too.
    """
    filled_rows = [record for record in records if _filled(record)]
    if not filled_rows:
        return 1
    widths = Counter(len(record) for record in filled_rows)
    width = max(w for w, c in widths.items() if c == max(widths.values()))
    single_column = Counter(_filled(record) for record in filled_rows).most_common(1)[0][0] <= 1
    for number, record in enumerate(records, start=1):
        filled = _filled(record)
        if (
            len(record) >= width * 0.8
            and filled >= max(1, len(record) / 2)
            and (filled >= 2 or single_column)
        ):
            return number
    return 1


def _is_footer_like(record: Sequence[Any], width: int) -> bool:
    filled = _filled(record)
    if filled == 0 or (filled <= 2 and filled < width / 2):
        return True
    first = next((str(c) for c in record if c is not None and str(c).strip()), "")
    return filled == 1 and bool(_footers().label.match(first))  # "Fonte: ..." of narrow tables


def find_footer(tail: Sequence[Sequence[Any]], width: int) -> int:
    """How many of the last ``tail`` records are a footer (notes, totals, blanks).

    A trailing block of near-empty rows counts only if it is blank or holds a marker
    such as "Fonte:" or "Notas:", so a short last data row is never hidden. A
    "Total" row right above it (TabNet) is an aggregate, not data, and goes too.
    """
    footers = _footers()
    count = 0
    marker = False
    for record in reversed(tail):
        if count >= MAX_FOOTER_ROWS or not _is_footer_like(record, width):
            break
        count += 1
        first = next((str(c) for c in record if c is not None and str(c).strip()), "")
        marker = marker or bool(footers.marker.match(first))
    blank = all(_filled(record) == 0 for record in tail[len(tail) - count :])
    if count and not (marker or blank):
        count = 0
    if len(tail) > count:
        above = tail[len(tail) - count - 1]
        if above and footers.total_row.match(str(above[0] or "")):
            count += 1
    return count


def _text_footer(
    path: str, encoding: str, delimiter: str, width: int, whole_text: str | None
) -> list[int]:
    """Physical row numbers of the footer of a text table (empty if none)."""
    if whole_text is not None:
        records = list(_records(_lines(whole_text), delimiter))
        count = find_footer(records, width)
        return list(range(len(records) - count + 1, len(records) + 1)) if count else []
    with open(path, "rb") as stream:
        stream.seek(0, io.SEEK_END)
        start = max(0, stream.tell() - TAIL_BYTES)
        stream.seek(start - start % 2)  # UTF-16 code units stay aligned
        raw = stream.read()
        tail_encoding = encoding
        if encoding == "utf-16":  # the tail has no byte order mark: take the head's
            stream.seek(0)
            le = stream.read(2) == codecs.BOM_UTF16_LE
            tail_encoding = "utf-16-le" if le else "utf-16-be"
    lines = _lines(raw.decode(tail_encoding, errors="replace"))[1:]
    count = find_footer(list(_records(lines, delimiter)), width)
    if not count:
        return []
    with open(path, encoding=encoding, errors="replace", newline="") as text:
        total = sum(1 for _ in _records(text, delimiter))
    return list(range(total - count + 1, total + 1))


def detect_conventions(records: Iterable[Sequence[Any]]) -> tuple[str, str, str | None]:
    """(decimal_char, group_char, date_format) most used by the sample cells."""
    ptbr = dot = br_dates = iso_dates = 0
    for record in records:
        for cell in record:
            if not isinstance(cell, str):
                continue
            value = cell.strip()
            if _PTBR_DECIMAL.match(value):
                ptbr += 1
            elif _DOT_DECIMAL.match(value) and not _PTBR_NUMBER.match(value):
                dot += 1
            elif dates.BR_DATE.match(value):
                br_dates += 1
            elif _ISO_DATE.match(value):
                iso_dates += 1
    decimal_char, group_char = (".", "") if dot > ptbr else (",", ".")
    date_format = None
    if br_dates or iso_dates:
        date_format = dates.BR_DATE_FORMAT if br_dates >= iso_dates else "%Y-%m-%d"
    return decimal_char, group_char, date_format


# Spreadsheets


def _sniff_spreadsheet(path: str, fmt: str) -> Dialect:
    head: list[list[Any]] = []
    tail: deque[list[Any]] = deque(maxlen=MAX_FOOTER_ROWS + 1)
    total = 0
    for cells in spreadsheet_cells(path, fmt):
        total += 1
        if total <= HEAD_ROWS:
            head.append(cells)
        tail.append(cells)
    header_row = find_header_row(head)
    width = len(head[header_row - 1]) if head else 0
    count = min(find_footer(list(tail), width), max(0, total - header_row))
    decimal_char, group_char, date_format = detect_conventions(head[header_row:])
    return Dialect(
        format=fmt,
        header_row=header_row,
        skip_rows=list(range(1, header_row)) + list(range(total - count + 1, total + 1)),
        decimal_char=decimal_char,
        group_char=group_char,
        date_format=date_format,
    )
