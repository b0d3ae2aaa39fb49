"""Write CKAN's index documents into the search table.

CKAN builds the document (after every ``before_dataset_index`` hook, with
``permission_labels``) and hands it to the connection; this module turns it
into one row. It writes through CKAN's own SQLAlchemy session, so the row
is part of the same transaction as the dataset change: if the action rolls
back, so does the index.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from . import fields, text
from .model import generation_table, search_table

# PostgreSQL refuses a tsvector over 1 MB; resource-heavy datasets are cut.
_MAX_TEXT = 200_000


def as_strings(value: Any) -> list[str]:
    """A document value as the list of strings it matches (Solr's view)."""
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple | set):
        return [s for item in value for s in as_strings(item)]
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, dict):
        return [json.dumps(value, sort_keys=True, default=str)]
    return [str(value)]


def _parse_date(value: Any) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def build_row(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The search-table row for one CKAN index document."""
    stored = {k: v for k, v in doc.items() if k not in fields.BLOB_FIELDS}
    weighted: dict[str, list[str]] = {"A": [], "B": [], "C": [], "D": []}
    ftext: dict[str, str] = {}
    # Exact-match values, each once per dataset (so facets count datasets,
    # as Solr does). Text fields live in ``ftext``/``tsv`` only: keeping
    # ``fields`` small keeps it in the row, where filters read it cheaply.
    values: dict[str, list[str]] = {}
    for key, value in stored.items():
        strings = as_strings(value)
        if not strings:
            continue
        joined = " ".join(strings)
        if fields.kind_of(key) is fields.Kind.TEXT:
            ftext[key] = " ".join(text.terms(joined[:_MAX_TEXT]))
        else:
            values[key] = list(dict.fromkeys(strings))
        weight = fields.weight_of(key)
        if weight:
            weighted[weight].append(joined)

    title = str(doc.get("title") or doc.get("name") or "")
    return {
        "index_id": doc["index_id"],
        "doc": json.loads(json.dumps(stored, default=str)),
        "data_dict": doc.get("data_dict"),
        "validated_data_dict": doc.get("validated_data_dict"),
        "fields": values,
        "ftext": ftext,
        "weighted": {
            w: " ".join(text.terms(" ".join(parts)[:_MAX_TEXT])) for w, parts in weighted.items()
        },
        **{column: (values.get(column, []) if is_list else (values.get(column) or [None])[0])
           for column, is_list in fields.COLUMNS.items()},
        "metadata_created": _parse_date(doc.get("metadata_created")),
        "metadata_modified": _parse_date(doc.get("metadata_modified")),
        "title_sort": text.fold(title).strip(),
    }


def _tsvector(weighted: Mapping[str, str]) -> Any:
    parts = [
        sa.func.setweight(sa.func.to_tsvector(sa.literal_column("'simple'::regconfig"),
                                              weighted[w]), w)
        for w in ("A", "B", "C", "D")
    ]
    return parts[0].op("||")(parts[1]).op("||")(parts[2]).op("||")(parts[3])


def touch(session: Session) -> None:
    """Record that the index changed (new generation token, same transaction)."""
    token = sa.func.md5(sa.func.concat(sa.func.random(), sa.func.clock_timestamp()))
    stmt = insert(generation_table).values(id=1, token=token)
    session.execute(stmt.on_conflict_do_update(index_elements=[generation_table.c.id],
                                               set_={"token": stmt.excluded.token}))


def upsert(session: Session, docs: Iterable[Mapping[str, Any]]) -> None:
    """Insert or replace the rows of ``docs`` (keyed by ``index_id``)."""
    touch(session)
    for doc in docs:
        row = build_row(doc)
        row["tsv"] = _tsvector(row.pop("weighted"))
        stmt = insert(search_table).values(**row)
        stmt = stmt.on_conflict_do_update(
            index_elements=[search_table.c.index_id],
            set_={c: stmt.excluded[c] for c in row if c != "index_id"},
        )
        session.execute(stmt)


def delete_ids(session: Session, index_ids: Iterable[str]) -> None:
    """Remove rows by ``index_id``."""
    touch(session)
    session.execute(sa.delete(search_table).where(search_table.c.index_id.in_(list(index_ids))))


def table_exists(session: Session) -> bool:
    """Whether the migration that creates the search table has run."""
    found = session.execute(sa.text("SELECT to_regclass(:t)"), {"t": search_table.name})
    return found.scalar() is not None
