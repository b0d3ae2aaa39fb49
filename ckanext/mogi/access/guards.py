"""Request guards: CKAN pages that would confirm, leak or crash on what a user
may not see.

They run before CKAN's views (a blueprint's ``before_app_request``), chosen by
the view's endpoint, not by the URL, and change no CKAN code:

* Any resource page or action (``/dataset/<id>/resource/<resource_id>/…``:
  read, edit, views, delete, download…) for a resource that is not in the
  dataset named by the URL is 404, for everyone. CKAN checks the two
  separately, so a resource of a private dataset could be reached through a
  public dataset's URL (its edit page even answered 500).
* Follow and unfollow need a logged-in user: for anonymous visitors CKAN's
  views end in a server error; here they get a 403 with a message.
* ``/group/bulk_process/<id>`` exists for organizations only; for a group,
  CKAN's view ends in a server error; here it is 404.
* The table preview's requests for rows (``/datatables/ajax/<view>``,
  ``/datatables/filtered-download/<view>``) for a view whose rows the user
  may not read (a private dataset's, a table the file gate holds): CKAN's
  views end in a server error whose message names the resource; here 404.

And after the view: an API refusal (403) names nothing. CKAN's
authorization messages carry the protected object's id even when the caller
asked by name (``User x not authorized to read package <id>``); a refusal
whose message holds an id is given one generic message instead, whatever the
action. Messages that name nothing (ours) are kept.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ckan import model
from ckan.common import current_user
from ckan.lib import base
from ckan.plugins import toolkit
from flask import Blueprint, Response, request

from ckanext.mogi.common import patches

_FOLLOW = ("follow", "unfollow")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


#: The CKAN views the guards answer first (listed in :mod:`ckanext.mogi.patches`).
OVERRIDES: tuple[patches.Override, ...] = tuple(
    patches.Override("mogi_access", "endpoint", name, purpose) for name, purpose in (
        ("resource.read", "resource pages under another dataset's URL are 404"),
        ("resource.edit", "resource pages under another dataset's URL are 404"),
        ("dataset.follow", "anonymous follow is refused with 403"),
        ("dataset.unfollow", "anonymous unfollow is refused with 403"),
        ("group.follow", "anonymous follow is refused with 403"),
        ("group.unfollow", "anonymous unfollow is refused with 403"),
        ("group.bulk_process", "bulk processing of a group is 404"),
        ("api.action", "API refusals name no protected id"),
    )) + tuple(
    # datatables_view's endpoints exist only with that plugin: its views are checked.
    patches.Override("mogi_access", "attribute", name,
                     "a preview's rows the user may not read are 404, not a 500",
                     module="ckanext.datatablesview.blueprint")
    for name in ("ajax", "filtered_download"))

#: datatables_view's requests for a view's rows.
_VIEW_ROWS = ("datatablesview.ajax", "datatablesview.filtered_download")


def _resource_endpoint(endpoint: str) -> bool:
    blueprint = endpoint.rsplit(".", 1)[0]
    return blueprint == "resource" or blueprint.endswith("_resource")


def before_request() -> Any:
    endpoint = request.endpoint or ""
    args = request.view_args or {}
    if _resource_endpoint(endpoint) and args.get("resource_id") and args.get("id"):
        res = model.Resource.get(str(args["resource_id"]))
        pkg = res.package if res is not None else None
        if pkg is None or str(args["id"]) not in (pkg.id, pkg.name):
            return base.abort(404, toolkit._("Resource not found"))
    action = endpoint.rsplit(".", 1)[-1]
    if action in _FOLLOW and current_user.is_anonymous:
        return base.abort(403, toolkit._("Log in to follow or unfollow."))
    if endpoint == "group.bulk_process":
        return base.abort(404, toolkit._("Group not found"))
    if endpoint in _VIEW_ROWS and not _may_read_rows(str(args.get("resource_view_id") or "")):
        return base.abort(404, toolkit._("Resource view not found"))
    return None


def _may_read_rows(view_id: str) -> bool:
    """Whether the current user may read the rows behind a resource view."""
    try:
        view = toolkit.get_action("resource_view_show")({}, {"id": view_id})
        toolkit.check_access("datastore_search", {}, {"resource_id": view["resource_id"]})
    except (toolkit.NotAuthorized, toolkit.ObjectNotFound):
        return False
    return True


def after_request(response: Response) -> Response:
    """A 403 of the action API keeps its shape, with a message naming nothing."""
    if response.status_code != 403 or not request.path.startswith("/api/"):
        return response
    if response.mimetype != "application/json" or response.is_streamed:
        return response
    try:
        body = json.loads(response.get_data(as_text=True))
    except ValueError:
        return response
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict) or not _UUID.search(str(error.get("message") or "")):
        return response
    error["message"] = toolkit._("Access denied: you are not authorized to do this.")
    response.set_data(json.dumps(body))
    return response


def get_blueprint() -> Blueprint:
    blueprint = Blueprint("mogi_access", __name__)
    blueprint.before_app_request(before_request)
    blueprint.after_app_request(after_request)
    return blueprint
