"""The table preview of a loaded table: CKAN's ``datatables_view``, created
once, titled in the site's language."""

from __future__ import annotations

import ckan.plugins as p
from ckan.plugins import toolkit

from ckanext.mogi.common.i18n import N_, translate

VIEW_TYPE = "datatables_view"


def ensure_view(resource_id: str) -> None:
    """Create the resource's table preview unless it has one (or the view
    plugin is not enabled)."""
    if not p.plugin_loaded(VIEW_TYPE):
        return
    user = toolkit.get_action("get_site_user")({"ignore_auth": True}, {})
    context = {"user": user["name"], "ignore_auth": True}
    views = toolkit.get_action("resource_view_list")(context, {"id": resource_id})
    if any(view.get("view_type") == VIEW_TYPE for view in views):
        return
    toolkit.get_action("resource_view_create")(context, {
        "resource_id": resource_id,
        "view_type": VIEW_TYPE,
        "title": translate(N_("Data table")),
        "description": translate(N_("The table's rows: search, filter and sort them here.")),
    })
