"""Table formats and their aliases (``common/data/formats.yaml``).

A resource's ``format`` field holds what people type or what a harvest
brings: ``CSV``, ``.xlsx``, ``text/csv``. :func:`normalise` turns any of them
into one lower-case name (``csv``, ``xlsx``...).
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import yaml

_DATA = "formats.yaml"


@functools.cache
def _data() -> dict[str, Any]:
    text = resources.files("ckanext.mogi.common").joinpath("data", _DATA).read_text("utf-8")
    return yaml.safe_load(text)


def table_formats() -> tuple[str, ...]:
    """The formats read as tables: ``("csv", "tsv", "xlsx", "xls", "ods")``."""
    return tuple(_data()["tables"])


@functools.cache
def _loose_names() -> dict[str, str]:
    media_types: dict[str, str] = _data()["media_types"]
    subtypes = {name.rsplit("/", 1)[-1]: fmt for name, fmt in media_types.items()}
    return {**subtypes, **_data()["text_names"]}


def normalise(value: Any, *, loose: bool = False) -> str:
    """``value`` as a lower-case format name without dot, a media type resolved
    (``"text/csv"`` is ``"csv"``); ``""`` when empty. Not necessarily a table format.

    ``loose``: also a media type's subtype alone and plain-text names
    (``"txt"`` is ``"csv"``), as a reader of staff's reading options takes them.
    """
    name = str(value or "").strip().lower().lstrip(".")
    name = _data()["media_types"].get(name, name)
    if loose:
        name = name.rsplit("/", 1)[-1]
        name = _loose_names().get(name, name)
    return name
