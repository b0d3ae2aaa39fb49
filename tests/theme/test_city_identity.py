"""The city's identity is one block of options (``ckanext.mogi.city.*``):
another city there re-brands the pages, the DCAT-BR catalogue and a new
dataset's default territory, with no change to the code."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from ckan.tests import helpers
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF
from sample_data import DATASET

CAMPINAS_URL = "https://portal.campinas.sp.gov.br/"
CAMPINAS_IBGE = "3509502"

pytestmark = [
    pytest.mark.usefixtures("clean_db"),
    pytest.mark.ckan_config("ckanext.mogi.city.name", "Campinas"),
    pytest.mark.ckan_config("ckanext.mogi.city.state", "SP"),
    pytest.mark.ckan_config("ckanext.mogi.city.ibge_code", CAMPINAS_IBGE),
    pytest.mark.ckan_config("ckanext.mogi.city.government", "Prefeitura Municipal de Campinas"),
    pytest.mark.ckan_config("ckanext.mogi.city.government_short", "Prefeitura de Campinas"),
    pytest.mark.ckan_config("ckanext.mogi.city.url", CAMPINAS_URL),
    pytest.mark.ckan_config("ckanext.mogi.city.ouvidoria_url",
                            "https://portal.campinas.sp.gov.br/ouvidoria"),
]


def _page(app, url: str) -> BeautifulSoup:
    return BeautifulSoup(app.get(url, status=200).body, "html.parser")


def _text(node: Any) -> str:
    return " ".join(node.get_text(" ").split())


def test_pages_show_the_configured_city(app):
    home = _page(app, "/")
    about = _page(app, "/about")
    footer = about.find("footer")
    links = {_text(a): a["href"] for a in footer.find_all("a")}

    assert _text(home.select_one("header.masthead .mogi-brand")) == (
        "Dados Abertos — Prefeitura de Campinas")
    assert _text(home.find("h1")) == "Dados abertos da Prefeitura de Campinas"
    assert "Prefeitura de Campinas" in [_text(h) for h in footer.find_all("h2")]
    assert links["Site da Prefeitura"] == CAMPINAS_URL
    assert links["Ouvidoria"] == "https://portal.campinas.sp.gov.br/ouvidoria"
    prose = _text(about.select_one(".mogi-prose"))
    assert prose.startswith("Sobre o portal O Dados Abertos Campinas é o portal de dados "
                            "abertos da Prefeitura Municipal de Campinas (SP).")
    assert "cite a Prefeitura de Campinas e a Secretaria como fonte" in prose
    for page in (home, about):
        assert "Mogi das Cruzes" not in _text(page.find("header"))
        assert "Mogi das Cruzes" not in _text(page.find("footer"))


def test_dcat_catalogue_is_published_by_the_configured_city(app):
    turtle = app.get("/catalog.ttl", status=200).get_data(as_text=True)
    graph = Graph().parse(data=turtle, format="turtle")
    (catalog,) = graph.subjects(RDF.type, DCAT.Catalog)

    publisher = graph.value(catalog, DCTERMS.publisher)
    assert publisher == URIRef(CAMPINAS_URL)
    assert graph.value(publisher, FOAF.name) == Literal(
        "Prefeitura Municipal de Campinas", lang="pt-BR")
    assert graph.value(publisher, FOAF.homepage) == URIRef(CAMPINAS_URL)
    (spatial,) = graph.objects(catalog, DCTERMS.spatial)
    assert str(spatial).endswith(f"/municipios/{CAMPINAS_IBGE}")
    assert str(graph.value(catalog, DCTERMS.description)) == (
        "Catálogo de dados abertos da Prefeitura Municipal de Campinas (SP).")
    assert "mogidascruzes" not in turtle and "3530607" not in turtle


def test_a_new_dataset_covers_the_configured_city_by_default(app, sysadmin, organization):
    data = {key: value for key, value in DATASET.items() if key != "valor_cobertura_espacial"}
    created = helpers.call_action(
        "package_create", context={"user": sysadmin["name"]},
        name="atendimentos-campinas", owner_org=organization["id"], **data)

    assert created["valor_cobertura_espacial"] == CAMPINAS_IBGE
    extras = {e["key"]: e["value"] for e in created["extras"]}
    assert extras["valorCoberturaEspacial"] == CAMPINAS_IBGE[:6]
    citation = _text(_page(app, "/dataset/atendimentos-campinas")
                     .select_one("section.mogi-citacao p"))
    assert ". Campinas: Prefeitura Municipal de Campinas, " in citation
