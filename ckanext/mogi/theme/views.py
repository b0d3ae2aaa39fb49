"""The portal's own pages: "Como usar a API" (catalogue and DataStore examples)."""

from __future__ import annotations

from ckan.plugins import toolkit

from ckanext.mogi.theme import datastore_api, helpers

#: Address of the API help page.
API_HELP_RULE = "/sobre/api"


def api_help() -> str:
    return toolkit.render("mogi/api_help.html", extra_vars={
        **helpers.api_examples(),
        **datastore_api.examples(),
        "site_url": toolkit.config.get("ckan.site_url").rstrip("/"),
    })
