"""Plugin ``mogi_governance``: how the Secretaria de Transparência governs the
catalogue (wiring only).

History of each dataset (CKAN's ``activity`` plugin, with this bundle's own
events), freshness against the declared periodicity, e-mail reminders, link
checks, the panel per Secretaria, the public quality page and the quality
measurements of the DCAT-BR output. The logic lives in the plain modules
beside this one: the history in :mod:`.history` (and its snippets in
``templates/snippets/activities/``), the 404 of a private dataset's history
pages in :mod:`.guards`. List it before CKAN's ``activity`` plugin in
``ckan.plugins``: its templates override the activity plugin's.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p

from ckanext.mogi.common.signals import DATASTORE_LOADED, VALIDATION_VERDICT, signal
from ckanext.mogi.governance import guards, history


@p.toolkit.blanket.config_declarations
class MogiGovernancePlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.ISignal)
    p.implements(p.IActions)
    p.implements(p.IAuthFunctions)
    p.implements(p.ITemplateHelpers)
    p.implements(p.IBlueprint)

    # IConfigurer: the templates (the history's snippets of this bundle's events).
    def update_config(self, config: Any) -> None:
        p.toolkit.add_template_directory(config, "templates")

    # ISignal: the history records the validation's and the DataStore's events,
    # and narrows the labels of past activities when a dataset closes.
    def get_signal_subscriptions(self) -> dict[Any, list[Any]]:
        return {
            signal(VALIDATION_VERDICT): [history.on_verdict],
            signal(DATASTORE_LOADED): [history.on_datastore_loaded],
            p.toolkit.signals.action_succeeded: [
                {"sender": action, "receiver": history.on_dataset_changed}
                for action in history.CLOSING_ACTIONS
            ],
        }

    # IActions: CKAN's activity lists, without activities of unreadable datasets.
    def get_actions(self) -> dict[str, Any]:
        return history.get_actions()

    # IAuthFunctions: CKAN's activity_show auth without its server error.
    def get_auth_functions(self) -> dict[str, Any]:
        return history.get_auth_functions()

    # ITemplateHelpers: the types of this bundle's events (the history's filter).
    def get_helpers(self) -> dict[str, Any]:
        return {"mogi_history_types": history.activity_types}

    # IBlueprint: a private dataset's history pages are 404 for outsiders (guards.py).
    def get_blueprint(self) -> Any:
        return guards.get_blueprint()
