"""The schema.org markup of a dataset page (Google Dataset Search).

ckanext-dcat's ``structured_data`` plugin puts ``h.structured_data(pkg)``
into dataset pages; ``mogi_dcat`` chains that helper (:func:`structured_data`)
so that whoever calls it:

* gets nothing for a dataset that is not public and active (checked in the
  database, not only in the dict handed over): a private dataset must never
  be indexed, not even from the page its own staff see;
* gets only the files an anonymous visitor may download: a table the
  file-bytes gate holds back (not checked yet, personal data, failed in
  blocking mode...) is not advertised as a ``contentUrl``. The gate is the
  validation capability's; it answers through the
  ``resource_file_access_show`` action, asked with an anonymous context, so
  the markup is the same whoever looks at the page;
* gets one JSON-LD object, ``{"@context": {"@vocab": "http://schema.org/"},
  "@type": "Dataset", ...}``, with every node it refers to embedded (framed
  with PyLD), rather than the flat ``@graph`` of rdflib's serializer, and
  escaped for a ``<script>`` element.

The markup itself is written by the ``schemaorg_br`` profile
(:mod:`.schemaorg`, ``ckanext.dcat.structured_data.profiles``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from ckan import model
from ckan.plugins import toolkit as tk
from pyld import jsonld

SCHEMA_ORG = "http://schema.org/"
CONTEXT = {"@vocab": SCHEMA_ORG}
FRAME = {"@context": CONTEXT, "@type": "Dataset"}
#: Characters that could end or confuse the ``<script>`` element the markup
#: goes into, written as JSON escapes (the same JSON once parsed).
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


class RemoteContextRefused(ValueError):
    """The markup named a remote JSON-LD context: nothing is fetched while rendering."""


def _no_remote_documents(url: str, options: Any = None) -> Any:
    raise RemoteContextRefused(url)


def is_public(dataset_dict: Mapping[str, Any]) -> bool:
    """Whether the dataset is public and active, in the dict and in the database."""
    if tk.asbool(dataset_dict.get("private", True)):
        return False
    pkg = model.Package.get(str(dataset_dict.get("id") or ""))
    return pkg is not None and pkg.state == "active" and not pkg.private


def anonymous_may_download(resource_id: str) -> bool:
    """What the file-bytes gate answers an anonymous visitor for this file."""
    try:
        check = tk.get_action("resource_file_access_show")
    except KeyError:  # mogi_validation is not enabled: no file is held back
        return True
    try:
        answer = check({"user": "", "ignore_auth": False}, {"id": resource_id})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return False
    return bool(answer.get("allowed"))


def advertised(dataset_dict: Mapping[str, Any]) -> dict[str, Any]:
    """The dataset with only the files an anonymous visitor may download."""
    resources = [r for r in dataset_dict.get("resources") or []
                 if isinstance(r, Mapping) and r.get("id") and anonymous_may_download(r["id"])]
    return {**dataset_dict, "resources": resources}


def _without_blank_node_ids(node: Any) -> Any:
    """Every node is embedded where it is used, so blank-node labels (``_:b2``)
    name nothing: they are left out."""
    if isinstance(node, list):
        return [_without_blank_node_ids(item) for item in node]
    if isinstance(node, dict):
        return {key: _without_blank_node_ids(value) for key, value in node.items()
                if not (key == "@id" and str(value).startswith("_:"))}
    return node


def framed(markup: str) -> dict[str, Any]:
    """The dataset's node, with every node it points to embedded."""
    document = json.loads(markup)
    return _without_blank_node_ids(jsonld.frame(document, FRAME, {
        "embed": "@always", "omitGraph": True,
        "documentLoader": _no_remote_documents,
    }))


def for_script(document: Mapping[str, Any]) -> str:
    """JSON text safe inside ``<script type="application/ld+json">``."""
    text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)
    for character, escape in _SCRIPT_ESCAPES.items():
        text = text.replace(character, escape)
    return text


@tk.chained_helper
def structured_data(next_helper: Callable[..., str], dataset_dict: Mapping[str, Any],
                    profiles: list[str] | None = None) -> str:
    """ckanext-dcat's ``structured_data``: public datasets only, advertised files
    only, one framed object ("" when there is nothing to show)."""
    if not dataset_dict or not is_public(dataset_dict):
        return ""
    document = framed(next_helper(advertised(dataset_dict), profiles))
    if not document or document.get("@type") != "Dataset":
        return ""
    return for_script(document)
