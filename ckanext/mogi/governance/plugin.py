"""Plugin ``mogi_governance``: how the Secretaria de Transparência governs the
catalogue (wiring only).

History of each dataset (CKAN's ``activity`` plugin, with this bundle's own
events), freshness against the declared periodicity, e-mail reminders, link
checks, the panel per Secretaria, the public quality page and the quality
measurements of the DCAT-BR output. The logic lives in the plain modules
beside this one. The reminders' table: migration
``ckanext/mogi/migration/mogi_governance``.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import click

from ckanext.mogi.common.interfaces import IMogiCommands
from ckanext.mogi.common.signals import WORKER_MAINTENANCE, signal
from ckanext.mogi.governance import link_actions, link_runs, reminders


@p.toolkit.blanket.config_declarations
class MogiGovernancePlugin(p.SingletonPlugin):
    p.implements(p.ISignal)
    p.implements(p.IActions)
    p.implements(p.IAuthFunctions)
    p.implements(p.ITemplateHelpers)
    p.implements(p.IConfigurer)
    p.implements(IMogiCommands)

    # ISignal: the worker's periodic maintenance queues the link check and the
    # day's reminders when due.
    def get_signal_subscriptions(self) -> dict[Any, list[Any]]:
        return {signal(WORKER_MAINTENANCE): [link_runs.on_maintenance,
                                             reminders.on_maintenance]}

    # IActions, IAuthFunctions, ITemplateHelpers: the link checks (link_actions.py).
    def get_actions(self) -> dict[str, Any]:
        return {**link_actions.get_actions()}

    def get_auth_functions(self) -> dict[str, Any]:
        return {**link_actions.get_auth_functions()}

    def get_helpers(self) -> dict[str, Any]:
        return {**link_actions.get_helpers()}

    # IConfigurer: the resource page's link badge for staff; the reminders' e-mails.
    def update_config(self, config: Any) -> None:
        p.toolkit.add_template_directory(config, "templates")

    # IMogiCommands: ``ckan mogi links ...``, ``ckan mogi lembretes ...``.
    def mogi_commands(self) -> list[click.Command]:
        from ckanext.mogi.governance.link_cli import links
        from ckanext.mogi.governance.reminders_cli import lembretes

        return [links, lembretes]
