"""``ckan mogi dcat validate`` and :mod:`ckanext.mogi.dcat.shacl` on the demo catalogue.

Acceptance: every public demo dataset has 0 DCAT-BR violations; the demo
datasets that fill every field have no ``shapes_recommended.ttl`` warning.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ckan.plugins as plugins
import pytest
from ckan.cli.cli import ckan
from ckanext.scheming.helpers import scheming_get_dataset_schema
from rdflib import Graph
from rdflib.namespace import DCAT, DCTERMS, SH

from ckanext.mogi.dcat import shacl
from ckanext.mogi.dcat.cli import public_datasets
from ckanext.mogi.demo import catalogue as demo_files
from ckanext.mogi.demo.loader import LoadSummary

#: The demo datasets (test.ini: ckanext.mogi.demo.catalogue_dir).
DEMO_DATASETS = demo_files.read(demo_files.resolve_folder()).datasets
#: Dataset fields filled only when they apply (as in tests/demo/test_demo.py).
CONDITIONAL_FIELDS = {
    "granularidade_municipal", "base_legal_lgpd", "anonimizacao", "ods",
    "data_descontinuacao", "proxima_atualizacao",
}

@pytest.fixture(scope="module")
def catalogue(load_demo_catalogue) -> LoadSummary:
    return load_demo_catalogue()


@pytest.fixture(scope="module")
def standards() -> shacl.Standards:
    return shacl.Standards(shacl.resolve_standards())


@pytest.fixture(scope="module")
def datasets(catalogue: LoadSummary) -> dict[str, dict[str, Any]]:
    plugins.load_all()
    try:
        return {d["name"]: d for d in public_datasets()}
    finally:
        plugins.unload_all()


@pytest.fixture(scope="module")
def graphs(datasets: dict[str, dict[str, Any]]) -> dict[str, Graph]:
    plugins.load_all()
    try:
        return {name: shacl.dataset_graph(d) for name, d in datasets.items()}
    finally:
        plugins.unload_all()


@pytest.fixture(scope="module")
def reports(graphs: dict[str, Graph], standards: shacl.Standards) -> dict[str, shacl.DatasetReport]:
    return {r.name: r for r in shacl.validate_datasets(graphs, standards)}


def _filled(value: Any) -> bool:
    return value not in (None, "", [], {})


def fills_every_field(dataset: dict[str, Any]) -> bool:
    """Every field of the dataset form (conditional ones apart), and every
    resource a file with its size (a link to a page has none)."""
    plugins.load_all()
    try:
        schema = scheming_get_dataset_schema("dataset")
    finally:
        plugins.unload_all()
    fields = {f["field_name"] for f in schema["dataset_fields"]} - CONDITIONAL_FIELDS
    fields = {"tags" if f == "tag_string" else f for f in fields}
    return (
        all(_filled(dataset.get(f)) for f in fields)
        and bool(dataset["resources"])
        and all(_filled(r.get("size")) for r in dataset["resources"])
    )


def test_every_public_dataset_is_validated(datasets, reports):
    public = {d["name"] for d in DEMO_DATASETS if not d["private"]}
    assert set(datasets) == public
    assert set(reports) == public


def test_no_violation(reports: dict[str, shacl.DatasetReport]):
    failing = {name: r.lines() for name, r in reports.items() if r.violations}
    assert not failing, failing


def test_datasets_filling_every_field_have_no_warning(datasets, reports):
    full = sorted(name for name, d in datasets.items() if fills_every_field(d))
    partial = set(datasets) - set(full)
    assert len(full) >= 10, full
    assert partial, "some demo datasets link to pages, without a byte size"
    for name in full:
        assert not reports[name].warnings, (name, reports[name].lines())
        assert not reports[name].violations, (name, reports[name].lines())
    # The other datasets only miss the byte size of their links.
    for name in partial:
        remaining = {(f.path, f.focus_class) for f in reports[name].warnings}
        assert remaining == {("dcat:byteSize", "dcat:Distribution")}, reports[name].lines()


def test_recommended_shapes_catch_a_missing_property(graphs, standards):
    """Negative control: dropping dct:spatial gives one more recommended warning."""
    name = next(iter(graphs))
    broken = Graph()
    broken += graphs[name]
    dataset = next(broken.subjects(predicate=None, object=DCAT.Dataset))
    broken.remove((dataset, DCTERMS.spatial, None))
    (report,) = shacl.validate_datasets({name: broken}, standards)
    spatial = [f for f in report.warnings if f.path == "dct:spatial"]
    assert len(spatial) == 1
    assert spatial[0].focus_class == "dcat:Dataset"
    assert spatial[0].describe() == "dct:spatial (cobertura espacial) ausente (recomendado)"
    assert not report.violations


def test_mandatory_shapes_report_violations_per_dataset(graphs, standards):
    first, second = list(graphs)[:2]
    broken = Graph()
    broken += graphs[first]
    dataset = next(broken.subjects(predicate=None, object=DCAT.Dataset))
    broken.remove((dataset, DCTERMS.accessRights, None))
    reports = shacl.validate_datasets({first: broken, second: graphs[second]}, standards)
    assert [r.name for r in reports] == [first, second]
    (violation,) = reports[0].violations
    assert violation.severity == SH.Violation
    assert violation.path == "dct:accessRights"
    assert not reports[1].violations
    head = reports[0].lines()[0]
    assert head.startswith(f"{first}: 1 violação, ")
    assert "dct:accessRights (direitos de acesso) ausente" in "\n".join(reports[0].lines())
    assert shacl.summary(reports).startswith(
        "Resumo: 2 conjuntos de dados validados contra o DCAT-BR 1.0; 1 violação, ")


def test_line_format():
    report = shacl.DatasetReport("licitacoes-2022", [shacl.Finding(
        severity=SH.Warning, path="dct:spatial", constraint=SH.MinCountConstraintComponent,
        focus="x", focus_class="dcat:Dataset", message="")])
    assert report.lines() == [
        "licitacoes-2022: 0 violações, 1 aviso — dct:spatial (cobertura espacial) "
        "ausente (recomendado)"]


def test_missing_standards_folder(tmp_path: Path):
    with pytest.raises(shacl.StandardsError, match="pasta de padrões"):
        shacl.Standards(tmp_path / "nao-existe")
    with pytest.raises(shacl.StandardsError, match="shapes_recommended.ttl"):
        shacl.Standards(tmp_path)


def test_cli_on_the_demo(catalogue: LoadSummary, cli, reports):
    result = cli.invoke(ckan, ["mogi", "dcat", "validate"])

    assert result.exit_code == 0, result.output
    public = [d["name"] for d in DEMO_DATASETS if not d["private"]]
    for name in public:
        assert f"{name}: 0 violações, " in result.output
    assert "dcat:byteSize (tamanho em bytes) ausente em dcat:Distribution (recomendado)" \
        in result.output
    assert "dcat:centroid" not in result.output
    warnings = sum(len(r.warnings) for r in reports.values())
    assert (f"Resumo: {len(public)} conjuntos de dados validados contra o DCAT-BR 1.0; "
            f"0 violações, {warnings} avisos; 0 com violações.") in result.output
    private = next(d["name"] for d in DEMO_DATASETS if d["private"])
    assert f"{private}:" not in result.output


def test_cli_one_dataset(catalogue: LoadSummary, cli):
    result = cli.invoke(ckan, ["mogi", "dcat", "validate", "--dataset", "licitacoes-2022"])

    assert result.exit_code == 0, result.output
    assert result.output.startswith("licitacoes-2022: 0 violações, ")
    assert "Resumo: 1 conjunto de dados validado contra" in result.output


def test_cli_private_dataset_is_refused(catalogue: LoadSummary, cli):
    private = next(d["name"] for d in DEMO_DATASETS if d["private"])

    result = cli.invoke(ckan, ["mogi", "dcat", "validate", "--dataset", private])

    assert result.exit_code == 2
    assert f"conjunto de dados público não encontrado: {private}" in result.output
    assert "Traceback" not in result.output


def test_cli_missing_standards(cli, tmp_path: Path):
    missing = tmp_path / "nao-existe"

    result = cli.invoke(ckan, ["mogi", "dcat", "validate", "--standards", str(missing)])

    assert result.exit_code == 2
    assert "Erro: pasta de padrões (standards) não encontrada" in result.output
    assert str(missing) in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)
