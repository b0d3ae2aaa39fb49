"""The routes of ``mogi_ocds``: the OCDS documents under ``/ocds`` and the
citizens' pages under ``/licitacoes`` (logic in :mod:`.publication`,
:mod:`.queries`, :mod:`.summary`, :mod:`.indicators`).

A private, deleted or draft dataset publishes nothing: an unknown ``ocid``
and one known only from such a dataset get the same 404, with the same text.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from ckan import model
from ckan.lib.pagination import Page
from ckan.plugins import toolkit
from flask import Blueprint, Response, request, stream_with_context

from ckanext.mogi.ocds import indicators, publication, queries, summary

JSON = "application/json; charset=utf-8"
#: Processes per page of the search page.
SEARCH_PAGE = 20
#: Longest text accepted in the search box.
MAX_QUERY = 200


def _page_size() -> int:
    return int(toolkit.config.get("ckanext.mogi.ocds.page_size"))


def _json(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=JSON,
                    headers={"Access-Control-Allow-Origin": "*"})


def _json_error(status: int, message: str) -> Response:
    return _json({"error": {"message": message}}, status)


def _not_found_text() -> str:
    return toolkit._("There is no published procurement process with this identifier.")


class BadRequest(Exception):
    """A parameter the user sent cannot be read (the message is translated)."""


def _page_number() -> int:
    raw = request.args.get("page", "1").strip() or "1"
    if not raw.isdigit() or int(raw) < 1 or len(raw) > 6:
        raise BadRequest(toolkit._("The page must be a whole number from 1 on."))
    return int(raw)


# -------------------------------------------------------------- /ocds
def releases_json() -> Response:
    try:
        page = _page_number()
    except BadRequest as exc:
        return _json_error(400, str(exc))
    return _json(publication.releases_page(request.path, page, _page_size()))


def records_json() -> Response:
    try:
        page = _page_number()
    except BadRequest as exc:
        return _json_error(400, str(exc))
    return _json(publication.records_page(request.path, page, _page_size()))


def record_json(ocid: str) -> Response:
    package = publication.record_of(request.path, ocid)
    if package is None:
        return _json_error(404, _not_found_text())
    return _json(package)


def _stream(releases: Any, filename: str, package_id: str | None = None) -> Response:
    body = publication.stream_package(request.path, releases, package_id)
    return Response(stream_with_context(body), mimetype=JSON, headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Access-Control-Allow-Origin": "*"})


def year_json(year: int) -> Response:
    if year not in queries.years():
        return _json_error(404, toolkit._("No procurement process was published for {year}.")
                           .format(year=year))
    return _stream(queries.stream_releases(year=year), f"licitacoes-{year}-ocds.json")


def _public_dataset(id: str) -> model.Package | None:
    pkg = model.Package.get(id)
    if pkg is None or pkg.state != "active" or pkg.private:
        return None
    return pkg


def dataset_json(id: str) -> Response:
    pkg = _public_dataset(id)
    if pkg is None or not queries.public_datasets_with_releases([pkg.id]):
        return _json_error(404, toolkit._("Dataset not found"))
    return _stream(queries.stream_releases(package_id=pkg.id), f"{pkg.name}-ocds.json",
                   pkg.id)


# --------------------------------------------------------- /licitacoes
def _filters() -> queries.Filters:
    args = request.args
    q = args.get("q", "").strip()
    if len(q) > MAX_QUERY:
        raise BadRequest(toolkit._("The search text is too long (at most {count} characters).")
                         .format(count=MAX_QUERY))
    year_text = args.get("ano", "").strip()
    if year_text and not (year_text.isdigit() and len(year_text) == 4):
        raise BadRequest(toolkit._("The year must have four digits, e.g. 2022."))
    return queries.Filters(q=q, buyer=args.get("orgao", "").strip(),
                           modality=args.get("modalidade", "").strip(),
                           status=args.get("situacao", "").strip(),
                           year=int(year_text) if year_text else None)


def search_page() -> Any:
    try:
        filters, page = _filters(), _page_number()
    except BadRequest as exc:
        return toolkit.abort(400, str(exc))
    total, rows = queries.search(filters, (page - 1) * SEARCH_PAGE, SEARCH_PAGE)
    params = {key: value for key, value in (
        ("q", filters.q), ("orgao", filters.buyer), ("modalidade", filters.modality),
        ("situacao", filters.status), ("ano", filters.year or "")) if value}

    def page_url(q: Any = None, page: int = 1, **_kwargs: Any) -> str:
        return toolkit.url_for("mogi_ocds.search") + "?" + urlencode({**params, "page": page})

    pager = Page(collection=rows, page=page, url=page_url, item_count=total,
                 items_per_page=SEARCH_PAGE, presliced_list=True)
    return toolkit.render("mogi/ocds/search.html", {
        "filters": filters, "total": total, "pager": pager, "facets": queries.facets(),
        "processes": [summary.summarise(row["release"]) for row in rows],
        "years": queries.years()})


def process_page(ocid: str) -> Any:
    rows = queries.releases_of(ocid)
    if not rows:
        return toolkit.abort(404, _not_found_text())
    datasets = queries.dataset_links(sorted({row["package_id"] for row in rows}))
    process = summary.process([row["release"] for row in rows], datasets)
    return toolkit.render("mogi/ocds/process.html", {"process": process})


def indicators_page() -> Any:
    rows, flagged = indicators.flags(queries.latest_tenders())
    return toolkit.render("mogi/ocds/indicators.html", {
        "rows": rows, "flagged": flagged, "keys": indicators.KEYS,
        "anchors": {key: indicators.anchor(key) for key in indicators.KEYS},
        "settings": indicators.settings()})


def about_page() -> Any:
    return toolkit.render("mogi/ocds/about.html", {
        "years": queries.years(), "processes": queries.count_processes(),
        "prefix": toolkit.config.get("ckanext.mogi.ocds.ocid_prefix")})


def get_blueprint() -> Blueprint:
    blueprint = Blueprint("mogi_ocds", __name__)
    for rule, endpoint, view in (
        ("/ocds/releases.json", "releases", releases_json),
        ("/ocds/records.json", "records", records_json),
        ("/ocds/<int:year>/releases.json", "year", year_json),
        ("/ocds/dataset/<id>/releases.json", "dataset", dataset_json),
        ("/ocds/<ocid>.json", "record", record_json),
        ("/licitacoes", "search", search_page),
        ("/licitacoes/indicadores", "indicators", indicators_page),
        ("/licitacoes/sobre", "about", about_page),
        ("/licitacoes/<ocid>", "process", process_page),
    ):
        blueprint.add_url_rule(rule, endpoint, view, methods=["GET"])
    return blueprint
