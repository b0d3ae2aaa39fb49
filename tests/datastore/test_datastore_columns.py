"""From a Table Schema to DataStore columns: the types and names API users
get, and the conversions of spreadsheet cells (``columns``)."""

from __future__ import annotations

import datetime as dt

import pytest

from ckanext.mogi.datastore.columns import column_ids, pg_pattern, plan


def test_types_follow_the_schema_and_anything_else_is_text():
    schema = {"fields": [{"name": n, "type": t} for n, t in (
        ("a", "string"), ("b", "integer"), ("c", "number"), ("d", "date"),
        ("e", "datetime"), ("f", "boolean"), ("g", "geopoint"), ("h", "year"), ("i", None))]}
    assert [c.type for c in plan(schema)] == [
        "text", "int8", "numeric", "date", "timestamp", "bool", "text", "text", "text"]


def test_info_carries_title_and_description():
    [column] = plan({"fields": [{"name": "vl", "type": "number", "title": "Valor (R$)",
                                 "description": "Valor empenhado."}]})
    assert column.info == {"label": "Valor (R$)", "notes": "Valor empenhado."}


def test_names_are_valid_and_distinct():
    assert column_ids(["_id", " Bairro ", "", "a\u0000b", 'x"y', "Bairro"]) == [
        "id", "Bairro", "campo3", "ab", "x'y", "Bairro_2"]
    long = "Código " * 20
    first, second = column_ids([long, long])
    assert len(first.encode()) <= 63 and len(second.encode()) <= 63
    assert second.endswith("_2") and first != second


@pytest.mark.parametrize(("fmt", "pattern"), [
    ("%d/%m/%Y", "DD/MM/YYYY"),
    ("%Y-%m-%dT%H:%M:%S", 'YYYY-MM-DD"T"HH24:MI:SS'),
    ("%d de %B de %Y", None),  # a code PostgreSQL's patterns lack: its own date input
])
def test_strptime_formats_as_postgresql_patterns(fmt, pattern):
    assert pg_pattern(fmt) == pattern


def test_spreadsheet_cells_become_plain_values():
    money, day, moment, flag, code, count = plan({"fields": [
        {"name": "v", "type": "number", "decimalChar": ",", "groupChar": "."},
        {"name": "d", "type": "date", "format": "%d/%m/%Y"},
        {"name": "m", "type": "datetime"},
        {"name": "b", "type": "boolean", "trueValues": ["S"], "falseValues": ["N"]},
        {"name": "c", "type": "string"},
        {"name": "n", "type": "integer"}], "missingValues": ["", "-"]})
    assert [money.canonical(v) for v in (1234.56, "1.234,56", 0.1, "-", None, 7)] == [
        "1234.56", "1234.56", "0.1", None, None, "7"]
    assert [day.canonical(v) for v in (dt.datetime(2024, 12, 31, 0, 0), "31/12/2024")] == [
        "2024-12-31", "2024-12-31"]
    assert moment.canonical(dt.datetime(2024, 12, 31, 14, 30)) == "2024-12-31 14:30:00"
    assert [flag.canonical(v) for v in ("S", "N", True, "?")] == ["true", "false", "true", None]
    assert [code.canonical(v) for v in ("00123", 123.0, 12.5)] == ["00123", "123", "12.5"]
    assert [count.canonical(v) for v in (1204.0, 12, "987")] == ["1204", "12", "987"]
