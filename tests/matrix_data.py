"""The declarative table of tests/test_permission_matrix.py.

Every Flask endpoint of the portal (``ROUTES``) and every registered action
(``ACTIONS``) has exactly one entry: either the probes to run against it
(templates filled with the canary objects, e.g. ``{private.name}``) or the
reason why it cannot return protected data. The inventory tests fail on any
endpoint or action without an entry, and on any entry that no longer exists.

Placeholders: ``{private}``, ``{public}``, ``{held}``, ``{flagged}``,
``{public_b}`` (datasets: ``.id``, ``.name``, ``.res`` resource id,
``.tag``, ``.fmt`` a resource format; ``{private.activity}`` the private
dataset's latest activity), ``{org_a}``, ``{org_b}``, ``{group}``
(``.id``, ``.name``), ``{editor}``, ``{other}``, ``{sysadmin}`` (``.name``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Probe:
    """One request: ``method`` on ``path`` (a template), with optional form/JSON data."""

    path: str
    method: str = "GET"
    data: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)


def gets(*paths: str) -> list[Probe]:
    return [Probe(path) for path in paths]


def posts(*paths: str) -> list[Probe]:
    return [Probe(path, method="POST", data={}) for path in paths]


# Reasons an endpoint or action is not probed.
STATIC = "static files, translations, API version: no catalogue data"
ACCOUNT = "login, logout, registration, password reset: the user's own account only"
TESTING = "CKAN's testing/utility pages: no catalogue data"
SHADOWED = "same URL as another endpoint that takes precedence (checked by the inventory)"
API_DISPATCH = "dispatches to the actions: every action has its own entry in ACTIONS"
NO_DATASETS = "schemas, licences, site status, vocabularies: no dataset data"

DS = "/dataset/{private.name}"
PANEL_LISTS = ("atualizacao", "selo", "validacao", "lgpd", "incompletos", "conjuntos",
               "cobertura")
RES_PATHS = ("private", "held", "flagged")


def _resource_pages(suffix: str) -> list[Probe]:
    """``suffix`` under each canary resource's own URL."""
    return [Probe(f"/dataset/{{{obj}.name}}/resource/{{{obj}.res}}{suffix}") for obj in RES_PATHS]


# ------------------------------------------------------------------ routes
#: endpoint -> probes (list) or reason (str). Shadowed endpoints name the
#: endpoint that answers their URL: ("shadowed", endpoint, sample path).
ROUTES: dict[str, list[Probe] | str | tuple[str, str, str]] = {
    # Static, account and utility pages.
    "static": STATIC,
    "webassets.index": STATIC,
    "api.i18n_js_translations": STATIC,
    "api.get_api": STATIC,
    "home.robots_txt": STATIC,
    "home.redirect_locale": "redirects /zh_TW/... to the same path without the locale",
    "mogi_validation.library_index": "the schemas library: shared Table Schemas, no datasets",
    "mogi_validation.library_schema": "one library Table Schema, no datasets",
    "user.login": ACCOUNT,
    "user.logout": ACCOUNT,
    "user.logged_out_page": ACCOUNT,
    "user.register": ACCOUNT,
    "user.request_reset": ACCOUNT,
    "user.perform_reset": ACCOUNT,
    "user.me": "redirects to the user's own page (user.read, probed)",
    "util.primer": TESTING,
    "util.custom_form_fields": TESTING,
    "util.internal_redirect": TESTING,
    "api.action": API_DISPATCH,
    # The same URL as dataset_resource.download, which is registered first.
    "resource.download": ("shadowed", "dataset_resource.download",
                          "/dataset/x/resource/y/download/z.csv"),
    "organization.bulk_process": gets("/organization/bulk_process/{org_a.name}"),
    # Pages that show datasets, resources, tags, counts or dates.
    "home.index": gets("/"),
    "home.about": gets("/about"),
    "mogi_theme.api_help": gets("/sobre/api"),
    "dataset.search": gets(
        "/dataset/", "/dataset/?q=segredo", "/dataset/?tags={private.tag}",
        "/dataset/?q={private.name}", "/dataset/?organization={org_a.name}",
        "/dataset/?res_format={private.fmt}", "/dataset/?q=&sort=metadata_modified+desc"),
    "dataset.read": gets(DS, "/dataset/{private.id}", "/dataset/{held.name}",
                         "/dataset/{flagged.name}", "/dataset/{public.name}"),
    "dataset.resources": gets("/dataset/resources/{private.name}"),
    "dataset.groups": gets("/dataset/groups/{private.name}"),
    "dataset.followers": gets("/dataset/followers/{private.name}"),
    "dataset.edit": gets("/dataset/edit/{private.name}"),
    "dataset.scheming_edit": gets("/dataset/edit/{private.id}"),
    "dataset.scheming_edit_page": gets("/dataset/edit/{private.name}/2"),
    "dataset.new": gets("/dataset/new"),
    "dataset.scheming_new": gets("/dataset/new?owner_org={org_a.id}"),
    "dataset.scheming_new_page": gets("/dataset/new/{private.name}/2"),
    "dataset.delete": gets("/dataset/delete/{private.name}"),
    "dataset.follow": posts("/dataset/follow/{private.name}"),
    "dataset.unfollow": posts("/dataset/unfollow/{private.name}"),
    "dataset_resource.read": _resource_pages(""),
    "resource.read": gets("/dataset/{public_b.name}/resource/{held.res}"),
    "dataset_resource.views": _resource_pages("/views"),
    "resource.views": gets("/dataset/{public_b.name}/resource/{private.res}/views"),
    "dataset_resource.view": _resource_pages("/view"),
    "resource.view": gets("/dataset/{private.name}/resource/{private.res}/view/x"),
    "dataset_resource.edit": _resource_pages("/edit"),
    "resource.edit": gets("/dataset/{public_b.name}/resource/{private.res}/edit"),
    "dataset_resource.edit_view": gets(
        "/dataset/{private.name}/resource/{private.res}/new_view?view_type=datatables_view"),
    "resource.edit_view": gets("/dataset/{private.name}/resource/{private.res}/edit_view/x"),
    "dataset_resource.new": gets("/dataset/{private.name}/resource/new"),
    "resource.new": gets("/dataset/{private.id}/resource/new"),
    "dataset_resource.delete": _resource_pages("/delete"),
    "resource.delete": gets("/dataset/{public_b.name}/resource/{private.res}/delete"),
    # CKAN's download view, behind the file gate (both URL shapes).
    "dataset_resource.download": _resource_pages("/download")
    + _resource_pages("/download/x.csv") + gets(
        "/dataset/{public_b.name}/resource/{held.res}/download/x.csv",
        "/dataset/{public_b.name}/resource/{private.res}/download/x.csv",
        "/dataset/{public.name}/resource/{flagged.res}/download/x.csv"),
    "mogi_validation.report": _resource_pages("/validacao") + gets(
        "/dataset/{public_b.name}/resource/{private.res}/validacao"),
    "mogi_validation.masked_copy": _resource_pages("/validacao/copia-mascarada.csv") + gets(
        "/dataset/{public_b.name}/resource/{flagged.res}/validacao/copia-mascarada.csv"),
    "mogi_validation.run": [Probe(p.path + "/executar", "POST", {})
                            for p in _resource_pages("/validacao")],
    "mogi_validation.justify": [Probe(p.path + "/justificar", "POST",
                                      {"legal_basis": "art7_iii", "text": "teste"})
                                for p in _resource_pages("/validacao")],
    "mogi_validation.adopt_schema": [Probe(p.path + "/adotar-esquema", "POST", {})
                                     for p in _resource_pages("/validacao")],
    "mogi_validation.bulk_process": [Probe("/organization/bulk_process/{org_a.name}", "POST",
                                           {"bulk_action.public": "public",
                                            "dataset_{private.id}": "on"})],
    # The quality panels (staff) and the public quality page (public datasets only).
    "mogi_ocds.releases": gets("/ocds/releases.json", "/ocds/releases.json?page=2"),
    "mogi_ocds.records": gets("/ocds/records.json", "/ocds/records.json?page=2"),
    "mogi_ocds.year": gets("/ocds/2022/releases.json"),
    "mogi_ocds.dataset": gets("/ocds/dataset/{private.name}/releases.json",
                              "/ocds/dataset/{private.id}/releases.json"),
    "mogi_ocds.record": gets("/ocds/{private.ocid}.json"),
    "mogi_ocds.search": gets("/licitacoes", "/licitacoes?q=segredoobjeto",
                             "/licitacoes?orgao=PMMC&ano=2022"),
    "mogi_ocds.indicators": gets("/licitacoes/indicadores"),
    "mogi_ocds.about": gets("/licitacoes/sobre"),
    "mogi_ocds.process": gets("/licitacoes/{private.ocid}"),
    "mogi_governance.site_panel": gets("/painel"),
    "mogi_governance.site_panel_csv": gets(*(f"/painel/{key}.csv" for key in PANEL_LISTS)),
    "mogi_governance.organization_panel": gets("/organization/{org_a.name}/painel",
                                               "/organization/{org_a.id}/painel"),
    "mogi_governance.organization_panel_csv": gets(
        *(f"/organization/{{org_a.name}}/painel/{key}.csv" for key in PANEL_LISTS)),
    "mogi_governance.public_quality": gets("/transparencia/qualidade"),
    "mogi_governance.public_quality_csv": gets("/transparencia/qualidade/secretarias.csv",
                                               "/transparencia/qualidade/cobertura.csv"),
    "file.download": gets("/file/download/{private.res}", "/file/download/{held.res}"),
    "file.public_download": gets(
        "/file/public-download/resources/{private.res}", "/file/public-download/default/x"),
    "file.trusted_download": gets("/file/trusted-download/x"),
    # The DataStore's pages: the rows follow the file gate (validation/gate.py).
    "datastore.dump": gets(*(f"/datastore/dump/{{{obj}.res}}" for obj in RES_PATHS)),
    "datastore.api_info": gets(*(f"/datastore/api_info/{{{obj}.res}}" for obj in RES_PATHS)),
    "datastore.dictionary": gets(
        *(f"/dataset/{{{obj}.name}}/dictionary/{{{obj}.res}}" for obj in RES_PATHS)),
    # The table preview's data requests (the private table is loaded, with a preview).
    "datatablesview.ajax": [Probe("/datatables/ajax/{private.view}", "POST", {
        "draw": "1", "start": "0", "length": "50", "search[value]": ""})],
    "datatablesview.filtered_download": [Probe(
        "/datatables/filtered-download/{private.view}", "POST", {"params": json.dumps({
            "search": {"value": ""}, "order": [], "visible": [True, True],
            "columns": [], "format": "csv"}).replace("{", "{{").replace("}", "}}"),
            "format": "csv"})],
    # RDF catalogue and feeds.
    "dcat.read_catalog": gets("/catalog.ttl", "/catalog.jsonld", "/catalog.xml",
                              "/catalog.ttl?q=segredo", "/catalog.ttl?fq=private:true"),
    "mogi_dcat.catalog": [Probe("/catalog", headers={"Accept": "text/turtle"})],
    "dcat.read_dataset": gets("/dataset/{private.name}.ttl", "/dataset/{private.id}.jsonld",
                              "/dataset/{held.name}.ttl", "/dataset/{flagged.name}.jsonld"),
    "dcat.read_dataset_series": gets("/dataset_series/{private.name}.ttl"),
    "feeds.general": gets("/feeds/dataset.atom"),
    "feeds.custom": gets("/feeds/custom.atom?q=segredo", "/feeds/custom.atom?tags={private.tag}"),
    "feeds.tag": gets("/feeds/tag/{private.tag}.atom"),
    "feeds.organization": gets("/feeds/organization/{org_a.name}.atom"),
    "feeds.group": gets("/feeds/group/{group.name}.atom"),
    # Autocomplete APIs.
    "api.dataset_autocomplete": gets("/api/2/util/dataset/autocomplete?incomplete=segredo",
                                     "/api/util/dataset/autocomplete?incomplete={private.id}"),
    "api.tag_autocomplete": gets("/api/2/util/tag/autocomplete?incomplete=segredo",
                                 "/api/util/tag/autocomplete?incomplete={private.tag}"),
    "api.format_autocomplete": gets(
        "/api/2/util/resource/format_autocomplete?incomplete={private.fmt}"),
    "api.group_autocomplete": gets("/api/2/util/group/autocomplete?q=a"),
    "api.organization_autocomplete": gets("/api/2/util/organization/autocomplete?q=a"),
    "api.user_autocomplete": gets("/api/2/util/user/autocomplete?q=a"),
    # Organizations and groups (lists show dataset counts).
    "organization.index": gets("/organization/"),
    "organization.read": gets("/organization/{org_a.name}", "/organization/{org_a.name}?q=segredo",
                              "/organization/{org_a.name}?tags={private.tag}"),
    "organization.about": gets("/organization/about/{org_a.name}"),
    "organization.members": gets("/organization/members/{org_a.name}"),
    "organization.member_dump": gets("/organization/member_dump/{org_a.name}"),
    "organization.manage_members": gets("/organization/manage_members/{org_a.name}"),
    "organization.member_new": gets("/organization/member_new/{org_a.name}"),
    "organization.member_delete": gets("/organization/member_delete/{org_a.name}"),
    "organization.admins": gets("/organization/admins/{org_a.name}"),
    "organization.followers": gets("/organization/followers/{org_a.name}"),
    "organization.edit": gets("/organization/edit/{org_a.name}"),
    "organization.delete": gets("/organization/delete/{org_a.name}"),
    "organization.new": gets("/organization/new"),
    "organization.follow": posts("/organization/follow/{org_a.name}"),
    "organization.unfollow": posts("/organization/unfollow/{org_a.name}"),
    "group.index": gets("/group/"),
    "group.read": gets("/group/{group.name}", "/group/{group.name}?q=segredo"),
    "group.about": gets("/group/about/{group.name}"),
    "group.members": gets("/group/members/{group.name}"),
    "group.member_dump": gets("/group/member_dump/{group.name}"),
    "group.manage_members": gets("/group/manage_members/{group.name}"),
    "group.member_new": gets("/group/member_new/{group.name}"),
    "group.member_delete": gets("/group/member_delete/{group.name}"),
    "group.admins": gets("/group/admins/{group.name}"),
    "group.followers": gets("/group/followers/{group.name}"),
    "group.bulk_process": gets("/group/bulk_process/{group.name}"),
    "group.edit": gets("/group/edit/{group.name}"),
    "group.delete": gets("/group/delete/{group.name}"),
    "group.new": gets("/group/new"),
    "group.follow": posts("/group/follow/{group.name}"),
    "group.unfollow": posts("/group/unfollow/{group.name}"),
    # Users (a user's page lists their datasets) and dashboards.
    "user.index": gets("/user/", "/user/?q=a"),
    "user.read": gets("/user/{sysadmin.name}", "/user/{editor.name}"),
    "user.read_groups": gets("/user/{sysadmin.name}/groups"),
    "user.read_organizations": gets("/user/{editor.name}/organizations"),
    "user.followers": gets("/user/followers/{editor.name}"),
    "user.api_tokens": gets("/user/{editor.name}/api-tokens"),
    "user.api_tokens_revoke": posts("/user/{editor.name}/api-tokens/revoke"),
    "user.edit": gets("/user/edit/{editor.name}"),
    "user.delete": posts("/user/delete/{editor.name}"),
    "user.follow": posts("/user/follow/{editor.name}"),
    "user.unfollow": posts("/user/unfollow/{editor.name}"),
    "user.sysadmin": [Probe("/user/sysadmin", "POST", {"id": "{other.name}", "status": "1"})],
    "dashboard.datasets": gets("/dashboard/datasets"),
    "dashboard.groups": gets("/dashboard/groups"),
    "dashboard.organizations": gets("/dashboard/organizations"),
    # The history (CKAN's activity plugin): a private dataset's is 404 for outsiders.
    "activity.package_activity": gets("/dataset/activity/{private.name}",
                                      "/dataset/activity/{private.id}"),
    "activity.package_history": gets("/dataset/{private.name}/history/{private.activity}"),
    "activity.resource_history": gets(
        "/dataset/{private.name}/resources/{private.res}/history/{private.activity}"),
    "activity.package_changes": gets("/dataset/changes/{private.activity}"),
    "activity.package_changes_multiple": gets(
        "/dataset/changes_multiple?new_id={private.activity}&old_id={private.activity}"),
    "activity.group_activity": gets("/group/activity/{group.name}"),
    "activity.organization_activity": gets("/organization/activity/{org_a.name}"),
    "activity.group_changes": gets("/group/changes/{private.activity}"),
    "activity.organization_changes": gets("/organization/changes/{private.activity}"),
    "activity.group_changes_multiple": gets(
        "/group/changes_multiple?new_id={private.activity}&old_id={private.activity}"),
    "activity.organization_changes_multiple": gets(
        "/organization/changes_multiple?new_id={private.activity}&old_id={private.activity}"),
    "activity.user_activity": gets("/user/activity/{sysadmin.name}",
                                   "/user/activity/{editor.name}"),
    "activity.dashboard": gets("/dashboard/"),
    "activity.admin_activities": gets("/ckan-admin/activities"),
    "activity.dashboard_testing": TESTING,
    # Sysadmin pages (the trash lists deleted datasets).
    "admin.index": gets("/ckan-admin/"),
    "admin.config": gets("/ckan-admin/config"),
    "admin.reset_config": gets("/ckan-admin/reset_config"),
    "admin.trash": gets("/ckan-admin/trash"),
}


# ----------------------------------------------------------------- actions
PRIVATE_DS = [{"id": "{private.id}"}, {"id": "{private.name}"}]
CANARY_RES = [{"id": "{private.res}"}, {"id": "{held.res}"}, {"id": "{flagged.res}"}]
ORG_A = [{"id": "{org_a.id}"}, {"id": "{org_a.name}"}]

#: Read actions: action -> list of data dicts (templates), called through
#: POST /api/3/action/<name> as each user.
READ_ACTIONS: dict[str, list[dict[str, Any]]] = {
    "package_show": PRIVATE_DS + [{"id": "{held.id}"}, {"id": "{flagged.id}"}],
    "package_search": [
        {"q": "segredo"}, {"q": "{private.name}"}, {"fq": "tags:{private.tag}"},
        {"fq": "name:{private.name}", "include_private": True},
        {"include_private": True, "rows": 1000},
        {"include_private": True, "include_drafts": True, "rows": 1000},
        {"facet.field": ["tags", "res_format", "organization"], "facet.limit": -1,
         "include_private": True, "rows": 0},
        {"fq": "capacity:private", "include_private": True},
        {"q": "id:{private.id}", "include_private": True},
    ],
    "package_list": [{}],
    "current_package_list_with_resources": [{"limit": 1000}],
    "package_autocomplete": [{"q": "segredo"}, {"q": "{private.name}"}],
    "package_relationships_list": [{"id": "{private.id}"}],
    "package_collaborator_list": PRIVATE_DS,
    "package_collaborator_list_for_user": [{"id": "{editor.name}"}, {"id": "{sysadmin.name}"}],
    "resource_show": CANARY_RES,
    "resource_search": [{"query": "name:Segredo"}, {"query": "format:{private.fmt}"},
                        {"query": "id:{private.res}"}],
    "resource_view_list": CANARY_RES,
    "resource_view_show": [{"id": "{private.res}"}],
    "resource_validation_show": [{"resource_id": "{private.res}"}, {"resource_id": "{held.res}"},
                                 {"resource_id": "{flagged.res}"}],
    "resource_file_access_show": [{"id": "{private.res}"}, {"id": "{held.res}"},
                                  {"id": "{flagged.res}"}],
    "resource_validation_pending_list": [{"resource_ids": ["{private.res}", "{flagged.res}"]}],
    "datastore_search": [{"resource_id": "{private.res}"}, {"resource_id": "{held.res}"},
                         {"resource_id": "{flagged.res}"}, {"resource_id": "_table_metadata"}],
    "datastore_info": CANARY_RES,
    "datastore_search_sql": [{"sql": 'SELECT * FROM "{private.res}"'},
                             {"sql": 'SELECT * FROM "{held.res}"'},
                             {"sql": 'SELECT * FROM "{flagged.res}"'},
                             {"sql": "SELECT * FROM _table_metadata"}],
    "mogi_datastore_status": [{"resource_id": "{private.res}"}, {"resource_id": "{held.res}"},
                              {"resource_id": "{flagged.res}"}],
    "mogi_link_check_show": [{"resource_id": "{private.res}"}, {"resource_id": "{held.res}"},
                             {"resource_id": "{flagged.res}"}],
    "mogi_link_check_list": [{}, {"owner_org": "{org_a.id}"}],
    "tag_list": [{}, {"all_fields": True}, {"query": "segredo"}],
    "tag_search": [{"query": "segredo"}, {"query": "{private.tag}"}],
    "tag_autocomplete": [{"q": "segredo"}],
    "tag_show": [{"id": "{private.tag}", "include_datasets": True}],
    "format_autocomplete": [{"q": "{private.fmt}"}],
    "group_show": [{"id": "{group.id}", "include_datasets": True}],
    "group_package_show": [{"id": "{group.id}"}],
    "group_list": [{"all_fields": True}, {"all_fields": True, "include_dataset_count": True}],
    "group_list_authz": [{}],
    "group_autocomplete": [{"q": "a"}],
    "organization_show": [{**d, "include_datasets": True} for d in ORG_A],
    "organization_list": [{"all_fields": True, "include_dataset_count": True}],
    "organization_list_for_user": [{"id": "{editor.name}", "include_dataset_count": True}],
    "organization_autocomplete": [{"q": "a"}],
    "member_list": [{"id": "{org_a.id}", "object_type": "package"},
                    {"id": "{group.id}", "object_type": "package"}, {"id": "{org_a.id}"}],
    "member_roles_list": [{"group_type": "organization"}],
    "dcat_catalog_show": [{"format": "ttl"}, {"format": "jsonld", "q": "segredo"}],
    "dcat_catalog_search": [{"q": "segredo"}, {"fq": "private:true"}],
    "dcat_dataset_show": [{"id": "{private.id}", "format": "ttl"}],
    "user_show": [{"id": "{sysadmin.name}", "include_datasets": True},
                  {"id": "{editor.name}", "include_datasets": True}],
    "user_list": [{}],
    "user_autocomplete": [{"q": "a"}],
    "api_token_list": [{"user_id": "{editor.name}"}],
    "dataset_follower_list": PRIVATE_DS,
    "dataset_follower_count": PRIVATE_DS,
    "dataset_followee_list": [{"id": "{editor.name}"}],
    "dataset_followee_count": [{"id": "{editor.name}"}],
    "am_following_dataset": PRIVATE_DS,
    "followee_list": [{"id": "{editor.name}"}],
    "followee_count": [{"id": "{editor.name}"}],
    "user_followee_list": [{"id": "{editor.name}"}],
    "user_followee_count": [{"id": "{editor.name}"}],
    "user_follower_list": [{"id": "{editor.name}"}],
    "user_follower_count": [{"id": "{editor.name}"}],
    "am_following_user": [{"id": "{editor.name}"}],
    "group_followee_list": [{"id": "{editor.name}"}],
    "group_followee_count": [{"id": "{editor.name}"}],
    "group_follower_list": [{"id": "{group.id}"}],
    "group_follower_count": [{"id": "{group.id}"}],
    "am_following_group": [{"id": "{group.id}"}],
    "organization_followee_list": [{"id": "{editor.name}"}],
    "organization_followee_count": [{"id": "{editor.name}"}],
    "organization_follower_list": [{"id": "{org_a.id}"}],
    "organization_follower_count": [{"id": "{org_a.id}"}],
    "file_show": [{"id": "{private.res}"}, {"id": "{held.res}"}],
    "file_owner_scan": [{"owner_type": "package", "owner_id": "{private.id}"}],
    "job_list": [{}],
    "job_show": [{"id": "{private.res}"}],
    "task_status_show": [{"entity_id": "{private.res}", "task_type": "x", "key": "y"}],
    "get_site_user": [{}],
    "config_option_list": [{}],
    "config_option_show": [{"key": "ckan.site_title"}],
    "term_translation_show": [{"terms": ["segredo"]}],
    # The history (CKAN's activity plugin).
    "package_activity_list": PRIVATE_DS,
    "user_activity_list": [{"id": "{sysadmin.name}"}, {"id": "{editor.name}"}],
    "organization_activity_list": ORG_A,
    "group_activity_list": [{"id": "{group.id}"}],
    "recently_changed_packages_activity_list": [{}],
    "dashboard_activity_list": [{}],
    "dashboard_new_activities_count": [{}],
    "activity_show": [{"id": "{private.activity}"},
                      {"id": "{private.activity}", "include_data": True}],
    "activity_data_show": [{"id": "{private.activity}"},
                           {"id": "{private.activity}", "object_type": "package"}],
    "activity_diff": [{"id": "{private.activity}", "object_type": "package"}],
    "activity_delete_counts": [{}],
}

#: Read actions without dataset data (still listed, so new ones get noticed).
NO_DATA_ACTIONS: dict[str, str] = {
    name: NO_DATASETS for name in (
        "help_show", "license_list", "status_show", "scheming_dataset_schema_list",
        "scheming_dataset_schema_show", "scheming_organization_schema_list",
        "scheming_organization_schema_show", "vocabulary_list", "vocabulary_show",
    )
}

#: Write actions: called as anonymous and as the other Secretaria's editor
#: against the private dataset (or its resource, organization, group, editor);
#: each must be refused or fail without leaking a canary.
WRITE_ACTIONS: dict[str, list[dict[str, Any]]] = {
    **{name: PRIVATE_DS for name in (
        "package_update", "package_patch", "package_delete", "dataset_purge",
        "package_owner_org_update", "package_resource_reorder", "follow_dataset",
        "unfollow_dataset", "package_create_default_resource_views",
        "package_relationship_create", "package_relationship_update",
        "package_relationship_delete",
    )},
    "package_create": [{"name": "x-matrix", "owner_org": "{org_a.id}",
                        "title": "x", "notes": "x"}],
    "package_revise": [{"match": {"id": "{private.id}"}, "update": {"title": "x"}},
                       {"match": {"name": "{private.name}"}, "update": {"notes": "x"}}],
    "package_collaborator_create": [{"id": "{private.id}", "user_id": "{other.name}",
                                     "capacity": "editor"}],
    "package_collaborator_delete": [{"id": "{private.id}", "user_id": "{editor.name}"}],
    "bulk_update_public": [{"datasets": ["{private.id}"], "org_id": "{org_a.id}"}],
    "bulk_update_private": [{"datasets": ["{public.id}"], "org_id": "{org_a.id}"}],
    "bulk_update_delete": [{"datasets": ["{private.id}"], "org_id": "{org_a.id}"}],
    **{name: [{"id": "{private.res}"}, {"id": "{held.res}"}] for name in (
        "resource_update", "resource_patch", "resource_delete", "resource_view_clear",
        "resource_create_default_resource_views", "file_delete", "file_pin", "file_unpin",
        "file_rename", "file_ownership_transfer", "resource_validation_delete",
    )},
    "resource_create": [{"package_id": "{private.id}", "url": "http://example.com/x.csv"}],
    "resource_view_create": [{"resource_id": "{private.res}", "view_type": "image_view",
                              "title": "x"}],
    "resource_view_update": [{"id": "{private.res}", "title": "x"}],
    "resource_view_delete": [{"id": "{private.res}"}],
    "resource_view_reorder": [{"id": "{private.res}", "order": []}],
    "resource_validation_run": [{"id": "{private.res}"}, {"id": "{held.res}"}],
    **{name: [{"resource_id": "{private.res}", "force": True},
              {"resource_id": "{held.res}", "force": True}] for name in (
        "datastore_create", "datastore_upsert", "datastore_delete",
        "datastore_records_delete", "datastore_run_triggers",
    )},
    "datastore_function_create": [{"name": "x", "rettype": "trigger",
                                   "definition": "BEGIN RETURN NEW; END;"}],
    "datastore_function_delete": [{"name": "populate_full_text_trigger"}],
    "resource_validation_justify": [{"resource_id": "{flagged.res}", "legal_basis": "art7_iii",
                                     "text": "x"}],
    "file_create": [{"name": "x.csv"}],
    "file_register": [{"location": "{private.res}", "storage": "resources"}],
    **{name: ORG_A for name in (
        "organization_update", "organization_patch", "organization_delete",
        "organization_purge", "follow_group", "unfollow_group",
    )},
    "organization_create": [{"name": "x-matrix-org", "tipo": "secretaria"}],
    "organization_member_create": [{"id": "{org_a.id}", "username": "{other.name}",
                                    "role": "editor"}],
    "organization_member_delete": [{"id": "{org_a.id}", "username": "{editor.name}"}],
    **{name: [{"id": "{group.id}"}] for name in (
        "group_update", "group_patch", "group_delete", "group_purge",
    )},
    "group_create": [{"name": "x-matrix-group"}],
    "group_member_create": [{"id": "{group.id}", "username": "{other.name}", "role": "editor"}],
    "group_member_delete": [{"id": "{group.id}", "username": "{sysadmin.name}"}],
    "member_create": [{"id": "{group.id}", "object": "{private.id}", "object_type": "package",
                       "capacity": "public"}],
    "member_delete": [{"id": "{group.id}", "object": "{private.id}", "object_type": "package"}],
    **{name: [{"id": "{editor.name}"}] for name in (
        "user_update", "user_patch", "user_delete", "follow_user", "unfollow_user",
    )},
    "user_create": [{"name": "x-matrix-user", "email": "x@example.com",
                     "password": "a-long-Pa55word-matrix"}],
    "user_invite": [{"email": "x@example.com", "group_id": "{org_a.id}", "role": "editor"}],
    "api_token_create": [{"user": "{editor.name}", "name": "x"}],
    "api_token_revoke": [{"jti": "x"}],
    "tag_create": [{"name": "x-matrix", "vocabulary_id": "x"}],
    "tag_delete": [{"id": "{private.tag}"}],
    "vocabulary_create": [{"name": "x-matrix", "tags": []}],
    "vocabulary_update": [{"id": "x", "tags": []}],
    "vocabulary_delete": [{"id": "x"}],
    "task_status_update": [{"entity_id": "{private.res}", "entity_type": "resource",
                            "task_type": "x", "key": "y", "value": "z"}],
    "task_status_update_many": [{"data": [{"entity_id": "{private.res}"}]}],
    "task_status_delete": [{"id": "{private.res}"}],
    "term_translation_update": [{"term": "segredo", "term_translation": "x", "lang_code": "en"}],
    "term_translation_update_many": [{"data": []}],
    "config_option_update": [{"ckan.site_title": "x"}],
    "job_cancel": [{"id": "x"}],
    "job_clear": [{}],
    "activity_create": [{"user_id": "{other.name}", "object_id": "{private.id}",
                         "activity_type": "changed package", "data": {}}],
    "activity_delete": [{"id": "{private.activity}"}],
    "activity_delete_all": [{}],
    "dashboard_mark_activities_old": [{}],
    "send_email_notifications": [{}],
}

#: Writes any logged-in user may make (site policy: following, creating
#: groups and organizations, CKAN's ``ckan.auth.user_create_*`` defaults):
#: they may succeed for the other Secretaria's editor, but must not leak.
SELF_SERVICE = frozenset({
    "follow_group", "unfollow_group", "follow_user", "unfollow_user", "unfollow_dataset",
    "group_create", "organization_create", "dashboard_mark_activities_old",
})
