"""The history of each dataset: CKAN's ``activity`` plugin, plus this bundle's events.

CKAN records who created, changed or deleted a dataset. This module adds, as
activities of the dataset, what the portal itself did to it (each shown by
its own snippet, ``templates/snippets/activities/<type>.html``):

- ``mogi validated package``: a table's validation verdict (valid, invalid, or
  could not be checked);
- ``mogi lgpd package``: personal data found in a table (LGPD);
- ``mogi justified package``: a justification recorded for publishing it;
- ``mogi private package``: the dataset made private by the validation;
- ``mogi datastore package``: a table's rows loaded into the DataStore, or the
  load failed.

They come from the signals of the other capabilities
(:mod:`ckanext.mogi.common.signals`): the verdict signal is followed by
asking ``resource_validation_show`` what the table's state is now; the
DataStore's signal carries its outcome. The portal's own events are done by
the account ``ckanext.mogi.governance.history_user`` ("Automatic checks"),
created on first use (the site user's activity is hidden by CKAN); a
justification is done by the user who recorded it.

No duplicates: a verdict is recorded when it is new (another ``finished``
time) AND says something new for the table (another status or another file);
a re-run that reaches the same verdict on the same file adds nothing. An
LGPD flag is recorded with each verdict line (else once per file); a
justification and a "made private" note once each; a load's outcome unless it
repeats the previous one since the table's last verdict line.

Every activity carries the dataset's permission labels, like CKAN's own, so
the activity lists show it only to whoever may read the dataset. Labels are
written when an activity is recorded, so a dataset that was public and turns
private (by hand, in bulk, by the validation, or moved to another
Secretaria) would keep public labels on its past activities, which embed the
whole dataset. :func:`narrow_labels` gives every activity of a dataset that
is not public now the dataset's current labels; publishing it again does not
widen them (fail closed: the history of a private period stays with the
Secretaria). :func:`readable_activities` checks the lists again against the
datasets' current visibility, for activities CKAN does not label (resource
views).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.lib.plugins import get_permission_labels
from ckan.plugins import toolkit
from sqlalchemy.dialects.postgresql import ARRAY

from ckanext.mogi.common.i18n import N_, translate

log = logging.getLogger(__name__)

VERDICT = "mogi validated package"
LGPD = "mogi lgpd package"
JUSTIFIED = "mogi justified package"
MADE_PRIVATE = "mogi private package"
DATASTORE = "mogi datastore package"
TYPES = (VERDICT, LGPD, JUSTIFIED, MADE_PRIVATE, DATASTORE)



def activity_types() -> list[str]:
    """The types of this bundle's events (template helper ``mogi_history_types``)."""
    return list(TYPES)


#: Validation statuses that are no verdict yet.
PENDING = ("created", "running")
#: How many of a dataset's latest activities of one type are searched for
#: the table's previous event.
_LOOKBACK = 200


# ------------------------------------------------------------- recording
def history_enabled() -> bool:
    """The ``activity`` plugin is loaded and activity streams are on."""
    from ckan.plugins import plugin_loaded

    return plugin_loaded("activity") and toolkit.asbool(
        toolkit.config.get("ckan.activity_streams_enabled"))


def system_user() -> model.User:
    """The account the portal's own events are recorded under (created if missing)."""
    name = str(toolkit.config.get("ckanext.mogi.governance.history_user"))
    user = model.User.get(name)
    if user is not None:
        return user
    user = model.User(name=name, fullname=translate(N_("Automatic checks")),
                      password=secrets.token_urlsafe(32))
    model.Session.add(user)
    try:
        model.Session.commit()
    except sa.exc.IntegrityError:  # created meanwhile by another process
        model.Session.rollback()
        found = model.User.get(name)
        assert found is not None
        return found
    return user


def _schema() -> dict[str, Any]:
    """CKAN's activity schema, accepting this module's types (CKAN's own
    validators know only CKAN's)."""
    from ckanext.activity.logic.schema import default_create_activity_schema

    schema = default_create_activity_schema()
    valid = toolkit.get_validator
    schema["object_id"] = [valid("not_missing"), valid("not_empty"), valid("unicode_safe"),
                           valid("package_id_exists")]
    schema["activity_type"] = [valid("not_missing"), valid("not_empty"),
                               valid("unicode_safe"), valid("one_of")(list(TYPES))]
    return schema


def record(package_id: str, activity_type: str, details: Mapping[str, Any],
           user: model.User | None = None) -> dict[str, Any] | None:
    """Add one event to the dataset's history; the activity (None: not recorded).

    Like CKAN's own, the activity embeds the dataset as ``package_show`` gives
    it now, so that CKAN's "changes" between two versions keep working, and
    carries the dataset's permission labels.
    """
    pkg = model.Package.get(package_id)
    if pkg is None or not history_enabled():
        return None
    actor = user or system_user()
    dataset = toolkit.get_action("package_show")(
        {"ignore_auth": True, "for_view": False}, {"id": pkg.id, "include_tracking": False})
    context = {"ignore_auth": True, "user": actor.name, "schema": _schema()}
    return toolkit.get_action("activity_create")(context, {
        "user_id": actor.id,
        "object_id": pkg.id,
        "activity_type": activity_type,
        "data": {"package": dataset, "actor": actor.name, "mogi": dict(details)},
        "permission_labels": get_permission_labels().get_dataset_labels(pkg),
    })


def previous(package_id: str, activity_type: str, resource_id: str) -> dict[str, Any] | None:
    """The details of the table's latest event of this type (None if none)."""
    from ckanext.activity.model import Activity

    query = (model.Session.query(Activity)
             .filter(Activity.object_id == package_id, Activity.activity_type == activity_type)
             .order_by(Activity.timestamp.desc()).limit(_LOOKBACK))
    for activity in query:
        details = (activity.data or {}).get("mogi") or {}
        if details.get("resource_id") == resource_id:
            return details
    return None


def _resource(resource_id: str) -> dict[str, Any]:
    res = model.Resource.get(resource_id)
    name = str(getattr(res, "name", "") or "").strip()
    if not name and res is not None:
        name = str(res.url or "").rstrip("/").rsplit("/", 1)[-1]
    return {"resource_id": resource_id, "resource_name": name or resource_id}


# ------------------------------------------------------------- validation
def _validation(resource_id: str) -> dict[str, Any] | None:
    site = toolkit.get_action("get_site_user")({"ignore_auth": True}, {})
    try:
        return toolkit.get_action("resource_validation_show")(
            {"user": site["name"], "ignore_auth": True}, {"resource_id": resource_id})
    except (toolkit.ObjectNotFound, KeyError):
        return None


def flagged(validation: Mapping[str, Any]) -> list[str]:
    """The columns where personal data was found in clear (not masked)."""
    findings = (validation.get("lgpd") or {}).get("findings") or []
    return [str(f.get("field")) for f in findings if not f.get("masked")]


def record_validation(resource_id: str, package_id: str) -> list[str]:
    """Record what is new in the table's validation; the activity types recorded."""
    validation = _validation(resource_id)
    if validation is None or validation.get("status") in PENDING:
        return []
    table = _resource(resource_id)
    recorded = []
    verdict = {**table, "status": validation.get("status"),
               "finished": validation.get("finished"),
               "file_sha256": validation.get("file_sha256")}
    before = previous(package_id, VERDICT, resource_id)
    if before is None or (before.get("finished") != verdict["finished"] and (
            before.get("status"), before.get("file_sha256"))
            != (verdict["status"], verdict["file_sha256"])):
        record(package_id, VERDICT, verdict)
        recorded.append(VERDICT)
    columns = flagged(validation)
    if columns:
        before = previous(package_id, LGPD, resource_id)
        if VERDICT in recorded or before is None or (
                before.get("file_sha256") != verdict["file_sha256"]):
            # Held: a sound table kept from visitors for its personal data
            # (names, e-mails or phones alone do not hold a file).
            held = verdict["status"] == "success" and not validation.get("cleared")
            record(package_id, LGPD, {**table, "finished": verdict["finished"],
                                      "file_sha256": verdict["file_sha256"],
                                      "columns": len(columns), "held": held})
            recorded.append(LGPD)
    made_private = validation.get("made_private")
    if made_private:
        before = previous(package_id, MADE_PRIVATE, resource_id)
        if before is None or before.get("created") != made_private.get("created"):
            record(package_id, MADE_PRIVATE, {**table, **made_private})
            recorded.append(MADE_PRIVATE)
    justification = validation.get("justification")
    if justification:
        before = previous(package_id, JUSTIFIED, resource_id)
        if before is None or before.get("created") != justification.get("created"):
            user = model.User.get(str(justification.get("user") or "")) or None
            record(package_id, JUSTIFIED, {
                **table, "created": justification.get("created"),
                "legal_basis": justification.get("legal_basis"),
                "legal_basis_label": justification.get("legal_basis_label"),
            }, user=user)
            recorded.append(JUSTIFIED)
    return recorded


def on_verdict(resource_id: str, package_id: str | None = None, **_kwargs: Any) -> None:
    """Listener of ``mogi_validation_verdict``: labels first, then the new events."""
    if not package_id or not history_enabled():
        return
    try:
        narrow_labels(package_id)
        record_validation(resource_id, package_id)
    except Exception:  # the history never undoes a verdict
        model.Session.rollback()
        log.exception("Could not record the validation of %s in the history", resource_id)


# -------------------------------------------------------------- DataStore
def on_datastore_loaded(resource_id: str, package_id: str | None = None,
                        state: str | None = None, rows: int | None = None,
                        error: str | None = None, verdict: str | None = None,
                        **_kwargs: Any) -> None:
    """Listener of ``mogi_datastore_loaded``: the load's outcome, unless it
    repeats the table's previous one since its last verdict line (a re-run
    that reached the same verdict reloads the same rows: no new line)."""
    if not package_id or state not in ("loaded", "failed") or not history_enabled():
        return
    try:
        shown = previous(package_id, VERDICT, resource_id) or {}
        details = {**_resource(resource_id), "state": state,
                   "rows": rows if state == "loaded" else None,
                   "error": error if state == "failed" else None,
                   "verdict": verdict, "verdict_line": shown.get("finished")}
        before = previous(package_id, DATASTORE, resource_id)
        same = ("state", "rows", "error", "verdict_line")
        if before is not None and all(before.get(k) == details[k] for k in same):
            return
        record(package_id, DATASTORE, details)
    except Exception:  # the history never undoes a load
        model.Session.rollback()
        log.exception("Could not record the DataStore load of %s in the history", resource_id)


# ----------------------------------------------------------------- privacy
def narrow_labels(package_id: str) -> int:
    """Give every activity of a dataset that is not public now the dataset's
    current permission labels; how many activities changed.

    Run after each change that can close a dataset (saves, bulk changes, a
    move to another organization, the validation making it private), with
    the dataset as the caller's session sees it. Publishing a dataset again
    widens nothing.
    """
    pkg = model.Package.get(package_id)
    if pkg is None:
        return 0
    labels = list(get_permission_labels().get_dataset_labels(pkg))
    if "public" in labels:
        return 0
    statement = sa.text(
        "UPDATE activity SET permission_labels = :labels "
        "WHERE object_id = :object_id AND permission_labels IS DISTINCT FROM :labels"
    ).bindparams(sa.bindparam("labels", labels, type_=ARRAY(sa.UnicodeText)),
                 sa.bindparam("object_id", pkg.id))
    # On a connection of its own: the listeners run inside other actions'
    # transactions (package_update calls package_owner_org_update), which
    # are theirs to commit. Narrowing for a save that then rolls back only
    # hides more (fail closed).
    with model.ensure_engine().begin() as connection:
        return int(connection.execute(statement).rowcount or 0)


def _dataset_ids(kwargs: Mapping[str, Any]) -> list[str]:
    data_dict = kwargs.get("data_dict") or {}
    result = kwargs.get("result")
    ids = list(data_dict.get("datasets") or [])
    for value in (result.get("id") if isinstance(result, dict) else None,
                  data_dict.get("id"), data_dict.get("name")):
        if value:
            ids.append(str(value))
    return ids


def on_dataset_changed(_sender: str, **kwargs: Any) -> None:
    """Listener of CKAN's ``action_succeeded`` for the actions that can close a
    dataset: :func:`narrow_labels` on each dataset they name."""
    if not history_enabled():
        return
    for ref in _dataset_ids(kwargs):
        try:
            pkg = model.Package.get(ref)
            if pkg is not None:
                narrow_labels(pkg.id)
        except Exception:  # the save stands; the lists still check visibility
            model.Session.rollback()
            log.exception("Could not narrow the history labels of dataset %s", ref)


#: CKAN's actions after which a dataset may no longer be public.
CLOSING_ACTIONS = ("package_update", "package_delete", "bulk_update_private",
                   "bulk_update_delete", "package_owner_org_update")


def readable_activities(context: Mapping[str, Any],
                        activities: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The activities about datasets the caller may read now (others unchanged).

    An activity is about a dataset when its type ends with ``package`` or is a
    resource view's; it stays when the dataset's current labels meet the
    caller's, or, for a dataset that is gone, the activity's own labels do.
    """
    activities = list(activities)
    user = context.get("auth_user_obj")
    if not isinstance(user, model.User):
        user = model.User.get(str(context.get("user") or ""))
    if context.get("ignore_auth") or (user is not None and user.sysadmin):
        return activities
    labels = set(get_permission_labels().get_user_dataset_labels(user))
    about = {str(a.get("object_id")) for a in activities if _about_dataset(a)}
    datasets = {pkg.id: pkg for pkg in model.Session.query(model.Package)
                .filter(model.Package.id.in_(about))} if about else {}
    opened = {pkg_id for pkg_id, pkg in datasets.items()
              if labels & set(get_permission_labels().get_dataset_labels(pkg))}

    def readable(activity: dict[str, Any]) -> bool:
        if not _about_dataset(activity):
            return True
        object_id = str(activity.get("object_id"))
        if object_id in datasets:
            return object_id in opened
        return bool(labels & set(activity.get("permission_labels") or []))

    return [a for a in activities if readable(a)]


def _about_dataset(activity: Mapping[str, Any]) -> bool:
    kind = str(activity.get("activity_type") or "")
    return kind.endswith("package") or kind.endswith("resource view")


def _readable_list(action: str) -> Any:
    @toolkit.chained_action
    @toolkit.side_effect_free
    def listed(up_func: Any, context: Any, data_dict: dict[str, Any]) -> Any:
        return readable_activities(context, up_func(context, data_dict))

    listed.__name__ = action
    listed.__doc__ = f"CKAN's ``{action}``, without activities of datasets the caller may not read."
    return listed


#: CKAN's activity lists that span several objects: checked again on the way out.
LISTS = ("user_activity_list", "dashboard_activity_list",
         "recently_changed_packages_activity_list", "organization_activity_list",
         "group_activity_list", "package_activity_list")


@toolkit.chained_auth_function
def activity_show(next_auth: Any, context: Any, data_dict: dict[str, Any]) -> Any:
    """CKAN's ``activity_show`` auth, judged as for ``include_data`` always: the
    action returns the activity's data (a whole dataset) either way, and
    CKAN's auth reads the flag unconditionally (a server error without it)."""
    return next_auth(context, {**data_dict, "include_data": True})


def get_auth_functions() -> dict[str, Any]:
    from ckan.plugins import plugin_loaded

    return {"activity_show": activity_show} if plugin_loaded("activity") else {}


def get_actions() -> dict[str, Any]:
    from ckan.plugins import plugin_loaded

    if not plugin_loaded("activity"):
        return {}
    return {name: _readable_list(name) for name in LISTS}
