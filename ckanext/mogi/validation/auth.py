"""Who may run, read, delete and justify validations.

Reading a report follows ``resource_show`` (a private dataset's report is
closed to outsiders); everything else needs ``package_update`` on the
resource's dataset (its editors and admins, and sysadmins).

Refusals are generic ("not authorized to ... this table"): CKAN's own
message names the dataset's id, which must not reach whoever may not read it.
"""

from __future__ import annotations

from typing import Any

from ckan import model
from ckan.plugins import toolkit


def _resource_id(data_dict: dict[str, Any]) -> str:
    return str(data_dict.get("resource_id") or data_dict.get("id") or "")


def _allowed(action: str, refusal: str, context: Any,
             data_dict: dict[str, Any]) -> dict[str, Any]:
    """CKAN's ``action`` on the resource (or its dataset), refused with ``refusal``."""
    res = model.Resource.get(_resource_id(data_dict))
    if res is None:
        return {"success": False, "msg": toolkit._("Resource not found")}
    target = {"id": res.id} if action == "resource_show" else {"id": res.package_id}
    try:
        toolkit.check_access(action, context, target)
    except toolkit.ObjectNotFound:
        return {"success": False, "msg": toolkit._("Resource not found")}
    except toolkit.NotAuthorized:
        return {"success": False, "msg": refusal}
    return {"success": True}


def resource_validation_run(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    return _allowed("package_update", toolkit._("Not authorized to validate this table"),
                    context, data_dict)


def resource_validation_delete(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    return _allowed("package_update",
                    toolkit._("Not authorized to delete the validation of this table"),
                    context, data_dict)


def resource_validation_justify(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    return _allowed("package_update",
                    toolkit._("Not authorized to justify the personal data of this table"),
                    context, data_dict)


@toolkit.auth_allow_anonymous_access
def resource_validation_show(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    return _allowed("resource_show", toolkit._("Not authorized to read this table"),
                    context, data_dict)


@toolkit.auth_allow_anonymous_access
def resource_file_access_show(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    return _allowed("resource_show", toolkit._("Not authorized to read this table"),
                    context, data_dict)


def get_auth_functions() -> dict[str, Any]:
    return {
        "resource_validation_run": resource_validation_run,
        "resource_validation_show": resource_validation_show,
        "resource_validation_delete": resource_validation_delete,
        "resource_validation_justify": resource_validation_justify,
        "resource_file_access_show": resource_file_access_show,
    }
