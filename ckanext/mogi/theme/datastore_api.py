"""The DataStore examples of the API help page (``/sobre/api``).

Built on a real table: the most recently updated public dataset with a
table in the DataStore that an anonymous visitor may query (CKAN's
``datastore_search`` answers it, as anonymous). The table's own columns and
first row give each example its column, value and word, so that every
example can be run as shown and returns rows. Without such a table (an empty
catalogue, no DataStore) the page says so and shows none.

Candidates are the loaded tables (``datastore_active``) of public active
datasets; each is then asked to CKAN's ``datastore_search`` as an anonymous
visitor, so a private or held table never reaches the page, whoever looks
at it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.plugins import toolkit
from sqlalchemy.dialects.postgresql import JSONB

from ckanext.mogi.theme.helpers import ApiExample

SEARCH = "/api/3/action/datastore_search"
SEARCH_SQL = "/api/3/action/datastore_search_sql"
EXPECT = '"success": true'
#: How many tables (of the public datasets updated last) are tried.
CANDIDATES = 20
NUMBER_TYPES = ("int", "int2", "int4", "int8", "numeric", "float4", "float8")
DATE_TYPES = ("date", "timestamp", "timestamptz")
#: A value short enough to read as a filter in the page.
MAX_FILTER_VALUE = 40
_WORD = re.compile(r"[^\W\d_]{4,}")
_PLAIN = re.compile(r"[a-z_][a-z0-9_]*")


def _anonymous() -> dict[str, Any]:
    return {"user": "", "ignore_auth": False}


def _public_tables() -> list[str]:
    """Resource ids of DataStore tables of public datasets, updated last first.

    CKAN does not index ``datastore_active``, so the resources say it: one
    query over the resources of public active datasets.
    """
    extras = sa.cast(model.resource_table.c.extras, JSONB)
    query = (sa.select(model.resource_table.c.id)
             .join(model.package_table,
                   model.package_table.c.id == model.resource_table.c.package_id)
             .where(model.package_table.c.state == "active",
                    model.package_table.c.private.is_(False),
                    model.resource_table.c.state == "active",
                    extras["datastore_active"].as_boolean().is_(True))
             .order_by(model.package_table.c.metadata_modified.desc(),
                       model.resource_table.c.position)
             .limit(CANDIDATES))
    return [str(resource_id) for (resource_id,) in model.Session.execute(query)]


def example_table() -> dict[str, Any] | None:
    """``datastore_search`` of the first row of a table anyone may query."""
    try:
        search = toolkit.get_action("datastore_search")
    except KeyError:  # the datastore plugin is not enabled
        return None
    for resource_id in _public_tables():
        try:
            answer = search(_anonymous(), {"resource_id": resource_id, "limit": 1})
        except (toolkit.ObjectNotFound, toolkit.NotAuthorized, toolkit.ValidationError):
            continue
        if answer.get("records"):
            return answer
    return None


def _quoted(identifier: str) -> str:
    """A PostgreSQL identifier in double quotes."""
    return '"' + identifier.replace('"', '""') + '"'


def _sort_key(column: str) -> str:
    """A column as ``sort`` takes it: quoted only when it must be."""
    return column if _PLAIN.fullmatch(column) else _quoted(column)


def _columns(answer: Mapping[str, Any]) -> dict[str, str]:
    """The table's own columns (not ``_id``, ``_full_text``) and their types."""
    return {f["id"]: f["type"] for f in answer["fields"] if not f["id"].startswith("_")}


def _pick(answer: Mapping[str, Any]) -> dict[str, Any]:
    """The column to filter on (and its value), the word to search, the column to sort by."""
    columns = _columns(answer)
    row = answer["records"][0]
    texts = [(c, str(row.get(c) or "").strip()) for c, t in columns.items() if t == "text"]
    texts = [(c, v) for c, v in texts if v]
    short = [(c, v) for c, v in texts if len(v) <= MAX_FILTER_VALUE]
    words = [w for _c, v in texts for w in _WORD.findall(v)]
    numbers = [c for c, t in columns.items() if t in NUMBER_TYPES]
    dates = [c for c, t in columns.items() if t in DATE_TYPES]
    return {
        "filter": short[0] if short else None,
        "word": max(words, key=len) if words else None,
        "number": numbers[0] if numbers else None,
        "sort": (numbers or dates or [None])[0],
    }


def examples() -> dict[str, Any]:
    """The DataStore examples (an empty list without a public table)."""
    answer = example_table()
    if answer is None:
        return {"datastore_examples": []}
    _ = toolkit._
    resource_id = answer["resource_id"]
    table = ("resource_id", resource_id)
    picked = _pick(answer)
    rows_max = int(toolkit.config.get("ckan.datastore.search.rows_max") or 32000)
    found = [ApiExample(
        _("Read the rows of a table"),
        _("Tables validated by the portal are loaded into the DataStore: datastore_search "
          "returns their columns (fields, with their types) and rows (records). The "
          "resource_id is the id in the table's address (.../resource/<id>)."),
        SEARCH, "application/json", EXPECT, params=(table, ("limit", "5")))]
    if picked["filter"]:
        column, value = picked["filter"]
        found.append(ApiExample(
            _("Filter the rows"),
            _("filters takes a JSON object that maps columns to values and returns only the "
              "rows with exactly those values; with several columns, every one must match. "
              "Here: the "
              "rows whose \"{column}\" is \"{value}\".").format(column=column, value=value),
            SEARCH, "application/json", EXPECT,
            params=(table, ("filters", json.dumps({column: value}, ensure_ascii=False)))))
    if picked["word"]:
        found.append(ApiExample(
            _("Search the text, in Portuguese"),
            _("q looks for words in every column, with the rules of Portuguese: other forms "
              "of a word (singular and plural, for instance) match too, and the best "
              "matches come first. Here: the rows that mention \"{word}\".").format(
                  word=picked["word"]),
            SEARCH, "application/json", EXPECT, params=(table, ("q", picked["word"]))))
    if picked["sort"]:
        found.append(ApiExample(
            _("Sort the rows"),
            _("sort takes a column followed by asc or desc, and optionally nulls first or "
              "nulls last (several separated by commas). Here: the largest \"{column}\" "
              "first, empty cells last.").format(column=picked["sort"]),
            SEARCH, "application/json", EXPECT,
            params=(table, ("sort", f"{_sort_key(picked['sort'])} desc nulls last"),
                    ("limit", "5"))))
    found.append(ApiExample(
        _("Page through the rows"),
        _("limit sets how many rows come per call (100 by default, at most {max}) and "
          "offset how many to skip; total tells how many rows match. Sorting by _id keeps "
          "the pages stable. Here: the second page of five rows.").format(
              max=f"{rows_max:,}".replace(",", ".")),
        SEARCH, "application/json", EXPECT,
        params=(table, ("sort", "_id"), ("limit", "5"), ("offset", "5"))))
    if picked["filter"]:
        column = picked["filter"][0]
        number = picked["number"]
        sum_part = f", SUM({_quoted(number)}) AS {_quoted(number)}" if number else ""
        sql = (f"SELECT {_quoted(column)}, COUNT(*) AS total{sum_part} "
               f"FROM {_quoted(resource_id)} GROUP BY {_quoted(column)} "
               f"ORDER BY total DESC, {_quoted(column)} LIMIT 5")
        description = (
            _("datastore_search_sql runs one read-only SELECT, in PostgreSQL's SQL; the "
              "table is named by its resource_id, in double quotes. Here: how many rows, "
              "and the sum of \"{number}\", for each \"{column}\".").format(
                  number=number, column=column) if number else
            _("datastore_search_sql runs one read-only SELECT, in PostgreSQL's SQL; the "
              "table is named by its resource_id, in double quotes. Here: how many rows "
              "for each \"{column}\".").format(column=column))
        found.append(ApiExample(_("Query with SQL"), description, SEARCH_SQL,
                                "application/json", EXPECT, params=(("sql", sql),)))
    return {"datastore_examples": found}
