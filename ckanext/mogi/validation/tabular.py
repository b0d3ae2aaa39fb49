"""Which resources are tables, and what their validation depends on.

Plain facts about a resource (no job, no verdict): the scheduling
(:mod:`.jobs`), the publication rules (:mod:`.blocking`), the file gate and
the CLI all read them from here.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any
from urllib.parse import urlparse

from ckan import model

from ckanext.mogi.common import formats
from ckanext.mogi.validation import model as vmodel

#: Fields of a resource whose change calls for a new validation.
FINGERPRINT_FIELDS = (
    "url",
    "url_type",
    "last_modified",
    "size",
    "format",
    "schema",
    "validation_options",
)
STATUS_FIELDS = ("validation_status", "validation_timestamp")


def table_format(resource: dict[str, Any]) -> str | None:
    """``csv``/``tsv``/``xlsx``/``xls``/``ods`` when the resource is a table, else None."""
    declared = formats.normalise(resource.get("format"))
    tabular = formats.table_formats()
    if declared in tabular:
        return declared
    if declared:
        return None
    path = urlparse(str(resource.get("url") or "")).path.lower()
    extension = os.path.splitext(path)[1].lstrip(".")
    return extension if extension in tabular else None


def fingerprint(resource: dict[str, Any]) -> str:
    """A digest of what validation depends on (file, format, schema, options)."""
    data = {key: resource.get(key) for key in FINGERPRINT_FIELDS}
    text = json.dumps(data, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def options_of(resource: dict[str, Any]) -> dict[str, Any] | None:
    """The resource's ``validation_options`` as a dict (JSON text accepted)."""
    value = resource.get("validation_options")
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return value if isinstance(value, dict) and value else None


def resource_dict(res: model.Resource) -> dict[str, Any]:
    """A resource as a flat dict: core columns plus extras (no action involved)."""
    data = {
        column: getattr(res, column)
        for column in (
            "id",
            "package_id",
            "url",
            "url_type",
            "format",
            "name",
            "size",
            "last_modified",
            "state",
        )
    }
    if data["last_modified"] is not None:
        data["last_modified"] = data["last_modified"].isoformat()
    extras = dict(res.extras or {})
    return {**extras, **data}


def set_status(res: model.Resource, status: str | None, timestamp: str | None = None) -> None:
    """Write the status fields into the resource's extras (nothing else changes)."""
    extras = dict(res.extras or {})
    if status is None:
        for key in STATUS_FIELDS:
            extras.pop(key, None)
    else:
        extras["validation_status"] = status
        extras["validation_timestamp"] = timestamp or vmodel.utcnow().isoformat()
    if extras != (res.extras or {}):
        res.extras = extras
