"""Request guards of the governance pages (before CKAN's views, chosen by endpoint).

CKAN's history pages of a dataset (``/dataset/activity/<id>``, a past version
``/dataset/<id>/history/<activity_id>`` and its resources, the changes
``/dataset/changes/<activity_id>``) answer 403 "Unauthorized to read
dataset <name>" for a private dataset, where the dataset's own page answers
404: the refusal confirms that the dataset exists. Here they answer 404, as
the dataset page does, to whoever may not read the dataset.

The changes pages (``/dataset|group|organization/changes/<activity_id>`` and
their ``changes_multiple?new_id=&old_id=``) end in a server error when the
caller may not see an activity they name (CKAN's views let the refusal
through) or when it does not exist: here such a request is 404.
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
#: CKAN's views of the changes of one activity, named by ``id``.
_BY_ACTIVITY = ("activity.package_changes", "activity.group_changes",
                "activity.organization_changes")
#: CKAN's views of the changes between two activities (``new_id``, ``old_id``).
_BY_ACTIVITIES = ("activity.package_changes_multiple", "activity.group_changes_multiple",
                  "activity.organization_changes_multiple")

#: The CKAN views the guards answer first (listed in :mod:`ckanext.mogi.patches`).
OVERRIDES: tuple[patches.Override, ...] = tuple(
    patches.Override("mogi_governance", "endpoint", name,
                     "a private dataset's history is 404 for outsiders, as its page")
    for name in _BY_DATASET) + tuple(
    patches.Override("mogi_governance", "endpoint", name,
                     "changes of an activity the caller may not see are 404, not a 500")
    for name in (*_BY_ACTIVITY, *_BY_ACTIVITIES))


def _may(action: str, data_dict: dict[str, Any]) -> bool:
    context = {"user": current_user.name, "auth_user_obj": current_user}
    try:
        toolkit.check_access(action, context, data_dict)
    except (toolkit.NotAuthorized, toolkit.ObjectNotFound, toolkit.ValidationError):
        return False
    return True


def _may_see_activity(activity_id: str) -> bool:
    """The activity exists, and the caller may see it, and its dataset if it has one."""
    from ckanext.activity.model import Activity

    activity = Activity.get(activity_id) if activity_id else None
    if activity is None:
        return False
    pkg = model.Package.get(str(activity.object_id))
    if pkg is not None and not _may("package_show", {"id": pkg.id}):
        return False
    return _may("activity_show", {"id": activity.id, "include_data": True})


def before_request() -> Any:
    endpoint = request.endpoint or ""
    ref = str((request.view_args or {}).get("id") or "")
    if endpoint in _BY_DATASET:
        pkg = model.Package.get(ref)
        if pkg is not None and not _may("package_show", {"id": pkg.id}):
            return base.abort(404, toolkit._("Dataset not found"))
    elif endpoint in _BY_ACTIVITY or endpoint in _BY_ACTIVITIES:
        refs = [ref] if endpoint in _BY_ACTIVITY else _compared()
        if not all(_may_see_activity(activity_id) for activity_id in refs):
            return base.abort(404, toolkit._("Activity not found"))
    return None


def _compared() -> list[str]:
    """The activities a ``changes_multiple`` request shows: ``new_id`` and
    ``old_id``; when the new one is not newer, CKAN shows ``current_new_id``."""
    from ckanext.activity.model import Activity

    new_id, old_id = (str(request.args.get(key) or "") for key in ("new_id", "old_id"))
    new, old = Activity.get(new_id), Activity.get(old_id)
    if new is not None and old is not None and new.timestamp <= old.timestamp:
        return [new_id, old_id, str(request.args.get("current_new_id") or "")]
    return [new_id, old_id]


def get_blueprint() -> Blueprint:
    blueprint = Blueprint("mogi_governance_guards", __name__)
    blueprint.before_app_request(before_request)
    return blueprint
