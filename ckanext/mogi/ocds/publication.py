"""The OCDS documents the portal publishes: release and record packages.

- ``/ocds/releases.json?page=N``: a release package of one page of releases;
- ``/ocds/records.json?page=N``: a record package of one page of processes
  (one record per ``ocid``: every public release and the compiled release);
- ``/ocds/<ocid>.json``: the record package of one process;
- ``/ocds/<year>/releases.json``, ``/ocds/dataset/<id>/releases.json``: every
  release of a year, of a dataset, in one release package, streamed.

Package metadata (OCDS 1.1 "Package metadata"): ``uri`` (the address asked),
``version`` ``1.1``, ``publishedDate`` (when the published releases last
changed), ``publisher`` (the city's government, ``ckanext.mogi.city.*``),
``publicationPolicy`` (the process search page, which explains the data) and,
when paged, ``links.next`` / ``links.prev``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from ckan.plugins import toolkit

from ckanext.mogi.common.city import city
from ckanext.mogi.ocds import queries, releases


def site_url() -> str:
    return str(toolkit.config.get("ckan.site_url") or "").rstrip("/")


def published_date(package_id: str | None = None) -> str:
    """When the published releases last changed (RFC 3339, UTC)."""
    moment = queries.last_import(package_id) or dt.datetime(1970, 1, 1)
    return moment.replace(microsecond=0, tzinfo=dt.UTC).isoformat().replace("+00:00", "Z")


def metadata(path: str, package_id: str | None = None) -> dict[str, Any]:
    """The keyword arguments of the packages of :mod:`.releases`."""
    identity = city()
    return {
        "uri": site_url() + path,
        "published_date": published_date(package_id),
        "publisher": {"name": identity.government, "uri": identity.url},
        "publication_policy": site_url() + toolkit.url_for("mogi_ocds.about"),
    }


def _links(path: str, page: int, per_page: int, total: int) -> dict[str, str]:
    links = {}
    if page * per_page < total:
        links["next"] = f"{site_url()}{path}?{urlencode({'page': page + 1})}"
    if page > 1:
        links["prev"] = f"{site_url()}{path}?{urlencode({'page': page - 1})}"
    return links


def _paged_uri(path: str, page: int) -> str:
    return path if page == 1 else f"{path}?{urlencode({'page': page})}"


def releases_page(path: str, page: int, per_page: int) -> dict[str, Any]:
    total = queries.count_releases()
    package = releases.release_package(
        queries.releases_page((page - 1) * per_page, per_page), **metadata(_paged_uri(path, page)))
    links = _links(path, page, per_page, total)
    if links:
        package["links"] = links
    return package


def records_page(path: str, page: int, per_page: int) -> dict[str, Any]:
    total = queries.count_processes()
    ocids = queries.ocids_page((page - 1) * per_page, per_page)
    package = _record_package(_paged_uri(path, page), queries.releases_by_ocid(ocids))
    links = _links(path, page, per_page, total)
    if links:
        package["links"] = links
    return package


def record_of(path: str, ocid: str) -> dict[str, Any] | None:
    """The record package of one process, None when no public release has it."""
    found = queries.releases_by_ocid([ocid])
    if not found.get(ocid):
        return None
    return _record_package(path, found)


def _record_package(path: str, by_ocid: Mapping[str, Sequence[Mapping[str, Any]]]
                    ) -> dict[str, Any]:
    flat = [release for group in by_ocid.values() for release in group]
    package = releases.record_package(flat, **metadata(path))
    package["packages"] = [site_url() + toolkit.url_for("mogi_ocds.releases")]
    return package


def stream_package(path: str, items: Iterable[Mapping[str, Any]],
                   package_id: str | None = None) -> Iterator[str]:
    """A release package written piece by piece (flat memory for any size)."""
    return releases.iter_release_package(items, **metadata(path, package_id))
