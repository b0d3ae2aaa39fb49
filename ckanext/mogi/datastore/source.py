"""A table file as the rows PostgreSQL's COPY reads, streamed: never the whole
file in memory.

The validation's dialect says how the file reads (``resource_validation_show``'s
``dialect``): format, encoding, delimiter, the header's row and the rows to
skip (title lines above the header, footers such as "Fonte: ..."). Row numbers
are physical records, 1-based, as the validation counts them.

- CSV/TSV in an encoding PostgreSQL decodes (UTF-8, Windows-1252, Latin-1...):
  the file's own bytes go to ``COPY ... (FORMAT csv, ENCODING ...)``, from
  the record after the header. With no row to skip after the header (the
  usual case) they pass in large chunks, untouched; otherwise each record is
  looked at and skipped rows are left out. A record ends at a line feed
  outside double quotes, as PostgreSQL's CSV reader has it.
- CSV/TSV in another encoding (UTF-16): decoded and sent as UTF-8.
- CSV/TSV that PostgreSQL's CSV reader takes otherwise than Python's (a quote
  inside a field, line ends that change midway; the loader notices and tries
  again): read as the validation reads them, written again as UTF-8 CSV.
- XLSX, XLS and ODS: the cells of the first sheet, read as the validation
  reads them (:func:`ckanext.mogi.common.reading.spreadsheet_cells`), each
  converted by its column (:meth:`.columns.Column.canonical`) and written as
  UTF-8 CSV.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ckanext.mogi.common.reading import spreadsheet_cells
from ckanext.mogi.datastore.columns import Column, pg_encoding

#: Bytes read from the file at a time.
CHUNK_BYTES = 1024 * 1024
_NEWLINE, _QUOTE = b"\n", b'"'


@dataclass(frozen=True)
class Dialect:
    """How to read the file (the validation's dialect)."""

    format: str = "csv"
    encoding: str | None = None
    delimiter: str = ","
    header_row: int = 1
    skip_rows: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Dialect:
        fmt = str(data.get("format") or "csv").lower()
        default_delimiter = "\t" if fmt == "tsv" else ","
        return cls(
            format="csv" if fmt == "tsv" else fmt,
            encoding=data.get("encoding") or None,
            delimiter=str(data.get("delimiter") or default_delimiter),
            header_row=int(data.get("header_row") or 1),
            skip_rows=frozenset(int(row) for row in data.get("skip_rows") or ()),
        )

    @property
    def skips_after_header(self) -> bool:
        return any(row > self.header_row for row in self.skip_rows)


@dataclass(frozen=True)
class Copy:
    """What COPY reads: the stream and its CSV options."""

    stream: ChunkReader
    delimiter: str
    encoding: str
    #: The cells are plain already (spreadsheets): columns cast without formats.
    canonical: bool


class ChunkReader:
    """A read-only file over an iterator of byte chunks (for ``copy_expert``)."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._buffer = b""

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        if size < 0:
            data, self._buffer = self._buffer, b""
        else:
            data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data


def open_copy(path: str, dialect: Dialect, columns: Sequence[Column], *,
              rewrite: bool = False) -> Copy:
    """The rows of the file at ``path`` for COPY, in the file's order.

    ``rewrite``: a CSV file's records as Python's csv module reads them (as
    the validation does), written again as UTF-8 CSV: slower, for the files
    whose quirks PostgreSQL's own CSV reader takes otherwise (a quote inside
    a field, line ends that change midway).
    """
    if dialect.format != "csv":
        return Copy(ChunkReader(_spreadsheet_chunks(path, dialect, columns)), ",", "UTF8", True)
    if rewrite:
        return Copy(ChunkReader(_rewritten(path, dialect, len(columns))), ",", "UTF8", False)
    encoding = pg_encoding(dialect.encoding)
    if encoding is None:
        chunks = _transcoded(path, dialect.encoding or "utf-8")
        encoding = "UTF8"
    else:
        chunks = _file_chunks(path)
    if dialect.skips_after_header:
        data = _kept_records(chunks, dialect)
    else:
        data = _trimmed(_after_records(chunks, dialect.header_row))
    return Copy(ChunkReader(data), dialect.delimiter, encoding, False)


def _file_chunks(path: str) -> Iterator[bytes]:
    with open(path, "rb") as stream:
        while chunk := stream.read(CHUNK_BYTES):
            yield chunk


def _transcoded(path: str, encoding: str) -> Iterator[bytes]:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    for chunk in _file_chunks(path):
        yield decoder.decode(chunk).encode("utf-8")
    yield decoder.decode(b"", final=True).encode("utf-8")


def _records(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The CSV records of a byte stream, each with its line end."""
    pending = b""
    quotes = 0  # double quotes in ``pending``: odd means inside a quoted field
    for chunk in chunks:
        start = 0
        while (end := chunk.find(_NEWLINE, start)) >= 0:
            part = chunk[start:end + 1]
            quotes += part.count(_QUOTE)
            pending += part
            start = end + 1
            if quotes % 2 == 0:
                yield pending
                pending, quotes = b"", 0
        rest = chunk[start:]
        quotes += rest.count(_QUOTE)
        pending += rest
    if pending.strip():
        yield pending


def _after_records(chunks: Iterable[bytes], count: int) -> Iterator[bytes]:
    """The stream after its first ``count`` records, in the stream's chunks."""
    iterator = iter(chunks)
    pending = b""
    quotes = 0
    for chunk in iterator:
        start = 0
        while count and (end := chunk.find(_NEWLINE, start)) >= 0:
            quotes += chunk.count(_QUOTE, start, end + 1)
            start = end + 1
            if quotes % 2 == 0:
                count -= 1
        if count:
            quotes += chunk.count(_QUOTE, start)
            continue
        pending = chunk[start:]
        break
    yield pending
    yield from iterator


def _trimmed(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The stream without the blank lines at its end (COPY reads them as rows)."""
    tail = b""  # line ends seen last, sent only if more data follows
    sent = False
    for chunk in chunks:
        body = chunk.rstrip(b"\r\n")
        if body:
            yield tail + body
            tail, sent = chunk[len(body):], True
        else:
            tail += chunk
    if sent and tail:  # the last row's own line end (COPY wants one kind throughout)
        yield b"\r\n" if tail.startswith(b"\r\n") else tail[:1]


def _kept_records(chunks: Iterable[bytes], dialect: Dialect) -> Iterator[bytes]:
    """The records after the header that are not skipped."""
    batch: list[bytes] = []
    for number, record in enumerate(_records(chunks), start=1):
        if number > dialect.header_row and number not in dialect.skip_rows:
            batch.append(record)
            if len(batch) >= 4096:
                yield b"".join(batch)
                batch = []
    if batch:
        yield b"".join(batch)


def _rewritten(path: str, dialect: Dialect, width: int) -> Iterator[bytes]:
    with open(path, encoding=dialect.encoding or "utf-8", errors="replace",
              newline="") as stream:
        reader = csv.reader(stream, delimiter=dialect.delimiter, quotechar='"',
                            doublequote=True)
        rows = (record for number, record in enumerate(reader, start=1)
                if number > dialect.header_row and number not in dialect.skip_rows
                and any(cell.strip() for cell in record))
        yield from _csv_chunks(record[:width] + [""] * (width - len(record))
                               for record in rows)


def _csv_chunks(rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """``rows`` as UTF-8 CSV, in chunks."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow(row)
        if buffer.tell() >= CHUNK_BYTES:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _spreadsheet_chunks(path: str, dialect: Dialect,
                        columns: Sequence[Column]) -> Iterator[bytes]:
    """The data rows of the first sheet as UTF-8 CSV of canonical cells."""
    width = len(columns)

    def rows() -> Iterator[list[str | None]]:
        for number, cells in enumerate(spreadsheet_cells(path, dialect.format), start=1):
            if number <= dialect.header_row or number in dialect.skip_rows:
                continue
            if all(cell is None or (isinstance(cell, str) and not cell.strip())
                   for cell in cells):
                continue  # an empty line of the sheet is no row
            row = list(cells[:width]) + [None] * (width - len(cells))
            yield [column.canonical(cell) for column, cell in zip(columns, row, strict=True)]

    return _csv_chunks(rows())
