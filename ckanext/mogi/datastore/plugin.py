"""Plugin ``mogi_datastore``: typed DataStore loads of validated tables (wiring only).

Needs CKAN's ``datastore`` plugin, ``mogi_validation`` (whose verdicts decide
which tables load) and, for the previews, ``datatables_view``. The decisions
and the job: :mod:`.jobs`; the load itself: :mod:`.loader`; the load state:
:mod:`.model` (migration ``ckanext/mogi/migration/mogi_datastore``).
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import click

from ckanext.mogi.common.interfaces import IMogiCommands
from ckanext.mogi.common.signals import VALIDATION_VERDICT, WORKER_MAINTENANCE, signal
from ckanext.mogi.datastore import actions, helpers, jobs


@p.toolkit.blanket.config_declarations
@p.toolkit.blanket.actions(actions.get_actions)
@p.toolkit.blanket.auth_functions(actions.get_auth_functions)
@p.toolkit.blanket.helpers(helpers.get_helpers)
class MogiDatastorePlugin(p.SingletonPlugin):
    p.implements(p.ISignal)
    p.implements(p.IResourceController, inherit=True)
    p.implements(IMogiCommands)

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
