"""Feeds one record cannot break, and catalogue pages from cached fragments."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest
from ckan.lib import jobs
from ckan.lib.redis import connect_to_redis
from ckan.tests import helpers
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS

from ckanext.mogi.dcat import fragments, iri, shacl

pytestmark = pytest.mark.usefixtures("clean_db")

SITE_URL = "http://test.ckan.net"
LONG = "http://example.org/" + "x" * 10_000 + ".csv"
#: (url as typed, IRI in the feed)
URLS = [
    ("http://example.org/arquivo final.csv", "http://example.org/arquivo%20final.csv"),
    ("http://example.org/dados{2022}.csv", "http://example.org/dados%7B2022%7D.csv"),
    ("http://example.org/a|b.csv", "http://example.org/a%7Cb.csv"),
    ("http://example.org/relatório ção.csv", "http://example.org/relatório%20ção.csv"),
    (LONG, LONG),
]


FORMATS = {"ttl": "turtle", "jsonld": "json-ld", "xml": "xml", "rdf": "xml"}


@pytest.fixture
def fragment_worker(ckan_config, monkeypatch) -> Iterator[Callable[[], None]]:
    """Fragment fill jobs go to a queue of this test; calling the value runs a
    real CKAN job worker on it in burst mode (what `make run`'s worker does)."""
    queue = f"mogi-dcat-test-{uuid.uuid4().hex[:12]}"
    monkeypatch.setitem(ckan_config, fragments.QUEUE_OPTION, queue)
    yield lambda: jobs.Worker([queue]).work(burst=True)
    jobs.get_queue(queue).delete(delete_jobs=True)


def _fragment_keys() -> list[bytes]:
    """The datasets' fragments in Redis (not the pages' shared parts)."""
    return [key for key in connect_to_redis().scan_iter(match=fragments.KEY_PREFIX + "*")
            if b":shared:" not in key]


def _parse(app, url: str, fmt: str) -> Graph:
    response = app.get(url, status=200)
    return Graph().parse(data=response.get_data(as_text=True), format=FORMATS[fmt])


def test_bad_urls_do_not_break_the_feeds(app, sysadmin, create_dataset):
    dataset = create_dataset("enderecos-estranhos")
    for url, _ in URLS:
        helpers.call_action("resource_create", context={"user": sysadmin["name"]},
                            package_id=dataset["id"], url=url, format="CSV",
                            name="Arquivo")
    expected = {URIRef(found) for _, found in URLS}
    for fmt in ("ttl", "jsonld", "xml"):
        for attempt in ("cold", "warm"):
            graph = _parse(app, f"/catalog.{fmt}", fmt)
            assert set(graph.objects(None, DCAT.downloadURL)) == expected, (fmt, attempt)
    for fmt in ("ttl", "jsonld", "rdf"):
        graph = _parse(app, f"/dataset/{dataset['name']}.{fmt}", fmt)
        assert set(graph.objects(None, DCAT.downloadURL)) == expected, fmt


@pytest.mark.parametrize("query", ['fq=title:"abc', "fq=title:[a TO", "modified_since=ontem",
                                   "page=-1"])
def test_bad_search_is_400(app, create_dataset, query):
    create_dataset("qualquer")
    for path in ("/catalog.ttl", "/catalog.jsonld"):
        response = app.get(f"{path}?{query}", status=400)
        assert response.get_data(as_text=True).strip()
    response = app.get(f"/catalog?{query}", headers={"Accept": "text/turtle"}, status=400)
    assert response.get_data(as_text=True).strip()


def test_bad_filter_message_is_portuguese(app, create_dataset):
    create_dataset("qualquer")
    response = app.get('/catalog.ttl?fq=title:"abc', status=400)
    assert response.mimetype == "text/plain"
    assert "Os filtros de busca (q, fq) não puderam ser interpretados" in \
        response.get_data(as_text=True)


def test_values_that_are_no_iri_are_left_out_with_a_warning(sysadmin, create_dataset):
    # The forms refuse such values; harvested or older records may still hold them.
    dataset = create_dataset("links-quebrados")
    shown = helpers.call_action("package_show", id=dataset["id"])
    shown["documentacao"] = "javascript:alert(1)"
    shown["resources"] = [{"id": "r1", "package_id": dataset["id"], "url": url, "format": "CSV",
                           "name": "Arquivo"}
                          for url in ("javascript:alert(1)", "arquivo.csv", "http:semhost")]
    graph, findings = shacl.dataset_graph_and_omitted(shown)
    serialised = graph.serialize(format="turtle")
    assert "javascript" not in serialised and "arquivo.csv" not in serialised
    Graph().parse(data=serialised, format="turtle")
    assert findings and all(f.recommended and "omitido" in f.describe() for f in findings)


def test_iri_rules():
    assert iri.to_iri(" http://example.org/a b ") == "http://example.org/a%20b"
    assert iri.to_iri("http://example.org/a%20b") == "http://example.org/a%20b"
    assert iri.to_iri("https://example.org/ação") == "https://example.org/ação"
    assert iri.to_iri("http://example.org/\x00\ufffe") == "http://example.org/%00%EF%BF%BE"
    assert iri.to_iri("mailto:dados@example.org") == "mailto:dados@example.org"
    for bad in ("javascript:alert(1)", "data:text/html,x", "arquivo.csv", "http:x", "//x/y"):
        assert iri.to_iri(bad) is None, bad


def test_private_datasets_never_enter_the_cache(app, create_dataset, fragment_worker):
    fragments.clear()
    create_dataset("publico")
    create_dataset("sigiloso", title="Sigiloso", private=True)
    graph = _parse(app, "/catalog.ttl", "ttl")
    assert len(set(graph.subjects(DCTERMS.title, None))) >= 1
    assert "Sigiloso" not in graph.serialize(format="turtle")
    fragment_worker()

    # One dataset fragment (the public one) and the page's shared part.
    keys = list(connect_to_redis().scan_iter(match=fragments.KEY_PREFIX + "*"))
    assert len(_fragment_keys()) == 1
    assert "Sigiloso" not in b"".join(connect_to_redis().mget(keys)).decode()


def test_a_dataset_made_private_before_the_fill_is_left_out(app, sysadmin, create_dataset,
                                                            fragment_worker):
    fragments.clear()
    create_dataset("publico")
    secret = create_dataset("logo-sigiloso", title="Logo sigiloso")
    assert "Logo sigiloso" in app.get("/catalog.ttl").get_data(as_text=True)
    helpers.call_action("package_patch", context={"user": sysadmin["name"]},
                        id=secret["id"], private=True)
    fragment_worker()
    assert len(_fragment_keys()) == 1
    stored = b"".join(connect_to_redis().mget(_fragment_keys())).decode()
    assert "Logo sigiloso" not in stored
    assert "Logo sigiloso" not in app.get("/catalog.ttl").get_data(as_text=True)


def test_a_cold_page_is_served_whole_and_its_fragments_written_after(app, create_dataset,
                                                                    fragment_worker,
                                                                    ckan_config):
    """The first visit builds the page as ckanext-dcat does and queues one job;
    visits before the job runs queue nothing more; after it, the page is warm."""
    for number in range(3):
        create_dataset(f"conjunto-{number}", title=f"Conjunto {number}")
    fragments.clear()
    queue = jobs.get_queue(ckan_config[fragments.QUEUE_OPTION])
    first = _parse(app, "/catalog.ttl", "ttl")
    second = _parse(app, "/catalog.ttl", "ttl")
    assert queue.count == 1
    assert _fragment_keys() == []
    fragment_worker()
    assert len(_fragment_keys()) == 3
    warm = _parse(app, "/catalog.ttl", "ttl")
    assert queue.count == 0
    assert isomorphic(first, second)
    assert isomorphic(first, warm)


def _stock_page(app, fmt: str) -> Graph:
    """The page by ckanext-dcat's own action (no fragment cache), public datasets."""
    from ckanext.dcat import logic as dcat_logic

    with app.flask_app.test_request_context(f"/catalog.{fmt}"):
        stock = dcat_logic.dcat_catalog_show(
            {"user": ""}, {"format": fmt, "fq": "capacity:public"})
    return Graph().parse(data=stock, format=FORMATS[fmt])


def test_organisation_change_reaches_cached_pages(app, sysadmin, organization, create_dataset,
                                                 fragment_worker):
    """An organisation edit leaves metadata_modified alone but changes the publisher."""
    fragments.clear()
    create_dataset("publico")
    _parse(app, "/catalog.ttl", "ttl")
    fragment_worker()
    before = _parse(app, "/catalog.ttl", "ttl")  # from the cached fragments
    assert len(_fragment_keys()) == 1
    helpers.call_action("organization_patch", context={"user": sysadmin["name"]},
                        id=organization["id"], tipo="empresa_publica")
    after = _parse(app, "/catalog.ttl", "ttl")
    company = URIRef("http://purl.org/adms/publishertype/Company")
    assert company not in set(before.objects(None, DCTERMS.type))
    assert company in set(after.objects(None, DCTERMS.type))
    assert isomorphic(after, _stock_page(app, "ttl"))


@pytest.mark.parametrize("fmt", ["ttl", "jsonld", "xml"])
def test_cached_page_is_the_same_graph(app, create_dataset, fmt, fragment_worker):
    """Cold (built whole), warm (from the fragments in Redis) and ckanext-dcat's
    own route agree."""
    for number in range(3):
        create_dataset(f"conjunto-{number}", title=f"Conjunto {number}",
               temas=["saude", "educacao"][: number % 2 + 1])
    fragments.clear()
    cold = _parse(app, f"/catalog.{fmt}", fmt)
    fragment_worker()
    assert len(_fragment_keys()) == 3
    warm = _parse(app, f"/catalog.{fmt}", fmt)
    stock_graph = _stock_page(app, fmt)
    assert len(set(cold.subjects(None, DCAT.Dataset))) == 3
    assert isomorphic(cold, stock_graph)
    assert isomorphic(warm, stock_graph)


def test_turtle_fragments_with_clashing_prefixes_still_join():
    """rdflib invents ``ns1:`` for unbound namespaces: two fragments may give it
    two meanings, and the page must still be the union of their graphs."""
    first, second, catalog = Graph(), Graph(), Graph()
    first.add((URIRef("http://a.org/d1"), URIRef("http://one.org/ns#p"), URIRef("http://x/1")))
    second.add((URIRef("http://a.org/d2"), URIRef("http://two.org/ns#p"), URIRef("http://x/2")))
    catalog.add((URIRef("http://a.org/c"), DCAT.dataset, URIRef("http://a.org/d1")))
    parts = [fragments.serialise(graph, "http://a.org/d", fragments.TURTLE)
             for graph in (first, second)]
    assert dict(parts[0].prefixes)["ns1"] != dict(parts[1].prefixes)["ns1"]
    page = Graph().parse(data=fragments._turtle_page(catalog, parts), format="turtle")
    assert isomorphic(page, catalog + first + second)


def test_cache_off_gives_the_same_page(app, create_dataset, ckan_config, monkeypatch):
    create_dataset("publico")
    cached = _parse(app, "/catalog.ttl", "ttl")
    monkeypatch.setitem(ckan_config, fragments.TTL_OPTION, 0)
    assert isomorphic(_parse(app, "/catalog.ttl", "ttl"), cached)


def test_the_catalogue_modified_date_is_the_newest_public_dataset(app, create_dataset):
    """``dct:modified`` of the catalogue (read in one query, not a search): the
    newest public dataset's date; a newer private dataset leaves it alone."""
    public = create_dataset("publico")
    create_dataset("sigiloso", title="Sigiloso", private=True)
    graph = _parse(app, "/catalog.ttl", "ttl")
    (catalog,) = graph.subjects(DCAT.dataset, None, unique=True)
    (modified,) = graph.objects(catalog, DCTERMS.modified)
    assert modified.toPython().replace(tzinfo=None).isoformat() == public["metadata_modified"]
