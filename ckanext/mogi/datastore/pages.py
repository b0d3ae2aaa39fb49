"""What the dataset and resource pages show of a table's DataStore rows: the
data dictionary (each column's name, type, description and a few example
values), the line saying when the rows were loaded and how many there are,
and the link to the preview.

Everything here is read with the visitor's own context (CKAN fills in the
logged-in user; never ``ignore_auth``): the DataStore actions refuse a table
whose file the visitor may not download, and then these pages show nothing
of it, not even its column names.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ckan.plugins import toolkit

from ckanext.mogi.datastore import presentation

#: Rows read to pick example values from, examples shown per column, and
#: the length of an example beyond which it is cut (with an ellipsis).
SAMPLE_ROWS = 10
EXAMPLES_PER_COLUMN = 3
EXAMPLE_LENGTH = 60
#: The element of the resource page that holds the preview (the link's anchor).
PREVIEW_ANCHOR = "mogi-previa"


@dataclass(frozen=True)
class Column:
    """One column of the data dictionary."""

    name: str
    label: str
    type: str
    type_label: str
    description: str
    examples: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Loaded:
    """The rows visitors read now and the state of the table's loads.

    ``rows`` and ``when`` (day and time in the portal's time zone) describe the
    rows there are (None: none, or a table loaded outside the portal's loader:
    no date); ``state`` is the loader's (``queued``, ``loading``, ``loaded``,
    ``failed``, ``not_loaded`` or None) and ``error`` why its last attempt failed.
    """

    rows: int | None
    when: tuple[str, str] | None
    state: str | None = None
    error: str | None = None

    @property
    def in_progress(self) -> bool:
        return self.state in ("queued", "loading")


def _read(action: str, data_dict: dict[str, Any]) -> dict[str, Any] | None:
    """``action`` as the visitor (None when refused, missing or not loaded)."""
    try:
        return toolkit.get_action(action)({}, data_dict)
    except (toolkit.NotAuthorized, toolkit.ObjectNotFound, toolkit.ValidationError):
        return None


def may_read(resource: Mapping[str, Any]) -> bool:
    """Whether the visitor may read this resource's DataStore rows (an
    authorization check only: no query of the DataStore)."""
    if not resource.get("datastore_active"):
        return False
    try:
        toolkit.check_access("datastore_search", {}, {"resource_id": resource["id"]})
    except (toolkit.NotAuthorized, toolkit.ObjectNotFound):
        return False
    return True


def _examples(records: list[Mapping[str, Any]], name: str, column_type: str) -> list[str]:
    seen: list[str] = []
    for record in records:
        shown = presentation.display_value(record.get(name), column_type)
        if len(shown) > EXAMPLE_LENGTH:
            shown = shown[:EXAMPLE_LENGTH - 1].rstrip() + "…"
        if shown and shown not in seen:
            seen.append(shown)
        if len(seen) == EXAMPLES_PER_COLUMN:
            break
    return seen


def dictionary(resource_id: str) -> list[Column]:
    """The columns of a loaded table, as the visitor may see them (none when
    the table is not loaded or the visitor may not download its file)."""
    info = _read("datastore_info", {"id": resource_id})
    sample = _read("datastore_search", {"resource_id": resource_id, "limit": SAMPLE_ROWS,
                                        "include_total": False})
    if info is None or sample is None:
        return []
    records = sample.get("records") or []
    columns = []
    for spec in info.get("fields") or []:
        name = spec["id"]
        if name.startswith("_"):
            continue
        info_of = spec.get("info") or {}
        columns.append(Column(
            name=name,
            label=str(info_of.get("label") or name),
            type=spec["type"],
            type_label=presentation.type_label(spec["type"]),
            description=str(info_of.get("notes") or ""),
            examples=_examples(records, name, spec["type"]),
        ))
    return columns


def loaded(resource: Mapping[str, Any]) -> Loaded | None:
    """When the table's rows were loaded, how many there are and how its loads
    go (``mogi_datastore_status``), for a visitor who may read them; None for
    anyone else, and for a table the loader never dealt with that has no rows."""
    status = _read("mogi_datastore_status", {"resource_id": resource["id"]}) or {}
    if not may_read(resource):
        if status.get("state") in ("queued", "loading", "failed") and not status.get("rows"):
            return Loaded(rows=None, when=None, state=status["state"], error=status.get("error"))
        return None
    rows, when = status.get("rows"), status.get("loaded_at")
    if rows is None:
        # rows put there some other way (the DataStore API): CKAN's count
        info = _read("datastore_info", {"id": resource["id"]}) or {}
        rows = (info.get("meta") or {}).get("count")
    return Loaded(rows=None if rows is None else int(rows),
                  when=presentation.display_moment(when) if when else None,
                  state=status.get("state"), error=status.get("error"))


def preview_url(package: Mapping[str, Any], resource: Mapping[str, Any]) -> str | None:
    """The resource page's preview, for a table the visitor may read."""
    if not may_read(resource):
        return None
    page = toolkit.url_for(f"{package.get('type') or 'dataset'}_resource.read",
                           id=package["name"], resource_id=resource["id"])
    return f"{page}#{PREVIEW_ANCHOR}"


def get_helpers() -> dict[str, Callable[..., Any]]:
    return {
        "mogi_datastore_dictionary": dictionary,
        "mogi_datastore_loaded": loaded,
        "mogi_datastore_may_read": may_read,
        "mogi_datastore_preview_url": preview_url,
        "mogi_datastore_preview_anchor": lambda: PREVIEW_ANCHOR,
    }
