"""The link checks for staff: two actions (the panel's, the API's) and the
resource page's badge. Shapes in ``governance/README.md``.

- ``mogi_link_check_show`` (``resource_id``): the resource's latest check,
  for whoever may edit its dataset.
- ``mogi_link_check_list`` (optional ``owner_org``): the links with a problem
  in the datasets the caller may edit (sysadmins: all); never a dataset the
  caller may not edit, so never another Secretaria's private one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from ckan import authz, model
from ckan.plugins import toolkit

from ckanext.mogi.common.i18n import N_, translate
from ckanext.mogi.governance import link_model, link_runs, linkcheck


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def _result(row: dict[str, Any] | None, url: str | None) -> dict[str, Any]:
    """The check's fields; a check of another URL than the current link is stale
    (not checked yet)."""
    current = row if row and row.get("url") == url else {}
    outcome = current.get("outcome")
    status, detail = current.get("http_status"), current.get("detail") or {}
    return {
        "checked_at": _iso(current.get("checked_at")),
        "outcome": outcome,
        "broken": outcome in linkcheck.PROBLEMS,
        "http_status": status,
        "final_url": current.get("final_url"),
        "content_type": current.get("content_type"),
        "redirects": current.get("redirects") or 0,
        "label": linkcheck.label(outcome, status, detail),
        "message": linkcheck.message(outcome, status, current.get("final_url"),
                                     current.get("redirects") or 0, detail),
    }


@toolkit.side_effect_free
def mogi_link_check_show(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    """The latest check of a linked resource's link.

    :param resource_id: the resource id (``id`` accepted too)
    """
    resource_id = str(data_dict.get("resource_id") or data_dict.get("id") or "").strip()
    if not resource_id:
        raise toolkit.ValidationError({"resource_id": [toolkit._("Missing value")]})
    toolkit.check_access("mogi_link_check_show", context, {"id": resource_id})
    res = model.Resource.get(resource_id)
    if res is None or res.state != "active":
        raise toolkit.ObjectNotFound(toolkit._("Resource not found"))
    if res.url_type or not res.url:
        raise toolkit.ValidationError({"resource_id": [translate(N_(
            "This resource is an uploaded file, not a link: there is no link to check."))]})
    return {"resource_id": res.id, "package_id": res.package_id, "url": res.url,
            **_result(link_model.get(res.id), res.url)}


def mogi_link_check_show_auth(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Whoever may edit the resource's dataset."""
    res = model.Resource.get(str(data_dict.get("id") or ""))
    if res is None:
        return {"success": False, "msg": toolkit._("Resource not found")}
    try:
        toolkit.check_access("package_update", context, {"id": res.package_id})
    except (toolkit.NotAuthorized, toolkit.ObjectNotFound):
        return {"success": False,
                "msg": translate(N_("Only the dataset's editors see its link checks."))}
    return {"success": True}


@toolkit.side_effect_free
def mogi_link_check_list(context: Any, data_dict: dict[str, Any]) -> list[dict[str, Any]]:
    """The linked resources whose latest check found a problem, in the datasets
    the caller may edit, by dataset title.

    :param owner_org: only this organization's datasets (id or name; optional)
    """
    toolkit.check_access("mogi_link_check_list", context, data_dict)
    res, pkg = model.Resource, model.Package
    query = _broken_query()
    org_ref = str(data_dict.get("owner_org") or "").strip()
    if org_ref:
        org = model.Group.get(org_ref)
        if org is None or not org.is_organization or org.state != "active":
            raise toolkit.ObjectNotFound(toolkit._("Organization not found"))
        query = query.where(pkg.owner_org == org.id)
    user = context.get("auth_user_obj") or model.User.get(context.get("user") or "")
    if not (user and authz.is_sysadmin(user.name)):
        query = query.where(_editable(user))
    query = query.order_by(pkg.title, pkg.name, res.position)
    return [_broken_item(row) for row in model.Session.execute(query)]


def _broken_query() -> sa.Select:
    """The linked resources whose latest check of their current link found a problem."""
    res, pkg, check = model.Resource, model.Package, link_model.check_table
    return (link_runs.linked_resources()
            .add_columns(res.name.label("resource_name"), pkg.name.label("dataset_name"),
                         pkg.title.label("dataset_title"), pkg.owner_org, pkg.private,
                         check.c.url.label("checked_url"), check.c.checked_at,
                         check.c.outcome, check.c.http_status, check.c.final_url,
                         check.c.content_type, check.c.redirects, check.c.detail)
            .join(check, check.c.resource_id == res.id)
            .where(check.c.outcome.in_(linkcheck.PROBLEMS), check.c.url == res.url))


def _broken_item(row: Any) -> dict[str, Any]:
    return {
        "dataset_id": row.package_id, "dataset_name": row.dataset_name,
        "dataset_title": row.dataset_title, "owner_org": row.owner_org,
        "private": row.private, "resource_id": row.id,
        "resource_name": row.resource_name, "url": row.url,
        **_result({**row._asdict(), "url": row.checked_url}, row.url),
    }


def broken_by_dataset(package_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """The broken links of these datasets (one statement), per dataset id, in
    the datasets' resource order. No permission check: for the panel, whose
    datasets were read with its viewer's permissions."""
    ids = list(package_ids)
    if not ids:
        return {}
    query = _broken_query().where(model.Resource.package_id.in_(ids)).order_by(
        model.Resource.package_id, model.Resource.position)
    found: dict[str, list[dict[str, Any]]] = {}
    for row in model.Session.execute(query):
        found.setdefault(row.package_id, []).append(_broken_item(row))
    return found


def _editable(user: model.User | None) -> sa.ColumnElement[bool]:
    """The datasets ``user`` (not a sysadmin) may edit: those of organizations
    where they may update datasets, and those they collaborate on as editor or
    admin (when CKAN allows collaborators)."""
    if user is None:
        return sa.false()
    orgs = toolkit.get_action("organization_list_for_user")(
        {"user": user.name, "ignore_auth": True},
        {"id": user.id, "permission": "update_dataset"})
    allowed = model.Package.owner_org.in_([org["id"] for org in orgs])
    if toolkit.asbool(toolkit.config.get("ckan.auth.allow_dataset_collaborators")):
        member = model.PackageMember
        shared = sa.select(member.package_id).where(
            member.user_id == user.id, member.capacity.in_(("editor", "admin")))
        allowed = sa.or_(allowed, model.Package.id.in_(shared))
    return allowed


def mogi_link_check_list_auth(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Signed-in users (each sees only what they may edit)."""
    if not context.get("user"):
        return {"success": False,
                "msg": translate(N_("Only the dataset's editors see its link checks."))}
    return {"success": True}


def get_actions() -> dict[str, Any]:
    return {"mogi_link_check_show": mogi_link_check_show,
            "mogi_link_check_list": mogi_link_check_list}


def get_auth_functions() -> dict[str, Any]:
    return {"mogi_link_check_show": mogi_link_check_show_auth,
            "mogi_link_check_list": mogi_link_check_list_auth}


# --------------------------------------------------------- template helper
def mogi_link_check(resource: dict[str, Any]) -> dict[str, Any] | None:
    """The badge's check of a linked resource, for the dataset's editors only
    (None for anyone else, and for uploads)."""
    if resource.get("url_type") or not resource.get("url"):
        return None
    try:
        return toolkit.get_action("mogi_link_check_show")(
            {}, {"resource_id": resource.get("id")})
    except (toolkit.NotAuthorized, toolkit.ObjectNotFound, toolkit.ValidationError):
        return None


def get_helpers() -> dict[str, Any]:
    return {"mogi_link_check": mogi_link_check}
