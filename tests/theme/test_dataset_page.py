"""The dataset and resource pages, as a citizen reads them.

The demo catalogue is loaded once for the module; "Casos de tuberculose
(SINAN)" has every field of the schema filled in (anonymised personal data,
so the LGPD fields too).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from ckan.lib.uploader import get_resource_uploader
from ckan.tests import helpers
from dateutil.relativedelta import relativedelta
from sample_data import as_site

from ckanext.mogi.demo.loader import LoadSummary
from ckanext.mogi.schema.validators import format_date_br
from ckanext.mogi.theme.helpers import CITY_TIMEZONE, abnt_date, citation

SITE_URL = "http://test.ckan.net"
FULL = "casos-de-tuberculose-sinan"
RDF = {"ttl": "text/turtle", "jsonld": "application/ld+json", "rdf": "application/rdf+xml"}


@pytest.fixture(scope="module")
def catalogue(load_demo_catalogue) -> LoadSummary:
    return load_demo_catalogue()


@pytest.fixture(scope="module")
def full(catalogue) -> dict[str, Any]:
    return helpers.call_action("package_show", id=FULL)


def _page(app, url: str) -> BeautifulSoup:
    return BeautifulSoup(app.get(url, status=200).body, "html.parser")


def _text(node: Any) -> str:
    return " ".join(node.get_text(" ").split())


def sections(page: BeautifulSoup) -> dict[str, dict[str, str]]:
    """Metadata sections of a dataset page: heading -> {label: value}."""
    return {
        _text(section.find("h2")): {_text(row.th): _text(row.td) for row in section("tr")}
        for section in page.select("section.mogi-secao")
    }


# ------------------------------------------------------------------ dataset page


def test_metadata_is_grouped_in_portuguese_sections(app, full):
    page = _page(app, f"/dataset/{FULL}")
    shown = sections(page)

    assert list(shown) == ["Cobertura", "Periodicidade", "Acesso e LGPD", "Responsáveis",
                           "Outras informações"]
    assert shown["Cobertura"] == {
        "Cobertura temporal – início": "01/01/2001",
        "Cobertura temporal – fim": "31/12/2019",
        "Cobertura espacial": "Federal",
        "Território": "BR",
        "Granularidade espacial": "Federal",
    }
    access = shown["Acesso e LGPD"]
    assert access["Licença"] == "Creative Commons Atribuição"
    assert access["Observância legal"] == "Público"
    assert access["Contém dados pessoais?"] == "Sim, anonimizados"
    assert "tutela da saúde" in access["Base legal (LGPD)"]
    assert access["Anonimização aplicada"].startswith("Dados agregados")
    assert shown["Responsáveis"] == {
        "Secretaria ou órgão responsável": "Secretaria de Saúde",
        "Área técnica responsável": "Departamento de Vigilância em Saúde",
        "E-mail da área técnica": "vigilancia.saude@mogidascruzes.sp.gov.br",
        "Ponto de contato": full["ponto_contato"],
    }
    responsible = page.select_one("#mogi-responsaveis")
    assert responsible.find("a", string="Secretaria de Saúde")["href"] == (
        "/organization/secretaria-de-saude")
    assert responsible.find("a", href="mailto:vigilancia.saude@mogidascruzes.sp.gov.br")
    others = shown["Outras informações"]
    assert others["Fonte / proveniência"] == full["fonte"]
    assert others["ODS"] == "Saúde e bem-estar"
    # each field once, in one place; the sections are h2 under the dataset's h1
    labels = [label for rows in shown.values() for label in rows]
    assert len(labels) == len(set(labels))
    headings = [h.name for h in page.select("[role=main] :is(h1, h2, h3, h4, h5, h6)")]
    assert headings[0] == "h1" and set(headings[1:]) == {"h2"}


def test_next_expected_update_follows_the_frequency(app, full):
    periodicity = sections(_page(app, f"/dataset/{FULL}"))["Periodicidade"]

    # the last update is the day in Mogi das Cruzes (CKAN stores UTC); the
    # next one counts from the last update of the data (its files)
    def local_day(stamp: str) -> dt.date:
        return (dt.datetime.fromisoformat(stamp).replace(tzinfo=dt.UTC)
                .astimezone(CITY_TIMEZONE).date())

    last = local_day(full["metadata_modified"])
    data = max(local_day(res.get("last_modified") or res.get("metadata_modified")
                         or res["created"]) for res in full["resources"])
    expected = data + relativedelta(years=1)  # ANUAL
    assert periodicity["Periodicidade"] == "Anual"
    assert periodicity["Próxima atualização prevista"] == format_date_br(expected)
    assert periodicity["Última atualização"].startswith(f"{last.day} de ")
    assert periodicity["Descontinuado?"] == "Não"


def test_empty_fields_and_sections_are_hidden(app, catalogue):
    shown = sections(_page(app, "/dataset/licitacoes-2022"))  # open data, no LGPD basis
    labels = {label for rows in shown.values() for label in rows}

    assert "Base legal (LGPD)" not in labels and "Anonimização aplicada" not in labels
    assert "Data de descontinuação" not in labels
    assert shown["Acesso e LGPD"]["Contém dados pessoais?"] == "Não"
    assert all(value for rows in shown.values() for value in rows.values())


def test_rdf_representations_are_linked_and_answer(app, full):
    page = _page(app, f"/dataset/{FULL}")
    links = page.select("section.mogi-rdf a")

    assert [_text(a) for a in links] == ["Turtle (.ttl)", "JSON-LD (.jsonld)",
                                         "RDF/XML (.rdf)"]
    for link, (suffix, mimetype) in zip(links, RDF.items(), strict=True):
        assert link["href"] == f"/dataset/{FULL}.{suffix}"
        response = app.get(link["href"], status=200)
        assert response.headers["Content-Type"].startswith(mimetype), suffix
        assert full["title"] in response.body, suffix


def test_how_to_cite(app, full):
    page = _page(app, f"/dataset/{FULL}")
    block = page.select_one("section.mogi-citacao")

    assert _text(block.h2) == "Como citar"
    today = dt.datetime.now(CITY_TIMEZONE).date()
    assert _text(block.p) == (
        "SECRETARIA DE SAÚDE. Casos de tuberculose (SINAN). Mogi das Cruzes: "
        f"Prefeitura Municipal de Mogi das Cruzes, {full['metadata_modified'][:4]}. "
        f"Disponível em: <{SITE_URL}/dataset/{FULL}>. Acesso em: {abnt_date(today)}.")


def test_citation_is_abnt_like():
    pkg = {"title": "Obras públicas.", "metadata_modified": "2025-03-02T10:00:00",
           "organization": {"name": "seplag", "title": "Secretaria de Planejamento"}}

    assert citation(pkg, "https://dados.example/dataset/obras", dt.date(2026, 5, 5)) == (
        "SECRETARIA DE PLANEJAMENTO. Obras públicas. Mogi das Cruzes: Prefeitura Municipal "
        "de Mogi das Cruzes, 2025. Disponível em: <https://dados.example/dataset/obras>. "
        "Acesso em: 5 maio 2026.")
    orphan = citation({"title": "Sem órgão"}, "https://x", dt.date(2026, 9, 14))
    assert orphan.startswith("PREFEITURA MUNICIPAL DE MOGI DAS CRUZES. Sem órgão.")
    assert ", 2026. " in orphan and orphan.endswith("Acesso em: 14 set. 2026.")
    assert [abnt_date(dt.date(2026, m, 1)).split()[1] for m in (1, 2, 6, 12)] == [
        "jan.", "fev.", "jun.", "dez."]


def test_resources_have_a_download_button_with_their_format(app, full):
    page = _page(app, f"/dataset/{FULL}")
    (resource,) = full["resources"]
    item = page.select_one(f'li.resource-item[data-id="{resource["id"]}"]')
    button = item.select_one("a.mogi-baixar")

    assert _text(button) == f"Baixar CSV : {resource['name']}"
    assert button.select_one(".visually-hidden")  # the name is for screen readers
    assert button["href"] == resource["url"]
    assert item.select_one("[data-validation-status]") is not None  # badge kept
    download = app.get(button["href"].replace(SITE_URL, ""), status=200)
    stored = Path(get_resource_uploader(resource).get_path(resource["id"])).read_bytes()
    assert download.data == stored


# ------------------------------------------------------------------ resource page


def _resource_rows(app, pkg: dict[str, Any], resource: dict[str, Any]) -> list[tuple[str, str]]:
    page = _page(app, f"/dataset/{pkg['name']}/resource/{resource['id']}")
    table = page.select_one("table[data-module='table-toggle-more']")
    return [(_text(row.th), _text(row.td)) for row in table.select("tbody tr")]


def test_resource_page_shows_one_licence_and_no_empty_rows(app, full):
    rows = _resource_rows(app, full, full["resources"][0])
    labels = [label for label, _value in rows]

    assert labels.count("Licença") == 1
    assert dict(rows)["Licença"] == "Creative Commons Atribuição"
    assert "Esquema da tabela (Table Schema)" not in labels
    assert "Opções de validação" not in labels
    assert all(value for _label, value in rows), rows


def test_resource_licence_and_library_schema_when_set(app, full):
    resource = helpers.call_action(
        "resource_create", context=as_site(),
        package_id=full["id"], name="Contratos (ODbL)", format="CSV",
        url="https://www.mogidascruzes.sp.gov.br/contratos.csv", licenca="odc-odbl",
        schema=f"{SITE_URL}/validacao/esquemas/contratos.json")
    pkg = helpers.call_action("package_show", id=full["id"])
    page = _page(app, f"/dataset/{pkg['name']}/resource/{resource['id']}")
    rows = _resource_rows(app, pkg, resource)

    licences = [value for label, value in rows if label == "Licença"]
    assert licences == ["Licença Aberta para Bases de Dados (ODbL) do Open Data Commons"]
    assert dict(rows)["Esquema da tabela (Table Schema)"] == "contratos (biblioteca de esquemas)"
    link = page.select_one("a.mogi-esquema")
    assert link["href"] == f"{SITE_URL}/validacao/esquemas/contratos.json"
