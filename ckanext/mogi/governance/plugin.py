"""Plugin ``mogi_governance``: how the Secretaria de Transparência governs the
catalogue (wiring only).

History of each dataset (CKAN's ``activity`` plugin, with this bundle's own
events), freshness against the declared periodicity, e-mail reminders, link
checks, the panel per Secretaria, the public quality page and the quality
measurements of the DCAT-BR output. The logic lives in the plain modules
beside this one.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import click
from flask import Blueprint

from ckanext.mogi.common.interfaces import IMogiCommands
from ckanext.mogi.common.signals import WORKER_MAINTENANCE, signal
from ckanext.mogi.governance import pages, views


@p.toolkit.blanket.config_declarations
@p.toolkit.blanket.helpers(views.get_helpers)
class MogiGovernancePlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.IBlueprint)
    p.implements(p.ISignal)
    p.implements(IMogiCommands)

    # IConfigurer: the panel's and the public quality page's templates.
    def update_config(self, config: Any) -> None:
        p.toolkit.add_template_directory(config, "templates")

    # IBlueprint: /painel, /organization/<id>/painel, /transparencia/qualidade.
    def get_blueprint(self) -> list[Blueprint]:
        return [views.get_blueprint()]

    # ISignal: the panel's daily snapshot, at the worker's maintenance.
    def get_signal_subscriptions(self) -> dict[Any, list[Any]]:
        return {signal(WORKER_MAINTENANCE): [pages.on_maintenance]}

    # IMogiCommands: ``ckan mogi painel``.
    def mogi_commands(self) -> list[click.Command]:
        from ckanext.mogi.governance.cli import painel

        return [painel]
