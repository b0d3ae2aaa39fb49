"""The DCAT-BR quality seal: its rules, the API, the search facet and the dataset page."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from ckan.tests import factories, helpers
from sample_data import DATASET, as_site

from ckanext.mogi.dcat import seal

# --------------------------------------------------------------------- rules

#: A shown dataset (``package_show``'s shape) meeting every criterion.
GOLD: dict[str, Any] = {
    "type": "dataset",
    "title": "Atendimentos nas Unidades Básicas de Saúde 2022",
    "notes": "Atendimentos mensais por UBS.",
    "version": "1.2",
    "owner_org": "0f2c6b1e-0000-4000-8000-000000000001",
    "organization": {"id": "0f2c6b1e-0000-4000-8000-000000000001", "name": "saude"},
    "temas": ["saude"],
    "tags": [{"name": "saúde"}, {"name": "atendimentos"}],
    "license_id": "cc-by",
    "periodicidade": "MENSAL",
    "observancia_legal": ["1"],
    "maintainer": "Departamento de Atenção Básica",
    "maintainer_email": "atencao.basica@mogidascruzes.sp.gov.br",
    "cobertura_espacial": "MUNICIPAL",
    "valor_cobertura_espacial": "3530607",
    "cobertura_temporal_inicio": "2022-01-01",
    "cobertura_temporal_fim": "2022-12-31",
    "granularidade_espacial": "MUNICIPAL",
    "resources": [
        {"url": "https://x/a.csv", "format": "CSV", "mimetype": None},
        {"url": "https://x/b.bin", "format": "Shapefile", "mimetype": "application/zip"},
    ],
}
BRONZE_IDS = [c.id for c in seal.LEVELS[0].criteria]


def shown(**changes: Any) -> dict[str, Any]:
    pkg = copy.deepcopy(GOLD)
    pkg.update(changes)
    return pkg


def test_complete_dataset_is_gold_with_nothing_missing():
    assert seal.evaluate(GOLD) == {"nivel": "ouro", "proximo_nivel": None, "faltando": []}


def test_without_spatial_resolution_it_is_silver():
    assert seal.evaluate(shown(granularidade_espacial="")) == {
        "nivel": "prata", "proximo_nivel": "ouro", "faltando": ["granularidade_espacial"]}


@pytest.mark.parametrize(("changes", "missing"), [
    ({"cobertura_temporal_inicio": None, "cobertura_temporal_fim": ""},
     ["cobertura_temporal_inicio", "cobertura_temporal_fim"]),
    ({"valor_cobertura_espacial": "  "}, ["cobertura_espacial"]),
    ({"resources": []}, ["formato_distribuicao", "tipo_midia_distribuicao"]),
    ({"resources": [{"format": "", "mimetype": None}]},
     ["formato_distribuicao", "tipo_midia_distribuicao"]),
    ({"resources": [{"format": "CSV"}, {"format": "XYZ-PROPRIETARIO"}]},
     ["tipo_midia_distribuicao"]),
])
def test_silver_criteria_missing_leave_bronze(changes, missing):
    result = seal.evaluate(shown(**changes))
    assert result == {"nivel": "bronze", "proximo_nivel": "prata", "faltando": missing}


def test_a_lowercase_or_dotted_format_of_the_vocabulary_is_a_known_media_type():
    pkg = shown(resources=[{"format": "csv"}, {"format": ".json"}])
    assert seal.evaluate(pkg)["nivel"] == "ouro"


@pytest.mark.parametrize(("changes", "missing"), [
    ({"version": ""}, ["versao"]),
    ({"periodicidade": None}, ["periodicidade"]),
    ({"observancia_legal": []}, ["direitos_acesso"]),
    ({"maintainer": ""}, ["area_responsavel"]),
    ({"notes": None}, ["descricao"]),
    ({"tags": []}, ["palavras_chave"]),
    ({"license_id": ""}, ["licenca"]),
    ({"temas": "[]"}, ["tema"]),
    ({"title": ""}, ["titulo"]),
    ({"owner_org": None, "organization": None}, ["publicador"]),
    ({"maintainer_email": "", "version": None, "granularidade_espacial": None},
     ["contato", "versao"]),
])
def test_bronze_criteria_missing_give_no_seal_and_list_only_bronze(changes, missing):
    result = seal.evaluate(shown(**changes))
    assert result == {"nivel": "nenhum", "proximo_nivel": "bronze", "faltando": missing}


def test_contact_point_or_tag_string_also_count():
    pkg = shown(maintainer_email="", ponto_contato="Ouvidoria", tags=None, tag_string="saúde")
    assert seal.evaluate(pkg)["nivel"] == "ouro"


def test_empty_dataset_misses_every_bronze_criterion_in_table_order():
    assert seal.evaluate({}) == {"nivel": "nenhum", "proximo_nivel": "bronze",
                                 "faltando": BRONZE_IDS}


def test_every_criterion_has_a_label_and_a_unique_id():
    ids = [c.id for level in seal.LEVELS for c in level.criteria]
    assert len(ids) == len(set(ids)) == 17
    assert all(seal.criterion_label(i) != i for i in ids)
    assert [seal.level_label(i) for i in seal.LEVEL_IDS] == ["No seal", "Bronze", "Silver",
                                                             "Gold"]


# ----------------------------------------------------------- CKAN, end to end

API = "/api/3/action/"


@pytest.fixture
def catalogue() -> dict[str, str]:
    """Three public datasets: gold, bronze (no distribution), none (no version)."""
    org = factories.Organization(name="secretaria-de-saude")

    def create(name: str, resources: list[dict[str, Any]], **changes: Any) -> None:
        data = {**DATASET, "name": name, "owner_org": org["id"], **changes}
        helpers.call_action("package_create", context=as_site(), resources=resources,
                            **{k: v for k, v in data.items() if v is not None})

    create("ubs-ouro", [{"url": "https://dados.mogi/ubs.csv", "format": "CSV"}])
    create("ubs-bronze", [], cobertura_temporal_fim=None)
    create("ubs-nenhum", [{"url": "https://dados.mogi/ubs.json", "format": "JSON"}],
           version=None)
    return {"ouro": "ubs-ouro", "bronze": "ubs-bronze", "nenhum": "ubs-nenhum"}


def api(app, action: str, **params: Any) -> Any:
    return app.get(API + action, query_string=params, status=200).json["result"]


@pytest.mark.usefixtures("clean_db")
# The seal is about metadata: the tables are never validated here, so the
# validation's blocking mode would keep the datasets from being public.
@pytest.mark.ckan_config("ckanext.mogi.validation.blocking", "false")
class TestCkan:
    def test_package_show_and_search_carry_the_seal(self, app, catalogue):
        assert api(app, "package_show", id="ubs-ouro")["selo_dcat_br"] == {
            "nivel": "ouro", "proximo_nivel": None, "faltando": []}
        assert api(app, "package_show", id="ubs-bronze")["selo_dcat_br"] == {
            "nivel": "bronze", "proximo_nivel": "prata",
            "faltando": ["cobertura_temporal_fim", "formato_distribuicao",
                         "tipo_midia_distribuicao"]}
        found = {r["name"]: r["selo_dcat_br"]["nivel"]
                 for r in api(app, "package_search", q="*:*")["results"]}
        assert found == {"ubs-ouro": "ouro", "ubs-bronze": "bronze", "ubs-nenhum": "nenhum"}

    def test_seal_follows_updates_and_round_trips(self, app, catalogue):
        helpers.call_action("package_patch", context=as_site(), id="ubs-nenhum", version="2.0")
        assert helpers.call_action("package_show", id="ubs-nenhum")["selo_dcat_br"][
            "nivel"] == "ouro"
        # The shown dict, seal included, goes back through package_update.
        pkg = helpers.call_action("package_show", id="ubs-bronze")
        pkg["resources"] = [{"url": "https://dados.mogi/b.csv", "format": "CSV"}]
        pkg["cobertura_temporal_fim"] = "31/12/2022"
        helpers.call_action("package_update", context=as_site(), **pkg)
        result = helpers.call_action("package_search", fq="selo_dcat_br:ouro", rows=10)
        assert sorted(r["name"] for r in result["results"]) == [
            "ubs-bronze", "ubs-nenhum", "ubs-ouro"]

    def test_facet_counts_in_portuguese_and_filter(self, app, catalogue):
        result = api(app, "package_search", q="*:*",
                     **{"facet.field": '["selo_dcat_br"]'})
        items = {i["name"]: (i["display_name"], i["count"])
                 for i in result["search_facets"]["selo_dcat_br"]["items"]}
        assert items == {"ouro": ("Ouro", 1), "bronze": ("Bronze", 1),
                         "nenhum": ("Sem selo", 1)}
        only_gold = api(app, "package_search", fq="selo_dcat_br:ouro")
        assert [r["name"] for r in only_gold["results"]] == ["ubs-ouro"]

    def test_search_page_has_the_facet_and_filters_by_it(self, app, catalogue):
        body = app.get("/dataset/", status=200).body
        assert "Selo DCAT-BR" in body
        assert re.search(r'href="[^"]*selo_dcat_br=ouro[^"]*"', body)
        labels = re.sub(r"<[^>]+>|\s+", " ", body)
        assert "Ouro" in labels and "Sem selo" in labels
        filtered = app.get("/dataset/", query_string={"selo_dcat_br": "ouro"}, status=200).body
        assert "/dataset/ubs-ouro" in filtered
        assert "/dataset/ubs-bronze" not in filtered and "/dataset/ubs-nenhum" not in filtered

    def test_dataset_page_shows_badge_and_what_is_missing_in_portuguese(self, app, catalogue):
        def badge(name: str) -> str:
            body = app.get(f"/dataset/{name}", status=200).body
            section = re.search(r'<section class="mogi-selo-dcat-br.*?</section>', body, re.S)
            assert section, name
            return re.sub(r"<[^>]+>|\s+", " ", section.group(0)).strip()

        bronze = badge("ubs-bronze")
        assert "Selo DCAT-BR: Bronze" in bronze
        assert "Falta para o selo Prata:" in bronze
        for label in ("Fim da cobertura temporal", "Formato de todas as distribuições",
                      "Tipo de mídia conhecido de todas as distribuições"):
            assert label in bronze
        nenhum = badge("ubs-nenhum")
        assert "Selo DCAT-BR: Sem selo" in nenhum
        assert "Falta para o selo Bronze:" in nenhum and "Versão" in nenhum
        gold = badge("ubs-ouro")
        assert "Selo DCAT-BR: Ouro" in gold and "Falta" not in gold
