"""The citizens' pages: the search of processes by text, buyer, modality,
status and year (paged, in Portuguese), and the page of one process."""

from __future__ import annotations

import re

import pytest
import requests
from ckan.tests import helpers

from ckanext.mogi.ocds import queries


def _titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="h5 mb-1"><a href="/licitacoes/([^"]+)">', html)


def test_search_filters_and_pages(published, app):
    everything = app.get("/licitacoes").get_data(as_text=True)
    assert "884 processos encontrados" in everything
    assert len(_titles(everything)) == 20
    second = app.get("/licitacoes?page=2").get_data(as_text=True)
    assert set(_titles(second)).isdisjoint(_titles(everything))
    semae = app.get("/licitacoes?orgao=" + _buyer("SEMAE")).get_data(as_text=True)
    assert "211 processos encontrados" in semae
    revoked = app.get("/licitacoes?situacao=REVOGADA&ano=2018").get_data(as_text=True)
    count = int(re.search(r"(\d+) processos? encontrados?", revoked).group(1))
    assert 0 < count <= 21
    text = app.get("/licitacoes?q=medicamentos").get_data(as_text=True)
    assert int(re.search(r"(\d+) processos? encontrados?", text).group(1)) > 0
    modality = app.get("/licitacoes?modalidade=Convite").get_data(as_text=True)
    assert "194 processos encontrados" in modality
    assert 'label for="busca-q"' in everything and 'name="situacao"' in everything


def _buyer(code: str) -> str:
    from urllib.parse import quote

    names = queries.facets()["buyer"]
    return quote(next(name for name in names if code in name or code.lower() in name.lower()))


def test_a_process_page_shows_what_citizens_ask(published, app):
    listing = app.get("/licitacoes?q=remoção guarda veículos").get_data(as_text=True)
    ocid = _titles(listing)[0]
    page = app.get(f"/licitacoes/{ocid}").get_data(as_text=True)
    for heading in ("Órgão comprador", "Modalidade", "Situação", "Linha do tempo",
                    "Documentos", "Contratos e valores"):
        assert heading in page
    assert "Concorrência" in page
    assert "20/07/2018" in page  # the opening of the proposals, in the timeline
    assert "https://licitacao-mgcon.mogidascruzes.sp.gov.br/arquivo/download/38643" in page
    assert f'href="/dataset/{published["dataset"]["name"]}"' in page
    assert f'href="/ocds/{ocid}.json"' in page


def test_indicators_page_links_each_sign_to_its_definition(published, app):
    page = app.get("/licitacoes/indicadores").get_data(as_text=True)
    for anchor in ("revogados-ou-suspensos", "prazo-curto", "documento-unico"):
        assert f'href="#{anchor}"' in page and f'id="{anchor}"' in page
    assert "Lei nº 14.133/2021" in page and "art. 55" in page
    assert "Lei nº 8.666/1993" in page


@pytest.mark.ckan_config("ckanext.mogi.search.page_cache_ttl", 60)
def test_visitors_get_kept_pages_and_a_dataset_made_private_leaves_them(
        live_server, tender_dataset, upload_json, ocds_worker, sysadmin):
    """The citizens' pages are kept whole for visitors (IMogiCachedPages):
    served again unchanged; a dataset made private leaves them at once."""
    dataset = tender_dataset("licitacoes-curtas")
    upload_json(dataset, [{
        "dados": {"ano": "2022", "idlicitacao": "7001", "orgao": "PMMC",
                  "situacaos": "PUBLICADA", "tipo": "Pregão Eletrônico",
                  "licitacao": "0101/2022", "dataabertura": "10/03/2022",
                  "publicacaoinicio": "01/03/2022", "publicacaofim": "01/03/2023"},
        "ocorrencias": [], "anexos": [], "descricao": "Compra de merenda escolar",
        "objeto": "Compra de merenda escolar"}], "licitacoes.json")
    ocds_worker()
    [process] = queries.search(queries.Filters(), 0, 10)[1]
    paths = ("/licitacoes", f"/licitacoes/{process['ocid']}")

    def visit(path: str, status: int = 200) -> tuple[str, bool]:
        response = requests.get(live_server + path, timeout=30)
        assert response.status_code == status, path
        return response.text, response.headers.get("X-Mogi-Page-Cache") == "hit"

    for path in paths:
        first, hit = visit(path)
        assert not hit and "Compra de merenda escolar" in first
        second, hit = visit(path)
        assert hit and second == first
    helpers.call_action("package_patch", context={"user": sysadmin["name"]},
                        id=dataset["id"], private=True)
    search, hit = visit(paths[0])
    assert not hit and "merenda" not in search
    page, hit = visit(paths[1], 404)
    assert not hit and "merenda" not in page
