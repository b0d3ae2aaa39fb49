"""The OCDS distribution of a dataset whose resources publish processes
(``IMogiDistributions``): a release package of all its releases, conforming
to the OCDS release package schema, for the DCAT-BR catalogue."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import flask

from ckanext.mogi.common.i18n import translate as _
from ckanext.mogi.ocds import convert, publication, queries, releases

#: The standard the distribution conforms to (dct:conformsTo).
RELEASE_PACKAGE_SCHEMA = (
    "https://standard.open-contracting.org/schema/1__1__5/release-package-schema.json")


def package_bytes(path: str, package_id: str, count: int, release_bytes: int) -> int:
    """The exact size of the streamed package (:func:`.publication.stream_package`):
    the empty package's JSON, plus each release and the commas between them."""
    empty = json.dumps(releases.release_package([], **publication.metadata(path, package_id)),
                       ensure_ascii=False)
    return len(empty.encode("utf-8")) + release_bytes + max(count - 1, 0)


_REQUEST_KEY = "mogi_ocds_datasets_with_releases"


def _datasets_with_releases() -> frozenset[str]:
    """:func:`.queries.datasets_with_releases`, read once per request: the
    DCAT-BR catalogue asks for every dataset of its page, and most have none."""
    if not flask.has_request_context():
        return queries.datasets_with_releases()
    found = flask.g.get(_REQUEST_KEY)
    if found is None:
        found = queries.datasets_with_releases()
        setattr(flask.g, _REQUEST_KEY, found)
    return found


def dataset_distributions(dataset_dict: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The dataset's OCDS distribution, when it is public and has releases."""
    package_id = dataset_dict.get("id")
    if not package_id or dataset_dict.get("private") or \
            dataset_dict.get("state", "active") != "active" or \
            package_id not in _datasets_with_releases():
        return []
    count, release_bytes = queries.dataset_size(package_id)
    if not count:
        return []
    path = f"/ocds/dataset/{dataset_dict.get('name') or package_id}/releases.json"
    url = publication.site_url() + path
    return [{
        "uri": url,
        "id": f"{package_id}-ocds",
        "name": _("Procurement processes in OCDS"),
        "description": _("The {count} releases of this dataset's processes in the Open "
                         "Contracting Data Standard (OCDS 1.1), as one release package.")
        .format(count=count),
        "url": url,
        "format": "JSON",
        "mimetype": "application/json",
        "schema": RELEASE_PACKAGE_SCHEMA,
        "tipo_recurso": "DADOS",
        "idioma": "pt-BR",
        "size": package_bytes(path, package_id, count, release_bytes),
        "created": convert.rfc3339(queries.first_import(package_id)),
        "metadata_modified": convert.rfc3339(queries.last_import(package_id)),
    }]
