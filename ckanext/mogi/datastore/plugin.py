"""Plugin ``mogi_datastore``: typed DataStore loads of validated tables (wiring only).

Needs CKAN's ``datastore`` plugin (and ``datatables_view`` for the previews).
List it before both in ``ckan.plugins``: its templates (the Portuguese preview
and data dictionary) override theirs.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
from flask import Blueprint

from ckanext.mogi.datastore import pages, preview_search


@p.toolkit.blanket.config_declarations
class MogiDatastorePlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.ITemplateHelpers)
    p.implements(p.IBlueprint)

    def update_config(self, config: Any) -> None:
        p.toolkit.add_template_directory(config, "templates")
        p.toolkit.add_resource("assets", "mogi_datastore")

    def get_helpers(self) -> dict[str, Any]:
        return pages.get_helpers()

    # IBlueprint: the table preview's search in Portuguese (preview_search.py).
    def get_blueprint(self) -> Blueprint:
        blueprint = Blueprint("mogi_datastore", __name__)
        blueprint.before_app_request(preview_search.before_request)
        return blueprint
