"""Plugin ``mogi_governance``: how the Secretaria de Transparência governs the
catalogue (wiring only).

History of each dataset (CKAN's ``activity`` plugin, with this bundle's own
events), freshness against the declared periodicity, e-mail reminders, link
checks, the panel per Secretaria, the public quality page and the quality
measurements of the DCAT-BR output. The logic lives in the plain modules
beside this one: the history in :mod:`.history` (and its snippets in
``templates/snippets/activities/``), the 404 of a private dataset's history
pages in :mod:`.guards`; their tables: migration
``ckanext/mogi/migration/mogi_governance``. List it before CKAN's
``activity`` plugin in ``ckan.plugins``: its templates override the
activity plugin's.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import click
from flask import Blueprint

from ckanext.mogi.common.interfaces import IMogiCachedPages, IMogiCommands
from ckanext.mogi.common.signals import (
    DATASTORE_LOADED,
    VALIDATION_VERDICT,
    WORKER_MAINTENANCE,
    signal,
)
from ckanext.mogi.governance import (
    guards,
    history,
    link_actions,
    link_runs,
    pages,
    reminders,
    rendered,
    views,
)


@p.toolkit.blanket.config_declarations
class MogiGovernancePlugin(p.SingletonPlugin):
    p.implements(p.ISignal)
    p.implements(p.IActions)
    p.implements(p.IAuthFunctions)
    p.implements(p.ITemplateHelpers)
    p.implements(p.IConfigurer)
    p.implements(p.IBlueprint)
    p.implements(IMogiCommands)
    p.implements(IMogiCachedPages)

    # ISignal: the history records the validation's and the DataStore's events
    # and narrows the labels of past activities when a dataset closes; the
    # worker's periodic maintenance queues the link check, the day's reminders
    # and the panel's daily snapshot, each when due.
    def get_signal_subscriptions(self) -> dict[Any, list[Any]]:
        return {
            signal(VALIDATION_VERDICT): [history.on_verdict, rendered.bump],
            signal(DATASTORE_LOADED): [history.on_datastore_loaded],
            p.toolkit.signals.action_succeeded: [
                {"sender": action, "receiver": history.on_dataset_changed}
                for action in history.CLOSING_ACTIONS
            ],
            signal(WORKER_MAINTENANCE): [link_runs.on_maintenance,
                                         reminders.on_maintenance,
                                         pages.on_maintenance],
        }

    # IActions: CKAN's activity lists without activities of unreadable datasets
    # (history.py); the link checks (link_actions.py).
    def get_actions(self) -> dict[str, Any]:
        return {**history.get_actions(), **link_actions.get_actions()}

    # IAuthFunctions: CKAN's activity_show auth without its server error; the
    # link checks'.
    def get_auth_functions(self) -> dict[str, Any]:
        return {**history.get_auth_functions(), **link_actions.get_auth_functions()}

    # ITemplateHelpers: the history's event types, the link badge's, the panel's.
    def get_helpers(self) -> dict[str, Any]:
        return {"mogi_history_types": history.activity_types,
                **link_actions.get_helpers(), **views.get_helpers()}

    # IConfigurer: the history's snippets, the panel's, the public quality
    # page's and the link badge's templates; the reminders' e-mails.
    def update_config(self, config: Any) -> None:
        p.toolkit.add_template_directory(config, "templates")

    # IBlueprint: /painel, /organization/<id>/painel, /transparencia/qualidade;
    # a private dataset's history pages are 404 for outsiders (guards.py).
    def get_blueprint(self) -> list[Blueprint]:
        return [views.get_blueprint(), guards.get_blueprint()]

    # IMogiCachedPages: the public quality page, anonymous, kept whole by
    # mogi_search's page cache (public datasets only; link checks and the day
    # show within its time to live).
    def cached_page_paths(self) -> list[str]:
        return ["/transparencia/qualidade"]

    # IMogiCommands: ``ckan mogi links``, ``ckan mogi lembretes``, ``ckan mogi painel``.
    def mogi_commands(self) -> list[click.Command]:
        from ckanext.mogi.governance.cli import painel
        from ckanext.mogi.governance.link_cli import links
        from ckanext.mogi.governance.reminders_cli import lembretes

        return [links, lembretes, painel]
