"""Every real table of ../shared/data/tables through upload, the real worker,
the verdict and the DataStore load, checked against a reading of the file
made here, independently (csv / openpyxl and Decimal): the row count, the
column types, the sums of the money columns, the first and last dates.

The files are read in place (never copied) and uploaded as staff do it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from ckan.tests import helpers

from ckanext.mogi.datastore import loader

pytestmark = pytest.mark.usefixtures("clean_db")

TABLES = Path(__file__).resolve().parents[3] / "shared" / "data" / "tables"
TABULAR = {".csv", ".tsv", ".xlsx", ".xls", ".ods"}
FILES = sorted(path for path in TABLES.iterdir() if path.suffix.lower() in TABULAR)
HTML_PAGE = "federal_portaltransparencia_convenios_IS_ACTUALLY_HTML.csv"
#: The DataStore type of each Table Schema type.
TYPES = {"string": "text", "integer": "int8", "number": "numeric", "date": "date",
         "datetime": "timestamp", "boolean": "bool"}


def _upload(app, dataset: dict[str, Any], path: Path, user: dict[str, Any]) -> dict[str, Any]:
    response = app.post(
        "/api/3/action/resource_create",
        data={"package_id": dataset["id"], "name": path.name,
              "format": path.suffix[1:].upper(),
              "upload": (io.BytesIO(path.read_bytes()), path.name)},
        headers={"Authorization": user["token"]},
        content_type="multipart/form-data", status=200)
    return response.json["result"]


# ----------------------------------------------- the file, read independently
def _file_rows(path: Path, dialect: dict[str, Any]) -> Iterator[list[Any]]:
    """The data rows of the file as its dialect describes it (header and
    skipped rows left out, empty lines too)."""
    skip = set(dialect.get("skip_rows") or [])
    if path.suffix.lower() == ".xlsx":
        sheet = openpyxl.load_workbook(path, read_only=True, data_only=True).worksheets[0]
        records: Iterator[list[Any]] = (list(row) for row in sheet.iter_rows(values_only=True))
    else:
        stream = path.open(encoding=dialect["encoding"], newline="")
        records = csv.reader(stream, delimiter=dialect["delimiter"])
    for number, record in enumerate(records, start=1):
        if number <= dialect["header_row"] or number in skip:
            continue
        if all(cell is None or str(cell).strip() == "" for cell in record):
            continue
        yield record


def _number(cell: Any, field: dict[str, Any], missing: list[str]) -> Decimal | None:
    if cell is None:
        return None
    if not isinstance(cell, str):
        return Decimal(repr(cell)) if isinstance(cell, float) else Decimal(cell)
    text = cell.strip()
    if text in missing:
        return None
    if field.get("groupChar"):
        text = text.replace(field["groupChar"], "")
    return Decimal(text.replace(field.get("decimalChar", "."), "."))


def _date(cell: Any, field: dict[str, Any], missing: list[str]) -> dt.date | None:
    if cell is None:
        return None
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    text = cell.strip()
    if text in missing:
        return None
    fmt = field.get("format")
    return dt.datetime.strptime(text, fmt if fmt and fmt != "default" else "%Y-%m-%d").date()


# ------------------------------------------------------------------- tests
@pytest.mark.parametrize("path", FILES, ids=[path.name for path in FILES])
def test_each_shared_table_is_loaded_as_the_file_reads(
        app, new_dataset, editor, validation_worker, api, path):
    dataset = new_dataset("tabela-real", private=False)
    resource = _upload(app, dataset, path, editor)
    validation_worker()
    validation = helpers.call_action("resource_validation_show", resource_id=resource["id"])

    if path.name == HTML_PAGE:  # a web page saved as .csv: fails, never loaded
        assert validation["status"] == "failure"
        assert not loader.table_exists(resource["id"])
        assert api("datastore_search", resource_id=resource["id"]).status_code in (403, 404)
        return

    assert validation["status"] == "success" and validation["cleared"], validation["error"]
    found = api("datastore_search", resource_id=resource["id"], limit=1)  # a visitor
    assert found.status_code == 200, found.json
    result = found.json["result"]
    fields = validation["schema"]["fields"]
    columns = [f for f in result["fields"] if f["id"] != "_id"]
    assert [c["type"] for c in columns] == [TYPES.get(f["type"], "text") for f in fields]

    rows = list(_file_rows(path, validation["dialect"]))
    assert result["total"] == len(rows)
    missing = validation["schema"].get("missingValues", [""])
    table = resource["id"]
    for index, (field, column) in enumerate(zip(fields, columns, strict=True)):
        if field["type"] == "number":
            expected = sum((value for row in rows
                            if (value := _number(row[index], field, missing)) is not None),
                           Decimal(0))
            answer = api("datastore_search_sql",
                         sql=f'SELECT sum("{column["id"]}") AS s FROM "{table}"').json
            got = answer["result"]["records"][0]["s"]
            assert Decimal(str(got or 0)) == expected, (path.name, field["name"])
        elif field["type"] == "date":
            dates = [value for row in rows
                     if (value := _date(row[index], field, missing)) is not None]
            answer = api("datastore_search_sql", sql=(
                f'SELECT min("{column["id"]}") AS a, max("{column["id"]}") AS b '
                f'FROM "{table}"')).json["result"]["records"][0]
            assert (answer["a"][:10], answer["b"][:10]) == (
                min(dates).isoformat(), max(dates).isoformat()), (path.name, field["name"])
