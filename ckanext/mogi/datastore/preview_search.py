"""The table preview's rows, searched in Portuguese.

CKAN's ``datatables_view`` answers the preview's requests for rows
(``/datatables/ajax/<view>``, endpoint ``datatablesview.ajax``) with
``datastore_search``, but:

* it asks for ``language: simple`` while the DataStore indexes each row in
  the site's full-text language (``ckan.datastore.default_fts_lang``,
  Portuguese here, where "gases" is indexed as "gas"): a search for a whole
  Portuguese word found nothing, in the table and in a column alike;
* it turns every character but ``0-9a-zA-Z-`` into a separator: "saúde"
  became "s" and "de", and "1234.56" (a decimal typed in a column filter)
  became "1234" and "56"; and two words had to stand side by side in the row.

This is CKAN 2.12's view (``ckanext.datatablesview.blueprint.ajax``) with the
table search and the text columns' filters in the site's language, letters of
every alphabet, digits and the decimal point kept, and every word looked for
on its own; a filter on a number, date or yes/no column asks for that value
(CKAN looked for its text in the row's full text, which holds the file's
"1.234,56" and "31/12/2024", never the stored "1234.56" and "2024-12-31").
``before_request`` answers the endpoint before CKAN's view runs (registered
in ``OVERRIDES``, checked at start-up). Rows are read with the visitor's
context: the DataStore's own checks decide what they may see.
"""

from __future__ import annotations

import json
import re
from html import escape
from typing import Any

from ckan.lib.helpers import decode_view_request_filters
from ckan.plugins import toolkit
from ckanext.datatablesview.blueprint import ESTIMATION_THRESHOLD, merge_filters
from flask import request

from ckanext.mogi.common import patches

ENDPOINT = "datatablesview.ajax"

OVERRIDES: tuple[patches.Override, ...] = (
    patches.Override("mogi_datastore", "endpoint", ENDPOINT,
                     "the table preview's search is in the site's full-text language"),
    patches.Override("mogi_datastore", "calls", "ajax",
                     "this module re-implements CKAN's view: same form fields",
                     module="ckanext.datatablesview.blueprint",
                     needs=("search[value]", "columns[%d][search][value]",
                            "order[%d][column]", "'language': u'simple'")),
)

#: What a search term keeps: letters and digits of any alphabet, "-" and ".";
#: anything else separates words (and never reaches the query's syntax).
_SEPARATORS = re.compile(r"[^\w.\-]+|_+")


def prefix_query(text: str) -> str:
    """``vacinação médicas`` -> ``vacinação:* & médicas:*``: every word, each
    as the start of a word of the row (what people type as they go)."""
    words = [word for word in _SEPARATORS.split(text) if re.search(r"[^\W_]", word)]
    return " & ".join(f"{word}:*" for word in words)


#: Column types searched by their words; any other column by its value.
_WORDS_TYPES = frozenset({"text", "varchar", "char", "citext", "name"})


def _indexed(form: Any, template: str) -> list[int]:
    found = []
    while template % len(found) in form:
        found.append(len(found))
    return found


JSON = {"Content-Type": "application/json"}
Answer = tuple[str, int, dict[str, str]]


def ajax(resource_view_id: str) -> Answer:
    form = request.form
    resource_view = toolkit.get_action("resource_view_show")({}, {"id": resource_view_id})
    view_filters = resource_view.get("filters", {})
    filters = merge_filters(view_filters, decode_view_request_filters())
    datastore_search = toolkit.get_action("datastore_search")
    try:
        unfiltered = datastore_search({}, {
            "resource_id": resource_view["resource_id"], "limit": 0,
            "filters": view_filters, "total_estimation_threshold": ESTIMATION_THRESHOLD,
        })
    except toolkit.ObjectNotFound:
        return json.dumps({"error": "Object not found"}), 404, JSON
    except toolkit.NotAuthorized:
        return json.dumps({"error": "Not Authorized"}), 403, JSON

    columns = [field["id"] for field in unfiltered["fields"]]
    if "show_fields" in resource_view:
        columns = [c for c in columns if c in resource_view["show_fields"]]
    sort = [
        columns[int(form[f"order[{i}][column]"])]
        + (" desc" if form[f"order[{i}][dir]"] == "desc" else " asc")
        for i in _indexed(form, "order[%d][column]")
    ]
    types = {field["id"]: field["type"] for field in unfiltered["fields"]}
    typed_filters: dict[str, str] = {}
    column_search: dict[str, str] = {}
    for i in _indexed(form, "columns[%d][search][value]"):
        name = str(form.get(f"columns[{i}][name]") or "")
        value = str(form[f"columns[{i}][search][value]"]).strip()
        if not value or name not in types:
            continue
        if types[name] in _WORDS_TYPES:
            if query_text := prefix_query(value):
                column_search[name] = query_text
        else:
            # a number, a date, yes/no: the value itself (the preview's script
            # sends it as the DataStore stores it: 1234.56, 2024-12-31, true)
            typed_filters[name] = value
    query: dict[str, Any] = {
        "q": column_search or prefix_query(str(form["search[value]"])),
        "language": toolkit.config.get("ckan.datastore.default_fts_lang"),
    }
    for name, value in typed_filters.items():
        if name in filters and value not in [str(v) for v in filters[name]]:
            # the view itself never shows that value (a filter only narrows)
            return _page(form, unfiltered, 0, [])
        filters[name] = [value]
    try:
        response = datastore_search({}, {
            **query,
            "resource_id": resource_view["resource_id"],
            "plain": False,
            "offset": int(form["start"]),
            "limit": int(form["length"]),
            "sort": ", ".join(sort),
            "filters": filters,
            "total_estimation_threshold": ESTIMATION_THRESHOLD,
        })
    except (toolkit.ValidationError, toolkit.NotAuthorized, toolkit.ObjectNotFound):
        return json.dumps({"error": "Invalid search query... " + str(query["q"])}), 400, JSON

    null_label = toolkit.h.datatablesview_null_label()
    data = []
    for row in response["records"]:
        record = {name: escape(str(null_label if row.get(name, "") is None
                                   else row.get(name, "")))
                  for name in columns}
        record["DT_RowId"] = "row" + str(row.get("_id", ""))
        data.append(record)
    return _page(form, unfiltered, response.get("total", 0), data)


def _page(form: Any, unfiltered: dict[str, Any], found: int,
          data: list[dict[str, str]]) -> Answer:
    return json.dumps({
        "draw": int(form["draw"]),
        "recordsTotal": unfiltered.get("total", 0),
        "recordsFiltered": found,
        "data": data,
        "total_was_estimated": unfiltered.get("total_was_estimated", False),
    }), 200, JSON


def before_request() -> Answer | None:
    """Answer the preview's requests for rows before CKAN's view does."""
    if request.endpoint != ENDPOINT or request.method != "POST":
        return None
    return ajax(**(request.view_args or {}))
