"""Plugin ``mogi_ocds``: the city's procurement processes as OCDS 1.1.5 (wiring only).

The conversion, packages and validation: :mod:`.releases` (with :mod:`.mapping`,
:mod:`.dump`, :mod:`.check`) and ``ckan mogi ocds``. The import of dumps and
library tables and its job: :mod:`.imports` (tables of :mod:`.model`,
migration ``ckanext/mogi/migration/mogi_ocds``). The publication under
``/ocds`` and the citizens' pages under ``/licitacoes``: :mod:`.views`. The
DCAT-BR distribution: :mod:`.distribution`. The options:
``config_declaration.yaml``.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import click
from flask import Blueprint

from ckanext.mogi.common.interfaces import IMogiCachedPages, IMogiCommands, IMogiDistributions
from ckanext.mogi.common.signals import (
    DATASTORE_LOADED,
    VALIDATION_VERDICT,
    WORKER_MAINTENANCE,
    signal,
)
from ckanext.mogi.ocds import distribution, imports, pages, views


@p.toolkit.blanket.config_declarations
@p.toolkit.blanket.helpers(pages.get_helpers)
class MogiOcdsPlugin(p.SingletonPlugin):
    p.implements(IMogiCommands)
    p.implements(p.ISignal)
    p.implements(p.IResourceController, inherit=True)
    p.implements(p.IConfigurer)
    p.implements(p.IBlueprint)
    p.implements(IMogiDistributions)
    p.implements(IMogiCachedPages)

    # IMogiCommands: ``ckan mogi ocds validate|convert``.
    def mogi_commands(self) -> list[click.Command]:
        from ckanext.mogi.ocds.cli import ocds

        return [ocds]

    # ISignal: a dataset or resource saved (once committed) queues the import
    # of its JSON resources; a library table's rows loaded, its verdict
    # changed; the worker's maintenance requeues lost imports.
    def get_signal_subscriptions(self) -> dict[Any, list[Any]]:
        return {
            p.toolkit.signals.action_succeeded: [
                {"sender": action, "receiver": imports.on_saved}
                for action in imports.SAVING_ACTIONS
            ],
            signal(DATASTORE_LOADED): [imports.on_datastore_loaded],
            signal(VALIDATION_VERDICT): [imports.on_verdict],
            signal(WORKER_MAINTENANCE): [imports.on_maintenance],
        }

    # IResourceController: a deleted resource takes its releases along.
    def after_resource_delete(self, context: Any, resources: list[dict[str, Any]]) -> None:
        imports.on_resource_deleted(context.get("package"))

    # IConfigurer: the pages' templates.
    def update_config(self, config: Any) -> None:
        p.toolkit.add_template_directory(config, "templates")

    # IBlueprint: /ocds/... and /licitacoes/...
    def get_blueprint(self) -> Blueprint:
        return views.get_blueprint()

    # IMogiDistributions: the OCDS distribution of the DCAT-BR catalogue.
    def dataset_distributions(self, dataset_dict: Any) -> list[dict[str, Any]]:
        return distribution.dataset_distributions(dataset_dict)

    # IMogiCachedPages: the citizens' pages, kept whole for anonymous visitors
    # by mogi_search's page cache (public processes only; a dataset made
    # private leaves them at once, a new import shows within its time to live).
    def cached_page_paths(self) -> list[str]:
        return [r"/licitacoes/?", r"/licitacoes/[^/]+"]
