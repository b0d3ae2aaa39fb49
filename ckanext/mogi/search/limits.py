"""Limits on search parameters, checked before any SQL is built.

Bad input gets a Portuguese message, never a server error. Two layers:

* :func:`check_action_params`, from a chained ``package_search`` (see
  :func:`package_search`), on what the client sent. It exists because CKAN's
  own action reads ``include_private``, ``include_drafts``,
  ``include_deleted`` and ``use_default_schema`` with ``asbool``, which
  raises ``ValueError`` (a 500) on anything but a boolean, before the search
  reaches this backend.
* :func:`check_solr_params`, from :mod:`.query`, on what CKAN hands to
  "Solr": every caller of the search goes through it.

Errors are :class:`SearchParameterError`: a ``ValidationError`` for the
API (409 with the message under the parameter's name) that is also a
``SearchQueryError``, which CKAN's search pages already turn into a message
(the dataset page answers 400 with it; group and organization pages show it,
see the theme's ``mogi/snippets/search_error.html``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import suppress
from typing import Any

from ckan.common import _, asbool, config
from ckan.lib.search.common import SearchQueryError
from ckan.logic import ValidationError
from ckan.plugins import toolkit

# Read by CKAN's action with ``asbool`` before the search runs.
BOOLEAN_PARAMS = ("include_private", "include_drafts", "include_deleted",
                  "use_default_schema")
# Query text whose length is bounded (the rest is CKAN-built or validated).
QUERY_PARAMS = ("q", "fq", "fq_list")
INTEGER_PARAMS = ("start", "rows", "facet.limit", "facet.mincount")
# PostgreSQL's integer range: counts and offsets beyond it cannot be bound.
MAX_INT = 2**31 - 1


class SearchParameterError(ValidationError, SearchQueryError):
    """A search parameter the portal cannot run, with a Portuguese message."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__({field: [message]})
        self.message = message

    def __str__(self) -> str:
        return self.message


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def start_max() -> int:
    return min(config.get("ckanext.mogi.search.start_max"), MAX_INT)


def query_max_length() -> int:
    return config.get("ckanext.mogi.search.query_max_length")


def _check_text(params: Mapping[str, Any], bounded: tuple[str, ...]) -> None:
    """No NUL byte anywhere (PostgreSQL refuses them); ``bounded`` text not too long."""
    for field, value in params.items():
        if any("\x00" in s for s in _strings(value)):
            raise SearchParameterError(field, _(
                'The search parameter "{field}" contains an invalid character (NUL).'
            ).format(field=field))
    limit = query_max_length()
    for field in bounded:
        if any(len(s) > limit for s in _strings(params.get(field))):
            raise SearchParameterError(field, _(
                'The search in "{field}" is too long: at most {limit} characters.'
            ).format(field=field, limit=limit))


def _int(params: Mapping[str, Any], field: str, default: int) -> int:
    value = params.get(field)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise SearchParameterError(field, _('"{field}" must be a whole number.').format(
            field=field)) from error


def _check_start(params: Mapping[str, Any]) -> int:
    start = _int(params, "start", 0)
    if start < 0:
        raise SearchParameterError("start", _('"start" cannot be negative.'))
    if start > start_max():
        raise SearchParameterError("start", _(
            '"start" is too large: at most {limit}. Narrow the search down instead of '
            "paging this far.").format(limit=start_max()))
    return start


def check_action_params(data_dict: Mapping[str, Any]) -> None:
    """Refuse, with a message, ``package_search`` parameters that would fail later."""
    _check_parsed(data_dict, BOOLEAN_PARAMS, asbool, _('"{field}" must be true or false.'))
    _check_text(data_dict, QUERY_PARAMS)
    # CKAN's schema fails on "" (a 500).
    _check_parsed(data_dict, INTEGER_PARAMS, int, _('"{field}" must be a whole number.'))
    _check_start(data_dict)


def _check_parsed(data_dict: Mapping[str, Any], fields: Iterable[str],
                  parse: Callable[[Any], Any], message: str) -> None:
    """Each of ``fields`` that is present must parse, else ``message`` on it."""
    for field in fields:
        value = data_dict.get(field)
        if value is None:
            continue
        try:
            parse(value)
        except (TypeError, ValueError) as error:
            raise SearchParameterError(field, message.format(field=field)) from error


def check_solr_params(solr: Mapping[str, Any]) -> None:
    """What :mod:`.query` needs to hold before it builds SQL from ``solr``.

    Only ``q`` is bounded here: ``fq`` also holds CKAN's own filters (one
    permission label per organization of the user), bounded in the action.
    """
    _check_text(solr, ("q",))
    _check_start(solr)
    _int(solr, "rows", 10)
    _int(solr, "facet.limit", 0)
    _int(solr, "facet.mincount", 0)


def paging(solr: Mapping[str, Any]) -> tuple[int, int]:
    """``(rows, start)`` of checked parameters, within PostgreSQL's integers."""
    rows = min(max(0, _int(solr, "rows", 10)), MAX_INT)
    return rows, _check_start(solr)


def facet_bounds(solr: Mapping[str, Any], default_limit: int) -> tuple[int, int]:
    """``(limit, mincount)``: a negative limit means all values, as in Solr."""
    limit = min(_int(solr, "facet.limit", default_limit), MAX_INT)
    mincount = min(max(_int(solr, "facet.mincount", 0), 1), MAX_INT)
    return limit, mincount


def remember_error(error: SearchQueryError) -> None:
    """Keep the message for the page: CKAN's group and organization views
    catch the error and pass the template only ``query_error=True``."""
    # Without an application context (CLI, background job) nobody sees it.
    with suppress(RuntimeError):
        toolkit.g.mogi_search_error = str(error)


@toolkit.chained_action
@toolkit.side_effect_free
def package_search(up_func: Any, context: Any, data_dict: dict[str, Any]) -> Any:
    try:
        check_action_params(data_dict)
        return up_func(context, data_dict)
    except SearchQueryError as error:
        remember_error(error)
        raise
