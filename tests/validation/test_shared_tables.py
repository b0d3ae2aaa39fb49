"""Every real table of ../shared/data/tables through the validation pipeline.

Files are read in place (never copied). Each tabular file gets a verdict (success or
failure, never error) and a Portuguese report; the checks below are what staff would
see for each one: accents right, junk lines gone, the HTML page rejected.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from ckanext.mogi.common.i18n import translate
from ckanext.mogi.validation.dialect import Dialect
from ckanext.mogi.validation.engine import iter_rows
from ckanext.mogi.validation.pipeline import Outcome, validate_file
from ckanext.mogi.validation.report import TEXTS, render

TABLES = Path(__file__).resolve().parents[3] / "shared" / "data" / "tables"
TABULAR = {".csv", ".tsv", ".xlsx", ".xls", ".ods"}
#: JSON lists of records (with nested objects) are not a tabular format of the
#: validation (CSV, TSV, XLSX, XLS, ODS): CKAN never queues them for it.
NOT_TABULAR = {".json"}
FILES = sorted(path for path in TABLES.iterdir() if path.suffix.lower() in TABULAR)


@pytest.fixture(scope="module")
def outcomes() -> dict[str, tuple[Outcome, float]]:
    """Each file validated once, with how long it took."""
    results = {}
    for path in FILES:
        started = time.perf_counter()
        outcome = validate_file(str(path), fmt=path.suffix[1:], schema=None)
        results[path.name] = (outcome, time.perf_counter() - started)
    return results


def outcome_of(outcomes, name: str) -> Outcome:
    return outcomes[name][0]


def rows_of(name: str, outcome: Outcome) -> tuple[list[str], list[list]]:
    header, rows = iter_rows(str(TABLES / name), Dialect.from_dict(outcome.dialect))
    return header, list(rows)


def test_only_json_files_are_left_out():
    others = {path.suffix.lower() for path in TABLES.iterdir()} - TABULAR
    assert others <= NOT_TABULAR
    assert len(FILES) >= 11


@pytest.mark.parametrize("path", FILES, ids=[path.name for path in FILES])
def test_every_table_gets_a_verdict_and_a_portuguese_report(outcomes, path):
    outcome, _ = outcomes[path.name]

    assert outcome.status in ("success", "failure"), outcome.error
    assert outcome.error is None
    rendered = render(outcome.report, outcome.lgpd)
    assert rendered["valid"] is (outcome.status == "success")
    assert {item["label"] for item in rendered["summary"]["by_type"]} <= {
        translate(entry["label"]) for entry in TEXTS.values() if "label" in entry}
    for error in rendered["errors"]:
        assert error["label"] and error["message"]
        assert " in row " not in error["message"]  # frictionless' English wording
    if outcome.status == "success":
        assert rendered["summary"]["rows"] > 0
        assert rendered["summary"]["columns"] > 1
        assert outcome.inferred_schema["fields"]


def test_html_saved_as_csv_is_rejected_with_a_clear_message(outcomes):
    outcome = outcome_of(outcomes, "federal_portaltransparencia_convenios_IS_ACTUALLY_HTML.csv")

    assert outcome.status == "failure"
    [error] = render(outcome.report)["errors"]
    assert error["label"] == "Página HTML em vez de tabela"
    assert "é uma página HTML" in error["message"]


def test_tabnet_cp1252_accents_title_lines_and_footer(outcomes):
    name = "datasus_tabnet_sinan_tuberculose_2001-2019.csv"
    outcome = outcome_of(outcomes, name)

    assert outcome.status == "success"
    assert outcome.dialect["encoding"] == "cp1252"
    assert outcome.report["tasks"][0]["labels"][0] == "Ano Diagnóstico"
    assert outcome.report["tasks"][0]["stats"]["rows"] == 19  # 2001-2019, no "Total"
    assert outcome.inferred_schema["fields"][0] == {"name": "Ano Diagnóstico",
                                                    "type": "integer"}


def test_sidra_junk_lines_are_skipped_and_municipio_found(outcomes):
    name = "ibge_sidra_tabela3940_aquicultura_raw.csv"
    outcome = outcome_of(outcomes, name)

    assert outcome.status == "success"
    assert outcome.dialect["encoding"] == "iso-8859-1"
    assert outcome.dialect["header_row"] == 5
    assert outcome.report["tasks"][0]["labels"] == ["Município", "2014", "2015", "2016"]
    header, rows = rows_of(name, outcome)
    assert ["Turvânia (GO)", "1459", "1641", "2402"] in rows
    assert ["Vila Boa (GO)", "...", "...", "..."] in rows  # SIDRA's missing value
    assert [f["type"] for f in outcome.inferred_schema["fields"]] == [
        "string", "integer", "integer", "integer"]


def test_portal_da_transparencia_iso_8859_1_accents(outcomes):
    name = "federal_portaltransparencia_20250101_Despesas_Empenho.csv"
    outcome = outcome_of(outcomes, name)

    assert outcome.dialect["encoding"] == "iso-8859-1"
    labels = outcome.report["tasks"][0]["labels"]
    assert "Código Empenho" in labels and "Data Emissão" in labels
    header, rows = rows_of(name, outcome)
    assert rows[0][header.index("Órgão Superior")] == "Ministério da Educação"
    fields = {f["name"]: f for f in outcome.inferred_schema["fields"]}
    assert fields["Data Emissão"]["format"] == "%d/%m/%Y"


def test_mg_latin1_export_accents(outcomes):
    name = "mg_compras_coronavirus_controle_latin1.csv"
    outcome = outcome_of(outcomes, name)

    assert outcome.dialect["encoding"] == "iso-8859-1"
    assert outcome.dialect["delimiter"] == ";"
    _, rows = rows_of(name, outcome)
    assert any("Registro de Preços" in cell for row in rows for cell in row)


def test_raw_export_headers_with_nbsp_and_pt_br_money(outcomes):
    outcome = outcome_of(outcomes, "mg_compras_covid19_raw_export.csv")

    fields = {f["name"]: f for f in outcome.inferred_schema["fields"]}
    assert "Número do Processo de Compra" in fields  # "...Compra\u00a0" in the file
    assert fields["Valor Homologado"] == {"name": "Valor Homologado", "type": "number",
                                          "decimalChar": ",", "groupChar": "."}
    assert fields["Data da Publicação"]["format"] == "%d/%m/%Y"
    assert outcome.status == "success"


def test_xlsx_file_is_validated(outcomes):
    outcome = outcome_of(outcomes, "mg_compras_coronavirus_published.xlsx")

    assert outcome.status == "success"
    assert outcome.dialect["format"] == "xlsx"
    assert outcome.report["tasks"][0]["stats"]["rows"] == 290


def test_the_3_mb_file_validates_within_a_few_seconds(outcomes):
    name = "federal_pac_ubs_geoserver_2018.csv"
    outcome, seconds = outcomes[name]

    assert (TABLES / name).stat().st_size > 3_000_000
    assert outcome.status == "success"
    assert outcome.report["tasks"][0]["stats"]["rows"] == 12_136
    assert seconds < 10
    header, rows = rows_of(name, outcome)
    mogi = [row for row in rows if row[header.index("municipio")] == "MOGI DAS CRUZES/SP"]
    assert mogi and mogi[0][header.index("orgao_responsavel")] == "Ministério da Saúde"
