"""``ckan mogi demo load``: the demo catalogue, as a visitor, an admin and the
federal harvester see it.

Loading takes a few seconds, so the catalogue is loaded once for the module
(the ``catalogue`` fixture) on a clean database; every test then only reads
it, and the test that loads it a second time checks that nothing changes.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import ckan.plugins.toolkit as tk
import pytest
from ckan.cli.cli import ckan
from ckanext.scheming.helpers import scheming_get_dataset_schema, scheming_get_organization_schema
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from ckanext.mogi.common import vocabularies
from ckanext.mogi.demo import catalogue as demo_files
from ckanext.mogi.demo import tables
from ckanext.mogi.demo.loader import LoadSummary, load_demo, resolve_source
from ckanext.mogi.schema.validators import is_valid_cnpj

SOURCE = resolve_source()  # test.ini: ckanext.mogi.demo.source_dir
# test.ini: ckanext.mogi.demo.catalogue_dir (the repository's demo/ folder)
CATALOGUE = demo_files.read(demo_files.resolve_folder())
THEMES_DIR = SOURCE.parent / "standards" / "dcat-br" / "vocabularies" / "themes"
DATE = re.compile(r"^\d{2}/\d{2}/\d{4}$")
PREFEITURA_CNPJ = "46523270000188"
MAIL_DOMAIN = "@mogidascruzes.sp.gov.br"

# The keys the federal CKAN harvester reads (CGU guide "guia-ckan").
CGU_DATES = ("coberturaTemporalInicio", "coberturaTemporalFim", "dataDescontinuacao")
CGU_BOOLEANS = (
    "atualizacaoVersao", "descontinuado", "dadosAbertos", "relacaoOds",
    "dadosRacaEtnia", "dadosGenero",
)
CGU_KEYS = {
    "periodicidade", "coberturaEspacial", "valorCoberturaEspacial",
    "granularidadeEspacial", "observanciaLegal", "ods", *CGU_DATES, *CGU_BOOLEANS,
}

# Dataset fields filled only when they apply (all the others: on every dataset).
CONDITIONAL_FIELDS = {
    "granularidade_municipal",  # data more detailed than the municipality
    "base_legal_lgpd",  # personal data
    "anonimizacao",  # anonymised personal data
    "ods",  # related to the SDGs
    "data_descontinuacao",  # discontinued
}
DERIVED_FIELDS = {"proxima_atualizacao"}  # computed by the plugin, never typed


def _action(name: str, user: str | None = None, **data: Any) -> Any:
    """Call an action as ``user`` (anonymous by default), checking auth."""
    return tk.get_action(name)({"user": user or "", "ignore_auth": False}, data)


def _sysadmin() -> str:
    return tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]


def _all_datasets() -> list[dict[str, Any]]:
    result = _action(
        "package_search", _sysadmin(), q="*:*", rows=1000, include_private=True
    )
    return result["results"]


def _shown(user: str | None = None) -> list[dict[str, Any]]:
    """``package_show`` of every demo dataset ``user`` may see."""
    names = [d["name"] for d in CATALOGUE.datasets]
    if user is None:
        names = [d["name"] for d in CATALOGUE.datasets if not d["private"]]
    return [_action("package_show", user, id=name) for name in names]


def _extras(dataset: dict[str, Any]) -> dict[str, str]:
    return {e["key"]: e["value"] for e in dataset.get("extras") or []}


def _dcat_br_labels() -> dict[str, str]:
    """Theme identifier -> pt-BR label, read straight from the vocabulary files."""
    labels = {}
    with (THEMES_DIR / "themes.csv").open(encoding="utf-8") as handle:
        for uri, identifier in csv.reader(handle):
            graph = Graph().parse(THEMES_DIR / f"{identifier}.ttl", format="turtle")
            (label,) = [
                o for o in graph.objects(URIRef(uri), SKOS.prefLabel)
                if o.language and o.language.lower() == "pt-br"
            ]
            labels[identifier] = str(label)
    return labels


def _groups(kind: str) -> list[dict[str, Any]]:
    """Every organization or group (``*_list`` caps ``all_fields`` at 25)."""
    names = _action(f"{kind}_list", all_fields=False)
    return [_action(f"{kind}_show", id=name, include_datasets=False) for name in names]


def _counts() -> dict[str, int]:
    datasets = _all_datasets()
    return {
        "organizations": len(_action("organization_list", all_fields=False)),
        "groups": len(_action("group_list", all_fields=False)),
        "datasets": len(datasets),
        "resources": sum(len(d["resources"]) for d in datasets),
    }


def _filled(value: Any) -> bool:
    return value not in (None, "", [], {})


@pytest.fixture(scope="module")
def catalogue(load_demo_catalogue) -> LoadSummary:
    return load_demo_catalogue()


def test_every_demo_dataset_is_created(catalogue: LoadSummary) -> None:
    expected = len(CATALOGUE.datasets)
    private = sum(d["private"] for d in CATALOGUE.datasets)

    assert catalogue.datasets == len(_all_datasets()) == expected >= 30
    assert catalogue.private_datasets == private >= 4
    assert catalogue.created == expected + catalogue.organizations + catalogue.themes
    assert catalogue.updated == catalogue.unchanged == 0


def test_organizations_fill_the_schema(catalogue: LoadSummary) -> None:
    organizations = {o["name"]: o for o in _groups("organization")}
    fields = [
        f["field_name"] for f in scheming_get_organization_schema("organization")["fields"]
        # lembretes_dias_antes: blank follows the site's setting
        if f["field_name"] not in ("image_url", "lembretes_dias_antes")
    ]

    assert catalogue.organizations == len(organizations) == 13
    assert organizations["secretaria-de-saude"]["title"] == "Secretaria de Saúde"
    assert organizations["secretaria-de-gestao-e-contratacoes-publicas"]["title"] == (
        "Secretaria de Gestão e Contratações Públicas"
    )
    assert "Serviço Municipal de Águas e Esgotos" in organizations["semae"]["title"]
    assert "Instituto de Previdência Municipal" in organizations["iprem"]["title"]
    for name, organization in organizations.items():
        autarchy = name in ("semae", "iprem")
        assert organization["tipo"] == ("autarquia" if autarchy else "secretaria"), name
        for field in fields:
            if autarchy and field in ("cnpj", "endereco", "telefone"):
                continue  # the autarchies' own CNPJ and address are not known
            assert _filled(organization.get(field)), (name, field)
        if organization.get("cnpj"):
            assert is_valid_cnpj(organization["cnpj"]), name
        if not autarchy:
            assert organization["cnpj"] == PREFEITURA_CNPJ, name
            assert organization["email"].endswith(MAIL_DOMAIN), name
        assert organization["site"].startswith("https://"), name
        assert organization["sigla"].isupper(), name


def test_themes_are_the_26_dcat_br_themes(catalogue: LoadSummary) -> None:
    groups = _groups("group")
    labels = _dcat_br_labels()

    assert catalogue.themes == len(groups) == len(labels) == 26
    assert {g["name"]: g["title"] for g in groups} == labels
    assert "Economia e Finanças" in labels.values()
    for group in groups:
        assert group["description"], group["name"]
        assert _extras(group)["uri"] == (
            f"https://dcat-br.github.io/dcat-br/docs/vocabularies/themes/{group['name']}"
        )


def test_every_dataset_fills_the_schema(catalogue: LoadSummary) -> None:
    fields = {f["field_name"] for f in scheming_get_dataset_schema("dataset")["dataset_fields"]}
    always = fields - CONDITIONAL_FIELDS - DERIVED_FIELDS - {"tag_string"}
    datasets = _shown(_sysadmin())

    for dataset in datasets:
        name = dataset["name"]
        for field in always:
            assert _filled(dataset.get(field)), (name, field)
        assert dataset["tags"], name
        assert dataset["maintainer_email"].endswith(MAIL_DOMAIN), name
        assert dataset["documentacao"].startswith("https://"), name
        assert (dataset["relacao_ods"] == "true") == _filled(dataset.get("ods")), name
        assert (dataset["descontinuado"] == "true") == _filled(
            dataset.get("data_descontinuacao")), name
        personal = dataset["dados_pessoais"] != "nao"
        assert personal == _filled(dataset.get("base_legal_lgpd")), name
        assert (dataset["dados_pessoais"] == "sim_anonimizados") == _filled(
            dataset.get("anonimizacao")), name
        # Themes are chosen in ``temas``; the plugin made them group memberships.
        assert sorted(g["name"] for g in dataset["groups"]) == sorted(dataset["temas"]), name
        for resource in dataset["resources"]:
            assert resource["tipo_recurso"] and resource["idioma"] == "pt-BR", name
    for field in CONDITIONAL_FIELDS:
        assert any(_filled(d.get(field)) for d in datasets), field
    kinds = {r["tipo_recurso"] for d in datasets for r in d["resources"]}
    assert {"DADOS", "DOCUMENTACAO", "DICIONARIO_DE_DADOS"} <= kinds
    assert all(
        r["tipo_recurso"] == "DOCUMENTACAO"
        for d in datasets for r in d["resources"] if r["format"] == "HTML"
    )


def test_values_are_realistic_per_dataset(catalogue: LoadSummary) -> None:
    by_name = {d["name"]: d for d in _shown(_sysadmin())}

    tenders = by_name["licitacoes-2022"]
    assert tenders["organization"]["name"] == "secretaria-de-gestao-e-contratacoes-publicas"
    assert "Economia e Finanças" in {g["title"] for g in tenders["groups"]}
    assert tenders["periodicidade"] == "MENSAL"
    assert (tenders["cobertura_temporal_inicio"], tenders["cobertura_temporal_fim"]) == (
        "2022-01-01", "2022-12-31")
    assert tenders["maintainer"] == "Departamento de Compras e Licitações"
    assert by_name["escolas-municipais"]["periodicidade"] == "ANUAL"
    assert by_name["qualidade-da-agua-distribuida"]["periodicidade"] == "DIARIA"
    assert len({d["periodicidade"] for d in by_name.values()}) >= 6

    def spatial(name: str) -> tuple[str, str]:
        return (by_name[name]["cobertura_espacial"], by_name[name]["valor_cobertura_espacial"])

    assert spatial("licitacoes-2022") == ("MUNICIPAL", "3530607")
    assert spatial("equipamentos-esportivos") == ("MUNICIPAL", "3106200")  # Belo Horizonte
    assert spatial("escolas-municipais") == ("MUNICIPAL", "3549904")  # São José dos Campos
    assert spatial("compras-emergenciais-covid-19") == ("ESTADUAL", "MG")
    assert spatial("despesas-empenhadas") == ("FEDERAL", "BR")
    assert spatial("casos-de-tuberculose-sinan") == ("FEDERAL", "BR")
    municipal = [d for d in by_name.values() if d["cobertura_espacial"] == "MUNICIPAL"]
    assert sum(d["valor_cobertura_espacial"] == "3530607" for d in municipal) >= 20

    assert "3" in by_name["unidades-basicas-de-saude"]["ods"]
    assert "4" in by_name["escolas-municipais"]["ods"]
    assert "6" in by_name["qualidade-da-agua-distribuida"]["ods"]

    for dataset in by_name.values():
        restricted = dataset["observancia_legal"] != ["1"]
        assert dataset["private"] == (restricted or dataset["dados_pessoais"] == "sim")
        if dataset["private"]:
            assert restricted and dataset["dados_pessoais"] == "sim", dataset["name"]
        assert vocabularies.contains("licencas", dataset["license_id"]), dataset["name"]
    anonymised = [d for d in by_name.values() if d["dados_pessoais"] == "sim_anonimizados"]
    assert anonymised and not any(d["private"] for d in anonymised)
    discontinued = [d for d in by_name.values() if d["descontinuado"] == "true"]
    assert [d["name"] for d in discontinued] == ["compras-emergenciais-covid-19"]
    assert discontinued[0]["data_descontinuacao"] == "2022-05-22"
    assert any(d["atualizacao_versao"] == "true" for d in by_name.values())


def test_public_datasets_carry_the_federal_extras(catalogue: LoadSummary) -> None:
    public = _shown()

    assert len(public) == sum(not d["private"] for d in CATALOGUE.datasets)
    for dataset in public:
        name, extras = dataset["name"], _extras(dataset)
        assert set(extras) >= CGU_KEYS, (name, CGU_KEYS - set(extras))
        assert vocabularies.contains("periodicidade", extras["periodicidade"]), name
        assert DATE.match(extras["coberturaTemporalInicio"]), name
        assert DATE.match(extras["coberturaTemporalFim"]), name
        if extras["descontinuado"] == "true":
            assert DATE.match(extras["dataDescontinuacao"]), name
        else:
            assert extras["dataDescontinuacao"] == "", name
        for key in CGU_BOOLEANS:
            assert extras[key] in ("true", "false"), (name, key)
        assert extras["dadosAbertos"] == "true", name
        assert extras["observanciaLegal"] == "1", name
        coverage, value = extras["coberturaEspacial"], extras["valorCoberturaEspacial"]
        assert coverage in ("MUNICIPAL", "ESTADUAL", "FEDERAL"), name
        assert extras["granularidadeEspacial"] in ("MUNICIPAL", "ESTADUAL", "FEDERAL"), name
        if coverage == "MUNICIPAL":
            assert re.fullmatch(r"\d{6}", value), (name, value)
        elif coverage == "ESTADUAL":
            assert vocabularies.contains("uf", value), (name, value)
        else:
            assert value == "BR", name
        if extras["relacaoOds"] == "true":
            assert all(1 <= int(goal) <= 17 for goal in extras["ods"].split(",")), name
        else:
            assert extras["ods"] == "", name

    tenders = _extras(next(d for d in public if d["name"] == "licitacoes-2022"))
    assert (tenders["coberturaTemporalInicio"], tenders["coberturaTemporalFim"]) == (
        "01/01/2022", "31/12/2022")
    assert tenders["valorCoberturaEspacial"] == "353060"


def test_private_datasets_are_hidden_from_visitors(catalogue: LoadSummary, app) -> None:
    datasets = _all_datasets()
    private = {d["name"] for d in datasets if d["private"]}
    public = {d["name"] for d in datasets} - private

    found = _action("package_search", q="*:*", rows=1000, include_private=True)
    assert {d["name"] for d in found["results"]} == public

    api = app.get("/api/3/action/package_search?q=&rows=1000").json["result"]
    assert api["count"] == len(public)
    assert not private & {d["name"] for d in api["results"]}

    for name in private:
        assert app.get(f"/dataset/{name}").status_code in (403, 404)
        with pytest.raises(tk.NotAuthorized):
            _action("package_show", id=name)


def test_every_public_dataset_page_opens(catalogue: LoadSummary, app) -> None:
    public = [d for d in _all_datasets() if not d["private"]]

    for dataset in public:
        response = app.get(f"/dataset/{dataset['name']}")
        assert response.status_code == 200, dataset["name"]
        assert dataset["title"] in response.get_data(as_text=True), dataset["name"]


def test_csv_uploads_can_be_filtered_and_downloaded(catalogue: LoadSummary, app) -> None:
    with_csv_upload = [
        d for d in _all_datasets()
        if any(r["format"] == "CSV" and r["url_type"] == "upload" for r in d["resources"])
    ]
    assert len(with_csv_upload) >= 12
    filtered = _action("package_search", fq="res_format:CSV", rows=1000)
    assert filtered["count"] >= 12

    dataset = _action("package_show", id="licitacoes-2022")
    (resource,) = [
        r for r in dataset["resources"] if r["format"] == "CSV" and r["tipo_recurso"] == "DADOS"
    ]
    response = app.get(urlparse(resource["url"]).path)
    assert response.status_code == 200
    text = response.get_data().decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))

    assert len(rows) == 431
    assert "Pregão Eletrônico" in text and "CONCLUÍDA" in text
    assert {row["orgao"] for row in rows} == {"PMMC", "SEMAE", "IPREM"}
    assert all(DATE.match(row["data_abertura"]) for row in rows)

    (dictionary,) = [
        r for r in dataset["resources"] if r["tipo_recurso"] == "DICIONARIO_DE_DADOS"
    ]
    described = list(csv.DictReader(io.StringIO(
        app.get(urlparse(dictionary["url"]).path).get_data().decode("utf-8"))))
    assert [row["coluna"] for row in described] == list(rows[0])


def test_loading_again_changes_nothing(catalogue: LoadSummary, cli) -> None:
    before = _counts()
    modified = {d["name"]: d["metadata_modified"] for d in _all_datasets()}

    result = cli.invoke(ckan, ["mogi", "demo", "load", "--source", str(SOURCE)])

    assert result.exit_code == 0, result.output
    assert (
        f"Conjuntos de dados: {catalogue.datasets} ({catalogue.private_datasets} privados)"
        in result.output
    )
    assert "Temas: 26" in result.output
    assert "Criados: 0 · Atualizados: 0" in result.output
    assert "Arquivos enviados: 0" in result.output
    assert _counts() == before
    assert {d["name"]: d["metadata_modified"] for d in _all_datasets()} == modified


def test_loading_again_restores_edited_metadata(catalogue: LoadSummary, app) -> None:
    """Edits made in the portal are put back, without uploading files again."""
    admin = _sysadmin()
    context = {"user": admin, "ignore_auth": True}
    dataset = _action("package_show", admin, id="licitacoes-2018")
    csv_resource = next(r for r in dataset["resources"] if r["format"] == "CSV")
    dataset["resources"][dataset["resources"].index(csv_resource)] = {
        **csv_resource, "description": "editada"}
    tk.get_action("package_patch")(context, {
        "id": dataset["id"], "tag_string": "licitações", "periodicidade": "ANUAL",
        "temas": ["administracao"], "resources": dataset["resources"],
    })
    tk.get_action("organization_patch")(context, {"id": "iprem", "sigla": "X"})
    tk.get_action("group_patch")(context, {"id": "saude", "description": "editada"})

    summary = load_demo(SOURCE)

    assert (summary.created, summary.updated, summary.uploads) == (0, 3, 0)
    restored = _action("package_show", admin, id="licitacoes-2018")
    assert restored["periodicidade"] == "MENSAL"
    assert sorted(g["name"] for g in restored["groups"]) == [
        "economia-e-financas", "planejamento-e-gestao"]
    assert len(restored["tags"]) == 4
    resource = next(r for r in restored["resources"] if r["id"] == csv_resource["id"])
    assert resource["description"] == csv_resource["description"]
    assert resource["url"] == csv_resource["url"]
    response = app.get(urlparse(resource["url"]).path)
    assert response.status_code == 200
    assert response.get_data().startswith(b"ano,id_licitacao,")
    assert _action("organization_show", id="iprem")["sigla"] == "IPREM"
    assert _action("group_show", id="saude")["description"] == (
        CATALOGUE.themes["saude"])


def test_missing_source_is_a_clear_error(cli, tmp_path: Path) -> None:
    missing = tmp_path / "nao-existe"

    result = cli.invoke(ckan, ["mogi", "demo", "load", "--source", str(missing)])

    assert result.exit_code == 1
    assert "pasta de dados de demonstração não encontrada" in result.output
    assert str(missing) in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


def test_missing_catalogue_is_a_clear_error(cli, tmp_path: Path) -> None:
    result = cli.invoke(ckan, ["mogi", "demo", "load", "--source", str(SOURCE),
                               "--catalogue", str(tmp_path)])

    assert result.exit_code == 1
    assert "arquivo do catálogo de demonstração não encontrado" in result.output
    assert str(tmp_path / "organizations.yaml") in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


def test_tender_dumps_are_flattened_and_cleaned() -> None:
    paths = [SOURCE / "tables" / "mogi_licitacoes_2022.json"]

    rows = list(csv.DictReader(io.StringIO(tables.tenders(paths).decode("utf-8"))))

    assert len(rows) == 431
    assert "pMMC" not in {row["orgao"] for row in rows}
    for column in ("data_abertura", "data_publicacao_inicio", "data_publicacao_fim"):
        assert all(DATE.match(row[column]) for row in rows), column
    assert not any("\n" in value for row in rows for value in row.values())


def test_theme_descriptions_cover_the_vocabulary() -> None:
    assert set(CATALOGUE.themes) == set(vocabularies.values("temas"))
