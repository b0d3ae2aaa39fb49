"""The OCDS distribution of a dataset whose resources publish processes
(``IMogiDistributions``): a release package of all its releases, conforming
to the OCDS release package schema, for the DCAT-BR catalogue."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ckanext.mogi.common.i18n import translate as _
from ckanext.mogi.ocds import convert, publication, queries

#: The standard the distribution conforms to (dct:conformsTo).
RELEASE_PACKAGE_SCHEMA = (
    "https://standard.open-contracting.org/schema/1__1__5/release-package-schema.json")


def dataset_distributions(dataset_dict: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The dataset's OCDS distribution, when it is public and has releases."""
    package_id = dataset_dict.get("id")
    if not package_id or dataset_dict.get("private") or \
            dataset_dict.get("state", "active") != "active":
        return []
    count = queries.public_datasets_with_releases([package_id]).get(package_id)
    if not count:
        return []
    url = f"{publication.site_url()}/ocds/dataset/{dataset_dict.get('name') or package_id}" \
          "/releases.json"
    imported = queries.last_import(package_id)
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
        "metadata_modified": convert.rfc3339(imported) if imported else None,
    }]
