"""HTTP layer of the RDF endpoints: conditional requests and content negotiation.

Plain functions; :mod:`ckanext.mogi.dcat.plugin` only wires them as the
``before_app_request`` / ``after_app_request`` hooks and the ``/catalog``
rule of the ``mogi_dcat`` blueprint.

* **Caching.** Every RDF response of ckanext-dcat's views
  (``/catalog.<fmt>``, ``/dataset/<id>.<fmt>``) and of the negotiated ones
  below gets a weak ``ETag`` and ``Last-Modified``, both computed *before*
  rendering from what the RDF is made of (see :func:`validators`), so a
  matching ``If-None-Match`` (or, without it, ``If-Modified-Since``) is
  answered ``304 Not Modified`` without building the graph. The body itself
  cannot be hashed: rdflib names blank nodes at random and orders JSON-LD
  differently on each rendering.
* **Negotiation.** ``GET /dataset/<id>`` and ``GET /catalog`` asking for an
  RDF media type in ``Accept`` get the RDF; everything else (browsers) keeps
  the HTML views. No dataset route is re-registered, so ``/dataset/new``
  stays ckanext-scheming's multi-page form.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.lib.helpers import get_display_timezone
from ckan.plugins import toolkit
from ckanext.dcat import utils as dcat_utils
from ckanext.dcat.exceptions import RDFProfileException
from flask import Response, request
from werkzeug.http import is_resource_modified

from ckanext.mogi.dcat import freshness, quality

#: ckanext-dcat's RDF views (blueprint ``dcat``).
DCAT_ENDPOINTS = frozenset({
    "dcat.read_catalog", "dcat.read_dataset", "dcat.read_dataset_series",
})
#: ckanext-dcat's catalogue view, answered by :func:`catalog_page`.
CATALOG_VIEW = "dcat.read_catalog"
#: The HTML dataset page, answered with RDF when ``Accept`` asks for it.
DATASET_READ = "dataset.read"
#: Our ``/catalog`` rule.
CATALOG = "mogi_dcat.catalog"
#: flask ``g`` attributes: the negotiated format, the validators.
NEGOTIATED = "_mogi_dcat_format"
VALIDATORS = "_mogi_dcat_validators"
#: Configuration the RDF depends on (besides the data); ``ckanext.mogi.city.``:
#: the catalogue's publisher and territory.
CONFIG_PREFIXES = ("ckan.site_url", "ckanext.dcat.", "ckanext.mogi.dcat.", "ckanext.mogi.city.",
                   "ckan.locale")

RDF_MEDIA_TYPES = frozenset(dcat_utils.CONTENT_TYPES.values())


def negotiated_format() -> str | None:
    """The RDF format (``ttl``, ``rdf``, ``jsonld``, ``n3``) asked for in ``Accept``.

    ``None`` when the client prefers HTML or asks for nothing we serve
    (ckanext-dcat's parser: ``text/html`` first wins, ``*/*`` is not RDF).
    """
    return dcat_utils.parse_accept_header(request.headers.get("Accept", ""))


def _rdf_request() -> tuple[str, str | None] | None:
    """``(format, dataset id or None for the catalogue)`` of an RDF request, else None."""
    if request.method not in ("GET", "HEAD"):
        return None
    endpoint = request.endpoint
    args = request.view_args or {}
    if endpoint in DCAT_ENDPOINTS:
        fmt = args.get("_format")
        if fmt not in dcat_utils.CONTENT_TYPES:
            return None
        return fmt, args.get("_id")
    if endpoint in (DATASET_READ, CATALOG):
        fmt = negotiated_format()
        if not fmt:
            return None
        return fmt, args.get("id") if endpoint == DATASET_READ else None
    return None


def before_request() -> Response | None:
    """``before_app_request`` hook of the RDF requests.

    Answers 304 when the client's validators still match, and serves
    ``/dataset/<id>`` as RDF when ``Accept`` asks for it. Every other
    request (``/dataset/new`` and the HTML pages included) goes on untouched.
    """
    rdf = _rdf_request()
    if rdf is None:
        return None
    fmt, dataset_id = rdf
    current = validators(fmt, dataset_id)
    setattr(toolkit.g, VALIDATORS, current)
    if current is not None and not is_resource_modified(
            request.environ, etag=current[0], last_modified=current[1]):
        response = Response(status=304)
        _set_validators(response, current)
        if request.endpoint in (DATASET_READ, CATALOG):
            response.vary.add("Accept")
        return response
    if request.endpoint == DATASET_READ and dataset_id:
        setattr(toolkit.g, NEGOTIATED, fmt)
        return dcat_utils.read_dataset_page(dataset_id, fmt)
    if request.endpoint == CATALOG_VIEW:
        return catalog_page(fmt)
    return None


def catalog_page(fmt: str) -> Response:
    """The catalogue page, as ckanext-dcat's ``read_catalog_page``, but a
    request it cannot answer (bad ``q``/``fq``, ``page``, ``modified_since``,
    ``profiles``) gets 400 with the reason instead of a 409 or a 500."""
    profiles = request.args.get("profiles")
    data_dict = {
        "page": request.args.get("page"),
        "modified_since": request.args.get("modified_since"),
        "q": request.args.get("q"),
        "fq": request.args.get("fq"),
        "format": fmt,
        "profiles": profiles.split(",") if profiles else None,
    }
    try:
        body = toolkit.get_action("dcat_catalog_show")({}, data_dict)
    except toolkit.ValidationError as error:
        return _bad_request(error.error_summary.values())
    except RDFProfileException as error:
        return _bad_request([str(error)])
    response = Response(body, status=200)
    response.headers["Content-Type"] = dcat_utils.CONTENT_TYPES[fmt]
    return response


def _bad_request(messages: Iterable[str]) -> Response:
    text = " ".join(str(message) for message in messages if message) or toolkit._(
        "Invalid catalogue request.")
    return Response(text + "\n", status=400, mimetype="text/plain")


def catalog() -> Any:
    """``/catalog``: the RDF catalogue when asked for, else the dataset search."""
    fmt = negotiated_format()
    if not fmt:
        return toolkit.redirect_to("dataset.search")
    setattr(toolkit.g, NEGOTIATED, fmt)
    return catalog_page(fmt)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    # CKAN stores metadata_modified as naive UTC.
    return value.replace(tzinfo=dt.UTC, microsecond=0)


def _today() -> tuple[dt.date, dt.datetime]:
    """Today in ``ckan.display_timezone`` and its start as naive UTC: the DQV
    freshness of the datasets (:mod:`.quality`) changes with the day."""
    day = quality.today()
    start = dt.datetime.combine(day, dt.time(), tzinfo=get_display_timezone())
    return day, start.astimezone(dt.UTC).replace(tzinfo=None)


def _timestamp(value: Any) -> dt.datetime | None:
    """A stored ISO timestamp (naive UTC), else None."""
    try:
        return dt.datetime.fromisoformat(str(value)).replace(tzinfo=None) if value else None
    except ValueError:
        return None


def _this_second() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _scalar(statement: Any, params: dict[str, Any] | None = None) -> Any:
    return model.Session.execute(sa.text(statement), params or {}).scalar()


def fingerprint() -> str:
    """Code and configuration the RDF depends on."""
    settings = sorted(
        (key, str(value)) for key, value in toolkit.config.items()
        if key.startswith(CONFIG_PREFIXES)
    )
    try:
        version = importlib.metadata.version("ckanext-mogi")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover
        version = ""
    return repr((version, settings))


def catalog_state() -> tuple[str, dt.datetime | None]:
    """``(state, last modified)`` of the public catalogue.

    Computed from public active datasets only, so that creating, editing or
    deleting a private dataset changes neither validator: their latest
    ``metadata_modified`` and count (one query), the last time a dataset
    entered or left the catalogue (:mod:`ckanext.mogi.dcat.freshness`: made
    private, deleted or purged moves no public ``metadata_modified``), and
    the organisations and groups (publisher names, themes), the last verdict
    on a public table (:func:`.freshness.last_verdict`) and today's date (the
    DQV measurements, :mod:`.quality`). ``Last-Modified`` is the latest of the newest public
    dataset, that last move, the newest validation verdict and the start of
    today: a dataset leaving the catalogue shifts every page after it without
    making their newest date newer.
    """
    public = sa.and_(model.Package.state == "active", model.Package.private.isnot(True))
    latest, count = model.Session.execute(
        sa.select(sa.func.max(model.Package.metadata_modified), sa.func.count())
        .select_from(model.Package).where(public)
    ).one()
    moved = freshness.last_change()
    groups = _scalar(
        "SELECT md5(coalesce(string_agg(concat_ws('|', id, name, title, state, "
        "is_organization), ',' ORDER BY id), '')) FROM \"group\""
    )
    verdict = freshness.last_verdict()
    day, midnight = _today()
    state = repr((latest, count, moved, groups, verdict, day))
    newest = max((value for value in (latest, moved, verdict, midnight)
                  if value is not None), default=None)
    return state, _aware(newest)


def dataset_state(dataset_id: str) -> tuple[str, dt.datetime | None] | None:
    """``(state, last modified)`` of one dataset (by id or name), its publisher,
    its tables' validation statuses and today's date (the DQV measurements).

    ``None`` unless the dataset is public and active: the others get no
    validators (and no 304), so that the view alone decides who sees them.
    """
    package = model.Package.get(dataset_id)
    if package is None or package.private or package.state != "active":
        return None
    organisation = model.Group.get(package.owner_org) if package.owner_org else None
    publisher = (organisation.name, organisation.title, organisation.state) \
        if organisation else None
    tables = sorted((res.id, (res.extras or {}).get("validation_status"),
                     (res.extras or {}).get("validation_timestamp"))
                    for res in package.resources if res.state == "active")
    day, midnight = _today()
    state = repr((package.id, package.metadata_modified, package.state,
                  package.private, publisher, tables, day))
    newest = max((value for value in (package.metadata_modified, midnight,
                                      *(_timestamp(table[2]) for table in tables))
                  if value is not None), default=None)
    return state, _aware(newest)


def validators(fmt: str,
               dataset_id: str | None) -> tuple[str, dt.datetime | None] | None:
    """``(etag, last modified)`` of the RDF of this request, without rendering it.

    The ETag hashes the state (:func:`catalog_state` / :func:`dataset_state`),
    the format, the path and query (``page``, ``q``, ``fq``,
    ``modified_since``, ``profiles``), and the code and configuration. It is
    weak: two renderings of the same state are equivalent RDF, not the same
    bytes. ``Last-Modified`` is left out while it is the current second
    (HTTP dates have one-second resolution, RFC 9110 8.8.2.2).
    """
    found = dataset_state(dataset_id) if dataset_id else catalog_state()
    if found is None:
        return None
    state, last_modified = found
    query = sorted(request.args.items(multi=True))
    key = repr((state, fmt, request.path, query, fingerprint()))
    etag = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    if last_modified is not None and last_modified >= _this_second():
        last_modified = None
    return etag, last_modified


def _set_validators(response: Response,
                    current: tuple[str, dt.datetime | None]) -> None:
    etag, last_modified = current
    response.set_etag(etag, weak=True)
    if last_modified is not None:
        response.last_modified = last_modified


def after_request(response: Response) -> Response:
    """``after_app_request`` hook: ``Vary`` and the validators of the RDF responses."""
    if request.endpoint in (DATASET_READ, CATALOG):
        # The same URL gives HTML or RDF depending on Accept.
        response.vary.add("Accept")
    current = getattr(toolkit.g, VALIDATORS, None)
    if (
        current is not None
        and response.status_code == 200
        and response.mimetype in RDF_MEDIA_TYPES
    ):
        _set_validators(response, current)
    return response
