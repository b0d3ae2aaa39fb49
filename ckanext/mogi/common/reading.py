"""Opening a table file with frictionless: the validation's sniffer and engine and
the DataStore loader read spreadsheets the same way (same rows, same numbers)."""

from __future__ import annotations

import os
from collections.abc import Generator
from typing import Any

import frictionless


def frictionless_resource(path: str, fmt: str, **options: Any) -> frictionless.Resource:
    """A frictionless resource reading the local file ``path`` as ``fmt``."""
    # frictionless refuses absolute paths (a guard for untrusted descriptors): the
    # file is given relative to its own directory instead.
    return frictionless.Resource(
        path=os.path.basename(path),
        basepath=os.path.dirname(os.path.abspath(path)),
        format=fmt,
        **options,
    )


def spreadsheet_cells(path: str, fmt: str) -> Generator[list[Any], None, None]:
    """Every row of the first sheet of a spreadsheet, header included, as read."""
    resource = frictionless_resource(path, fmt, dialect=frictionless.Dialect(header=False))
    with resource:
        yield from resource.cell_stream  # type: ignore[attr-defined]
