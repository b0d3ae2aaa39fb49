"""Plugin ``mogi``: the ``ckan mogi ...`` command group (wiring only).

The group gathers the subgroups of every enabled plugin that implements
``IMogiCommands`` (:mod:`ckanext.mogi.cli`): ``dcat`` (``mogi_dcat``),
``validation`` (``mogi_validation``), ``demo`` (``mogi_demo``). The plugin
also declares the city's identity (``config_declaration.yaml``).

When the web application is built, it verifies every override of a CKAN
route or internal made by the enabled plugins (:mod:`ckanext.mogi.patches`).
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p

from ckanext.mogi import cli, patches


@p.toolkit.blanket.config_declarations
@p.toolkit.blanket.cli(cli.get_commands)
class MogiPlugin(p.SingletonPlugin):
    p.implements(p.IMiddleware, inherit=True)

    def make_middleware(self, app: Any, config: Any) -> Any:
        patches.verify(app)
        return app
