"""Lists of values as they arrive from forms, the API and search parameters."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any


def as_list(value: Any) -> list[str] | None:
    """Items of a list, a JSON list or a comma/semicolon-separated string.

    Items are stripped and empty ones dropped. ``None`` when ``value`` is of
    no such shape (e.g. a dict, or a list holding a dict).
    """
    if isinstance(value, (list, tuple, set)):
        items: Iterable[Any] = value
    elif isinstance(value, int) and not isinstance(value, bool):
        items = [value]
    elif isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                loaded = json.loads(text)
            except ValueError:
                loaded = None
            if not isinstance(loaded, list):
                return None
            items = loaded
        else:
            items = re.split(r"[,;]", text)
    else:
        return None
    out = []
    for item in items:
        if isinstance(item, (dict, list, bool)) or item is None:
            return None
        text = str(item).strip()
        if text:
            out.append(text)
    return out


def one_or_many(value: Any) -> list[str]:
    """A parameter given once (a string) or several times (a list), as a list.

    Blank strings and non-strings are left out; a string is never split.
    """
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    return [v for v in value if isinstance(v, str) and v.strip()]
