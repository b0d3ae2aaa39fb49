"""The panel pages, their CSV downloads and the public quality page.

Who sees what (fail closed):

- ``/organization/<id>/painel``: the Secretaria's editors and admins,
  sysadmins and the governance staff (editors and admins of the Secretaria
  named by ``ckanext.mogi.governance.transparency_organization``);
- ``/painel``: sysadmins and the governance staff, every Secretaria side by side;
- ``/transparencia/qualidade``: everyone, public datasets only.

The datasets of a panel are those ``package_search`` gives its viewer (a
governance member who is not a Secretaria's member sees its public datasets
only), and the history chart of a Secretaria is read in the same scope.
Every table of a page is described once (:data:`COLUMNS`): the page and its
CSV show the same cells.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
from collections.abc import Callable, Mapping
from typing import Any

from ckan import authz, model
from ckan.plugins import toolkit
from werkzeug.routing import BuildError

from ckanext.mogi.common.i18n import N_, translate
from ckanext.mogi.common.jobs import job_alive
from ckanext.mogi.common.spreadsheet import neutralise_row
from ckanext.mogi.governance import charts, coverage, freshness, link_actions, panel, snapshots

log = logging.getLogger(__name__)

TRANSPARENCY_OPTION = "ckanext.mogi.governance.transparency_organization"
#: Rows of a list shown on the page (the CSV has them all).
LIST_LIMIT = 100
#: Days of history in the chart of overdue datasets.
HISTORY_DAYS = 30
STAFF_ROLES = ("editor", "admin")
PUBLIC_LISTS = ("secretarias", "cobertura")

Item = Mapping[str, Any]


# ------------------------------------------------------------------- access
def organizations() -> list[dict[str, str]]:
    """Every active organization, ``{"id", "name", "title"}``, by title."""
    query = (model.Session.query(model.Group.id, model.Group.name, model.Group.title)
             .filter(model.Group.is_organization.is_(True), model.Group.state == "active"))
    found = [{"id": i, "name": n, "title": t or n} for i, n, t in query]
    return sorted(found, key=lambda o: o["title"].lower())


def organization(id_or_name: str) -> dict[str, str] | None:
    group = model.Group.get(id_or_name)
    if group is None or not group.is_organization or group.state != "active":
        return None
    return {"id": group.id, "name": group.name, "title": group.title or group.name}


def _role(user: model.User | None, org_id: str) -> str | None:
    if user is None:
        return None
    return authz.users_role_for_group_or_org(org_id, user.name)


def is_governance(user: model.User | None) -> bool:
    """A sysadmin, or an editor or admin of the Secretaria de Transparência."""
    if user is None:
        return False
    if user.sysadmin:
        return True
    name = str(toolkit.config.get(TRANSPARENCY_OPTION) or "").strip()
    org = organization(name) if name else None
    return org is not None and _role(user, org["id"]) in STAFF_ROLES


def may_see(user: model.User | None, org: Mapping[str, str]) -> bool:
    return is_governance(user) or _role(user, org["id"]) in STAFF_ROLES


def _readable(user: model.User, orgs: list[dict[str, str]]) -> set[str]:
    """The organizations whose private datasets ``user`` may read."""
    if user.sysadmin:
        return {o["id"] for o in orgs}
    mine = toolkit.get_action("organization_list_for_user")(
        {"user": user.name}, {"permission": "read"})
    return {o["id"] for o in mine}


# ----------------------------------------------------------------- the cells
def _date(value: Any) -> str:
    text = str(value or "")[:10]
    return f"{text[8:10]}/{text[5:7]}/{text[:4]}" if len(text) == 10 else ""


def _day(day: dt.date) -> str:
    return day.strftime(toolkit._("%d/%m/%Y"))


def _helper(name: str, fallback: Callable[[Any], str]) -> Callable[[Any], str]:
    return getattr(toolkit.h, name, None) or fallback


def seal_label(level: Any) -> str:
    return _helper("mogi_seal_level_label", str)(level) if level else ""


def _criteria(ids: list[str]) -> str:
    label = _helper("mogi_seal_criterion_label", str)
    return "; ".join(label(c) for c in ids)


def _validation_label(status: Any) -> str:
    badge = _helper("mogi_validation_status_badge", lambda s: None)(status)
    return badge["label"] if badge else str(status or "")


def _yes(flag: Any) -> str:
    return toolkit._("Yes") if flag else ""


def _edit_url(item: Item) -> str:
    return toolkit.url_for("dataset.edit", id=item["dataset"], qualified=True)


def _new_data_url(item: Item) -> str:
    """The form of a new resource of the dataset: where the new data go."""
    return toolkit.url_for("dataset_resource.new", id=item["dataset"], qualified=True)


def _fix_url(item: Item) -> str:
    return _new_data_url(item) if item.get("no_resources") else _edit_url(item)


def _report_url(item: Item) -> str:
    """The table's validation report page (``mogi_validation``), else the dataset."""
    try:
        return toolkit.url_for("mogi_validation.report", id=item["dataset"],
                               resource_id=item["resource_id"], qualified=True)
    except BuildError:
        return _dataset_url(item)


def _resource_edit_url(item: Item) -> str:
    return toolkit.url_for("dataset_resource.edit", id=item["dataset"],
                           resource_id=item["resource_id"], qualified=True)


def _dataset_url(item: Item) -> str:
    return toolkit.url_for("dataset.read", id=item["dataset"], qualified=True)


Column = tuple[str, Callable[[Item, Mapping[str, str]], str]]


def _org(item: Item, titles: Mapping[str, str]) -> str:
    return titles.get(item["org_id"], "")


def _title(item: Item, _t: Mapping[str, str]) -> str:
    return str(item["title"])


def _state(item: Item, _t: Mapping[str, str]) -> str:
    label = panel.STATE_LABELS[item["state"]]
    return toolkit._(label)


def _fresh(item: Item, _t: Mapping[str, str]) -> str:
    label = freshness.LABELS[item["freshness"]]
    return toolkit._(label)


COMMON: list[Column] = [(N_("Secretaria"), _org), (N_("Dataset"), _title),
                        (N_("Visibility"), _state)]

#: Per list: its columns, the label of its link and where the link goes.
COLUMNS: dict[str, tuple[list[Column], str, Callable[[Item], str]]] = {
    "atualizacao": (COMMON + [
        (N_("Freshness"), _fresh),
        (N_("Next expected update"), lambda i, _t: _date(i["next"])),
    ], N_("Publish the new data"), _new_data_url),
    "selo": (COMMON + [
        (N_("DCAT-BR seal"), lambda i, _t: seal_label(i["seal"])),
        (N_("Next seal"), lambda i, _t: seal_label(i["next_level"])),
        (N_("Criteria missing"), lambda i, _t: _criteria(i["missing"])),
    ], N_("Fill in the metadata"), _edit_url),
    "validacao": (COMMON + [
        (N_("Table"), lambda i, _t: str(i["resource"])),
        (N_("Validation status"), lambda i, _t: _validation_label(i["status"])),
    ], N_("See the validation report"), _report_url),
    "lgpd": (COMMON + [
        (N_("Table"), lambda i, _t: str(i["resource"])),
        (N_("Columns with personal data"), lambda i, _t: ", ".join(i["fields"])),
    ], N_("Decide on the report page"), _report_url),
    "links": (COMMON + [
        (N_("Resource"), lambda i, _t: str(i["resource"])),
        (N_("Link"), lambda i, _t: str(i["url"])),
        (N_("Problem"), lambda i, _t: str(i["problem"])),
    ], N_("Fix the link"), _resource_edit_url),
    "incompletos": (COMMON + [
        (N_("No resources"), lambda i, _t: _yes(i["no_resources"])),
        (N_("No description"), lambda i, _t: _yes(i["no_description"])),
    ], N_("Complete the dataset"), _fix_url),
    "conjuntos": (COMMON + [
        (N_("DCAT-BR seal"), lambda i, _t: seal_label(i["seal"])),
        (N_("Freshness"), _fresh),
        (N_("Next expected update"), lambda i, _t: _date(i["next"])),
        (N_("Last update"), lambda i, _t: _date(i["modified"])),
        (N_("Resources"), lambda i, _t: str(i["resources"])),
    ], N_("Open the dataset"), _dataset_url),
}


def table(key: str, items: list[dict[str, Any]], titles: Mapping[str, str],
          limit: int | None = None) -> dict[str, Any]:
    """``{"key", "title", "header", "rows": [{"cells", "link"}], "count", "link_label"}``."""
    columns, link_label, link = COLUMNS[key]
    shown = items if limit is None else items[:limit]
    return {
        "key": key, "title": toolkit._(panel.LISTS[key]), "count": len(items),
        "header": [toolkit._(label) for label, _ in columns],
        "link_label": toolkit._(link_label),
        "rows": [{"cells": [cell(i, titles) for _, cell in columns], "link": link(i)}
                 for i in shown],
    }


def csv_bytes(header: list[str], rows: list[list[Any]]) -> bytes:
    """UTF-8 CSV with a BOM and ``;`` (what spreadsheets in Brazil open), every
    cell a spreadsheet would run as a formula neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(neutralise_row(header))
    for row in rows:
        writer.writerow(neutralise_row(row))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def list_csv(built: Mapping[str, Any]) -> bytes:
    return csv_bytes([*built["header"], toolkit._("Address")],
                     [[*r["cells"], r["link"]] for r in built["rows"]])


# ------------------------------------------------------------------- charts
def _seal_chart(chart_id: str, orgs: list[dict[str, str]],
                counts: Mapping[str, Mapping[str, int]]) -> dict[str, Any]:
    levels = [(level, seal_label(level)) for level in panel.SEAL_LEVELS]
    bars = [(o["title"], counts[o["id"]]) for o in orgs]
    desc = "; ".join(
        f"{o['title']}: " + ", ".join(f"{counts[o['id']][lv]} {label}" for lv, label in levels)
        for o in orgs)
    return {
        "svg": charts.seal_bars(chart_id, toolkit._("DCAT-BR seal per Secretaria"),
                                desc, bars, levels),
        "header": [toolkit._("Secretaria"), *(label for _, label in levels)],
        "rows": [{"cells": [o["title"], *(counts[o["id"]][lv] for lv in panel.SEAL_LEVELS)],
                  "link": ""} for o in orgs],
        "link_label": "",
    }


def _overdue_chart(chart_id: str, orgs: list[dict[str, str]],
                   counts: Mapping[str, Mapping[str, int]], scopes: Mapping[str, str],
                   today: dt.date) -> dict[str, Any]:
    history = snapshots.series(today - dt.timedelta(days=HISTORY_DAYS), "overdue", scopes)
    for org in orgs:
        history.setdefault(org["id"], {})[today] = counts[org["id"]]["overdue"]
    days = snapshots.days(history.values())
    day_format = toolkit._("%d/%m/%Y")  # the chart's and its table's dates
    series = [(o["title"], history[o["id"]]) for o in orgs]
    desc = "; ".join(
        f"{label}: " + ", ".join(f"{day.strftime(day_format)} {values[day]}"
                                 for day in days if day in values)
        for label, values in series)
    return {
        "svg": charts.lines(chart_id, toolkit._("Overdue datasets over time"), desc, days,
                            series, day_format),
        "header": [toolkit._("Secretaria"), *(day.strftime(day_format) for day in days)],
        "rows": [{"cells": [label, *(values.get(day, "") for day in days)], "link": ""}
                 for label, values in series],
        "link_label": "",
    }


# -------------------------------------------------------------------- pages
def _coverage_rows(entries: list[dict[str, Any]], titles: Mapping[str, str]
                   ) -> dict[str, Any]:
    header = [toolkit._("Publication"), toolkit._("Secretaria"), toolkit._("Dataset"),
              toolkit._("Last update"), toolkit._("Freshness"), toolkit._("Current")]
    rows: list[dict[str, Any]] = []
    for entry in entries:
        if not entry["datasets"]:
            rows.append({"cells": [entry["title"], "", toolkit._("Not published (gap)"),
                                   "", "", toolkit._("No")], "link": "", "gap": True})
        for d in entry["datasets"]:
            rows.append({"cells": [entry["title"], titles.get(d["org_id"], ""), d["title"],
                                   _date(d["modified"]), _fresh(d, titles),
                                   toolkit._("Yes") if d["current"] else toolkit._("No")],
                         "link": _dataset_url(d), "gap": False})
    return {"header": header, "rows": rows,
            "gaps": [e["title"] for e in coverage.gaps(entries)]}


def staff_panel(user: model.User, org: dict[str, str] | None,
                every: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """What a panel's body shows: ``org`` alone, or every Secretaria (``None``);
    ``every``: :func:`organizations`, when already read."""
    today, days = freshness.today(), panel.due_soon_days()
    every = organizations() if every is None else every
    orgs = [org] if org else every
    titles = {o["id"]: o["title"] for o in every}
    rows = panel.rows({"user": user.name, "auth_user_obj": user},
                      org_id=org["id"] if org else None)
    pending = panel.lgpd_pending(rows)
    broken = link_actions.broken_by_dataset(r["id"] for r in rows)
    counts = panel.summarise(rows, today, days, [o["id"] for o in orgs], pending, broken)
    readable = _readable(user, orgs)
    scopes = {o["id"]: "all" if o["id"] in readable else "public" for o in orgs}
    lists = panel.build_lists(rows, today, days, pending, broken)
    data = {
        "org": org, "orgs": [{**o, "counts": counts[o["id"]]} for o in orgs],
        "total": panel.total(counts), "today_text": _day(today), "due_soon_days": days,
        "lists": [table(key, lists[key], titles, LIST_LIMIT) for key in panel.LISTS],
        "seal_chart": _seal_chart("grafico-selo", orgs, counts),
        "overdue_chart": _overdue_chart("grafico-atrasos", orgs, counts, scopes, today),
        "coverage": None,
        "seal_labels": {level: seal_label(level) for level in panel.SEAL_LEVELS},
    }
    if org is None:
        entries = coverage.coverage(rows, today, days, coverage.publications())
        data["coverage"] = _coverage_rows(entries, titles)
    return data


def staff_csv(user: model.User, org: dict[str, str] | None, key: str) -> bytes:
    today, days = freshness.today(), panel.due_soon_days()
    titles = {o["id"]: o["title"] for o in organizations()}
    rows = panel.rows({"user": user.name, "auth_user_obj": user},
                      org_id=org["id"] if org else None)
    if key == "cobertura":
        built = _coverage_rows(coverage.coverage(rows, today, days, coverage.publications()),
                               titles)
        return list_csv(built)
    pending = panel.lgpd_pending(rows) if key == "lgpd" else {}
    broken = link_actions.broken_by_dataset(r["id"] for r in rows) if key == "links" else {}
    return list_csv(table(key, panel.build_lists(rows, today, days, pending, broken)[key],
                          titles))


def _public_counts(orgs: list[dict[str, str]] | None = None
                   ) -> tuple[list[dict[str, str]], list[dict[str, Any]],
                              dict[str, dict[str, int]], dt.date]:
    today, days = freshness.today(), panel.due_soon_days()
    orgs = organizations() if orgs is None else orgs
    rows = panel.rows({}, public=True)
    broken = link_actions.broken_by_dataset(r["id"] for r in rows)
    return orgs, rows, panel.summarise(rows, today, days, [o["id"] for o in orgs],
                                       broken=broken), today


PUBLIC_COLUMNS = ("total", "ouro", "prata", "bronze", "nenhum", "overdue", "due_soon",
                  "failing_tables", "broken_links", "incomplete")


def _public_table(orgs: list[dict[str, str]], counts: Mapping[str, Mapping[str, int]]
                  ) -> dict[str, Any]:
    _ = toolkit._
    header = [_("Secretaria"), _("Public datasets"), seal_label("ouro"), seal_label("prata"),
              seal_label("bronze"), seal_label("nenhum"), _("Overdue"), _("Due soon"),
              _("Tables failing validation"), _("No resources or no description")]
    return {"header": header,
            "rows": [{"cells": [o["title"], *(counts[o["id"]][k] for k in PUBLIC_COLUMNS)],
                      "link": toolkit.url_for("organization.read", id=o["name"],
                                              qualified=True)} for o in orgs]}


def public_page(every: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """What the public page's body shows; ``every``: :func:`organizations`, when read."""
    orgs, rows, counts, today = _public_counts(every)
    titles = {o["id"]: o["title"] for o in orgs}
    scopes = dict.fromkeys(titles, "public")
    entries = coverage.coverage(rows, today, panel.due_soon_days(), coverage.publications())
    return {
        "orgs": orgs, "total": panel.total(counts), "today_text": _day(today),
        "summary": _public_table(orgs, counts),
        "seal_chart": _seal_chart("grafico-selo", orgs, counts),
        "overdue_chart": _overdue_chart("grafico-atrasos", orgs, counts, scopes, today),
        "coverage": _coverage_rows(entries, titles),
    }


def public_csv(key: str) -> bytes:
    orgs, rows, counts, today = _public_counts()
    if key == "secretarias":
        built = _public_table(orgs, counts)
    else:
        titles = {o["id"]: o["title"] for o in orgs}
        built = _coverage_rows(
            coverage.coverage(rows, today, panel.due_soon_days(), coverage.publications()),
            titles)
    return csv_bytes([*built["header"], toolkit._("Address")],
                     [[*r["cells"], r["link"]] for r in built["rows"]])


# ---------------------------------------------------------------- snapshots
def take_snapshot(on: dt.date | None = None) -> dict[str, dict[str, int]]:
    """Store today's counts of every Secretaria, all datasets and public ones."""
    on = on or freshness.today()
    days = panel.due_soon_days()
    org_ids = [o["id"] for o in organizations()]
    site = {"ignore_auth": True, "user": ""}
    every = panel.rows(site)
    broken = link_actions.broken_by_dataset(r["id"] for r in every)
    counts = panel.summarise(every, on, days, org_ids, panel.lgpd_pending(every), broken)
    snapshots.save(on, "all", counts)
    public = panel.rows({}, public=True)
    snapshots.save(on, "public", panel.summarise(
        public, on, days, org_ids, broken={r["id"]: broken.get(r["id"], []) for r in public}))
    model.Session.commit()
    return counts


SNAPSHOT_TIMEOUT_OPTION = "ckanext.mogi.governance.snapshot.job_timeout"


def snapshot_job() -> None:
    """The background job: today's snapshot, unless one is stored already."""
    try:
        if not snapshots.taken(freshness.today()):
            take_snapshot()
    finally:
        model.Session.remove()


def on_maintenance(_sender: Any, **_kwargs: Any) -> None:
    """Listener of ``mogi_worker_maintenance``: queue the day's snapshot job
    (:func:`snapshot_job`, a hard time limit) while there is none for today.
    Its id holds the day: a job still waiting or running is not queued twice,
    and one that was lost (its worker died) or failed is queued again at the
    next maintenance."""
    today = freshness.today()
    job_id = f"mogi-panel-snapshot-{today.isoformat()}"
    try:
        if snapshots.taken(today) or job_alive(job_id):
            return
        toolkit.enqueue_job(
            snapshot_job, title=translate(N_("Quality panel snapshot of {day}")).format(
                day=today.strftime(translate("%d/%m/%Y"))),
            rq_kwargs={"job_id": job_id,
                       "timeout": int(toolkit.config.get(SNAPSHOT_TIMEOUT_OPTION))})
    except Exception:  # the next maintenance tries again
        log.exception("Could not queue the quality panel's snapshot of %s", today)
    finally:
        model.Session.rollback()
