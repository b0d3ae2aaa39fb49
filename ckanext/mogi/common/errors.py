"""Errors that one capability raises and another recognises."""

from __future__ import annotations

from ckan.lib.search.common import SearchQueryError


class QueryError(SearchQueryError):
    """A query the user wrote that cannot be run; the message says why.

    Raised by ``mogi_search``'s query parser; the DCAT catalogue passes its
    message on to the client (with Solr, CKAN's own errors are not shown).
    """
