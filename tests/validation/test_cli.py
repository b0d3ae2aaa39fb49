"""``ckan mogi validation run`` and ``ckan mogi validation report``."""

from __future__ import annotations

import csv
import io
import json

import pytest
from ckan.cli.cli import ckan as ckan_cli
from ckan.tests import factories, helpers
from sample_data import BROKEN, OTHER_ORGANIZATION, UNITS, payroll

pytestmark = pytest.mark.usefixtures("clean_db")


@pytest.fixture
def catalogue(organization, new_dataset, upload_table):
    """The Secretaria de Saúde with a sound table, a broken one and a payroll,
    uploaded but never validated (no worker ran)."""
    units = new_dataset("unidades")
    upload_table(units, UNITS, "unidades.csv")
    upload_table(units, BROKEN, "quebrada.csv")
    payroll_dataset = new_dataset("folha")
    upload_table(payroll_dataset, payroll(), "folha.csv")
    new_dataset("relatorios", resources=[
        {"url": "https://example.com/relatorio.pdf", "format": "PDF", "name": "PDF"}])
    return units, payroll_dataset


def test_run_sync_for_a_dataset_then_report(cli, catalogue):
    units, _payroll = catalogue

    result = cli.invoke(ckan_cli, ["mogi", "validation", "run", "--dataset", units["name"],
                                   "--sync"])

    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "unidades / unidades.csv: válida",
        "unidades / quebrada.csv: com erros",
        "2 tabela(s): 1 com erros, 1 válida.",
    ]
    report = cli.invoke(ckan_cli, ["mogi", "validation", "report", "--format", "json"])
    assert report.exit_code == 0, report.output
    rows = json.loads(report.output)
    assert rows[0] == {
        "organizacao": "Secretaria Municipal de Saúde", "sigla": "SMS", "conjuntos": 2,
        "tabelas": 3, "validas": 1, "com_erros": 1, "erros": 0, "pendentes": 1,
        "lgpd_sinalizadas": 0, "lgpd_justificadas": 0}
    assert rows[-1]["organizacao"] == "Total"


def test_run_all_queues_for_the_worker_and_report_counts_lgpd(cli, catalogue,
                                                               validation_worker):
    _units, payroll_dataset = catalogue

    result = cli.invoke(ckan_cli, ["mogi", "validation", "run", "--all"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "3 tabela(s): 3 na fila."
    validation_worker()

    report = cli.invoke(ckan_cli, ["mogi", "validation", "report"])
    rows = list(csv.DictReader(io.StringIO(report.output)))
    assert [r["organizacao"] for r in rows] == ["Secretaria Municipal de Saúde", "Total"]
    assert {k: rows[0][k] for k in ("tabelas", "validas", "com_erros", "pendentes",
                                    "lgpd_sinalizadas")} == {
        "tabelas": "3", "validas": "2", "com_erros": "1", "pendentes": "0",
        "lgpd_sinalizadas": "1"}
    assert helpers.call_action("package_show", id=payroll_dataset["id"])["private"]


def test_run_by_organization_and_bad_selections(cli, catalogue, organization):
    other = factories.Organization(**OTHER_ORGANIZATION)

    result = cli.invoke(ckan_cli, ["mogi", "validation", "run", "--org", other["name"]])
    assert result.exit_code == 0 and result.output == "Nenhuma tabela para validar.\n"
    result = cli.invoke(ckan_cli, ["mogi", "validation", "run", "--org", "nao-existe"])
    assert result.exit_code == 1
    assert "organização não encontrada: nao-existe" in result.output
    result = cli.invoke(ckan_cli, ["mogi", "validation", "run", "--dataset", "nenhum"])
    assert "conjunto de dados não encontrado: nenhum" in result.output
    result = cli.invoke(ckan_cli, ["mogi", "validation", "run"])
    assert result.exit_code == 2
    assert "Escolha exatamente uma opção" in result.output
