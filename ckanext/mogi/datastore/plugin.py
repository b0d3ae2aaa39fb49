"""Plugin ``mogi_datastore``: typed DataStore loads of validated tables (wiring only).

Needs CKAN's ``datastore`` plugin, ``mogi_validation`` (whose verdicts decide
which tables load) and, for the previews, ``datatables_view``. The decisions
and the job: :mod:`.jobs`; the load itself: :mod:`.loader`; the load state:
:mod:`.model` (migration ``ckanext/mogi/migration/mogi_datastore``). The
pages: :mod:`.pages` (data dictionary, rows line, preview link) and
:mod:`.preview_search` (the preview's search in Portuguese), with the
templates and assets of the Portuguese preview. List it before ``datastore``
and ``datatables_view`` in ``ckan.plugins``: its templates override theirs.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import click
from flask import Blueprint

from ckanext.mogi.common.interfaces import IMogiCommands
from ckanext.mogi.common.signals import VALIDATION_VERDICT, WORKER_MAINTENANCE, signal
from ckanext.mogi.datastore import actions, helpers, jobs, pages, preview_search


def _helpers() -> dict[str, Any]:
    return {**helpers.get_helpers(), **pages.get_helpers()}


@p.toolkit.blanket.config_declarations
@p.toolkit.blanket.actions(actions.get_actions)
@p.toolkit.blanket.auth_functions(actions.get_auth_functions)
@p.toolkit.blanket.helpers(_helpers)
class MogiDatastorePlugin(p.SingletonPlugin):
    p.implements(p.ISignal)
    p.implements(p.IResourceController, inherit=True)
    p.implements(IMogiCommands)
    p.implements(p.IConfigurer)
    p.implements(p.IBlueprint)

    # ISignal: a table's validation changed; the worker's periodic maintenance.
    def get_signal_subscriptions(self) -> dict[Any, list[Any]]:
        return {
            signal(VALIDATION_VERDICT): [jobs.on_verdict],
            signal(WORKER_MAINTENANCE): [jobs.on_maintenance],
        }

    # IResourceController: a deleted resource takes its rows along.
    def after_resource_delete(self, context: Any, resources: list[dict[str, Any]]) -> None:
        jobs.forget_deleted(context.get("package"))

    # IMogiCommands: ``ckan mogi datastore ...``.
    def mogi_commands(self) -> list[click.Command]:
        from ckanext.mogi.datastore.cli import datastore

        return [datastore]

    # IConfigurer: the preview's and the data dictionary's templates and assets.
    def update_config(self, config: Any) -> None:
        p.toolkit.add_template_directory(config, "templates")
        p.toolkit.add_resource("assets", "mogi_datastore")

    # IBlueprint: the table preview's search in Portuguese (preview_search.py).
    def get_blueprint(self) -> Blueprint:
        blueprint = Blueprint("mogi_datastore", __name__)
        blueprint.before_app_request(preview_search.before_request)
        return blueprint
