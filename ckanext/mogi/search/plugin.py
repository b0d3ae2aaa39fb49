"""Plugin ``mogi_search``: PostgreSQL as CKAN's search engine (wiring only)."""

from __future__ import annotations

from typing import Any

import ckan.plugins as p

from ckanext.mogi.common.interfaces import IMogiCachedPages

from . import cache, ckan_patch, limits, pagecache


@p.toolkit.blanket.config_declarations
class MogiSearchPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.IActions)
    p.implements(p.ITemplateHelpers)
    p.implements(p.IMiddleware, inherit=True)

    def update_config(self, config: Any) -> None:
        # Runs before CKAN's own start-up Solr check (environment.update_config).
        ckan_patch.verify()
        ckan_patch.apply()
        # Group and organization pages that survive a failed search.
        p.toolkit.add_template_directory(config, "templates")

    def get_actions(self) -> dict[str, Any]:
        # Checks package_search's parameters before CKAN's action reads them.
        return {"package_search": limits.package_search}

    def get_helpers(self) -> dict[str, Any]:
        # The index generation: other capabilities key their caches by it.
        return {"mogi_search_generation": cache.current_generation}

    def make_middleware(self, app: Any, config: Any) -> Any:
        # Anonymous home, search and dataset pages, kept per index generation,
        # and the anonymous pages other plugins declare (IMogiCachedPages).
        extra = [path for plugin in p.PluginImplementations(IMogiCachedPages)
                 for path in plugin.cached_page_paths()]
        return pagecache.PageCache(app, extra)
