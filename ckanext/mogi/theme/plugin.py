"""Plugin ``mogi_theme``: the Portuguese portal (wiring only)."""

from __future__ import annotations

from importlib import resources
from typing import Any

import ckan.plugins as p
from ckan.lib.plugins import DefaultTranslation

from ckanext.mogi.config import declarations


@p.toolkit.blanket.config_declarations(declarations("mogi_theme"))
class MogiThemePlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)

    def update_config(self, config: Any) -> None:
        p.toolkit.add_template_directory(config, "templates")

    # ITranslation: the catalogue ships inside the wheel as ckanext.mogi.i18n.
    def i18n_directory(self) -> str:
        return str(resources.files("ckanext.mogi.i18n"))

    def i18n_domain(self) -> str:
        return "ckanext-mogi"
