"""Plugin ``mogi_search``: PostgreSQL as CKAN's search engine (wiring only)."""

from __future__ import annotations

from typing import Any

import ckan.plugins as p

from ckanext.mogi.config import declarations

from . import ckan_patch


@p.toolkit.blanket.config_declarations(declarations("mogi_search"))
class MogiSearchPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)

    def update_config(self, config: Any) -> None:
        # Runs before CKAN's own start-up Solr check (environment.update_config).
        ckan_patch.verify()
        ckan_patch.apply()
