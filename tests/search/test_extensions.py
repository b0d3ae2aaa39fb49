"""ckanext-dcat and ckanext-harvest use the search unchanged, without Solr."""

from __future__ import annotations

import pytest
from ckan.tests import factories, helpers
from rdflib import Graph
from rdflib.namespace import DCAT, DCTERMS, RDF


@pytest.fixture
def datasets():
    org = factories.Organization(name="meio-ambiente", title="Secretaria de Meio Ambiente")
    public = factories.Dataset(name="areas-verdes", title="Áreas verdes e parques",
                               owner_org=org["id"])
    private = factories.Dataset(name="denuncias-ambientais", title="Denúncias ambientais",
                                owner_org=org["id"], private=True)
    return public, private


@pytest.mark.ckan_config("ckan.plugins", "mogi mogi_search dcat")
@pytest.mark.usefixtures("clean_db", "with_plugins")
class TestDcatCatalogue:
    def titles(self, app, url: str) -> set[str]:
        graph = Graph().parse(data=app.get(url, status=200).body, format="turtle")
        return {str(graph.value(d, DCTERMS.title))
                for d in graph.subjects(RDF.type, DCAT.Dataset)}

    def test_catalogue_lists_public_datasets_only(self, app, datasets):
        assert self.titles(app, "/catalog.ttl") == {"Áreas verdes e parques"}

    def test_catalogue_filters_by_query(self, app, datasets):
        assert self.titles(app, "/catalog.ttl?q=parque") == {"Áreas verdes e parques"}
        assert self.titles(app, "/catalog.ttl?q=inexistente") == set()
        assert self.titles(app, "/catalog.ttl?modified_since=2000-01-01") == {
            "Áreas verdes e parques"}


@pytest.mark.ckan_config("ckan.plugins", "mogi mogi_search harvest ckan_harvester")
@pytest.mark.usefixtures("clean_db", "with_plugins")
class TestHarvestSources:
    def test_harvest_sources_are_indexed_and_reindexed(self, migrate_db_for):
        migrate_db_for("harvest")
        org = factories.Organization(name="governo-e-transparencia")
        source = helpers.call_action(
            "harvest_source_create", name="portal-estadual", title="Portal estadual",
            url="http://127.0.0.1:1/", source_type="ckan", owner_org=org["id"])
        found = helpers.call_action("package_search", fq="+dataset_type:harvest")
        assert [d["name"] for d in found["results"]] == [source["name"]]
        helpers.call_action("harvest_sources_reindex")
        shown = helpers.call_action("harvest_source_show", id=source["id"])
        assert shown["title"] == "Portal estadual"
        # harvest sources are not datasets: the public catalogue search ignores them
        assert helpers.call_action("package_search", q="estadual")["count"] == 0
