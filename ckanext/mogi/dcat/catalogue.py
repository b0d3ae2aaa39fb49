"""The catalogue actions' logic: search, bad queries as validation errors, pages.

:mod:`ckanext.mogi.dcat.plugin` chains ckanext-dcat's ``dcat_catalog_show``,
``dcat_catalog_search`` and ``dcat_dataset_show`` to these functions. The
search and the paging are ckanext-dcat's own (same parameters, same
``hydra`` links); the RDF comes from :mod:`ckanext.mogi.dcat.fragments`.
"""

from __future__ import annotations

from typing import Any

from ckan.lib.search.common import SearchError
from ckan.plugins import toolkit as tk
from ckanext.dcat import logic as dcat_logic

from ckanext.mogi.common.errors import QueryError
from ckanext.mogi.dcat import fragments


def search_error_message(error: SearchError) -> str:
    """What to tell the client about a search it asked for and that cannot run."""
    message = tk._("The search filters (q, fq) could not be understood: check quotes, "
                   "parentheses and field names.")
    if isinstance(error, QueryError) and str(error):
        return f"{message} {error}"
    return message


def page(context: dict[str, Any], data_dict: dict[str, Any]) -> str:
    """One catalogue page (``data_dict`` as ``dcat_catalog_show`` takes it).

    A ``q``/``fq`` the search cannot run raises ``ValidationError`` (the
    views answer 400), not a server error.
    """
    try:
        query = dcat_logic._search_ckan_datasets(context, data_dict)
    except SearchError as error:
        raise tk.ValidationError({"fq": [search_error_message(error)]}) from error
    pagination = dcat_logic._pagination_info(query, data_dict)
    return fragments.serialize_catalog(query["results"], data_dict.get("format"),
                                       data_dict.get("profiles"), pagination)


def dataset(context: dict[str, Any], data_dict: dict[str, Any]) -> str:
    """One dataset's RDF (``data_dict`` as ``dcat_dataset_show`` takes it)."""
    dataset_dict = tk.get_action("package_show")(context, data_dict)
    return fragments.serialize_dataset(dataset_dict, data_dict.get("format"),
                                       data_dict.get("profiles"))
