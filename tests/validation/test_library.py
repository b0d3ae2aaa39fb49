"""Schemas library: each Table Schema is sound, Portuguese, pt-BR, and a
realistic municipal export validates against it (a broken one does not).

Samples are written as staff's systems export them: Windows-1252 or UTF-8,
``;`` delimiter, decimal comma with thousands dot, dd/mm/aaaa dates, and run
through the portal's real validation (``pipeline.validate_file``).
"""

from __future__ import annotations

import json
from pathlib import Path

import frictionless
import pytest
from validate_docbr import CPF

from ckanext.mogi.validation import lgpd, library, pipeline

TABLES = Path(__file__).resolve().parents[2] / "schemas" / "tables"
NAMES = sorted(p.stem for p in TABLES.glob("*.json"))

# name -> (encoding, header, rows): a few rows of a real-looking export.
SAMPLES: dict[str, tuple[str, list[str], list[list[str]]]] = {
    "licitacoes": ("cp1252", [
        "orgao", "ano", "numero_licitacao", "modalidade", "objeto", "descricao", "situacao",
        "data_abertura", "data_publicacao", "valor_estimado", "link_edital",
    ], [
        ["PMMC", "2022", "0127/2022", "Pregão Eletrônico", "ÓLEOS, GRAXAS E LUBRIFICANTES",
         "AQ DE ÓLEO PARA MOTOR, ÓLEO LUBRIFICANTE PARA MOTOR E GRAXA", "CONCLUÍDA",
         "05/10/2022", "22/09/2022", "1.234.567,89",
         "https://licitacao-mgcon.mogidascruzes.sp.gov.br/arquivo/download/65442"],
        ["SEMAE", "2022", "0045/2022", "Concorrência", "AMPLIAÇÃO DA REDE DE ESGOTO",
         "", "PUBLICADA", "10/11/2022", "20/10/2022", "8.950.000,00", ""],
        ["IPREM", "2022", "0003/2022", "Convite", "SERVIÇOS DE CONSULTORIA ATUARIAL", "-",
         "SUSPENSA", "01/12/2022", "-", "-", "-"],
    ]),
    "contratos": ("cp1252", [
        "numero_contrato", "orgao", "secretaria", "modalidade", "numero_licitacao", "objeto",
        "cpf_cnpj_contratado", "contratado", "valor", "data_assinatura", "inicio_vigencia",
        "fim_vigencia", "situacao",
    ], [
        ["045/2023", "PMMC", "Secretaria de Saúde", "Pregão Eletrônico", "0127/2022",
         "Fornecimento de medicamentos", "35.820.448/0030-70", "DROGARIA SÃO JOÃO LTDA",
         "1.250.300,50", "15/03/2023", "16/03/2023", "15/03/2024", "Vigente"],
        ["046/2023", "PMMC", "Secretaria de Cultura e Turismo", "Inexigibilidade", "",
         "Apresentação musical no aniversário da cidade", "***.456.789-**",
         "João Batista Ferreira", "12.000,00", "20/08/2023", "01/09/2023", "01/09/2023",
         "Encerrado"],
    ]),
    "despesas": ("cp1252", [
        "numero_empenho", "exercicio", "data_empenho", "orgao", "unidade_orcamentaria",
        "funcao", "subfuncao", "programa", "acao", "natureza_despesa", "fonte_recurso",
        "modalidade_licitacao", "cpf_cnpj_favorecido", "favorecido", "historico",
        "valor_empenhado", "valor_liquidado", "valor_pago",
    ], [
        ["2023/001234", "2023", "02/01/2023", "PMMC", "Secretaria Municipal de Saúde",
         "10 - Saúde", "301 - Atenção Básica", "1001 - Saúde da Família",
         "2045 - Manutenção das UBS", "3.3.90.30.01", "01 - Tesouro", "Pregão Eletrônico",
         "35.820.448/0030-70", "DROGARIA SÃO JOÃO LTDA", "Aquisição de medicamentos",
         "150.000,00", "75.000,00", "75.000,00"],
        ["2023/001235", "2023", "03/01/2023", "SEMAE", "Serviço Municipal de Águas e Esgotos",
         "17 - Saneamento", "512 - Saneamento Básico Urbano", "2003 - Água para Todos",
         "2101 - Operação do sistema", "3.3.90.39", "04 - Próprios", "",
         "***.123.456-**", "Maria Aparecida Souza", "Serviço de pintura", "-3.200,00", "", ""],
    ]),
    "receitas": ("utf-8", [
        "exercicio", "mes", "natureza_receita", "descricao", "categoria_economica",
        "fonte_recurso", "valor_previsto", "valor_arrecadado",
    ], [
        ["2023", "1", "1.1.1.2.50.0.1", "IPTU - Principal", "Receitas Correntes", "01 - Tesouro",
         "312.500.000,00", "48.730.215,37"],
        ["2023", "1", "1.7.1.8.01.2.1", "Cota-parte do FPM", "Receitas Correntes",
         "01 - Tesouro", "98.000.000,00", "9.412.006,11"],
        ["2023", "2", "2.4.1.8.10.1.1", "Transferências de convênios da União",
         "Receitas de Capital", "05 - Transferências federais", "", "1.500.000,00"],
    ]),
    "remuneracao-servidores": ("cp1252", [
        "matricula", "competencia", "nome", "cpf", "cargo", "vinculo", "lotacao",
        "data_admissao", "carga_horaria", "remuneracao_bruta", "descontos",
        "remuneracao_liquida",
    ], [
        ["12345", "03/2024", "MARIA APARECIDA DOS SANTOS", "***.456.789-**",
         "PROFESSOR DE EDUCAÇÃO BÁSICA I", "Efetivo", "Secretaria de Educação", "01/02/2010",
         "30", "5.432,10", "1.102,33", "4.329,77"],
        ["23456", "03/2024", "JOSÉ CARLOS PEREIRA", "***.321.654-**", "ENFERMEIRO",
         "Efetivo", "Secretaria de Saúde", "15/07/2015", "40", "7.890,00", "1.980,45",
         "5.909,55"],
        ["34567", "03/2024", "ANA PAULA LIMA", "", "ASSESSOR TÉCNICO", "Comissionado",
         "Secretaria de Governo e Transparência", "02/01/2021", "40", "9.100,00", "2.300,00",
         "6.800,00"],
    ]),
    "unidades-saude": ("cp1252", [
        "cnes", "nome", "tipo", "gestao", "endereco", "numero", "bairro", "cep", "telefone",
        "horario_funcionamento", "latitude", "longitude",
    ], [
        ["2077485", "UBS Jundiapeba", "UBS", "Municipal", "Rua Manoel Bezerra Lima Filho",
         "100", "Jundiapeba", "08750-560", "(11) 4727-1234", "seg. a sex., 7h às 17h",
         "-23,5431", "-46,2532"],
        ["2079798", "UPA Brás Cubas", "UPA", "Municipal", "Avenida Japão", "S/N",
         "Brás Cubas", "08730000", "(11) 4798-5000", "24 horas", "-23,5310", "-46,2002"],
    ]),
    "escolas": ("utf-8", [
        "codigo_inep", "nome", "dependencia_administrativa", "tipo", "etapas", "endereco",
        "numero", "bairro", "cep", "zona", "telefone", "email", "matriculas", "latitude",
        "longitude",
    ], [
        ["35123456", "EM Professora Guiomar Pinheiro Franco", "Municipal", "EM",
         "Pré-escola, Anos iniciais", "Rua Cabo Diogo Oliver", "250", "Vila Oliveira",
         "08780-210", "Urbana", "(11) 4798-6000", "em.guiomar@se-pmmc.com.br", "612",
         "-23,5142", "-46,1975"],
        ["35123457", "CEMPRE Taboão", "Municipal", "CEMPRE", "Creche", "Estrada do Taboão",
         "1200", "Taboão", "08790-000", "Rural", "", "", "148", "", ""],
    ]),
    "obras": ("cp1252", [
        "codigo_obra", "objeto", "secretaria", "endereco", "bairro", "numero_contrato",
        "empresa_contratada", "cnpj_contratada", "valor_contratado", "valor_pago",
        "percentual_executado", "data_inicio", "data_prevista_termino", "data_conclusao",
        "situacao", "fonte_recurso", "latitude", "longitude",
    ], [
        ["OB-2023-014", "Reforma da UBS Jundiapeba", "Secretaria de Infraestrutura Urbana",
         "Rua Manoel Bezerra Lima Filho, 100", "Jundiapeba", "112/2023",
         "CONSTRUTORA ALTO TIETÊ LTDA", "12.345.678/0001-95", "2.480.000,00", "1.116.000,00",
         "45,5", "03/04/2023", "30/06/2024", "", "Em execução", "Convênio estadual",
         "-23,5431", "-46,2532"],
        ["OB-2022-031", "Pavimentação da Estrada do Taboão", "Secretaria de Obras", "",
         "Taboão", "087/2022", "PAVIMENTA SP ENGENHARIA LTDA", "98.765.432/0001-10",
         "5.100.000,00", "5.100.000,00", "100", "01/02/2022", "31/12/2022", "20/12/2022",
         "Concluída", "Tesouro municipal", "", ""],
    ]),
}

# name -> (row index, column, broken value, error type staff must see).
BROKEN: dict[str, tuple[int, str, str, str]] = {
    "licitacoes": (0, "modalidade", "Pregao", "constraint-error"),
    "contratos": (0, "data_assinatura", "2023-03-15", "type-error"),
    "despesas": (1, "natureza_despesa", "33903900", "constraint-error"),
    "receitas": (1, "mes", "13", "constraint-error"),
    "remuneracao-servidores": (0, "cpf", "529.982.247-25", "constraint-error"),
    "unidades-saude": (1, "cnes", "2077485", "primary-key"),
    "escolas": (0, "matriculas", "seiscentos", "type-error"),
    "obras": (0, "valor_contratado", "2,480,000.00", "type-error"),
}


def write_sample(path: Path, encoding: str, header: list[str], rows: list[list[str]]) -> str:
    lines = [";".join(header), *(";".join(row) for row in rows)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return str(path)


def test_every_schema_file_is_in_the_library_and_has_a_sample():
    listed = library.list_schemas()
    assert sorted(item["name"] for item in listed) == NAMES == sorted(SAMPLES) == sorted(BROKEN)
    assert {"licitacoes", "contratos", "despesas", "receitas", "remuneracao-servidores",
            "unidades-saude", "escolas", "obras"} == set(NAMES)
    for item in listed:
        assert item["url"] == f"{library.LIBRARY_URL_PREFIX}{item['name']}.json"
        assert item["title"] and item["description"]
    assert library.LIBRARY_URL_PREFIX == "/validacao/esquemas/"
    titles = [item["title"] for item in listed]
    assert titles == sorted(titles)
    assert "Licitações" in titles and "Servidores e remuneração" in titles


@pytest.mark.parametrize("name", ["inexistente", "../dataset", "licitacoes.json", "", "A"])
def test_unknown_schema_is_a_key_error(name: str):
    with pytest.raises(KeyError):
        library.load(name)


@pytest.mark.parametrize("name", NAMES)
def test_schema_is_a_valid_portuguese_pt_br_table_schema(name: str):
    schema = library.load(name)
    assert schema == json.loads((TABLES / f"{name}.json").read_text(encoding="utf-8"))
    report = frictionless.Schema.validate_descriptor(schema)
    assert report.valid, report.flatten(["type", "note"])
    assert schema["name"] == name
    field_names = [f["name"] for f in schema["fields"]]
    assert set(schema["primaryKey"]) <= set(field_names)
    for field in schema["fields"]:
        # Human-readable Portuguese labels, not the column name again.
        assert field["title"] != field["name"] and len(field["description"]) > 10, field
        assert field["title"][0].isupper() and field["description"].endswith("."), field
        if field["type"] == "number":
            assert field["decimalChar"] == ",", field["name"]
            if field["name"] not in ("latitude", "longitude"):
                assert field["groupChar"] == ".", field["name"]
        if field["type"] == "date":
            assert field["format"] == "%d/%m/%Y" and "dd/mm/aaaa" in field["description"]
    assert any(f.get("constraints", {}).get("required") for f in schema["fields"])


@pytest.mark.parametrize("name", NAMES)
def test_realistic_sample_validates(tmp_path: Path, name: str):
    encoding, header, rows = SAMPLES[name]
    path = write_sample(tmp_path / f"{name}.csv", encoding, header, rows)
    outcome = pipeline.validate_file(path, fmt="csv", schema=library.load(name))
    errors = [(e["type"], e.get("fieldName"), e.get("cell"))
              for e in outcome.report["tasks"][0]["errors"]] if outcome.report.get("tasks") else []
    assert outcome.status == "success", (outcome.error, errors)
    assert outcome.report["tasks"][0]["stats"]["rows"] == len(rows)
    # The sample must not be stopped by the LGPD check either.
    assert not lgpd.blocks_publication(outcome.lgpd)

    # Clients that use frictionless themselves get the same verdict.
    resource = frictionless.Resource(
        f"{name}.csv", basepath=str(tmp_path), encoding=encoding,
        schema=frictionless.Schema.from_descriptor(library.load(name)),
        dialect=frictionless.Dialect(controls=[frictionless.formats.CsvControl(delimiter=";")]))
    report = frictionless.validate(resource)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


@pytest.mark.parametrize("name", NAMES)
def test_broken_sample_fails_with_the_expected_error(tmp_path: Path, name: str):
    encoding, header, rows = SAMPLES[name]
    index, column, value, error_type = BROKEN[name]
    broken = [list(row) for row in rows]
    broken[index][header.index(column)] = value
    path = write_sample(tmp_path / f"{name}.csv", encoding, header, broken)
    outcome = pipeline.validate_file(path, fmt="csv", schema=library.load(name))
    assert outcome.status == "failure"
    errors = outcome.report["tasks"][0]["errors"]
    assert [(e["type"], e["rowNumber"]) for e in errors] == [(error_type, index + 2)]
    if error_type != "primary-key":
        assert errors[0]["fieldName"] == column and errors[0]["cell"] == value


def test_payroll_with_full_cpfs_fails_the_schema_and_the_lgpd_check(tmp_path: Path):
    encoding, header, rows = SAMPLES["remuneracao-servidores"]
    cpf = CPF()
    full = [[*row[:3], cpf.generate(mask=True), *row[4:]] for row in rows]
    path = write_sample(tmp_path / "folha.csv", encoding, header, full)
    outcome = pipeline.validate_file(path, fmt="csv", schema=library.load(
        "remuneracao-servidores"))
    assert outcome.status == "failure"
    errors = outcome.report["tasks"][0]["errors"]
    assert {(e["type"], e["fieldName"]) for e in errors} == {("constraint-error", "cpf")}
    assert len(errors) == 3
    assert {"field": "cpf", "kind": "cpf", "rows": 3, "masked": False} in outcome.lgpd["findings"]
    assert lgpd.blocks_publication(outcome.lgpd)
