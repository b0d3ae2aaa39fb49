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
from ckanext.mogi.governance import reminders


@p.toolkit.blanket.config_declarations
class MogiGovernancePlugin(p.SingletonPlugin):
    p.implements(p.ISignal)
    p.implements(IMogiCommands)

    # ISignal: the worker's periodic maintenance queues the day's reminders.
    def get_signal_subscriptions(self) -> dict[Any, list[Any]]:
        return {signal(WORKER_MAINTENANCE): [reminders.on_maintenance]}

    # IMogiCommands: ``ckan mogi lembretes ...``.
    def mogi_commands(self) -> list[click.Command]:
        from ckanext.mogi.governance.reminders_cli import lembretes

        return [lembretes]
