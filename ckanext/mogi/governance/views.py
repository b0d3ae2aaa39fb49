"""The panel's routes: ``/painel``, ``/organization/<id>/painel``,
``/transparencia/qualidade`` and their CSV downloads (logic in :mod:`.pages`)."""

from __future__ import annotations

from typing import Any

from ckan.plugins import toolkit
from flask import Blueprint, Response

from ckanext.mogi.governance import pages, panel, rendered


def _user() -> Any:
    """The logged-in user (``None`` for a visitor)."""
    return toolkit.g.get("userobj")


def _refuse() -> Any:
    return toolkit.abort(403, toolkit._(
        "Only the Secretaria's editors and administrators and the catalogue's "
        "governance staff can see this panel."))


def _organization(id: str) -> dict[str, str]:
    org = pages.organization(id)
    if org is None:
        toolkit.abort(404, toolkit._("Organization not found"))
    assert org is not None
    return org


def _csv(body: bytes, filename: str) -> Response:
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}.csv"'})


def _list_key(key: str, allowed: Any) -> str:
    if key not in allowed:
        toolkit.abort(404, toolkit._("There is no such list."))
    return key


def _panel(user: Any, org: dict[str, str] | None) -> Any:
    """The panel page: its body kept per what it shows (:mod:`.rendered`)."""
    every = pages.organizations()
    body = rendered.body(rendered.panel_scope(user, org), every, lambda: toolkit.render(
        "mogi/governance/snippets/panel_body.html", pages.staff_panel(user, org, every)))
    return toolkit.render("mogi/governance/panel.html", {"org": org, "body": body})


def site_panel() -> Any:
    user = _user()
    if not pages.is_governance(user):
        return _refuse()
    return _panel(user, None)


def site_panel_csv(key: str) -> Any:
    user = _user()
    if not pages.is_governance(user):
        return _refuse()
    _list_key(key, [*panel.LISTS, "cobertura"])
    return _csv(pages.staff_csv(user, None, key), f"painel-{key}")


def organization_panel(id: str) -> Any:
    org = _organization(id)
    user = _user()
    if not pages.may_see(user, org):
        return _refuse()
    return _panel(user, org)


def organization_panel_csv(id: str, key: str) -> Any:
    org = _organization(id)
    user = _user()
    if not pages.may_see(user, org):
        return _refuse()
    _list_key(key, panel.LISTS)
    return _csv(pages.staff_csv(user, org, key), f"painel-{org['name']}-{key}")


def public_quality() -> Any:
    every = pages.organizations()
    body = rendered.body(rendered.PUBLIC_SCOPE, every, lambda: toolkit.render(
        "mogi/governance/snippets/public_body.html", pages.public_page(every)))
    return toolkit.render("mogi/governance/public.html", {"body": body})


def public_quality_csv(key: str) -> Any:
    _list_key(key, pages.PUBLIC_LISTS)
    return _csv(pages.public_csv(key), f"qualidade-{key}")


def get_blueprint() -> Blueprint:
    blueprint = Blueprint("mogi_governance", __name__)
    for rule, endpoint, view in (
        ("/painel", "site_panel", site_panel),
        ("/painel/<key>.csv", "site_panel_csv", site_panel_csv),
        ("/organization/<id>/painel", "organization_panel", organization_panel),
        ("/organization/<id>/painel/<key>.csv", "organization_panel_csv",
         organization_panel_csv),
        ("/transparencia/qualidade", "public_quality", public_quality),
        ("/transparencia/qualidade/<key>.csv", "public_quality_csv", public_quality_csv),
    ):
        blueprint.add_url_rule(rule, endpoint, view, methods=["GET"])
    return blueprint


def may_see_organization_panel(org_id: str) -> bool:
    """Template helper: whether the current user may open that Secretaria's panel."""
    org = pages.organization(org_id)
    return org is not None and pages.may_see(_user(), org)


def may_see_site_panel() -> bool:
    """Template helper: whether the current user may open ``/painel``."""
    return pages.is_governance(_user())


def get_helpers() -> dict[str, Any]:
    return {"mogi_governance_may_see_organization_panel": may_see_organization_panel,
            "mogi_governance_may_see_site_panel": may_see_site_panel}
