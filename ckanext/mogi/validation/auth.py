"""Who may run, read, delete and justify validations.

Reading a report follows ``resource_show`` (a private dataset's report is
closed to outsiders); everything else needs ``package_update`` on the
resource's dataset (its editors and admins, and sysadmins).

Refusals are generic ("not authorized to ... this table"): CKAN's own
message names the dataset's id, which must not reach whoever may not read it.

With CKAN's ``datastore`` plugin, the DataStore's read auth functions
(``datastore_search``, ``datastore_info``, ``datastore_search_sql``) are
chained: after CKAN's own check, the table's rows follow the file gate
(:func:`.gate.rows_refusal`).
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
from ckan import model
from ckan.plugins import toolkit

from ckanext.mogi.validation import gate


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


# --------------------------------------- the DataStore's rows: the file gate
@toolkit.chained_auth_function
@toolkit.auth_allow_anonymous_access
def datastore_search(next_auth: Any, context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    return _rows_gate(next_auth, context, data_dict)


@toolkit.chained_auth_function
@toolkit.auth_allow_anonymous_access
def datastore_info(next_auth: Any, context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    return _rows_gate(next_auth, context, data_dict)


def _rows_gate(next_auth: Any, context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    """CKAN's check first (``resource_show``), then the file gate on the rows."""
    result = next_auth(context, data_dict)
    if not result.get("success"):
        return result
    refusal = gate.rows_refusal(_resource_id(data_dict), context)
    return {"success": False, "msg": refusal} if refusal else result


@toolkit.chained_auth_function
@toolkit.auth_allow_anonymous_access
def datastore_search_sql(
    next_auth: Any, context: Any, data_dict: dict[str, Any]
) -> dict[str, Any]:
    """Every table the query reads must pass CKAN's check and the file gate."""
    # CKAN hands the table names over as a generator: read it once, for both.
    names = list(context.get("table_names") or [])
    result = next_auth({**context, "table_names": names}, data_dict)
    if not result.get("success"):
        return result
    for name in names:
        refusal = gate.rows_refusal(name, dict(context))
        if refusal:
            return {"success": False, "msg": refusal}
    return result


def resource_validation_pending_list(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    # Sysadmins (who skip auth functions); capabilities call it with ignore_auth.
    return {"success": False, "msg": toolkit._("Not authorized to list these tables")}


def get_auth_functions() -> dict[str, Any]:
    functions: dict[str, Any] = {
        "resource_validation_run": resource_validation_run,
        "resource_validation_show": resource_validation_show,
        "resource_validation_delete": resource_validation_delete,
        "resource_validation_justify": resource_validation_justify,
        "resource_file_access_show": resource_file_access_show,
        "resource_validation_pending_list": resource_validation_pending_list,
    }
    # CKAN refuses to chain onto auth functions nobody defines.
    if p.plugin_loaded("datastore"):
        functions |= {
            "datastore_search": datastore_search,
            "datastore_info": datastore_info,
            "datastore_search_sql": datastore_search_sql,
        }
    return functions
