"""Structural checks of a table file, before anything reads its content.

A few hundred bytes can make a table reader work for hours or map gigabytes:
a spreadsheet whose sheet declares the whole grid (``A1:XFD1048576``), a zip
bomb, a CSV "line" of millions of cells. :func:`check` looks only at the
file's structure, cheaply, and raises :class:`LimitExceeded` (a message code
and its parameters; the caller translates) when the file is beyond the
:class:`StructureLimits`:

- ZIP-based spreadsheets (XLSX, ODS): the total *declared* uncompressed size
  and the compression ratio of each member, from the zip's central directory,
  before anything is expanded. Python's zipfile stops reading a member at its
  declared size (it raises ``BadZipFile`` past it), so the declared sizes bound
  what openpyxl/ezodf can ever decompress.
- XLSX: each sheet's declared ``<dimension ref="A1:Z99"/>``, found by streaming
  the first bytes of the sheet part: rows × columns over a cell budget, or
  columns over a cap, are refused.
- Text tables (CSV, TSV): a line longer than a cap, or with more columns than
  a cap (any usual delimiter), read in fixed-size chunks, so a single 50 MB
  line is refused after a few MB without ever being held whole in memory.

Old binary XLS files have no such structure: only the sandbox's kernel limits
(:mod:`ckanext.mogi.validation.sandbox`) hold them.

Pure Python, no CKAN: runs in the sandboxed child.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

_MB = 1024 * 1024
_CHUNK = _MB
#: How much of a sheet part is read to find its ``<dimension>`` element.
_SHEET_HEAD = 64 * 1024
#: Members this small are not judged by their compression ratio (styles, etc.).
_RATIO_FLOOR = _MB
#: Column separators a CSV/TSV may use.
_DELIMITERS = (b",", b";", b"\t", b"|")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref\s*=\s*[\"']([^\"']+)[\"']")
_CELL = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})")
_SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml")


@dataclass(frozen=True)
class StructureLimits:
    """What a table file may declare (0 disables a check)."""

    max_uncompressed_mb: int = 500
    max_compression_ratio: int = 100
    max_cells: int = 50_000_000
    max_columns: int = 10_000
    max_line_mb: int = 4


class LimitExceeded(Exception):
    """The file is beyond a structural limit: ``code`` and its message ``params``."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


def check(path: str, limits: StructureLimits) -> None:
    """Raise :class:`LimitExceeded` when the file at ``path`` is beyond ``limits``.

    The kind of file is told by its first bytes, not by its declared format.
    """
    with open(path, "rb") as stream:
        head = stream.read(len(_ZIP_MAGIC))
    if head == _ZIP_MAGIC:
        _check_zip(path, limits)
    elif head != _OLE_MAGIC:
        _check_text(path, limits)


# ------------------------------------------------------------------ zip files
def _check_zip(path: str, limits: StructureLimits) -> None:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return  # not a readable zip: the format sniffing explains it
    with archive:
        members = archive.infolist()
        total = sum(info.file_size for info in members)
        if limits.max_uncompressed_mb and total > limits.max_uncompressed_mb * _MB:
            raise LimitExceeded(
                "zip-size", size=_megabytes(total), limit=limits.max_uncompressed_mb
            )
        for info in members:
            if not limits.max_compression_ratio or info.file_size < _RATIO_FLOOR:
                continue
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_compression_ratio:
                raise LimitExceeded(
                    "zip-ratio", ratio=int(ratio), limit=limits.max_compression_ratio
                )
        for info in members:
            if _SHEET_PART.fullmatch(info.filename):
                _check_sheet(archive, info, limits)


def _check_sheet(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: StructureLimits) -> None:
    try:
        with archive.open(info) as part:
            head = part.read(_SHEET_HEAD)
    except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError):
        return  # unreadable member: the reader reports it
    found = _DIMENSION.search(head)
    if found is None:
        return
    corners = [_CELL.fullmatch(ref) for ref in found.group(1).decode("ascii", "replace").split(":")]
    if not all(corners) or len(corners) > 2:
        return
    first, last = corners[0], corners[-1]
    assert first is not None and last is not None
    columns = abs(_column(last.group(1)) - _column(first.group(1))) + 1
    rows = abs(int(last.group(2)) - int(first.group(2))) + 1
    sheet = info.filename.rsplit("/", 1)[-1].removesuffix(".xml")
    if limits.max_columns and columns > limits.max_columns:
        raise LimitExceeded("sheet-columns", sheet=sheet, columns=columns, limit=limits.max_columns)
    if limits.max_cells and rows * columns > limits.max_cells:
        raise LimitExceeded(
            "sheet-cells",
            sheet=sheet,
            rows=rows,
            columns=columns,
            cells=rows * columns,
            limit=limits.max_cells,
        )


def _column(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _megabytes(size: int) -> int:
    return -(-size // _MB)


# ---------------------------------------------------------------- text tables
def _check_text(path: str, limits: StructureLimits) -> None:
    """Line length and column count of every line, one chunk at a time.

    Only lines at least ``threshold`` bytes long can be too long or have too
    many columns (a column costs at least its delimiter's byte); such lines
    are found by jumping ``threshold`` bytes at a time (:func:`_long_lines`),
    so the Python loop runs a few times per chunk, not once per line.
    """
    caps = [cap for cap in (limits.max_line_mb * _MB, limits.max_columns) if cap]
    if not caps:
        return
    threshold = min(caps)
    line = 1  # the line the unfinished tail belongs to
    tail_size = 0
    tail_counts = [0] * len(_DELIMITERS)
    with open(path, "rb") as stream:
        while chunk := stream.read(_CHUNK):
            # Old Mac files end lines with a lone CR.
            chunk = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
            first = chunk.find(b"\n")
            head = chunk if first < 0 else chunk[:first]
            tail_size += len(head)
            tail_counts = [n + head.count(d) for n, d in zip(tail_counts, _DELIMITERS, strict=True)]
            _measure(line, tail_size, tail_counts, limits)
            if first < 0:
                continue
            last = chunk.rfind(b"\n")
            body = chunk[first + 1 : last]  # whole lines
            for start, text in _long_lines(body, threshold):
                number = line + 1 + body.count(b"\n", 0, start)
                _measure(number, len(text), [text.count(d) for d in _DELIMITERS], limits)
            line += chunk.count(b"\n")
            rest = chunk[last + 1 :]
            tail_size = len(rest)
            tail_counts = [rest.count(d) for d in _DELIMITERS]
    _measure(line, tail_size, tail_counts, limits)


def _long_lines(body: bytes, threshold: int) -> Iterator[tuple[int, bytes]]:
    """``(offset, line)`` of the lines of ``body`` at least ``threshold`` bytes long.

    From a line start, a window of ``threshold`` bytes without a newline is a
    long line; otherwise the scan resumes after the window's last newline.
    """
    position = 0
    while position + threshold <= len(body):
        newline = body.rfind(b"\n", position, position + threshold)
        if newline >= 0:
            position = newline + 1
            continue
        end = body.find(b"\n", position)
        end = len(body) if end < 0 else end
        yield position, body[position:end]
        position = end + 1


def _measure(line: int, size: int, delimiters: list[int], limits: StructureLimits) -> None:
    if limits.max_line_mb and size > limits.max_line_mb * _MB:
        raise LimitExceeded("line-size", line=line, limit=limits.max_line_mb)
    columns = max(delimiters) + 1
    if limits.max_columns and columns > limits.max_columns:
        raise LimitExceeded("line-columns", line=line, limit=limits.max_columns)
