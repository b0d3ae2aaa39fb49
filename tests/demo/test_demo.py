"""``ckan mogi demo load``: the demo catalogue, as a visitor and an admin see it.

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

import ckan.plugins as plugins
import ckan.plugins.toolkit as tk
import pytest
from ckan.cli.cli import ckan
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from ckanext.mogi.demo import tables
from ckanext.mogi.demo.loader import LoadSummary, load_demo, resolve_source

SOURCE = resolve_source()  # test.ini: ckanext.mogi.demo.source_dir
THEMES_DIR = SOURCE.parent / "standards" / "dcat-br" / "vocabularies" / "themes"
DATE = re.compile(r"^\d{2}/\d{2}/\d{4}$")


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


def _dcat_br_labels() -> dict[str, str]:
    """Theme identifier -> pt-BR label, read straight from the vocabulary."""
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


@pytest.fixture(scope="module")
def catalogue(reset_db, migrate_db_for) -> LoadSummary:
    """The demo catalogue loaded once, on a clean database, for this module.

    ``with_plugins`` is function-scoped, so the plugins of test.ini are loaded
    here for the duration of the load.
    """
    plugins.load_all()
    try:
        reset_db()
        migrate_db_for("mogi_search")
        return load_demo(SOURCE)
    finally:
        plugins.unload_all()


def test_organizations_are_the_city_bodies(catalogue: LoadSummary) -> None:
    organizations = _groups("organization")
    titles = {o["name"]: o["title"] for o in organizations}

    assert catalogue.organizations == len(organizations) >= 10
    assert titles["secretaria-de-saude"] == "Secretaria de Saúde"
    assert titles["secretaria-de-gestao-e-contratacoes-publicas"] == (
        "Secretaria de Gestão e Contratações Públicas"
    )
    assert "Serviço Municipal de Águas e Esgotos" in titles["semae"]
    assert "Instituto de Previdência Municipal" in titles["iprem"]
    assert all(o["description"] for o in organizations)


def test_themes_are_the_26_dcat_br_themes(catalogue: LoadSummary) -> None:
    groups = _groups("group")
    labels = _dcat_br_labels()

    assert catalogue.themes == len(groups) == len(labels) == 26
    assert {g["name"]: g["title"] for g in groups} == labels
    assert "Economia e Finanças" in labels.values()
    assert all(g["description"] for g in groups)


def test_datasets_are_described_and_classified(catalogue: LoadSummary) -> None:
    datasets = _all_datasets()
    by_title = {d["title"]: d for d in datasets}
    private = [d for d in datasets if d["private"]]

    assert catalogue.datasets == len(datasets) >= 25
    assert catalogue.private_datasets == len(private) >= 4
    for title in ("Licitações 2022", "Licitações 2018"):
        dataset = by_title[title]
        assert dataset["organization"]["name"] == "secretaria-de-gestao-e-contratacoes-publicas"
        assert "Economia e Finanças" in {g["title"] for g in dataset["groups"]}
    assert by_title["Unidades Básicas de Saúde"]["organization"]["name"] == "secretaria-de-saude"
    assert by_title["Escolas municipais"]["organization"]["name"] == "secretaria-de-educacao"
    assert by_title["Qualidade da água distribuída"]["organization"]["name"] == "semae"
    assert by_title["Benefícios previdenciários"]["organization"]["name"] == "iprem"
    assert sum("Licitações" in t for t in by_title) >= 2
    assert sum("saúde" in t.lower() for t in by_title) >= 2
    for dataset in datasets:
        assert dataset["organization"], dataset["name"]
        assert dataset["groups"], dataset["name"]
        assert dataset["tags"], dataset["name"]
        assert dataset["license_id"] and dataset["notes"], dataset["name"]
        assert dataset["maintainer"] and "@" in dataset["maintainer_email"], dataset["name"]


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
    (resource,) = [r for r in dataset["resources"] if r["format"] == "CSV"]
    response = app.get(urlparse(resource["url"]).path)
    assert response.status_code == 200
    text = response.get_data().decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))

    assert len(rows) == 431
    assert "Pregão Eletrônico" in text and "CONCLUÍDA" in text
    assert {row["orgao"] for row in rows} == {"PMMC", "SEMAE", "IPREM"}
    assert all(DATE.match(row["data_abertura"]) for row in rows)


def test_loading_again_changes_nothing(catalogue: LoadSummary, cli) -> None:
    before = _counts()

    result = cli.invoke(ckan, ["mogi", "demo", "load", "--source", str(SOURCE)])

    assert result.exit_code == 0, result.output
    assert (
        f"Conjuntos de dados: {catalogue.datasets} ({catalogue.private_datasets} privados)"
        in result.output
    )
    assert "Criados: 0 · Atualizados: 0" in result.output
    assert "Arquivos enviados: 0" in result.output
    assert _counts() == before


def test_missing_source_is_a_clear_error(cli, tmp_path: Path) -> None:
    missing = tmp_path / "nao-existe"

    result = cli.invoke(ckan, ["mogi", "demo", "load", "--source", str(missing)])

    assert result.exit_code == 1
    assert "pasta de dados de demonstração não encontrada" in result.output
    assert str(missing) in result.output
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
