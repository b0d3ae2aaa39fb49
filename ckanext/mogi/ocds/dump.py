"""Streaming reader of a tender-system dump: a JSON array of processes.

Reads with ijson (its C backend), one process at a time, so a dump of any
size converts in flat memory. A file that is not a JSON array, or breaks off,
raises :class:`DumpError` with a Portuguese message.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

import ijson

from ckanext.mogi.common.i18n import N_, TranslatableError


class DumpError(TranslatableError):
    """The file is not a readable dump."""


def _first_char(stream: BinaryIO) -> bytes:
    """The first non-blank byte, without consuming it (the stream must peek or seek)."""
    peek = getattr(stream, "peek", None)
    if peek is not None:
        head = peek(64).lstrip(b"\xef\xbb\xbf \t\r\n")
        if head:
            return head[:1]
    position = stream.tell()
    head = stream.read(4096)
    stream.seek(position)
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]


def kind(stream: BinaryIO) -> str:
    """``"dump"`` (a JSON array), ``"object"`` (a package, presumably) or ``"other"``."""
    first = _first_char(stream)
    return {b"[": "dump", b"{": "object"}.get(first, "other")


def processes(stream: BinaryIO) -> Iterator[Any]:
    """Each item of the dump's top-level array, as parsed (any JSON value)."""
    if kind(stream) != "dump":
        raise DumpError(N_("The file is not a tender-system dump: a JSON list of "
                           "processes was expected."))
    try:
        yield from ijson.items(stream, "item", use_float=True)
    except ijson.JSONError as error:
        raise DumpError(N_("The dump is not valid JSON ({detail}); the processes read "
                           "before the fault were converted."), detail=str(error)) from error
