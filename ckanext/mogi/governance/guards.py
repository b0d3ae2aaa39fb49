"""Request guards of the governance pages (before CKAN's views, chosen by endpoint).

CKAN's history pages of a dataset (``/dataset/activity/<id>``, a past version
``/dataset/<id>/history/<activity_id>`` and its resources, the changes
``/dataset/changes/<activity_id>``) answer 403 "Unauthorized to read
dataset <name>" for a private dataset, where the dataset's own page answers
404: the refusal confirms that the dataset exists. Here they answer 404, as
the dataset page does, to whoever may not read the dataset.
"""

from __future__ import annotations

from typing import Any

from ckan import model
from ckan.common import current_user
from ckan.lib import base
from ckan.plugins import toolkit
from flask import Blueprint, request

from ckanext.mogi.common import patches

#: CKAN's history views of a dataset named by ``id``.
_BY_DATASET = ("activity.package_activity", "activity.package_history",
               "activity.resource_history")
#: CKAN's view of the changes of one activity, named by ``id``.
_BY_ACTIVITY = "activity.package_changes"

#: The CKAN views the guards answer first (listed in :mod:`ckanext.mogi.patches`).
OVERRIDES: tuple[patches.Override, ...] = tuple(
    patches.Override("mogi_governance", "endpoint", name,
                     "a private dataset's history is 404 for outsiders, as its page")
    for name in (*_BY_DATASET, _BY_ACTIVITY))


def _readable(dataset_id: str) -> bool:
    context = {"user": current_user.name, "auth_user_obj": current_user}
    try:
        toolkit.check_access("package_show", context, {"id": dataset_id})
    except (toolkit.NotAuthorized, toolkit.ObjectNotFound):
        return False
    return True


def _dataset_of_activity(activity_id: str) -> str | None:
    from ckanext.activity.model import Activity

    activity = Activity.get(activity_id)
    if activity is None or model.Package.get(str(activity.object_id)) is None:
        return None
    return str(activity.object_id)


def before_request() -> Any:
    endpoint = request.endpoint or ""
    ref = str((request.view_args or {}).get("id") or "")
    if endpoint in _BY_DATASET:
        pkg = model.Package.get(ref)
        if pkg is not None and not _readable(pkg.id):
            return base.abort(404, toolkit._("Dataset not found"))
    elif endpoint == _BY_ACTIVITY:
        dataset_id = _dataset_of_activity(ref)
        if dataset_id is not None and not _readable(dataset_id):
            return base.abort(404, toolkit._("Activity not found"))
    return None


def get_blueprint() -> Blueprint:
    blueprint = Blueprint("mogi_governance_guards", __name__)
    blueprint.before_app_request(before_request)
    return blueprint
