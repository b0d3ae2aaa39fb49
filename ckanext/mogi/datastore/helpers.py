"""Template helpers of ``mogi_datastore``."""

from __future__ import annotations

from typing import Any

from ckan.plugins import toolkit


def load_status(resource_id: str) -> dict[str, Any] | None:
    """``mogi_datastore_status`` for the current user (None if not allowed or unknown)."""
    try:
        return toolkit.get_action("mogi_datastore_status")({}, {"resource_id": resource_id})
    except (toolkit.NotAuthorized, toolkit.ObjectNotFound, toolkit.ValidationError):
        return None


def get_helpers() -> dict[str, Any]:
    return {"mogi_datastore_status": load_status}
