"""Sniffing Brazilian exports: encoding, delimiter, title lines, footers, non-tables."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from ckanext.mogi.validation.dialect import Dialect, RejectedFile, sniff
from ckanext.mogi.validation.engine import iter_rows

TABLES = Path(__file__).resolve().parents[3] / "shared" / "data" / "tables"


def write(tmp_path: Path, name: str, content: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp1252", "cp1252"),
     ("iso-8859-1", "iso-8859-1")],
)
def test_encodings_are_detected_and_accents_read_right(tmp_path, encoding, expected):
    # cp1252 is told from ISO-8859-1 by its curly quotes and dashes (0x80-0x9F).
    quote = "“Atenção” – revisão" if encoding == "cp1252" else "Atenção"
    text = f"município;observação\nMogi das Cruzes;{quote}\nSão Paulo;Água\n"
    path = write(tmp_path, "t.csv", text.encode(encoding))

    dialect = sniff(path, "csv")

    assert dialect.encoding == expected
    header, rows = iter_rows(path, dialect)
    assert header == ["município", "observação"]
    assert list(rows) == [["Mogi das Cruzes", quote], ["São Paulo", "Água"]]


def test_a_latin1_byte_after_the_first_megabyte_is_not_missed(tmp_path):
    body = "".join(f"{i};Rua {i}\n" for i in range(120_000)).encode("ascii")
    assert len(body) > 1024 * 1024
    path = write(tmp_path, "t.csv", b"codigo;endereco\n" + body + b"9;Pra\xe7a da S\xe9\n")

    dialect = sniff(path, "csv")

    assert dialect.encoding == "iso-8859-1"
    *_, last = iter_rows(path, dialect)[1]
    assert last == ["9", "Praça da Sé"]


def test_excel_unicode_text_export_with_a_footer_past_the_sample(tmp_path):
    # Excel's "Texto Unicode": UTF-16 with BOM, tabs, CRLF; the footer is only found
    # in the tail of the file, and its row number by counting the records.
    rows = ["Unidade\tBairro\tAtendimentos"]
    rows += [f"UBS {i}\tCésar de Souza\t{i}" for i in range(20_000)]
    rows += ["Fonte: Secretaria de Saúde\t\t"]
    path = write(tmp_path, "t.txt", ("\r\n".join(rows) + "\r\n").encode("utf-16"))

    dialect = sniff(path, "csv")

    assert (dialect.encoding, dialect.delimiter) == ("utf-16", "\t")
    assert dialect.skip_rows == [20_002]
    header, data = iter_rows(path, dialect)
    assert header == ["Unidade", "Bairro", "Atendimentos"]
    *_, last = data
    assert last == ["UBS 19999", "César de Souza", "19999"]


@pytest.mark.parametrize(("delimiter", "name"), [(";", "t.csv"), (",", "t.csv"),
                                                  ("\t", "t.tsv"), ("\t", "t.csv")])
def test_delimiters_are_detected(tmp_path, delimiter, name):
    rows = [["nome", "valor", "data"], ["Praça, centro", "1,5", "01/02/2024"],
            ["Rua; fim", "2", "03/02/2024"]]
    lines = []
    for row in rows:
        lines.append(delimiter.join(f'"{cell}"' if delimiter in cell else cell for cell in row))
    path = write(tmp_path, name, ("\n".join(lines) + "\n").encode())

    dialect = sniff(path, name.rsplit(".", 1)[1])

    assert (dialect.format, dialect.delimiter) == ("csv", delimiter)
    assert list(iter_rows(path, dialect)[1]) == rows[1:]


def test_a_stray_quote_does_not_mislead_the_delimiter(tmp_path):
    lines = ["item;descricao;valor"] + [
        f'{i};"Monitor 24 polegadas;{i},00' if i == 5 else f"{i};Produto {i};{i},00"
        for i in range(300)
    ]
    path = write(tmp_path, "t.csv", ("\n".join(lines) + "\n").encode())

    dialect = sniff(path, "csv")

    assert (dialect.delimiter, dialect.header_row) == (";", 1)


def test_tabnet_export_title_lines_total_row_and_footer_are_skipped():
    path = str(TABLES / "datasus_tabnet_sinan_tuberculose_2001-2019.csv")

    dialect = sniff(path, "csv")

    assert (dialect.encoding, dialect.delimiter, dialect.header_row) == ("cp1252", ";", 4)
    assert dialect.skip_rows[:3] == [1, 2, 3]
    assert 24 in dialect.skip_rows  # the "Total" row
    header, rows = iter_rows(path, dialect)
    assert header[0] == "Ano Diagnóstico"
    data = list(rows)
    assert [row[0] for row in data] == [str(year) for year in range(2001, 2020)]
    assert all(len(row) == 14 for row in data)


def test_sidra_export_junk_lines_and_merged_header_are_skipped():
    path = str(TABLES / "ibge_sidra_tabela3940_aquicultura_raw.csv")

    dialect = sniff(path, "csv")

    assert dialect.encoding == "iso-8859-1"
    assert dialect.header_row == 5  # after the title lines and the ";Ano;;" super-header
    assert dialect.skip_rows[:4] == [1, 2, 3, 4]
    header, rows = iter_rows(path, dialect)
    assert header == ["Município", "2014", "2015", "2016"]
    data = list(rows)
    assert data[0] == ["Alta Floresta D'Oeste (RO)", "11600", "21617", "16535"]
    assert data[-1][0] == "Brasília (DF)"  # the "Fonte: IBGE" footer is gone


def test_a_short_last_row_without_footer_marker_is_kept_for_the_report(tmp_path):
    content = "unidade;bairro;atendimentos\nUBS A;Centro;10\nUBS B;Jundiapeba;12\nUBS C\n"
    path = write(tmp_path, "t.csv", content.encode())

    dialect = sniff(path, "csv")

    assert dialect.skip_rows == []
    assert list(iter_rows(path, dialect)[1])[-1] == ["UBS C"]


def test_pt_br_conventions_are_noticed():
    path = str(TABLES / "mg_compras_covid19_raw_export.csv")

    dialect = sniff(path, "csv")

    assert (dialect.decimal_char, dialect.group_char) == (",", ".")
    assert dialect.date_format == "%d/%m/%Y"


def test_html_saved_as_csv_is_rejected_with_a_clear_message():
    path = str(TABLES / "federal_portaltransparencia_convenios_IS_ACTUALLY_HTML.csv")

    with pytest.raises(RejectedFile) as caught:
        sniff(path, "csv")

    assert caught.value.code == "html-file"
    assert "página HTML" in caught.value.message
    assert "Baixe a tabela novamente" in caught.value.message


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x00\x00", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"],
)
def test_binary_under_a_csv_name_is_rejected(tmp_path, content):
    path = write(tmp_path, "t.csv", content * 50)

    with pytest.raises(RejectedFile) as caught:
        sniff(path, "csv")

    assert caught.value.code == "binary-file"
    assert "binário" in caught.value.message


def test_a_spreadsheet_renamed_to_csv_is_rejected_naming_its_real_format(tmp_path):
    path = tmp_path / "planilha.csv"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")

    with pytest.raises(RejectedFile) as caught:
        sniff(str(path), "csv")

    assert caught.value.code == "binary-file"
    assert ".xlsx" in caught.value.message


def test_empty_file_is_rejected(tmp_path):
    with pytest.raises(RejectedFile) as caught:
        sniff(write(tmp_path, "t.csv", b"\n \n"), "csv")

    assert caught.value.code == "empty-file"
    assert "vazio" in caught.value.message


def test_an_html_table_exported_as_xls_is_rejected_with_advice(tmp_path):
    content = "<html><body><table><tr><td>Unidade</td></tr></table></body></html>"
    with pytest.raises(RejectedFile) as caught:
        sniff(write(tmp_path, "relatorio.xls", content.encode()), "XLS")

    assert caught.value.code == "html-file"
    assert "extensão de planilha, mas é uma página HTML" in caught.value.message
    assert "salve como XLSX ou CSV" in caught.value.message


def test_a_csv_declared_as_xlsx_is_rejected(tmp_path):
    with pytest.raises(RejectedFile) as caught:
        sniff(write(tmp_path, "t.xlsx", b"a;b\n1;2\n"), "XLSX")

    assert caught.value.code == "format-mismatch"
    assert "não é uma planilha" in caught.value.message


def test_real_xlsx_is_read_through_frictionless():
    path = str(TABLES / "mg_compras_coronavirus_published.xlsx")

    dialect = sniff(path, "xlsx")

    assert (dialect.format, dialect.encoding, dialect.header_row) == ("xlsx", None, 1)
    header, rows = iter_rows(path, dialect)
    assert header[0] == "NUMERO_PROCESSO_COMPRA"
    assert sum(1 for _ in rows) == 290  # 291 rows with the header, as PROVENANCE.md says


def test_format_is_found_from_the_content_when_not_declared():
    assert sniff(str(TABLES / "mg_compras_coronavirus_published.xlsx")).format == "xlsx"
    assert sniff(str(TABLES / "sjc_seducsp_escolas_municipais.csv")).format == "csv"


def test_dialect_round_trips_through_a_dict():
    dialect = Dialect(format="csv", encoding="cp1252", delimiter=";", header_row=4,
                      skip_rows=[1, 2, 3, 24], date_format="%d/%m/%Y")

    assert Dialect.from_dict(dialect.to_dict()) == dialect
    assert dialect.to_dict()["skip_rows"] == [1, 2, 3, 24]
