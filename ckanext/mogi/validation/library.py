"""The schemas library: Table Schemas of recurring municipal publications.

Each ``schemas/tables/<name>.json`` (shipped as package data of
``ckanext.mogi.schemas``) is a Frictionless Table Schema with a ``name``, a
Portuguese ``title`` and ``description``, Portuguese titles and descriptions
on every field and the pt-BR conventions (decimal comma, thousands dot,
dd/mm/yyyy dates). Files are read on each call: they are few and small, and
callers get their own copy to change.
"""

from __future__ import annotations

import json
import re
from importlib.resources import files
from importlib.resources.abc import Traversable

PACKAGE = "ckanext.mogi.schemas"
FOLDER = "tables"
LIBRARY_URL_PREFIX = "/validacao/esquemas/"

_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")


def _folder() -> Traversable:
    return files(PACKAGE).joinpath(FOLDER)


def _read(entry: Traversable) -> dict:
    return json.loads(entry.read_text(encoding="utf-8"))


def list_schemas() -> list[dict]:
    """``[{"name", "title", "description", "url"}]`` sorted by title.

    ``url`` is the path where the portal serves the schema
    (``LIBRARY_URL_PREFIX + name + ".json"``).
    """
    entries = []
    for entry in _folder().iterdir():
        if not entry.name.endswith(".json"):
            continue
        schema = _read(entry)
        name = entry.name[: -len(".json")]
        entries.append(
            {
                "name": name,
                "title": schema["title"],
                "description": schema["description"],
                "url": f"{LIBRARY_URL_PREFIX}{name}.json",
            }
        )
    return sorted(entries, key=lambda item: item["title"])


def load(name: str) -> dict:
    """The Table Schema called ``name``; ``KeyError`` when there is none."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise KeyError(name)
    entry = _folder().joinpath(f"{name}.json")
    if not entry.is_file():
        raise KeyError(name)
    return _read(entry)
