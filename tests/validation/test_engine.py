"""Reading, schema inference and validation of tables, and the whole pipeline."""

from __future__ import annotations

import json
import subprocess
import sys
import types
from pathlib import Path

import ezodf
import pytest
from sample_data import PEOPLE

from ckanext.mogi.validation import engine
from ckanext.mogi.validation.dialect import sniff
from ckanext.mogi.validation.pipeline import validate_file

TABLES = Path(__file__).resolve().parents[3] / "shared" / "data" / "tables"

PT_BR = (
    "processo;valor\u00a0;data;cep;quantidade;situação;observação\n"
    '0250073 000001/2020;"780.098,10";07/04/2020;08710000;12;Concluído;-\n'
    '0250073 000002/2020;"1.234,56";15/04/2020;08780-000;3;Em andamento;“urgente”\n'
    "0250073 000003/2020;12,5;30/04/2020;08730000;NA;Concluído;\n"
)


def write(tmp_path: Path, content: str, name: str = "t.csv", encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(content.encode(encoding))
    return str(path)


def fields_of(schema: dict) -> dict[str, dict]:
    return {field["name"]: field for field in schema["fields"]}


def test_iter_rows_streams_and_gives_the_header(tmp_path):
    path = write(tmp_path, PT_BR, encoding="cp1252")
    dialect = sniff(path, "csv")

    header, rows = engine.iter_rows(path, dialect)

    assert isinstance(rows, types.GeneratorType)
    assert header[:2] == ["processo", "valor"]  # the trailing non-breaking space is gone
    first = next(rows)
    assert first[:3] == ["0250073 000001/2020", "780.098,10", "07/04/2020"]


def test_inferred_schema_follows_brazilian_conventions(tmp_path):
    path = write(tmp_path, PT_BR)
    dialect = sniff(path, "csv")

    schema = engine.infer_schema(path, dialect)

    fields = fields_of(schema)
    assert list(fields)[:2] == ["processo", "valor"]
    assert fields["valor"] == {"name": "valor", "type": "number", "decimalChar": ",",
                               "groupChar": "."}
    assert fields["data"] == {"name": "data", "type": "date", "format": "%d/%m/%Y"}
    assert fields["cep"]["type"] == "string"  # leading zeros: a code, not a number
    assert fields["quantidade"]["type"] == "integer"  # "NA" is a missing value
    assert fields["situação"]["type"] == "string"
    assert {"", "-", "--", "...", "NA"} <= set(schema["missingValues"])


def test_inferred_schema_keeps_dot_decimals_of_clean_exports(tmp_path):
    path = write(tmp_path, "numero,x\n150.0,605609.56\n640.0,606013.06\n", "t.csv")
    fields = fields_of(engine.infer_schema(path, sniff(path, "csv")))

    assert fields["numero"] == {"name": "numero", "type": "number"}
    assert fields["x"] == {"name": "x", "type": "number"}


def test_inferred_schema_reads_short_dates_and_date_times(tmp_path):
    content = "dia;momento;iso\n1/2/2024;01/02/2024 08:30:00;2024-02-01\n"
    content += "15/12/2024;15/12/2024 17:05:59;2024-12-15\n"
    path = write(tmp_path, content)
    fields = fields_of(engine.infer_schema(path, sniff(path, "csv")))

    assert fields["dia"]["format"] == "%d/%m/%Y"
    assert fields["momento"] == {"name": "momento", "type": "datetime",
                                 "format": "%d/%m/%Y %H:%M:%S"}
    assert fields["iso"] == {"name": "iso", "type": "date"}
    assert validate_file(path, fmt="csv", schema=None).status == "success"


def test_inferred_schema_reads_sim_and_nao_as_booleans(tmp_path):
    path = write(tmp_path, "ativa;sigla\nsim;S\nNão;N\nSIM;-\n-;S\n")
    schema = engine.infer_schema(path, sniff(path, "csv"))
    fields = fields_of(schema)

    assert fields["ativa"]["type"] == "boolean"
    assert {"sim", "SIM"} <= set(fields["ativa"]["trueValues"])
    assert "Não" in fields["ativa"]["falseValues"]
    assert fields["sigla"]["type"] == "string"  # single letters are no yes/no
    assert validate_file(path, fmt="csv", schema=None).status == "success"


def test_inferred_schema_names_blank_and_repeated_labels(tmp_path):
    path = write(tmp_path, "a;;a\n1;2;3\n")
    fields = engine.infer_schema(path, sniff(path, "csv"))["fields"]

    assert [field["name"] for field in fields] == ["a", "campo2", "a_2"]


def test_a_table_matching_its_inferred_schema_is_valid(tmp_path):
    path = write(tmp_path, PT_BR, encoding="cp1252")

    outcome = validate_file(path, fmt="csv", schema=None)

    assert outcome.status == "success", outcome.report
    assert outcome.dialect["encoding"] == "cp1252"
    assert outcome.report["tasks"][0]["labels"][1] == "valor"
    assert outcome.report["tasks"][0]["stats"]["rows"] == 3
    assert fields_of(outcome.inferred_schema)["data"]["format"] == "%d/%m/%Y"
    assert outcome.error is None


def test_a_given_schema_is_enforced_and_the_report_points_at_the_cell(tmp_path):
    content = "unidade;valor;data\nUBS A;1.234,56;31/01/2024\nUBS B;12,3x;31/02/2024\n"
    path = write(tmp_path, content)
    schema = {"fields": [
        {"name": "unidade", "type": "string"},
        {"name": "valor", "type": "number", "decimalChar": ",", "groupChar": "."},
        {"name": "data", "type": "date", "format": "%d/%m/%Y"},
    ]}

    outcome = validate_file(path, fmt="csv", schema=schema)

    assert outcome.status == "failure"
    assert outcome.inferred_schema is None
    errors = outcome.report["tasks"][0]["errors"]
    assert [(e["type"], e["rowNumber"], e["fieldName"], e["cell"]) for e in errors] == [
        ("type-error", 3, "valor", "12,3x"),
        ("type-error", 3, "data", "31/02/2024"),
    ]
    # Whole rows are not copied into the stored report (personal data, size) nor the
    # server path of the file.
    assert all("cells" not in error for error in errors)
    assert outcome.report["tasks"][0]["place"] == "t.csv"


def test_row_numbers_in_the_report_are_the_physical_rows_of_a_titled_export(tmp_path):
    content = (
        "Tabela 1 - Atendimentos;;\nFonte: SMS;;\nunidade;mes;atendimentos\n"
        "UBS A;1;10\nUBS B;1;dez\n"
    )
    path = write(tmp_path, content)

    outcome = validate_file(path, fmt="csv", schema={"fields": [
        {"name": "unidade"}, {"name": "mes", "type": "integer"},
        {"name": "atendimentos", "type": "integer"}]})

    assert outcome.dialect["header_row"] == 3
    [error] = outcome.report["tasks"][0]["errors"]
    assert (error["rowNumber"], error["cell"]) == (5, "dez")


def test_html_file_is_a_failure_with_a_frictionless_shaped_report():
    path = str(TABLES / "federal_portaltransparencia_convenios_IS_ACTUALLY_HTML.csv")

    outcome = validate_file(path, fmt="CSV", schema=None)

    assert outcome.status == "failure"
    assert outcome.report["valid"] is False
    [task] = outcome.report["tasks"]
    [error] = task["errors"]
    assert error["type"] == "html-file"
    assert "página HTML" in error["message"]
    assert outcome.lgpd == {"findings": []}
    assert outcome.error is None


def test_an_invalid_schema_is_a_failure_explained_in_portuguese(tmp_path):
    path = write(tmp_path, "a;b\n1;2\n")
    schema = json.loads((TABLES.parent / "schemas" / "mg_remuneracao_tableschema.json")
                        .read_text())
    schema["fields"][0]["type"] = "numero"

    outcome = validate_file(path, fmt="csv", schema=schema)

    assert outcome.status == "failure"
    [error] = outcome.report["tasks"][0]["errors"]
    assert error["type"] == "schema-error"
    assert "esquema (Table Schema)" in error["message"]


def test_a_missing_file_ends_in_error_with_a_portuguese_message(tmp_path):
    outcome = validate_file(str(tmp_path / "sumiu.csv"), fmt="csv", schema=None)

    assert outcome.status == "error"
    assert outcome.error == "Não foi possível ler o arquivo. Tente enviá-lo novamente."


def test_options_override_the_sniffed_dialect_and_filter_errors(tmp_path):
    content = "relatório gerado em 01/02/2024\nnome|valor\nA|1\nB|x\n\nC|3\n"
    path = write(tmp_path, content)
    schema = {"fields": [{"name": "nome"}, {"name": "valor", "type": "integer"}]}

    plain = validate_file(path, fmt="csv", schema=schema)
    tuned = validate_file(path, fmt="csv", schema=schema, options={
        "dialect": {"delimiter": "|", "headerRows": [2]},
        "skip_errors": ["blank-row"],
    })

    assert plain.status == "failure"
    assert tuned.dialect["delimiter"] == "|"
    assert tuned.dialect["header_row"] == 2
    assert [e["type"] for e in tuned.report["tasks"][0]["errors"]] == ["type-error"]


def test_goodtables_era_options_of_old_resources_still_work(tmp_path):
    path = write(tmp_path, "Relatório 2024|\nnome|valor\nA|1\nB|x\nC|3\n")
    schema = {"fields": [{"name": "nome"}, {"name": "valor", "type": "integer"}]}

    outcome = validate_file(path, fmt="csv", schema=schema, options={
        "headers": 2, "delimiter": "|", "skip_rows": [4], "error_limit": 5})

    assert outcome.status == "success", outcome.report
    assert outcome.dialect["skip_rows"] == [1, 4]


@pytest.mark.parametrize(
    ("options", "detail"),
    [
        ("[1, 2]", "devem ser um objeto JSON"),
        ({"dialect": {"headerRows": "terceira"}}, '"headerRows" deve ser um número inteiro'),
        ({"encoding": "latin-9000"}, 'a codificação "latin-9000" não existe'),
        ({"dialect": {"delimiter": ";;"}}, "o separador deve ser um único caractere"),
        ({"limit_errors": 0}, '"limit_errors" deve ser um número inteiro positivo'),
    ],
)
def test_invalid_options_are_a_failure_explained_in_portuguese(tmp_path, options, detail):
    outcome = validate_file(write(tmp_path, "a;b\n1;2\n"), fmt="csv", schema=None,
                            options=options)

    assert outcome.status == "failure"
    [error] = outcome.report["tasks"][0]["errors"]
    assert error["type"] == "options-error"
    assert error["message"].startswith("As opções de validação do recurso são inválidas: ")
    assert detail in error["message"]


def test_limit_errors_keeps_the_report_bounded(tmp_path):
    path = write(tmp_path, "n\n" + "x\n" * 3000)
    schema = {"fields": [{"name": "n", "type": "integer"}]}

    default = validate_file(path, fmt="csv", schema=schema)
    small = validate_file(path, fmt="csv", schema=schema, options={"limit_errors": 10})

    assert len(default.report["tasks"][0]["errors"]) == engine.DEFAULT_LIMIT_ERRORS
    assert len(small.report["tasks"][0]["errors"]) == 10
    assert "reached error limit: 10" in small.report["tasks"][0]["warnings"]


def test_personal_data_is_scanned_in_the_same_call(tmp_path):
    path = write(tmp_path, PEOPLE)

    outcome = validate_file(path, fmt="csv", schema=None)

    assert {"field": "cpf", "kind": "cpf", "rows": 2, "masked": False} in outcome.lgpd["findings"]


MEMORY_PROBE = """
import resource, sys
from ckanext.mogi.validation.pipeline import validate_file
peaks = []
for path in sys.argv[1:]:
    outcome = validate_file(path, fmt="csv", schema=None)
    assert outcome.status == "success", outcome.report
    peaks.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
print(peaks)
"""


def test_memory_stays_flat_when_the_table_grows(tmp_path):
    # Peak RSS (a high-water mark) after a 10k-row table, then after a 60k-row one in
    # the same process: holding the rows would add tens of megabytes.
    def table(rows: int) -> str:
        lines = ["codigo;unidade;bairro;valor;data;observacao"]
        lines += [f"{i};UBS {i};Bairro {i % 50};{i % 997},{i % 100:02d};{1 + i % 28:02d}/03/2024;"
                  f"atendimento regular {i}" for i in range(rows)]
        return write(tmp_path, "\n".join(lines) + "\n", f"t{rows}.csv")

    small, large = table(10_000), table(60_000)
    assert Path(large).stat().st_size > 3_500_000

    result = subprocess.run([sys.executable, "-c", MEMORY_PROBE, small, large],
                            capture_output=True, text=True, check=True, timeout=300)

    small_peak, large_peak = json.loads(result.stdout.strip().splitlines()[-1])
    assert large_peak - small_peak < 15, (small_peak, large_peak)


def test_xlsx_validates_through_frictionless():
    outcome = validate_file(str(TABLES / "mg_compras_coronavirus_published.xlsx"), fmt="XLSX",
                            schema=None)

    assert outcome.status == "success", outcome.report
    assert outcome.dialect["format"] == "xlsx"
    assert outcome.report["tasks"][0]["stats"]["rows"] == 290
    assert fields_of(outcome.inferred_schema)["DATA_PUBLICACAO"]["type"] == "date"


def test_ods_title_and_footer_rows_are_skipped(tmp_path):
    path = str(tmp_path / "atendimentos.ods")
    rows = [["Relatório de atendimentos - 2024", None], [None, None],
            ["unidade", "atendimentos"], ["UBS Jundiapeba", 10], ["UBS Braz Cubas", "dez"],
            ["Fonte: SMS", None]]
    document = ezodf.newdoc(doctype="ods", filename=path)
    sheet = ezodf.Sheet("Planilha1", size=(len(rows), 2))
    document.sheets += sheet
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is not None:
                sheet[i, j].set_value(value)
    document.save()
    schema = {"fields": [{"name": "unidade"}, {"name": "atendimentos", "type": "integer"}]}

    outcome = validate_file(path, fmt="ods", schema=schema)

    assert (outcome.dialect["header_row"], outcome.dialect["skip_rows"]) == (3, [1, 2, 6])
    errors = outcome.report["tasks"][0]["errors"]
    assert [(e["type"], e["rowNumber"], e["cell"]) for e in errors] == [("type-error", 5, "dez")]
