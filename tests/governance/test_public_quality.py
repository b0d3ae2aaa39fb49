"""The public quality page (/transparencia/qualidade): aggregates of public
datasets only, never a private title or count."""

from __future__ import annotations

import csv
import io

import pytest
import requests
from bs4 import BeautifulSoup
from ckan.tests import helpers
from rdflib import Graph, Namespace

pytestmark = pytest.mark.usefixtures("clean_db")

PAGE = "/transparencia/qualidade"


def test_counts_public_datasets_only(app, sysadmin, dated):
    dated("aberto", 10, title="Conjunto aberto")
    dated("quase", 4, title="Conjunto quase")
    secret = dated("segredo", 10, title="Conjunto segredo", private=True)
    helpers.call_action("resource_create", context={"user": sysadmin["name"]},
                        package_id=secret["id"], name="contratos.csv",
                        url="https://dados.example.org/contratos.csv", format="CSV",
                        esquema_biblioteca="contratos")
    html = app.get(PAGE, status=200).body
    assert "segredo" not in html and secret["id"] not in html
    page = BeautifulSoup(html, "html.parser")
    row = next(tr for tr in page.find_all("tr") if "Secretaria Municipal de Saúde" in tr.get_text()
               and tr.find("td"))
    cells = [td.get_text() for td in row.find_all("td")]
    assert cells[:2] == ["Secretaria Municipal de Saúde", "2"]
    assert cells[6:8] == ["1", "1"]
    # The private dataset covers "Contratos": publicly, still a gap.
    assert "Contratos" in page.find(class_="mogi-lacunas").get_text()
    for key in ("secretarias", "cobertura"):
        body = app.get(f"{PAGE}/{key}.csv", status=200).body
        assert "segredo" not in body and secret["id"] not in body
    rows = list(csv.reader(io.StringIO(
        app.get(f"{PAGE}/secretarias.csv").body[1:]), delimiter=";"))
    saude = next(r for r in rows if r[0] == "Secretaria Municipal de Saúde")
    assert saude[1] == "2"


def test_a_logged_in_sysadmin_sees_the_same_public_figures(app, dated, sysadmin):
    dated("segredo", 10, title="Conjunto segredo", private=True)
    html = app.get(PAGE, headers={"Authorization": sysadmin["token"]}, status=200).body
    assert "segredo" not in html


def test_charts_have_text_alternatives_and_data_tables(app, dated):
    dated("aberto", 10)
    page = BeautifulSoup(app.get(PAGE).body, "html.parser")
    svgs = page.find_all("svg", attrs={"role": "img"})
    assert len(svgs) == 2
    for svg in svgs:
        assert svg.find("title").get_text() and svg.find("desc").get_text()
        assert svg.find_parent(class_="mogi-painel-grafico").find("table") is not None
    assert page.find("h1").get_text() == "Qualidade dos dados abertos"


def test_unknown_download_is_404(app):
    app.get(f"{PAGE}/nada.csv", status=404)


def test_every_quality_measurement_of_the_metadata_is_explained_on_the_page(app, dated):
    """The DQV metrics and dimensions of the DCAT-BR output are fragments of
    this page: a harvester following one lands on its explanation."""
    dated("medido", 0, title="Conjunto medido")
    graph = Graph().parse(data=app.get("/dataset/medido.ttl", status=200).body, format="turtle")
    dqv = Namespace("http://www.w3.org/ns/dqv#")
    metrics = set(graph.objects(None, dqv.isMeasurementOf))
    dimensions = {d for m in metrics for d in graph.objects(m, dqv.inDimension)}
    assert len(metrics) == 3 and len(dimensions) == 3
    page = BeautifulSoup(app.get(PAGE, status=200).body, "html.parser")
    for iri in metrics | dimensions:
        address, _, fragment = str(iri).partition("#")
        assert address.endswith(PAGE)
        assert page.find(id=fragment) is not None, iri


@pytest.mark.ckan_config("ckanext.mogi.search.page_cache_ttl", 60)
def test_visitors_get_the_page_kept_and_never_a_private_dataset(live_server, sysadmin, dated):
    """The page is kept whole for visitors (mogi_search's page cache, through
    IMogiCachedPages): served again unchanged, and at once anew when a
    dataset changes; a dataset made private leaves it at once."""
    dataset = dated("aberto", 10, title="Conjunto aberto")

    def visit() -> tuple[str, bool]:
        response = requests.get(live_server + PAGE, timeout=30)
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers
        return response.text, response.headers.get("X-Mogi-Page-Cache") == "hit"

    first, hit = visit()
    assert not hit and "Conjuntos públicos: 1." in first
    second, hit = visit()
    assert hit and second == first and "Conjuntos públicos: 1." in second
    helpers.call_action("package_patch", context={"user": sysadmin["name"]},
                        id=dataset["id"], private=True)
    third, hit = visit()
    assert not hit and "Conjuntos públicos: 0." in third
    # Staff always get a page rendered for them.
    staff = requests.get(live_server + PAGE, timeout=30,
                         headers={"Authorization": sysadmin["token"]})
    assert staff.headers.get("X-Mogi-Page-Cache") is None
