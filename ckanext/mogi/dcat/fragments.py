"""Catalogue pages assembled from cached per-dataset fragments.

A dataset's RDF changes only when the dataset (``metadata_modified``), its
DQV quality values (:func:`ckanext.mogi.dcat.quality.state`: a due date
passing or a table's verdict move no ``metadata_modified``), its
organisation (the publisher: name, title, state, ``tipo``), the code or the
configuration change, so each public dataset's graph is serialised once and
kept in Redis (``ckan.lib.redis.connect_to_redis()``) under a key that hashes
all of them (:func:`fragment_key`): any change makes a new key, the old entry
expires with its TTL (``ckanext.mogi.dcat.fragment_ttl``; 0 turns the cache
off). Private datasets are never stored (nor shown).

A dataset's graph built alone describes again every concept, agent and
location it points to: those triples (:func:`split_shared`) are kept beside
the fragment as N-Triples lines and written once per page, serialised
together (:func:`shared_fragment`, cached by content).

A page whose datasets all have a fragment (*warm*) is then the catalogue's
own graph (title, publisher, ``dcat:dataset`` links, paging), the shared part
and the datasets' fragments:

* **Turtle**: each fragment is the dataset's Turtle without its ``@prefix``
  lines (kept beside it); the page is one prefix block, the catalogue's
  Turtle and the fragments, concatenated. A fragment whose prefixes clash
  with the page's (rdflib made up ``ns1:`` for an unbound namespace) is
  written as N-Triples instead, which is Turtle too.
* **JSON-LD**: rdflib writes a graph without context as an array of node
  objects; the page is the catalogue's and the fragments' arrays joined.
* **RDF/XML and the others**: fragments are N-Triples, parsed into the
  page's graph, which is serialised as today (no profile runs).

A page with a dataset missing from the cache (*cold*) is built as
ckanext-dcat builds it: every dataset's graph added to the catalogue's, one
serialisation, so a harvester's first visit costs what it costs without a
cache. Writing the fragments (a serialisation per dataset) would nearly double
that; a background job (:func:`fill`, queue ``ckanext.mogi.dcat.fragment_queue``)
writes them instead, after the page is served. A lost job only leaves the
page cold: the next visit queues it again.

Blank nodes are per dataset (rdflib names them with UUIDs), so the union is
the graph ckanext-dcat would build for the page (each dataset's graph is
built alone, then joined). Every graph goes through :func:`ckanext.mogi.dcat.iri.clean_graph`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.plugins import toolkit as tk
from ckanext.dcat.processors import RDFSerializer
from ckanext.dcat.utils import url_to_rdflib_format
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import DCAT, NamespaceManager
from rdflib.plugins.serializers.nt import _nt_row
from redis.exceptions import RedisError

from ckanext.mogi.dcat import iri, quality
from ckanext.mogi.dcat.http import fingerprint
from ckanext.mogi.dcat.profile import derived_distributions

log = logging.getLogger(__name__)

TTL_OPTION = "ckanext.mogi.dcat.fragment_ttl"
DEFAULT_TTL = 86_400
QUEUE_OPTION = "ckanext.mogi.dcat.fragment_queue"
#: Seconds a fill job may run (rq kills it past that; the page just stays cold).
JOB_TIMEOUT = 600
KEY_PREFIX = "ckanext-mogi:dcat:fragment:"
TURTLE, JSONLD, NTRIPLES = "turtle", "json-ld", "nt"
_PREFIX_LINE = re.compile(r"@prefix ([^:\s]*): <([^>]*)> \.\n")


@dataclass(frozen=True)
class Fragment:
    """One dataset's RDF in the form a page of ``kind`` needs."""

    ref: str
    kind: str  # TURTLE, JSONLD or NTRIPLES
    body: str
    prefixes: tuple[tuple[str, str], ...] = ()
    #: N-Triples of the shared nodes' triples (see :func:`split_shared`), and its hash.
    shared: str = ""
    shared_digest: str = ""

    def dumps(self) -> str:
        return json.dumps([self.ref, self.kind, self.body, self.prefixes, self.shared,
                           self.shared_digest])

    @classmethod
    def loads(cls, text: str | bytes) -> Fragment:
        ref, kind, body, prefixes, shared, digest = json.loads(text)
        return cls(ref, kind, body, tuple(tuple(p) for p in prefixes), shared, digest)


def fragment_kind(rdflib_format: str) -> str:
    return rdflib_format if rdflib_format in (TURTLE, JSONLD) else NTRIPLES


def split_turtle(text: str) -> tuple[tuple[tuple[str, str], ...], str]:
    """``(prefixes, body)`` of rdflib's Turtle (its ``@prefix`` lines come first)."""
    prefixes = []
    position = 0
    while match := _PREFIX_LINE.match(text, position):
        prefixes.append((match.group(1), match.group(2)))
        position = match.end()
    return tuple(prefixes), text[position:].strip("\n")


def _json_items(text: str) -> str:
    """The node objects of rdflib's JSON-LD array, without the brackets."""
    return text.strip()[1:-1].strip()


def split_shared(graph: Graph, ref: URIRef) -> str:
    """Take the triples about nodes other datasets share out of ``graph``.

    Concepts, agents, locations, standards... (any IRI subject but the
    dataset and its distributions; never a triple pointing to a blank node)
    are described in every dataset's graph built alone: they go to the page
    once (:func:`shared_fragment`) instead of once per dataset. Returns them
    as N-Triples lines.
    """
    own = {ref, *graph.objects(ref, DCAT.distribution)}
    shared = [triple for triple in graph
              if type(triple[0]) is URIRef and triple[0] not in own
              and not isinstance(triple[2], BNode)]
    for triple in shared:
        graph.remove(triple)
    return "".join(sorted(_nt_row(triple) for triple in shared))


def serialise(graph: Graph, ref: str, kind: str, shared: str = "") -> Fragment:
    digest = hashlib.sha256(shared.encode("utf-8")).hexdigest() if shared else ""
    if kind == TURTLE:
        prefixes, body = split_turtle(graph.serialize(format=TURTLE))
        return Fragment(ref, kind, body, prefixes, shared, digest)
    if kind == JSONLD:
        body = _json_items(graph.serialize(format=JSONLD))
        return Fragment(ref, kind, body, (), shared, digest)
    return Fragment(ref, kind, graph.serialize(format=NTRIPLES), (), shared, digest)


def dataset_fragment(serializer: RDFSerializer, dataset_dict: Mapping[str, Any],
                     kind: str, namespaces: NamespaceManager) -> Fragment:
    graph, ref, _omitted = build_dataset_graph(serializer, dataset_dict, namespaces)
    shared = split_shared(graph, ref)
    return serialise(graph, str(ref), kind, shared)


def build_dataset_graph(serializer: RDFSerializer, dataset_dict: Mapping[str, Any],
                        namespaces: NamespaceManager | None = None,
                        ) -> tuple[Graph, URIRef, list[iri.Omitted]]:
    """One dataset's graph, built alone with ``serializer``'s profiles, IRIs cleaned.

    ``namespaces``: a namespace manager to share with the other graphs of a
    page. rdflib caches the prefixed names of IRIs there, which the Turtle
    serializer would otherwise compute again for every dataset.
    """
    serializer.g = Graph()
    if namespaces is not None:
        serializer.g.namespace_manager = namespaces
    ref = serializer.graph_from_dataset(dataset_dict)
    omitted = iri.clean_graph(serializer.g)
    return serializer.g, ref, omitted


# ----------------------------------------------------------------- the cache


def ttl() -> int:
    return max(tk.asint(tk.config.get(TTL_OPTION, DEFAULT_TTL)), 0)


@dataclass(frozen=True)
class Organisations:
    """What the graphs take from the organisations, by id, read in one query:
    a digest of it (for the cache keys) and the ``tipo`` (scheming keeps it in
    the group's extras, which the dataset's ``organization`` leaves out)."""

    digests: Mapping[str, str]
    types: Mapping[str, str | None]

    @classmethod
    def read(cls) -> Organisations:
        rows = model.Session.execute(sa.text(
            "SELECT id, md5(concat_ws('|', name, title, state, extras::text)), "
            "extras::json ->> 'tipo' FROM \"group\" WHERE is_organization"
        )).fetchall()
        return cls({row[0]: row[1] for row in rows}, {row[0]: row[2] for row in rows})

    def complete(self, dataset_dict: Mapping[str, Any]) -> Mapping[str, Any]:
        """``dataset_dict`` with its organisation's ``tipo``, so that the profile
        need not read it once per dataset."""
        org = dataset_dict.get("organization")
        if not org or org.get("tipo") or not self.types.get(org.get("id")):
            return dataset_dict
        return {**dataset_dict, "organization": {**org, "tipo": self.types[org["id"]]}}


def fragment_key(dataset_dict: Mapping[str, Any], kind: str, profiles: Sequence[str],
                 organisations: Organisations, fingerprint: str) -> str:
    org = dataset_dict.get("owner_org") or ""
    # The quality measurements change with the calendar (freshness) and the
    # tables' verdicts, neither of which moves metadata_modified.
    # So do the distributions other plugins derive (IMogiDistributions).
    state = repr((dataset_dict.get("id"), dataset_dict.get("metadata_modified"),
                  org, organisations.digests.get(org), kind, tuple(profiles), fingerprint,
                  quality.state(dataset_dict),
                  json.dumps(derived_distributions(dataset_dict), sort_keys=True,
                             default=str)))
    return KEY_PREFIX + hashlib.sha256(state.encode("utf-8")).hexdigest()


def _redis() -> Any:
    from ckan.lib.redis import connect_to_redis

    return connect_to_redis()


def cached(keys: Sequence[str]) -> list[Fragment | None]:
    if not keys:
        return []
    try:
        values = _redis().mget(keys)
    except RedisError as error:
        log.warning("DCAT fragments: Redis unavailable (%s); building every dataset", error)
        return [None] * len(keys)
    return [_load(value) if value else None for value in values]


def _load(value: bytes) -> Fragment | None:
    """A stored fragment; ``None`` (rebuilt) when written by another version's layout."""
    try:
        return Fragment.loads(value)
    except (ValueError, TypeError):
        return None


def store(entries: Iterable[tuple[str, Fragment]], seconds: int) -> None:
    try:
        pipeline = _redis().pipeline(transaction=False)
        for key, fragment in entries:
            pipeline.set(key, fragment.dumps(), ex=seconds)
        pipeline.execute()
    except RedisError as error:
        log.warning("DCAT fragments: could not store (%s)", error)


def clear() -> int:
    """Delete every cached fragment (benchmarks, tests, a profile change); how many."""
    client = _redis()
    removed = 0
    batch: list[bytes] = []
    for key in client.scan_iter(match=KEY_PREFIX + "*", count=1000):
        batch.append(key)
        if len(batch) >= 1000:
            removed += client.delete(*batch)
            batch = []
    if batch:
        removed += client.delete(*batch)
    return removed


# ------------------------------------------------------------------ the page


def _public(dataset_dict: Mapping[str, Any]) -> bool:
    return not dataset_dict.get("private") and dataset_dict.get("state", "active") == "active"


def _profile_names(serializer: RDFSerializer) -> tuple[str, ...]:
    return tuple(f"{profile.__module__}.{profile.__name__}" for profile in serializer._profiles)


def shared_fragment(fragments: Sequence[Fragment], catalog: Graph, kind: str,
                    profiles: Sequence[str]) -> Fragment:
    """The shared nodes' triples of a page's datasets, once, serialised with the
    catalogue's prefixes; cached by content (the hashes of the datasets' shared
    parts: the same set gives the same text)."""
    digests = sorted({fragment.shared_digest for fragment in fragments} - {""})
    if not digests:
        return Fragment("", kind, "")
    seconds = ttl()
    digest = hashlib.sha256(repr((kind, tuple(profiles), fingerprint(), digests))
                            .encode("utf-8")).hexdigest()
    key = f"{KEY_PREFIX}shared:{digest}"
    found = cached([key])[0] if seconds else None
    if found is not None:
        return found
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in catalog.namespaces():
        graph.bind(prefix, namespace, override=True, replace=True)
    lines = {line for fragment in fragments for line in fragment.shared.splitlines()}
    graph.parse(data="\n".join(lines), format=NTRIPLES)
    fragment = serialise(graph, "", kind)
    if seconds:
        store([(key, fragment)], seconds)
    return fragment


def _as_ntriples(fragment: Fragment) -> str:
    prefixes = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in fragment.prefixes)
    graph = Graph().parse(data=prefixes + fragment.body, format=TURTLE)
    return graph.serialize(format=NTRIPLES)


def _turtle_page(catalog: Graph, fragments: Sequence[Fragment]) -> str:
    prefixes, body = split_turtle(catalog.serialize(format=TURTLE))
    bound = dict(prefixes)
    parts = [body]
    for fragment in fragments:
        if all(bound.get(prefix, namespace) == namespace
               for prefix, namespace in fragment.prefixes):
            bound.update(fragment.prefixes)
            parts.append(fragment.body)
        else:
            parts.append(_as_ntriples(fragment))
    head = "".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in bound.items())
    return head + "\n" + "\n\n".join(parts) + "\n"


def _jsonld_page(catalog: Graph, fragments: Sequence[Fragment]) -> str:
    items = [_json_items(catalog.serialize(format=JSONLD))]
    items.extend(fragment.body for fragment in fragments)
    return "[\n" + ",\n".join(item for item in items if item) + "\n]"


def _link(serializer: RDFSerializer, catalog_ref: URIRef, dataset_dict: Mapping[str, Any],
          dataset_ref: URIRef) -> None:
    if not serializer._add_source_catalog(catalog_ref, dataset_dict, dataset_ref):
        serializer.g.add((catalog_ref, DCAT.dataset, dataset_ref))


def _fragment_page(serializer: RDFSerializer, catalog_ref: URIRef,
                   dataset_dicts: Sequence[Mapping[str, Any]], datasets: Sequence[Fragment],
                   kind: str, rdflib_format: str,
                   pagination_info: Mapping[str, Any] | None) -> str:
    """A warm page: the catalogue's graph and the datasets' cached fragments."""
    catalog = serializer.g
    fragments = [shared_fragment(datasets, catalog, kind, _profile_names(serializer)),
                 *datasets]
    for dataset_dict, fragment in zip(dataset_dicts, datasets, strict=True):
        _link(serializer, catalog_ref, dataset_dict, URIRef(fragment.ref))
    if pagination_info:
        serializer._add_pagination_triples(pagination_info)
    iri.clean_graph(catalog)
    if kind == TURTLE:
        return _turtle_page(catalog, fragments)
    if kind == JSONLD:
        return _jsonld_page(catalog, fragments)
    for fragment in fragments:
        catalog.parse(data=fragment.body, format=NTRIPLES)
    return catalog.serialize(format=rdflib_format)


def _one_graph_page(serializer: RDFSerializer, catalog_ref: URIRef,
                    dataset_dicts: Sequence[Mapping[str, Any]], organisations: Organisations,
                    rdflib_format: str, pagination_info: Mapping[str, Any] | None) -> str:
    """A cold page, built as ckanext-dcat builds it: one graph, one serialisation."""
    for dataset_dict in dataset_dicts:
        dataset_ref = serializer.graph_from_dataset(organisations.complete(dataset_dict))
        _link(serializer, catalog_ref, dataset_dict, dataset_ref)
    if pagination_info:
        serializer._add_pagination_triples(pagination_info)
    iri.clean_graph(serializer.g)
    return serializer.g.serialize(format=rdflib_format)


def serialize_catalog(dataset_dicts: Sequence[Mapping[str, Any]], fmt: str | None,
                      profiles: Sequence[str] | None,
                      pagination_info: Mapping[str, Any] | None) -> str:
    """The catalogue page, as ckanext-dcat's ``RDFSerializer.serialize_catalog``:
    from the cached fragments when every dataset has one, else built whole (and
    the missing fragments queued, see :func:`schedule_fill`)."""
    serializer = RDFSerializer(profiles=list(profiles) if profiles else None)
    rdflib_format = url_to_rdflib_format(fmt or "xml")
    kind = fragment_kind(rdflib_format)
    public = [d for d in dataset_dicts if _public(d)]
    catalog_ref = serializer.graph_from_catalog({})
    organisations = Organisations.read()
    if ttl():
        names = _profile_names(serializer)
        code = fingerprint()
        keys = [fragment_key(d, kind, names, organisations, code) for d in public]
        found = cached(keys)
        missing = [key for key, fragment in zip(keys, found, strict=True) if fragment is None]
        if not missing:
            return _fragment_page(serializer, catalog_ref, public, found,  # type: ignore[arg-type]
                                  kind, rdflib_format, pagination_info)
        schedule_fill([d["id"] for d in public], missing, kind, profiles)
    return _one_graph_page(serializer, catalog_ref, public, organisations, rdflib_format,
                           pagination_info)


# --------------------------------------------------------- the background fill


def schedule_fill(dataset_ids: Sequence[str], missing: Sequence[str], kind: str,
                  profiles: Sequence[str] | None) -> None:
    """Queue :func:`fill` for a page's public ``dataset_ids``, of which the
    fragment keys ``missing`` are not cached; not again while the job for the
    same versions of them (its id hashes those keys) waits or runs."""
    from ckan.lib.jobs import get_queue
    from rq.exceptions import NoSuchJobError
    from rq.job import Job, JobStatus

    digest = hashlib.sha256(repr((kind, sorted(missing))).encode("utf-8")).hexdigest()[:40]
    job_id = f"mogi-dcat-fragments-{digest}"
    queue = tk.config.get(QUEUE_OPTION) or "default"
    try:
        with contextlib.suppress(NoSuchJobError):
            status = Job.fetch(job_id, connection=get_queue(queue).connection).get_status()
            if status in (JobStatus.QUEUED, JobStatus.STARTED, JobStatus.DEFERRED,
                          JobStatus.SCHEDULED):
                return  # already on its way
        tk.enqueue_job(fill, [list(dataset_ids), kind, list(profiles) if profiles else None],
                       title=f"DCAT fragments ({len(missing)} datasets)", queue=queue,
                       rq_kwargs={"job_id": job_id, "timeout": JOB_TIMEOUT})
    except RedisError as error:
        log.warning("DCAT fragments: could not queue the fill job (%s)", error)


#: Ids per search of :func:`public_datasets` (the query stays under the search's length limit).
_IDS_PER_SEARCH = 40


def public_datasets(dataset_ids: Sequence[str]) -> list[dict[str, Any]]:
    """The search's dicts (as a page has them) of those of ``dataset_ids`` that
    are public now."""
    search = tk.get_action("package_search")
    found = []
    for start in range(0, len(dataset_ids), _IDS_PER_SEARCH):
        chunk = dataset_ids[start:start + _IDS_PER_SEARCH]
        ids = " OR ".join(f'"{dataset_id}"' for dataset_id in chunk)
        found.extend(search({"ignore_auth": True}, {
            "fq": f"capacity:public AND id:({ids})", "rows": len(chunk),
            "include_private": False, "include_drafts": False,
        })["results"])
    return [d for d in found if _public(d)]


def fill(dataset_ids: Sequence[str], kind: str, profiles: Sequence[str] | None) -> int:
    """The background job: write the fragments of a page's ``dataset_ids`` that
    are public (read again now: a dataset made private since is left out) and
    not cached yet, and the page's shared part. How many fragments it wrote."""
    seconds = ttl()
    if not seconds:
        return 0
    serializer = RDFSerializer(profiles=list(profiles) if profiles else None)
    names = _profile_names(serializer)
    serializer.graph_from_catalog({})
    catalog = serializer.g
    datasets = public_datasets(list(dataset_ids))
    organisations = Organisations.read()
    code = fingerprint()
    keys = [fragment_key(d, kind, names, organisations, code) for d in datasets]
    namespaces = NamespaceManager(Graph(), bind_namespaces="core")
    result: list[Fragment] = []
    fresh: list[tuple[str, Fragment]] = []
    for key, fragment, dataset_dict in zip(keys, cached(keys), datasets, strict=True):
        if fragment is None:
            fragment = dataset_fragment(serializer, organisations.complete(dataset_dict),
                                        kind, namespaces)
            fresh.append((key, fragment))
        result.append(fragment)
    store(fresh, seconds)
    shared_fragment(result, catalog, kind, names)
    return len(fresh)


def serialize_dataset(dataset_dict: Mapping[str, Any], fmt: str | None,
                      profiles: Sequence[str] | None) -> str:
    """One dataset's RDF, as ``RDFSerializer.serialize_dataset`` but IRIs cleaned."""
    serializer = RDFSerializer(profiles=list(profiles) if profiles else None)
    graph, _ref, _omitted = build_dataset_graph(serializer, dataset_dict)
    rdflib_format = url_to_rdflib_format(fmt or "xml")
    if rdflib_format == JSONLD:
        return graph.serialize(format=JSONLD, auto_compact=True)
    return graph.serialize(format=rdflib_format)
