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
  "@type": "Dataset", ...}``, with every node it refers to embedded where it
  is used (what a JSON-LD frame with ``@embed: @always`` gives), rather than
  the flat ``@graph`` of rdflib's serializer, and escaped for a ``<script>``
  element.

The markup itself is written by the ``schemaorg_br`` profile
(:mod:`.schemaorg`, ``ckanext.dcat.structured_data.profiles``).
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Callable, Mapping
from importlib.metadata import entry_points
from typing import Any

from ckan import model
from ckan.plugins import toolkit as tk
from ckanext.dcat.utils import dataset_uri
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

SCHEMA_ORG = "http://schema.org/"
CONTEXT = {"@vocab": SCHEMA_ORG}
PROFILES_OPTION = "ckanext.dcat.structured_data.profiles"
PROFILES_GROUP = "ckan.rdf.profiles"
#: Characters that could end or confuse the ``<script>`` element the markup
#: goes into, written as JSON escapes (the same JSON once parsed).
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


class UnknownProfile(LookupError):
    """A profile of ``ckanext.dcat.structured_data.profiles`` is not installed."""


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


@functools.cache
def profile_classes(names: tuple[str, ...]) -> tuple[type, ...]:
    """The RDF profiles called ``names`` (entry points ``ckan.rdf.profiles``),
    looked up once: ckanext-dcat's serializer scans every installed
    distribution's entry points each time it is built."""
    found = {point.name: point for point in entry_points(group=PROFILES_GROUP)}
    unknown = [name for name in names if name not in found]
    if unknown:
        raise UnknownProfile(f"{PROFILES_OPTION}: no RDF profile {', '.join(unknown)}")
    return tuple(found[name].load() for name in names)


def configured_profiles() -> tuple[str, ...]:
    return tuple(tk.aslist(tk.config.get(PROFILES_OPTION)))


def check_profiles() -> None:
    """At start-up: every configured profile is installed (else :class:`UnknownProfile`)."""
    profile_classes(configured_profiles())


def graph_of(dataset_dict: Mapping[str, Any],
             profiles: list[str] | None = None) -> tuple[Graph, URIRef]:
    """The dataset's schema.org graph, as ckanext-dcat's serializer builds it."""
    names = tuple(profiles) if profiles else configured_profiles()
    graph = Graph()
    dataset_ref = URIRef(dataset_uri(dataset_dict))
    for profile in profile_classes(names):
        profile(graph).graph_from_dataset(dataset_dict, dataset_ref)
    return graph, dataset_ref


def _term(iri: Node) -> str:
    """A schema.org term by its name (the context's ``@vocab``), any other in full."""
    text = str(iri)
    return text[len(SCHEMA_ORG):] if text.startswith(SCHEMA_ORG) else text


def _value(graph: Graph, obj: Node, above: frozenset[Node]) -> Any:
    if isinstance(obj, Literal):
        value = obj.toPython()
        return value if isinstance(value, bool | int | float | str) else str(obj)
    return node_tree(graph, obj, above)


def node_tree(graph: Graph, node: Node, above: frozenset[Node] = frozenset()) -> dict[str, Any]:
    """``node`` as a JSON-LD object, every node it points to embedded where it is
    used (a blank node has no ``@id``); a node met again on its own path is
    only referred to."""
    tree: dict[str, Any] = {"@id": str(node)} if isinstance(node, URIRef) else {}
    types = sorted(_term(kind) for kind in graph.objects(node, RDF.type))
    if types:
        tree["@type"] = types[0] if len(types) == 1 else types
    if node in above:
        return tree
    values: dict[str, list[Any]] = defaultdict(list)
    for predicate, obj in graph.predicate_objects(node):
        if predicate != RDF.type:
            values[_term(predicate)].append(_value(graph, obj, above | {node}))
    for key in sorted(values):
        found = sorted(values[key], key=lambda v: json.dumps(v, sort_keys=True, default=str))
        tree[key] = found[0] if len(found) == 1 else found
    return tree


def for_script(document: Mapping[str, Any]) -> str:
    """JSON text safe inside ``<script type="application/ld+json">``."""
    text = json.dumps(document, ensure_ascii=False, indent=2)
    for character, escape in _SCRIPT_ESCAPES.items():
        text = text.replace(character, escape)
    return text


@tk.chained_helper
def structured_data(next_helper: Callable[..., str], dataset_dict: Mapping[str, Any],
                    profiles: list[str] | None = None) -> str:
    """ckanext-dcat's ``structured_data``, replaced: public datasets only,
    advertised files only, one object ("" when there is nothing to show).

    The stock helper (``next_helper``) is never called: it rebuilds the
    serializer (an entry-point scan) and writes rdflib's flat ``@graph``,
    which the page would then have to frame.
    """
    if not dataset_dict or not is_public(dataset_dict):
        return ""
    graph, dataset_ref = graph_of(advertised(dataset_dict), profiles)
    if (dataset_ref, RDF.type, URIRef(SCHEMA_ORG + "Dataset")) not in graph:
        return ""
    return for_script({"@context": CONTEXT, **node_tree(graph, dataset_ref)})
