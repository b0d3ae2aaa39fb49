"""The quality panel of the catalogue: what each Secretaria has to fix.

Every figure comes from the search index, read through ``package_search``
with the viewer's own permissions (so a list never holds a dataset its
viewer may not read), a page of 1,000 datasets per statement, kept in Redis
per index generation and per set of permission labels: a panel costs a
constant number of statements however many datasets there are. The DCAT-BR
seal (``selo_dcat_br``), the next expected update (``proxima_atualizacao``)
and the tables' validation status travel in each dataset's shown dict; the
personal data awaiting a decision comes from ``mogi_validation``'s
``resource_validation_pending_list``, asked once for every table.

A dataset becomes a compact *row* (:func:`row_of`) and the rows are counted
per Secretaria (:func:`summarise`) and listed (:func:`build_lists`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ckan import authz
from ckan.lib import plugins as lib_plugins
from ckan.plugins import toolkit

from ckanext.mogi.common.cache import through_redis
from ckanext.mogi.common.i18n import N_
from ckanext.mogi.governance import freshness

#: Datasets per ``package_search`` statement (CKAN's ``ckan.search.rows_max``).
PAGE = 1000
#: Seal levels, lowest first (``mogi_dcat``'s ids).
SEAL_LEVELS = ("nenhum", "bronze", "prata", "ouro")
#: Validation statuses of a table that fails (``mogi_validation``'s ids).
FAILING = ("failure", "error")
#: Verdicts after which the LGPD scan has run.
VERDICTS = ("success", "failure")
#: Publication states of a dataset.
STATE_LABELS = {"public": N_("Public"), "private": N_("Private"), "draft": N_("Draft")}
#: The lists of the panel, in page order, and their headings (msgids).
LISTS: dict[str, str] = {
    "atualizacao": N_("Overdue and due soon"),
    "selo": N_("Below the Gold seal: criteria missing"),
    "validacao": N_("Tables failing validation"),
    "lgpd": N_("Personal data awaiting a decision"),
    "links": N_("Broken links"),
    "incompletos": N_("Datasets with no resources or no description"),
    "conjuntos": N_("Every dataset"),
}
#: What each count of :func:`summarise` counts (msgids).
COUNT_LABELS: dict[str, str] = {
    "total": N_("Datasets"), "public": N_("Public"), "private": N_("Private"),
    "draft": N_("Draft"), "nenhum": N_("No seal"), "bronze": N_("Bronze"),
    "prata": N_("Silver"), "ouro": N_("Gold"), "overdue": N_("Overdue"),
    "due_soon": N_("Due soon"), "current": N_("Up to date"),
    "unscheduled": N_("No schedule"), "failing_tables": N_("Tables failing validation"),
    "lgpd": N_("Personal data awaiting a decision"),
    "broken_links": N_("Broken links"),
    "incomplete": N_("No resources or no description"),
}
CACHE_PREFIX = "mogi:governance:panel:"


def due_soon_days() -> int:
    return int(toolkit.config.get("ckanext.mogi.governance.due_soon_days") or 7)


# ------------------------------------------------------------------- reading
def row_of(pkg: Mapping[str, Any], library_name: Callable[[Any], str | None]) -> dict[str, Any]:
    """What the panel keeps of a shown dataset (JSON-serialisable)."""
    seal = pkg.get("selo_dcat_br") if isinstance(pkg.get("selo_dcat_br"), Mapping) else {}
    org = pkg.get("organization") if isinstance(pkg.get("organization"), Mapping) else {}
    resources = [r for r in pkg.get("resources") or [] if isinstance(r, Mapping)]
    if pkg.get("state") == "draft":
        state = "draft"
    else:
        state = "private" if pkg.get("private") else "public"
    publications = sorted({name for r in resources if (name := library_name(r.get("schema")))})
    return {
        "id": pkg.get("id"),
        "name": pkg.get("name"),
        "title": pkg.get("title") or pkg.get("name"),
        "org_id": pkg.get("owner_org") or org.get("id"),
        "state": state,
        "seal": seal.get("nivel") if seal.get("nivel") in SEAL_LEVELS else "nenhum",
        "next_level": seal.get("proximo_nivel"),
        "missing": list(seal.get("faltando") or []),
        freshness.NEXT_UPDATE: pkg.get(freshness.NEXT_UPDATE),
        "descontinuado": pkg.get("descontinuado"),
        # The data's last update (mogi_schema), the day freshness counts from.
        "modified": str(pkg.get("ultima_atualizacao_dados") or "")[:10],
        "resources": len(resources),
        "described": bool(str(pkg.get("notes") or "").strip()),
        "tables": [{"id": r.get("id"), "name": r.get("name") or r.get("id"),
                    "status": r.get("validation_status")}
                   for r in resources if r.get("validation_status")],
        "publications": publications,
    }


def _library_name() -> Callable[[Any], str | None]:
    """The library schema a resource's ``schema`` names (``mogi_validation``'s
    helper, asked once per distinct value); ``None`` without the helper."""
    helper = getattr(toolkit.h, "mogi_validation_library_name_of", None)
    known: dict[str, str | None] = {}

    def name_of(value: Any) -> str | None:
        if helper is None or not isinstance(value, str) or not value:
            return None
        if value not in known:
            known[value] = helper(value)
        return known[value]

    return name_of


def _search_rows(context: dict[str, Any], fq: str, public: bool) -> list[dict[str, Any]]:
    name_of = _library_name()
    rows: list[dict[str, Any]] = []
    start = 0
    while True:
        found = toolkit.get_action("package_search")(dict(context), {
            "q": "*:*", "fq": fq, "rows": PAGE, "start": start, "sort": "name asc",
            "include_private": not public, "include_drafts": not public,
            "facet": "false"})
        rows.extend(row_of(pkg, name_of) for pkg in found["results"])
        start += PAGE
        if start >= found["count"] or not found["results"]:
            return rows


def labels_key(context: Mapping[str, Any], public: bool) -> str:
    """Who the rows are for: ``public``, ``all`` (sysadmins, the site) or a
    digest of the viewer's dataset permission labels."""
    if public:
        return "public"
    user = context.get("user")
    if context.get("ignore_auth") or (user and authz.is_sysadmin(user)):
        return "all"
    labels = lib_plugins.get_permission_labels().get_user_dataset_labels(
        context.get("auth_user_obj"))
    return hashlib.sha256("\n".join(sorted(labels)).encode()).hexdigest()[:32]


def rows(context: dict[str, Any], org_id: str | None = None,
         public: bool = False) -> list[dict[str, Any]]:
    """The rows of the datasets the context may read (public ones only with
    ``public``; one Secretaria's with ``org_id``), drafts included for staff."""
    fq = "+dataset_type:dataset"
    if org_id:
        fq += f' +owner_org:"{org_id}"'
    if public:
        context = {"user": "", "auth_user_obj": None, "ignore_auth": False}
    generation = getattr(toolkit.h, "mogi_search_generation", lambda: None)()
    if not generation:
        return _search_rows(context, fq, public)
    key = f"{CACHE_PREFIX}{generation}:{labels_key(context, public)}:{org_id or '*'}"
    return through_redis(key, lambda: _search_rows(context, fq, public), ttl=3600)


def lgpd_pending(rows: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """``{resource_id: columns}`` of the rows' tables whose personal data
    awaits a decision (staff panels only: the rows were read for the viewer)."""
    ids = [t["id"] for r in rows for t in r["tables"] if t["status"] in VERDICTS]
    try:
        action = toolkit.get_action("resource_validation_pending_list")
    except KeyError:
        return {}
    if not ids:
        return {}
    found = action({"ignore_auth": True}, {"resource_ids": ids})
    return {item["resource_id"]: list(item.get("fields") or []) for item in found}


# ------------------------------------------------------------------ counting
def empty_counts() -> dict[str, int]:
    return dict.fromkeys(COUNT_LABELS, 0)


def summarise(rows: Iterable[Mapping[str, Any]], on: dt.date, days: int,
              org_ids: Iterable[str] = (), pending: Mapping[str, Any] | None = None,
              broken: Mapping[str, list[Any]] | None = None) -> dict[str, dict[str, int]]:
    """Counts per Secretaria id (every one of ``org_ids`` present, at zero);
    ``broken``: the broken links per dataset id (the link checks')."""
    counts = {org_id: empty_counts() for org_id in org_ids}
    pending = pending or {}
    broken = broken or {}
    for row in rows:
        c = counts.setdefault(row["org_id"] or "", empty_counts())
        c["total"] += 1
        c[row["state"]] += 1
        c[row["seal"]] += 1
        c[freshness.status(row, on, days)] += 1
        c["failing_tables"] += sum(1 for t in row["tables"] if t["status"] in FAILING)
        c["lgpd"] += sum(1 for t in row["tables"] if t["id"] in pending)
        c["broken_links"] += len(broken.get(row["id"], ()))
        c["incomplete"] += not row["resources"] or not row["described"]
    return counts


def total(counts: Mapping[str, Mapping[str, int]]) -> dict[str, int]:
    result = empty_counts()
    for c in counts.values():
        for key, value in c.items():
            result[key] += value
    return result


# ------------------------------------------------------------------- listing
def _item(row: Mapping[str, Any], **extra: Any) -> dict[str, Any]:
    return {"dataset": row["name"], "title": row["title"], "org_id": row["org_id"],
            "state": row["state"], **extra}


def build_lists(rows: list[dict[str, Any]], on: dt.date, days: int,
                pending: Mapping[str, list[str]],
                broken: Mapping[str, list[dict[str, Any]]] | None = None,
                ) -> dict[str, list[dict[str, Any]]]:
    """Each list of :data:`LISTS`: one item per problem, in the order to fix them."""
    lists: dict[str, list[dict[str, Any]]] = {key: [] for key in LISTS}
    broken = broken or {}
    for row in rows:
        for link in broken.get(row["id"], ()):
            lists["links"].append(_item(row, resource_id=link["resource_id"],
                                        resource=link["resource_name"], url=link["url"],
                                        problem=link["label"]))
        status = freshness.status(row, on, days)
        lists["conjuntos"].append(_item(
            row, seal=row["seal"], freshness=status, next=row[freshness.NEXT_UPDATE],
            modified=row["modified"], resources=row["resources"]))
        if status in ("overdue", "due_soon"):
            lists["atualizacao"].append(_item(
                row, freshness=status, next=row[freshness.NEXT_UPDATE]))
        if row["seal"] != "ouro":
            lists["selo"].append(_item(row, seal=row["seal"], next_level=row["next_level"],
                                       missing=row["missing"]))
        for table in row["tables"]:
            if table["status"] in FAILING:
                lists["validacao"].append(_item(row, resource_id=table["id"],
                                                resource=table["name"], status=table["status"]))
            if table["id"] in pending:
                lists["lgpd"].append(_item(row, resource_id=table["id"], resource=table["name"],
                                           fields=pending[table["id"]]))
        if not row["resources"] or not row["described"]:
            lists["incompletos"].append(_item(row, no_resources=not row["resources"],
                                              no_description=not row["described"]))
    lists["atualizacao"].sort(key=lambda i: (str(i["next"]), i["title"]))
    lists["selo"].sort(key=lambda i: (SEAL_LEVELS.index(i["seal"]), i["title"]))
    return lists
