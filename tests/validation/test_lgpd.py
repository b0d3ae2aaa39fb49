"""LGPD check: what staff see flagged (or not) in realistic Brazilian tables.

Documents are generated with validate-docbr, so CPFs, NIS and CNS carry
valid check digits like real ones; the real tables of ``../shared`` (company
CNPJs, institutional contacts) must come out clean.
"""

from __future__ import annotations

import csv
import random
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from validate_docbr import CNPJ, CNS, CPF, PIS

from ckanext.mogi.validation import lgpd

TABLES = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "tables"

FIRST = ["Maria", "José", "Ana", "João", "Antônio", "Francisca", "Carlos", "Juliana",
         "Paulo", "Márcia", "Luiz", "Fernanda", "Marcos", "Patrícia", "Rafael", "Aline"]
LAST = ["Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira",
        "Lima", "Gomes", "Costa", "Ribeiro", "Martins", "Carvalho", "Almeida", "Nascimento"]


def person_name(rng: random.Random) -> str:
    middle = rng.choice(["da", "de", "dos"]) + " " if rng.random() < 0.4 else ""
    return f"{rng.choice(FIRST)} {middle}{rng.choice(LAST)} {rng.choice(LAST)}"


def by_field(result: dict) -> dict[str, dict]:
    return {f["field"]: f for f in result["findings"]}


@pytest.fixture
def rng() -> random.Random:
    return random.Random(5)


@pytest.fixture
def citizens(rng: random.Random) -> tuple[list[str], list[list[str]]]:
    """A Secretaria de Assistência Social list of beneficiaries, as exported."""
    header = ["Nome do Beneficiário", "CPF", "NIS", "Cartão SUS", "RG", "Data de Nascimento",
              "Telefone", "E-mail", "Bairro", "Valor do Benefício", "Data de Inclusão"]
    cpf, pis, cns = CPF(), PIS(), CNS()
    rows = []
    for i in range(300):
        rows.append([
            person_name(rng),
            cpf.generate(mask=i % 3 != 0),          # formatted and bare
            pis.generate(),
            cns.generate(mask=True),
            f"{rng.randint(10, 59)}.{rng.randint(100, 999)}.{rng.randint(100, 999)}-"
            f"{rng.choice('0123456789X')}",
            f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1940, 2010)}",
            f"(11) 9{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
            f"{rng.choice(['maria', 'jose', 'ana.paula', 'jsilva'])}{i}@"
            f"{rng.choice(['gmail.com', 'hotmail.com', 'yahoo.com.br'])}",
            rng.choice(["Brás Cubas", "Jundiapeba", "César de Souza", "Centro"]),
            f"{rng.randint(100, 900)},{rng.randint(0, 99):02d}",
            f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2023",
        ])
    return header, rows


def test_citizens_table_flags_each_personal_column(citizens):
    header, rows = citizens
    result = lgpd.scan(header, iter(rows))
    kinds = {f["field"]: f["kind"] for f in result["findings"]}
    assert kinds == {
        "Nome do Beneficiário": "nome", "CPF": "cpf", "NIS": "nis", "Cartão SUS": "cns",
        "RG": "rg", "Data de Nascimento": "data_nascimento", "Telefone": "telefone",
        "E-mail": "email",
    }
    # Neighbourhoods, amounts and the inclusion date are not personal data.
    assert all(f["rows"] == 300 and f["masked"] is False for f in result["findings"])
    assert lgpd.blocks_publication(result)


def test_masked_copy_uses_the_federal_pattern_and_then_passes(citizens):
    header, rows = citizens
    result = lgpd.scan(header, rows)
    masked = list(lgpd.mask_rows(header, rows, result))
    first, original = masked[0], rows[0]
    digits = "".join(c for c in original[1] if c.isdigit())
    assert first[1] == f"***.{digits[3:6]}.{digits[6:9]}-**"
    assert first[0] == original[0], "names are kept by default, as in federal tables"
    assert first[7].startswith(original[7][0] + "***@")
    assert first[5] == "**/**/" + original[5][-4:]
    assert first[6].endswith(original[6][-4:]) and original[6][1:3] not in first[6][:4]
    assert first[8:] == original[8:]
    assert len(masked) == len(rows)

    again = lgpd.scan(header, masked)
    assert by_field(again)["CPF"] == {"field": "CPF", "kind": "cpf", "rows": 300,
                                      "masked": True}
    assert {f["kind"] for f in again["findings"]} == {"cpf", "nome"}
    assert not lgpd.blocks_publication(again)


def test_servants_pay_with_masked_cpfs_passes(rng):
    header = ["nome_servidor", "cpf", "cargo", "remuneracao_bruta"]
    rows = [[person_name(rng).upper(), lgpd.mask_cpf(CPF().generate()),
             rng.choice(["PROFESSOR", "ENFERMEIRO", "AGENTE ADMINISTRATIVO"]),
             f"{rng.randint(2, 15)}.{rng.randint(100, 999)},{rng.randint(0, 99):02d}"]
            for _ in range(200)]
    result = lgpd.scan(header, rows)
    assert by_field(result)["cpf"]["masked"] is True
    assert by_field(result)["nome_servidor"]["kind"] == "nome"
    assert "cargo" not in by_field(result)
    assert not lgpd.blocks_publication(result)


def test_company_cnpjs_are_not_personal_data(rng):
    cnpj = CNPJ()
    header = ["Razão Social", "CNPJ", "CNPJ sem máscara", "Valor Contratado", "Data"]
    rows = [[f"{rng.choice(LAST).upper()} {rng.choice(['COMERCIO', 'SERVICOS'])} LTDA",
             cnpj.generate(mask=True), cnpj.generate(), "1.234.567,89", "05/10/2022"]
            for _ in range(500)]
    result = lgpd.scan(header, rows)
    assert result == {"findings": []}
    assert not lgpd.blocks_publication(result)


def test_a_few_individual_suppliers_among_companies_are_flagged(rng):
    """``CPF/CNPJ do Contratado`` with 3 people among 200 companies."""
    cnpj, cpf = CNPJ(), CPF()
    values = [cnpj.generate(mask=True) for _ in range(200)] + [cpf.generate(mask=True)
                                                                for _ in range(3)]
    rng.shuffle(values)
    result = lgpd.scan(["CPF/CNPJ do Contratado"], ([v] for v in values))
    assert result["findings"] == [{"field": "CPF/CNPJ do Contratado", "kind": "cpf",
                                   "rows": 3, "masked": False}]
    assert lgpd.blocks_publication(result)
    # The masked copy hides the 3 people and keeps the companies' CNPJs.
    masked = [row[0] for row in lgpd.mask_rows(["CPF/CNPJ do Contratado"],
                                               ([v] for v in values), result)]
    assert [m for m in masked if m.startswith("***.")] == [
        f"***.{v[4:7]}.{v[8:11]}-**" for v in values if len(v) == 14]
    assert [m for m in masked if "/" in m] == [v for v in values if "/" in v]
    assert not lgpd.blocks_publication(lgpd.scan(["CPF/CNPJ do Contratado"],
                                                 ([m] for m in masked)))


def test_cpfs_late_in_a_long_sorted_file_are_found(rng):
    """Clean cells first (the column goes quiet), CPFs only at the end."""
    cnpj, cpf = CNPJ(), CPF()
    codes = [[f"2023NE{n:06d}", cnpj.generate(mask=True)] for n in range(5000)]
    people = [[f"2023NE{n:06d}", cpf.generate(mask=True)] for n in range(5000, 5003)]
    late = [[cpf.generate(mask=True), "-"] for _ in range(600)]
    result = lgpd.scan(["Empenho", "Documento"], [*codes, *people, *late])
    found = by_field(result)
    # The CNPJ column is watched cell by cell: its 3 people are all counted.
    assert found["Documento"] == {"field": "Documento", "kind": "cpf", "rows": 3,
                                  "masked": False}
    # The code column was quiet (sampled): the CPFs are found, rows is a lower bound.
    assert found["Empenho"]["kind"] == "cpf" and 0 < found["Empenho"]["rows"] <= 600
    assert lgpd.blocks_publication(result)


def test_long_payroll_counts_every_row_exactly(rng):
    """A long, regular payroll (names, masked CPFs) with odd cells sprinkled in
    after the first thousand rows: each row is still judged on its own."""
    cpf = CPF()
    odd_names = {"SECRETARIA DE SAÚDE": False, "maria silva": False, "": False, "-": False,
                 "JOSÉ 2 SILVA": False, "  JOSÉ DA SILVA  ": True, "Maria da Silva": True,
                 "ANA": False, "COMÉRCIO SILVA": False}
    rows, names, unmasked = [], 0, 0
    for i in range(6000):
        name, document = f"{rng.choice(FIRST).upper()} {rng.choice(LAST).upper()}", \
            lgpd.mask_cpf(cpf.generate())
        if i > 1200 and i % 7 == 0:
            name = list(odd_names)[i % len(odd_names)]
        if i > 1200 and i % 500 == 0:
            document = cpf.generate(mask=True)
            unmasked += 1
        names += odd_names.get(name, True)
        rows.append([str(i), name, document])
    result = lgpd.scan(["matricula", "nome", "cpf"], rows)
    assert result["findings"] == [
        {"field": "nome", "kind": "nome", "rows": names, "masked": False},
        {"field": "cpf", "kind": "cpf", "rows": unmasked, "masked": False},
    ]
    assert lgpd.blocks_publication(result)


def test_numeric_codes_and_ordinary_dates_are_not_flagged(rng):
    cpf = CPF()
    codes = []
    while len(codes) < 1000:
        candidate = str(rng.randint(10**10, 10**11 - 1))
        if not cpf.validate(candidate):
            codes.append(candidate)
    header = ["Número do Processo", "Código IBGE", "Protocolo", "Processo SEI",
              "Data da Licitação", "CEP", "Empenho"]
    rows = [[codes[i], "3530607", f"{rng.randint(1, 99999)}/2023",
             f"1500.01.{rng.randint(1000000, 9999999)}/2020-{rng.randint(10, 99)}",
             f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1990, 2023)}",
             f"08{rng.randint(700, 799)}-{rng.randint(100, 999)}",
             f"2023NE{rng.randint(1, 99999):06d}"]
            for i in range(1000)]
    assert lgpd.scan(header, rows) == {"findings": []}


def test_dates_are_birth_dates_only_under_a_birth_header():
    dates = [[f"{d:02d}/03/1984"] for d in range(1, 29)]
    assert lgpd.scan(["data_admissao"], dates) == {"findings": []}
    assert lgpd.scan(["dt_nasc"], dates)["findings"][0]["kind"] == "data_nascimento"


def test_institutional_contacts_are_not_personal_data():
    header = ["Nome_Escola", "Fone1", "Email"]
    rows = [[f"EMEF PROFESSOR {name.upper()} SILVA", f"4798{n:04d}", f"emef{n}@se-pmmc.com.br"]
            for n, name in enumerate(FIRST * 5)]
    assert lgpd.scan(header, rows) == {"findings": []}


def test_scan_memory_does_not_grow_with_rows(rng):
    cpf = CPF()
    pool = [cpf.generate(mask=True) for _ in range(1000)]
    header = ["id", "cpf", "nome", "orgao", "valor"]

    def rows(count: int) -> Iterator[list[str]]:
        for i in range(count):
            yield [str(i), pool[i % 1000], f"{FIRST[i % 16]} {LAST[i % 13]} {LAST[i % 11]}",
                   "Secretaria de Saúde", f"{i % 997},50"]

    peaks = {}
    for count in (3_000, 30_000):
        tracemalloc.start()
        result = lgpd.scan(header, rows(count))
        peaks[count] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert [(f["field"], f["rows"]) for f in result["findings"]] == [
            ("cpf", count), ("nome", count)]
    assert peaks[30_000] - peaks[3_000] < 50_000, peaks


# Encoding, delimiter and title lines of each real file (see PROVENANCE.md).
REAL_CSV = {
    "bh_equipamentos_esportivos_datastore_dump_bom.csv": ("utf-8-sig", ",", 0),
    "datasus_tabnet_sinan_tuberculose_2001-2019.csv": ("cp1252", ";", 3),
    "federal_pac_ubs_geoserver_2018.csv": ("utf-8", ",", 0),
    "federal_portaltransparencia_20250101_Despesas_Empenho.csv": ("iso-8859-1", ";", 0),
    "ibge_sidra_tabela3940_aquicultura_raw.csv": ("iso-8859-1", ";", 4),
    "mg_compras_coronavirus_controle_latin1.csv": ("iso-8859-1", ";", 0),
    "mg_compras_coronavirus_published.csv": ("utf-8-sig", ",", 0),
    "mg_compras_covid19_raw_export.csv": ("utf-8-sig", ";", 0),
    "sjc_seducsp_escolas_municipais.csv": ("utf-8-sig", ";", 0),
}


@pytest.mark.parametrize("name", sorted(REAL_CSV))
def test_real_public_tables_raise_no_finding(name: str):
    """Company CNPJs, ``000.000.000-00`` placeholders, school phones and
    e-mails, municipality names: public tables, nothing to flag or block."""
    encoding, delimiter, title_lines = REAL_CSV[name]
    with (TABLES / name).open(encoding=encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        for _ in range(title_lines):
            next(reader)
        result = lgpd.scan(next(reader), reader)
    assert result == {"findings": []}
    assert not lgpd.blocks_publication(result)


def test_real_supplier_documents_are_cnpjs_not_cpfs():
    """The raw MG export mixes CNPJs with ``000.000.000-00`` for missing ones."""
    with (TABLES / "mg_compras_covid19_raw_export.csv").open(encoding="utf-8-sig",
                                                            newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        header = next(reader)
        rows = list(reader)
    column = next(i for i, h in enumerate(header) if h.startswith("CPF/CNPJ"))
    assert sum(len(r) > column and r[column] == "000.000.000-00" for r in rows) == 4
    assert lgpd.scan([header[column]], ([r[column]] for r in rows)) == {"findings": []}


def test_blocks_publication_rules():
    def finding(kind: str, masked: bool = False) -> dict:
        return {"field": kind, "kind": kind, "rows": 10, "masked": masked}

    assert not lgpd.blocks_publication({"findings": []})
    assert not lgpd.blocks_publication(None)
    for kind in ("cpf", "nis", "cns", "rg"):
        assert lgpd.blocks_publication({"findings": [finding(kind)]})
    assert not lgpd.blocks_publication({"findings": [finding("cpf", masked=True)]})
    for kind in ("email", "telefone", "nome", "data_nascimento"):
        assert not lgpd.blocks_publication({"findings": [finding(kind)]})
    assert lgpd.blocks_publication({"findings": [finding("nome"),
                                                 finding("data_nascimento")]})
