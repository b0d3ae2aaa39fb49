"""The Portuguese rendering of real frictionless reports."""

from __future__ import annotations

import inspect
from pathlib import Path

import frictionless.errors
import pytest
from sample_data import PEOPLE

from ckanext.mogi.validation.pipeline import validate_file
from ckanext.mogi.validation.report import LGPD_KIND_LABELS, TEXTS, render

TABLES = Path(__file__).resolve().parents[3] / "shared" / "data" / "tables"

#: Error types a single-table validation never emits: metadata of packages, catalogs,
#: inquiries, pipelines and reports, and the abstract parents of concrete errors.
NOT_MET_BY_STAFF = {
    "catalog-error", "checklist-error", "dataset-error", "detector-error", "error",
    "inquiry-error", "inquiry-task-error", "metadata-error", "package-error",
    "pipeline-error", "report-error", "report-task-error", "stats-error", "step-error",
    "cell-error", "row-error", "label-error", "header-error", "table-error", "file-error",
    "data-error", "field-error", "unmatched-header",
}


def rendered(tmp_path: Path, content: str | bytes, schema: dict | None = None,
             **options) -> dict:
    path = tmp_path / "tabela.csv"
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    outcome = validate_file(str(path), fmt="csv", schema=schema, options=options or None)
    assert outcome.status in ("success", "failure"), outcome.error
    return render(outcome.report, outcome.lgpd, schema)


def test_every_frictionless_error_staff_can_meet_has_portuguese_texts():
    types = {cls.type for _, cls in inspect.getmembers(frictionless.errors, inspect.isclass)
             if getattr(cls, "type", None)}

    missing = sorted(types - NOT_MET_BY_STAFF - TEXTS.keys())

    assert missing == []
    for kind, entry in TEXTS.items():
        if ":" not in kind:
            assert entry["label"] and entry["message"], kind


def test_a_type_error_reads_naturally_with_row_column_and_hint(tmp_path):
    schema = {"fields": [{"name": "unidade"},
                         {"name": "valor", "type": "number", "decimalChar": ",",
                          "groupChar": "."}]}
    content = "unidade;valor\n" + "".join(f"UBS {i};{i},50\n" for i in range(10)) + "UBS X;12,3x\n"

    result = rendered(tmp_path, content, schema)

    [error] = result["errors"]
    assert error == {
        "type": "type-error",
        "label": "Tipo de dado incorreto",
        "message": 'Linha 12, coluna "valor": "12,3x" não é um número.',
        "hint": "Use vírgula como separador decimal e ponto para milhar, ex.: 1.234,56.",
        "row": 12,
        "column": 2,
        "field": "valor",
        "value": "12,3x",
    }
    assert result["valid"] is False
    assert result["summary"] == {
        "rows": 11, "columns": 2, "errors": 1, "partial": False,
        "by_type": [{"type": "type-error", "label": "Tipo de dado incorreto", "count": 1}],
    }


def test_number_hint_follows_a_dot_decimal_schema(tmp_path):
    schema = {"fields": [{"name": "x", "type": "number"}]}

    [error] = rendered(tmp_path, "x\n1.5\nabc\n", schema)["errors"]

    assert error["hint"].startswith("Use ponto como separador decimal")


def test_date_and_integer_errors_show_the_expected_format(tmp_path):
    schema = {"fields": [{"name": "data", "type": "date", "format": "%d/%m/%Y"},
                         {"name": "qtd", "type": "integer"}]}

    errors = rendered(tmp_path, "data;qtd\n31/02/2024;1.204\n", schema)["errors"]

    assert [e["message"] for e in errors] == [
        'Linha 2, coluna "data": "31/02/2024" não é uma data válida no formato dd/mm/aaaa.',
        'Linha 2, coluna "qtd": "1.204" não é um número inteiro.',
    ]
    assert "ex.: 31/03/2024" in errors[0]["hint"]


def test_constraint_errors_name_the_rule(tmp_path):
    schema = {
        "fields": [
            {"name": "processo", "constraints": {"required": True, "unique": True}},
            {"name": "modalidade", "constraints": {"enum": ["Pregão", "Concorrência"]}},
            {"name": "valor", "type": "integer", "constraints": {"minimum": 0}},
            {"name": "cnpj", "constraints": {"pattern": r"\d{2}\.\d{3}\.\d{3}/\d{4}-\d{2}"}},
            {"name": "uf", "constraints": {"maxLength": 2}},
        ],
        "missingValues": [""],
    }
    content = (
        "processo;modalidade;valor;cnpj;uf\n"
        "1/2024;Pregão;10;11.222.333/0001-81;SP\n"
        "1/2024;Convite;-5;11222333000181;SAO\n"
        ";Pregão;1;11.222.333/0001-81;SP\n"
    )

    by_label = {e["label"]: e["message"] for e in rendered(tmp_path, content, schema)["errors"]}

    assert by_label == {
        "Valor repetido":
            'Linha 3, coluna "processo": "1/2024" já aparece na linha 2, mas a coluna não '
            "admite repetição.",
        "Valor não permitido":
            'Linha 3, coluna "modalidade": "Convite" não está entre os valores permitidos: '
            '"Pregão", "Concorrência".',
        "Valor abaixo do mínimo":
            'Linha 3, coluna "valor": "-5" é menor que o mínimo permitido (0).',
        "Formato inválido":
            'Linha 3, coluna "cnpj": "11222333000181" não segue o formato exigido para a coluna.',
        "Texto longo demais":
            'Linha 3, coluna "uf": "SAO" passa dos 2 caracteres permitidos.',
        "Valor obrigatório ausente":
            'Linha 4, coluna "processo": o valor é obrigatório, mas a célula está vazia.',
    }


def test_row_and_header_errors(tmp_path):
    schema = {"fields": [{"name": "id", "type": "integer"}, {"name": "nome"},
                         {"name": "bairro"}, {"name": "x"}],
              "primaryKey": ["id"]}
    content = "id;nome;nome;\n1;Ana;Centro;a\n1;Bia;Vila;b\n;;;\n2;Caio;Centro;c;extra\n3;Duda\n"

    errors = rendered(tmp_path, content, schema)["errors"]

    messages = [e["message"] for e in errors]
    assert 'Cabeçalho, coluna 3: o título "nome" repete o de outra coluna (coluna 2).' in messages
    assert "Cabeçalho, coluna 4: a coluna não tem título no cabeçalho." in messages
    assert "Linha 3: a chave primária da linha repete a da linha 2." in messages
    assert "Linha 4: a linha está totalmente vazia." in messages
    assert 'Linha 5, coluna 5: há um valor ("extra") além das colunas do cabeçalho.' in messages
    assert 'Linha 6, coluna "bairro": a linha termina antes desta coluna.' in messages
    header_errors = [e for e in errors if e["message"].startswith("Cabeçalho")]
    assert {e["row"] for e in header_errors} == {1}


def test_labels_that_do_not_match_the_schema(tmp_path):
    schema = {"fields": [{"name": "unidade"}, {"name": "bairro"}, {"name": "cnes"}]}

    errors = rendered(tmp_path, "unidade;Bairro\nUBS A;Centro\n", schema)["errors"]

    assert sorted((e["label"], e["message"], e["hint"]) for e in errors) == [
        ("Coluna faltando",
         'Cabeçalho, coluna 3: falta a coluna "cnes", exigida pelo esquema.',
         'Inclua a coluna "cnes" na tabela (mesmo vazia) ou escolha outro esquema.'),
        ("Título de coluna diferente do esquema",
         'Cabeçalho, coluna 2: o título "Bairro" não corresponde ao campo "bairro" do esquema.',
         'Renomeie a coluna para "bairro" ou confira a ordem das colunas.'),
    ]


def test_foreign_key_error_names_the_value_and_column(tmp_path):
    schema = {"fields": [{"name": "id", "type": "integer"}, {"name": "pai", "type": "integer"}],
              "foreignKeys": [{"fields": "pai", "reference": {"resource": "", "fields": "id"}}]}

    [error] = rendered(tmp_path, "id;pai\n1;\n2;1\n3;9\n", schema)["errors"]

    assert error["message"] == (
        'Linha 4: o valor "9" da coluna "pai" não existe na tabela de referência.')


def test_wrong_encoding_is_explained(tmp_path):
    result = rendered(tmp_path, "nome;bairro\nJosé;Brás Cubas\n".encode("iso-8859-1"),
                      encoding="utf-8")

    [error] = result["errors"]
    assert error["label"] == "Codificação de caracteres"
    assert "codificação UTF-8; acentos sairiam trocados" in error["message"]
    assert "CSV UTF-8" in error["hint"]


def test_html_file_report_is_rendered_with_its_portuguese_message():
    outcome = validate_file(
        str(TABLES / "federal_portaltransparencia_convenios_IS_ACTUALLY_HTML.csv"),
        fmt="csv", schema=None)

    result = render(outcome.report, outcome.lgpd)

    assert result["summary"]["by_type"] == [
        {"type": "html-file", "label": "Página HTML em vez de tabela", "count": 1}]
    [error] = result["errors"]
    assert error["message"].startswith("O arquivo não é uma tabela: é uma página HTML")
    assert result["summary"]["rows"] is None


def test_an_invalid_schema_is_explained_with_its_detail(tmp_path):
    result = rendered(tmp_path, "a;b\n1;2\n", {"fields": [{"name": "a", "type": "moeda"}]})

    [error] = result["errors"]
    assert error["label"] == "Esquema inválido"
    assert error["message"].startswith("O esquema (Table Schema) informado para o recurso é "
                                       "inválido")
    assert 'field type "moeda" is not supported' in error["message"]


def test_error_limit_is_flagged_as_partial(tmp_path):
    schema = {"fields": [{"name": "n", "type": "integer"}]}

    result = rendered(tmp_path, "n\n" + "x\n" * 30, schema, limit_errors=5)

    assert result["summary"]["errors"] == 5
    assert result["summary"]["partial"] is True


def test_a_sound_table_renders_as_valid():
    outcome = validate_file(str(TABLES / "ibge_sidra_tabela3940_aquicultura_raw.csv"),
                            fmt="csv", schema=None)

    result = render(outcome.report, outcome.lgpd)

    assert result["valid"] is True
    assert result["errors"] == []
    assert result["summary"]["columns"] == 4
    assert result["summary"]["rows"] > 3000


@pytest.mark.parametrize(
    ("finding", "expected"),
    [
        ({"field": "cpf", "kind": "cpf", "rows": 6, "masked": False},
         'A coluna "cpf" traz CPF completo em 6 linha(s). Publique a cópia mascarada ou '
         "registre a base legal (LGPD) antes de tornar o conjunto público."),
        ({"field": "cpf", "kind": "cpf", "rows": 6, "masked": True},
         'A coluna "cpf" traz CPF mascarado em 6 linha(s), como no Portal da Transparência: '
         "pode ser publicada."),
        ({"field": "contato", "kind": "email", "rows": 2, "masked": False},
         'A coluna "contato" parece trazer E-mail de pessoas em 2 linha(s). Confira se a '
         "publicação é necessária e tem base legal (LGPD)."),
    ],
)
def test_lgpd_findings_are_labelled_and_explained(finding, expected):
    [item] = render({"valid": True, "tasks": []}, {"findings": [finding]})["lgpd"]

    assert item["kind_label"] == LGPD_KIND_LABELS[finding["kind"]]
    assert item["message"] == expected
    assert (item["field"], item["rows"], item["masked"]) == (
        finding["field"], finding["rows"], finding["masked"])


def test_a_real_cpf_table_shows_its_lgpd_finding(tmp_path):
    lgpd = {item["field"]: item for item in rendered(tmp_path, PEOPLE)["lgpd"]}

    assert lgpd["cpf"]["kind_label"] == "CPF"
    assert "CPF completo em 2 linha(s)" in lgpd["cpf"]["message"]
