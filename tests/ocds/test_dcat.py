"""The DCAT-BR catalogue of the demo portal, whose tender datasets now carry
an OCDS distribution (``dct:conformsTo`` the release package schema): every
page of /catalog.ttl, merged, still has 0 violations of the DCAT-BR shapes."""

from __future__ import annotations

import json
from functools import cache

import ckan.plugins as plugins
import pytest
from ckan.tests import helpers
from ckan.tests.helpers import _get_test_app
from ocds_paths import SHARED
from pyshacl import validate
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, SH

from ckanext.mogi.dcat import shacl

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
SITE = "http://test.ckan.net"
SCHEMA = "https://standard.open-contracting.org/schema/1__1__5/release-package-schema.json"
TENDER_DATASETS = ("licitacoes-2018", "licitacoes-2022")


@cache
def standards() -> shacl.Standards:
    return shacl.Standards(SHARED / "standards")


@pytest.fixture(scope="module")
def catalogue(load_demo_catalogue) -> Graph:
    """The demo catalogue (its dumps imported), every /catalog.ttl page merged."""
    load_demo_catalogue()
    plugins.load_all()
    try:
        app = _get_test_app()
        merged, url = Graph(), "/catalog.ttl"
        while url:
            page = Graph().parse(data=app.get(url, status=200).get_data(as_text=True),
                                 format="turtle")
            merged += page
            following = next(page.objects(None, HYDRA.next), None)
            url = str(following)[len(SITE):] if following is not None else None
        return merged
    finally:
        plugins.unload_all()


def _ocds_distributions(graph: Graph) -> list[URIRef]:
    return [d for d in graph.subjects(DCTERMS.conformsTo, URIRef(SCHEMA))]


def test_each_tender_dataset_has_an_ocds_distribution(catalogue: Graph):
    found = _ocds_distributions(catalogue)
    assert sorted(str(d) for d in found) == [
        f"{SITE}/ocds/dataset/{name}/releases.json" for name in TENDER_DATASETS]
    for distribution in found:
        assert (None, DCAT.distribution, distribution) in catalogue
        assert catalogue.value(distribution, DCAT.downloadURL) == distribution
        assert "OCDS" in str(catalogue.value(distribution, DCTERMS.title))
        assert (URIRef(SCHEMA), RDF.type, DCTERMS.Standard) in catalogue


def test_the_catalogue_with_the_ocds_distribution_has_no_dcat_br_violation(catalogue: Graph):
    _conforms, results, _text = validate(
        catalogue, shacl_graph=standards().shapes, ont_graph=standards().vocabularies,
        inference="none", advanced=True, allow_warnings=True)
    violations = [(str(results.value(r, SH.focusNode)), str(results.value(r, SH.resultPath)),
                   str(results.value(r, SH.resultMessage)))
                  for r in results.subjects(RDF.type, SH.ValidationResult)
                  if results.value(r, SH.resultSeverity) == SH.Violation]
    assert violations == []


def test_the_distribution_downloads_the_dataset_releases(catalogue: Graph):
    plugins.load_all()
    try:
        app = _get_test_app()
        body = json.loads(app.get("/ocds/dataset/licitacoes-2022/releases.json",
                                  status=200).get_data(as_text=True))
        assert len(body["releases"]) == 431
        # Made private: the distribution leaves the dataset's RDF at once.
        sysadmin = helpers.call_action("get_site_user", {"ignore_auth": True})
        helpers.call_action("package_patch", context={"user": sysadmin["name"]},
                            id="licitacoes-2022", private=True)
        try:
            app.get("/ocds/dataset/licitacoes-2022/releases.json", status=404)
            graph = Graph().parse(data=app.get("/dataset/licitacoes-2018.ttl").get_data(
                as_text=True), format="turtle")
            assert len(_ocds_distributions(graph)) == 1
        finally:
            helpers.call_action("package_patch", context={"user": sysadmin["name"]},
                                id="licitacoes-2022", private=False)
    finally:
        plugins.unload_all()


def test_the_demo_portal_shows_the_884_processes(catalogue: Graph):
    plugins.load_all()
    try:
        page = _get_test_app().get("/licitacoes", status=200).get_data(as_text=True)
        assert "884 processos encontrados" in page
        assert "Secretaria de Gestão e Contratações Públicas" in helpers.call_action(
            "package_show", id="licitacoes-2022")["organization"]["title"]
    finally:
        plugins.unload_all()


def test_the_distribution_states_its_exact_byte_size(catalogue: Graph):
    plugins.load_all()
    try:
        app = _get_test_app()
        body = app.get("/ocds/dataset/licitacoes-2018/releases.json", status=200).get_data()
        distribution = URIRef(f"{SITE}/ocds/dataset/licitacoes-2018/releases.json")
        assert int(catalogue.value(distribution, DCAT.byteSize)) == len(body)
        assert catalogue.value(distribution, DCTERMS.issued) is not None
    finally:
        plugins.unload_all()
