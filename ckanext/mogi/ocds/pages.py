"""Template helpers: the OCDS import of a resource, shown to the dataset's
editors on the resource page (findings of the mapping, errors, counts)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ckan.plugins import toolkit

from ckanext.mogi.ocds import model as omodel

#: Findings listed on the page (the rest are counted).
SHOWN_FINDINGS = 20


def import_state(res: Mapping[str, Any]) -> dict[str, Any] | None:
    """The resource's import (state, counts, findings), for those who may edit
    its dataset; None for anyone else, or when nothing was imported."""
    if not res.get("id") or not res.get("package_id"):
        return None
    try:
        toolkit.check_access("package_update", {"user": toolkit.g.get("user")},
                             {"id": res["package_id"]})
    except toolkit.NotAuthorized:
        return None
    row = omodel.get_import(res["id"])
    if row is None:
        return None
    findings = list(row.get("findings") or [])
    return {**row, "shown": findings[:SHOWN_FINDINGS],
            "errors": sum(1 for f in findings if f.get("level") == "error"),
            "warnings": sum(1 for f in findings if f.get("level") == "warning")}


def get_helpers() -> dict[str, Any]:
    return {"mogi_ocds_import": import_state}
