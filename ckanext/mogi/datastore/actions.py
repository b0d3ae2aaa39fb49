"""The load state of a table, for pages and API clients.

``mogi_datastore_status`` returns::

    {"resource_id", "state", "loaded_at", "rows", "error", "active"}

``state`` is one of ``queued``, ``loading``, ``loaded``, ``failed``,
``not_loaded`` or None (never dealt with); ``loaded_at`` (ISO, UTC) and
``rows`` describe the rows visitors read now (None when there are none),
even when a later load failed; ``error`` says why the last attempt failed;
``active`` is CKAN's ``datastore_active`` flag (the rows can be queried).
"""

from __future__ import annotations

from typing import Any

from ckan import model
from ckan.plugins import toolkit

from ckanext.mogi.datastore import model as dmodel


def status_dict(resource_id: str, row: dict[str, Any] | None,
                active: bool) -> dict[str, Any]:
    row = row or {}
    loaded_at = row.get("loaded_at")
    return {
        "resource_id": resource_id,
        "state": row.get("state"),
        "loaded_at": loaded_at.isoformat() if loaded_at else None,
        "rows": row.get("rows"),
        "error": row.get("error"),
        "active": active,
    }


@toolkit.side_effect_free
def mogi_datastore_status(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    """The DataStore load state of a table.

    :param resource_id: the resource id (``id`` accepted too)
    """
    resource_id = str(data_dict.get("resource_id") or data_dict.get("id") or "").strip()
    if not resource_id:
        raise toolkit.ValidationError({"resource_id": [toolkit._("Missing value")]})
    toolkit.check_access("mogi_datastore_status", context, {"id": resource_id})
    res = model.Resource.get(resource_id)
    if res is None or res.state != "active":
        raise toolkit.ObjectNotFound(toolkit._("Resource not found"))
    return status_dict(res.id, dmodel.get(res.id),
                       bool((res.extras or {}).get("datastore_active")))


@toolkit.auth_allow_anonymous_access
def mogi_datastore_status_auth(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Whoever may read the resource (CKAN's ``resource_show``)."""
    try:
        toolkit.check_access("resource_show", context, {"id": data_dict.get("id")})
    except (toolkit.NotAuthorized, toolkit.ObjectNotFound):
        return {"success": False, "msg": toolkit._("Resource not found")}
    return {"success": True}


def get_actions() -> dict[str, Any]:
    return {"mogi_datastore_status": mogi_datastore_status}


def get_auth_functions() -> dict[str, Any]:
    return {"mogi_datastore_status": mogi_datastore_status_auth}
