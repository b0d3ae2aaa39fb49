"""How each field of CKAN's index document is matched, as data.

Mirrors CKAN 2.12's Solr ``schema.xml`` (``ckan/config/solr``) so a query
means the same thing here as on Solr: *string* fields match whole values,
case-sensitively; *text* fields match Portuguese terms; *date* fields take
ranges with date math; everything unknown is a string (Solr's ``*`` rule).
"""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    STRING = "string"
    TEXT = "text"
    DATE = "date"
    INT = "int"


_EXACT: dict[str, Kind] = {
    **dict.fromkeys(
        (
            "title notes author author_email maintainer maintainer_email res_name "
            "res_description text urls depends_on dependency_of derives_from "
            "has_derivation links_to linked_from child_of parent_of"
        ).split(),
        Kind.TEXT,
    ),
    **dict.fromkeys("metadata_created metadata_modified indexed_ts".split(), Kind.DATE),
    **dict.fromkeys(
        "views_total views_recent resources_accessed_total resources_accessed_recent".split(),
        Kind.INT,
    ),
}

# (prefix, suffix, kind) for Solr's dynamic fields, checked in order.
_DYNAMIC: tuple[tuple[str, str, Kind], ...] = (
    ("res_extras_", "", Kind.TEXT),
    ("extras_", "", Kind.TEXT),
    ("vocab_", "", Kind.STRING),
    ("", "_date", Kind.DATE),
)

# The catch-all ``text`` field: which document fields feed it, and with
# which PostgreSQL weight (A highest). Title/name over tags/groups/org over
# notes/resources over extras, as CKAN's dismax ``qf`` ranks them.
WEIGHTS: dict[str, str] = {
    "name": "A",
    "title": "A",
    "tags": "B",
    "groups": "B",
    "organization": "B",
    "notes": "C",
    "res_name": "C",
    "res_description": "C",
    "author": "C",
    "maintainer": "C",
    "license": "C",
    "text": "C",
    "url": "D",
    "ckan_url": "D",
    "download_url": "D",
    "res_url": "D",
}
_DYNAMIC_WEIGHTS: tuple[tuple[str, str], ...] = (
    ("vocab_", "B"),
    ("res_extras_", "D"),
    ("extras_", "D"),
)

# Filters CKAN adds to (nearly) every search, and the keys every package_show
# looks a dataset up by (``name:"x" OR id:"x"``), also kept as plain indexed
# columns so that PostgreSQL has statistics for them and never unpacks JSON
# to apply them: column name -> whether it holds a list.
COLUMNS: dict[str, bool] = {
    "id": False,
    "name": False,
    "site_id": False,
    "state": False,
    "capacity": False,
    "dataset_type": False,
    "permission_labels": True,
}

# Stored apart from the document (large JSON strings CKAN re-reads).
BLOB_FIELDS = ("data_dict", "validated_data_dict")

# Indexed but never returned, as in Solr (``stored="false"``).
NOT_RETURNED = frozenset({"text", "urls", "permission_labels", "title_string"})


def kind_of(field: str) -> Kind:
    """The match semantics of ``field``."""
    if field in _EXACT:
        return _EXACT[field]
    for prefix, suffix, kind in _DYNAMIC:
        if field.startswith(prefix) and field.endswith(suffix):
            return kind
    return Kind.STRING


def weight_of(field: str) -> str | None:
    """The weight with which ``field`` feeds the catch-all text, if any."""
    if field in WEIGHTS:
        return WEIGHTS[field]
    for prefix, weight in _DYNAMIC_WEIGHTS:
        if field.startswith(prefix):
            return weight
    return None
