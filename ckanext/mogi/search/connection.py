"""A pysolr-compatible connection answered by PostgreSQL.

CKAN's ``ckan.lib.search`` builds its index documents and its queries
itself and hands them to ``make_connection()``; this object takes Solr's
place there (see ``ckan_patch``), so everything above it - package_search,
package_show's cache, the CLI, ckanext-dcat, ckanext-harvest - is CKAN's
own code, unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pysolr
from ckan import model
from ckan.lib.search.common import SearchIndexError
from sqlalchemy.exc import SQLAlchemyError

from . import index, query


class PostgresSearchConnection:
    """The subset of :class:`pysolr.Solr` that CKAN uses."""

    url = "postgresql://(ckanext-mogi search index)"

    def search(self, q: str = "*:*", search_handler: str | None = None,
               **kwargs: Any) -> pysolr.Results:
        params = dict(kwargs, q=q)
        result = query.search(model.Session(), params)
        return pysolr.Results(result.as_solr())

    def add(self, docs: Iterable[Mapping[str, Any]], commit: bool = True,
            **_kwargs: Any) -> None:
        # ``commit`` is ignored on purpose: the row belongs to CKAN's
        # transaction and is committed (or rolled back) with the dataset.
        try:
            index.upsert(model.Session(), docs)
        except SQLAlchemyError as error:
            raise SearchIndexError(f"PostgreSQL search index: {error}") from error

    def delete(self, id: str | list[str] | None = None, q: str | None = None,
               commit: bool = True, **_kwargs: Any) -> None:
        session = model.Session()
        if not index.table_exists(session):
            return
        if id is not None:
            index.delete_ids(session, [id] if isinstance(id, str) else id)
        if q is not None:
            index.delete_ids(session, query.ids_matching(session, q))

    def commit(self, **_kwargs: Any) -> None:
        # Only CKAN's explicit commits (end of ``search-index rebuild``,
        # ``search.clear_all``) reach here; ``add``/``delete`` never commit.
        model.Session.commit()
