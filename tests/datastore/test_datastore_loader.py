"""The typed load itself (``loader.load_file``): every table format, the
Brazilian conventions, the column names CKAN accepts, and the all-or-nothing
swap. The rows are read back as visitors' SQL reads them: through the
DataStore's read-only role."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import ezodf
import openpyxl
import pytest
import sqlalchemy as sa
from ckan.plugins import toolkit

from ckanext.mogi.datastore import loader

CSV = {"format": "csv", "encoding": "cp1252", "delimiter": ";", "header_row": 1,
       "skip_rows": []}
MONEY = {"name": "valor", "type": "number", "decimalChar": ",", "groupChar": "."}


@pytest.fixture
def table() -> Iterator[str]:
    """A DataStore table name of this test (dropped afterwards)."""
    name = str(uuid.uuid4())
    yield name
    loader.drop_table(name)


def read(table: str, sql: str = 'SELECT * FROM "{table}" ORDER BY _id') -> list[dict[str, Any]]:
    """Rows as the read-only role sees them (``_full_text`` left out)."""
    engine = sa.create_engine(toolkit.config["ckan.datastore.read_url"], poolclass=sa.NullPool)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text(sql.format(table=table))).mappings().all()
    finally:
        engine.dispose()
    return [{k: v for k, v in row.items() if k != "_full_text"} for row in rows]


def column_types(table: str) -> dict[str, str]:
    rows = read(table, "SELECT column_name AS c, data_type AS t FROM information_schema.columns "
                       "WHERE table_name = '{table}' ORDER BY ordinal_position")
    return {row["c"]: row["t"] for row in rows}


def write(tmp_path: Path, name: str, text: str, encoding: str = "cp1252") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_a_tabnet_export_with_title_lines_and_footer(tmp_path, table):
    text = ("Ministério da Saúde - SINAN\r\nCasos confirmados\r\n\r\n"
            "Município;2023;2024\r\n"
            "Mogi das Cruzes;1.204;987\r\n"
            "Suzano;-;12\r\n"
            "Total;1.204;999\r\n"
            "Fonte: SINAN\r\nNotas: dados preliminares\r\n")
    dialect = {**CSV, "header_row": 4, "skip_rows": [1, 2, 3, 7, 8, 9]}
    schema = {"fields": [{"name": "Município", "type": "string"},
                         {"name": "2023", "type": "integer", "groupChar": "."},
                         {"name": "2024", "type": "integer", "groupChar": "."}],
              "missingValues": ["", "-"]}

    result = loader.load_file(write(tmp_path, "tabnet.csv", text), dialect, schema, table)

    assert result.rows == 2
    assert read(table) == [
        {"_id": 1, "Município": "Mogi das Cruzes", "2023": 1204, "2024": 987},
        {"_id": 2, "Município": "Suzano", "2023": None, "2024": 12},
    ]


def test_money_is_exact_and_dates_day_first(tmp_path, table):
    text = "data;valor\r\n31/12/2024;0,10\r\n01/02/2024;0,20\r\n15/07/2023;1.234.567,89\r\n"
    schema = {"fields": [{"name": "data", "type": "date", "format": "%d/%m/%Y"}, MONEY]}

    loader.load_file(write(tmp_path, "valores.csv", text), CSV, schema, table)

    assert column_types(table) == {"_id": "integer", "_full_text": "tsvector",
                                   "data": "date", "valor": "numeric"}
    [total] = read(table, 'SELECT sum(valor) AS s, min(data) AS a, max(data) AS b '
                          'FROM "{table}"')
    assert total == {"s": Decimal("1234568.19"), "a": dt.date(2023, 7, 15),
                     "b": dt.date(2024, 12, 31)}


def test_booleans_datetimes_and_quoted_lines(tmp_path, table):
    text = ('nome;quando;ativo;obs\n'
            '"Braz Cubas";31/12/2024 14:30;Sim;"linha 1\nlinha 2; com ponto e vírgula"\n'
            'Centro;01/01/2025 08:05;Não;""\n')
    schema = {"fields": [
        {"name": "nome", "type": "string"},
        {"name": "quando", "type": "datetime", "format": "%d/%m/%Y %H:%M"},
        {"name": "ativo", "type": "boolean"},
        {"name": "obs", "type": "string"}]}

    loader.load_file(write(tmp_path, "b.csv", text), CSV, schema, table)

    assert read(table) == [
        {"_id": 1, "nome": "Braz Cubas", "quando": dt.datetime(2024, 12, 31, 14, 30),
         "ativo": True, "obs": "linha 1\nlinha 2; com ponto e vírgula"},
        {"_id": 2, "nome": "Centro", "quando": dt.datetime(2025, 1, 1, 8, 5),
         "ativo": False, "obs": None},
    ]


def test_tsv_in_utf8_and_csv_in_utf16(tmp_path, table):
    schema = {"fields": [{"name": "codigo", "type": "string"},
                         {"name": "bairro", "type": "string"}]}
    text = "codigo\tbairro\n00123\tJundiapeba\n04567\tCésar de Souza\n"
    tsv = {"format": "tsv", "encoding": "utf-8", "header_row": 1}
    loader.load_file(write(tmp_path, "t.tsv", text, "utf-8"), tsv, schema, table)
    expected = [{"_id": 1, "codigo": "00123", "bairro": "Jundiapeba"},
                {"_id": 2, "codigo": "04567", "bairro": "César de Souza"}]
    assert read(table) == expected

    utf16 = {**CSV, "encoding": "utf-16", "delimiter": ","}
    loader.load_file(write(tmp_path, "u.csv", text.replace("\t", ","), "utf-16"), utf16,
                     schema, table)
    assert read(table) == expected


@pytest.mark.parametrize("text", [
    'nome;valor\nTV 5" tela plana;10,00\nRádio;5,50\n',  # a quote inside a field
    "nome;valor\r\nTV tela plana;10,00\nRádio;5,50\r\n",  # line ends change midway
], ids=["quote-inside-a-field", "mixed-line-ends"])
def test_quirks_postgresql_reads_otherwise_are_read_as_the_validation_does(
        tmp_path, table, text):
    schema = {"fields": [{"name": "nome", "type": "string"}, MONEY]}

    result = loader.load_file(write(tmp_path, "q.csv", text), CSV, schema, table,
                              expected_rows=2)

    assert result.rows == 2
    assert [row["valor"] for row in read(table)] == [Decimal("10.00"), Decimal("5.50")]
    assert read(table)[0]["nome"] in ('TV 5" tela plana', "TV tela plana")


def _sheet_rows() -> list[list[Any]]:
    return [["codigo", "unidade", "inauguracao", "custo", "atendimentos", "ativa"],
            ["0001", "UBS Jundiapeba", dt.datetime(2024, 12, 31), 1234.56, 1204, True],
            [None, None, None, None, None, None],
            ["0002", "UBS Braz Cubas", dt.datetime(2023, 2, 1), 0.1, 987, False]]


SHEET_SCHEMA = {"fields": [
    {"name": "codigo", "type": "string"}, {"name": "unidade", "type": "string"},
    {"name": "inauguracao", "type": "date"}, {"name": "custo", "type": "number"},
    {"name": "atendimentos", "type": "integer"}, {"name": "ativa", "type": "boolean"}]}
SHEET_ROWS = [
    {"_id": 1, "codigo": "0001", "unidade": "UBS Jundiapeba",
     "inauguracao": dt.date(2024, 12, 31), "custo": Decimal("1234.56"),
     "atendimentos": 1204, "ativa": True},
    {"_id": 2, "codigo": "0002", "unidade": "UBS Braz Cubas",
     "inauguracao": dt.date(2023, 2, 1), "custo": Decimal("0.1"),
     "atendimentos": 987, "ativa": False},
]


def test_xlsx(tmp_path, table):
    book = openpyxl.Workbook()
    for row in _sheet_rows():
        book.active.append(row)
    path = tmp_path / "unidades.xlsx"
    book.save(path)

    loader.load_file(str(path), {"format": "xlsx", "header_row": 1}, SHEET_SCHEMA, table)

    assert read(table) == SHEET_ROWS


def test_ods(tmp_path, table):
    path = tmp_path / "unidades.ods"
    document = ezodf.newdoc(doctype="ods", filename=str(path))
    rows = _sheet_rows()
    sheet = ezodf.Sheet("Planilha1", size=(len(rows), len(rows[0])))
    document.sheets += sheet
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, dt.datetime):
                sheet[r, c].set_value(value.date().isoformat(), value_type="date")
            elif isinstance(value, bool):
                sheet[r, c].set_value(value, value_type="boolean")
            elif value is not None:
                sheet[r, c].set_value(value)
    document.save()

    loader.load_file(str(path), {"format": "ods", "header_row": 1}, SHEET_SCHEMA, table)

    assert read(table) == SHEET_ROWS


def test_column_names_ckan_accepts(tmp_path, table):
    long = "Valor " + "muito " * 12 + "comprido"
    text = f'_id;"aspas ""x""";;{long};{long}\r\n1;2;3;4;5\r\n'
    schema = {"fields": [{"name": "_id"}, {"name": 'aspas "x"'}, {"name": ""},
                         {"name": long}, {"name": long}]}

    result = loader.load_file(write(tmp_path, "n.csv", text), CSV, schema, table)

    names = [field["id"] for field in result.fields]
    assert names[:3] == ["id", "aspas 'x'", "campo3"]
    assert all(len(name.encode("utf-8")) <= 63 for name in names)
    assert len(set(names)) == 5 and names[4].endswith("_2")
    # The original name stays visible as the column's label.
    assert result.fields[0]["info"] == {"label": "_id"}
    assert list(read(table)[0].values()) == [1, "1", "2", "3", "4", "5"]


def test_a_failed_reload_leaves_the_old_rows(tmp_path, table):
    schema = {"fields": [{"name": "bairro", "type": "string"}, MONEY]}
    loader.load_file(write(tmp_path, "a.csv", "bairro;valor\nCentro;1,50\n"), CSV, schema,
                     table)

    with pytest.raises(loader.LoadError) as raised:
        loader.load_file(write(tmp_path, "b.csv", "bairro;valor\nCentro;um real\n"), CSV,
                         schema, table)

    assert "não pôde ser gravado com o tipo da sua coluna" in raised.value.message
    assert read(table) == [{"_id": 1, "bairro": "Centro", "valor": Decimal("1.50")}]


def test_visitors_read_the_old_rows_until_the_new_ones_commit(tmp_path, table):
    schema = {"fields": [{"name": "bairro", "type": "string"}, MONEY]}
    loader.load_file(write(tmp_path, "a.csv", "bairro;valor\nCentro;1,50\n"), CSV, schema,
                     table)
    seen_during_load = []

    def before_swap() -> None:  # the new table is built, not yet swapped in
        seen_during_load.extend(read(table))

    result = loader.load_file(
        write(tmp_path, "b.csv", "bairro;valor\nJundiapeba;2,00\nBraz Cubas;3,00\n"), CSV,
        schema, table, before_swap=before_swap)

    assert seen_during_load == [{"_id": 1, "bairro": "Centro", "valor": Decimal("1.50")}]
    assert result.rows == 2
    assert [row["bairro"] for row in read(table)] == ["Jundiapeba", "Braz Cubas"]
    # No leftover of the build: only the resource's table is listed.
    listed = read(table, "SELECT name FROM _table_metadata WHERE name LIKE '%mogi_load%'")
    assert listed == []
