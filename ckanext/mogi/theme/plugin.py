"""Plugin ``mogi_theme``: the Portuguese portal (wiring only)."""

from __future__ import annotations

from importlib import resources
from typing import Any

import ckan.plugins as p
from ckan.lib.plugins import DefaultTranslation
from flask import Blueprint

from ckanext.mogi.theme import helpers, views


@p.toolkit.blanket.config_declarations
class MogiThemePlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)
    p.implements(p.ITemplateHelpers)
    p.implements(p.IBlueprint)

    def update_config(self, config: Any) -> None:
        p.toolkit.add_template_directory(config, "templates")
        p.toolkit.add_public_directory(config, "public")
        p.toolkit.add_resource("assets", "mogi_theme")

    def get_helpers(self) -> dict[str, Any]:
        return helpers.get_helpers()

    def get_blueprint(self) -> Blueprint:
        blueprint = Blueprint("mogi_theme", __name__)
        blueprint.add_url_rule(views.API_HELP_RULE, "api_help", views.api_help,
                               methods=["GET"])
        return blueprint

    # ITranslation: the catalogue ships inside the wheel as ckanext.mogi.i18n.
    def i18n_directory(self) -> str:
        return str(resources.files("ckanext.mogi.i18n"))

    def i18n_domain(self) -> str:
        return "ckanext-mogi"
