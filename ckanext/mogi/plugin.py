"""Plugin ``mogi``: the ``ckan mogi ...`` command group (wiring only).

The group gathers the subgroups of every enabled plugin that implements
``IMogiCommands`` (:mod:`ckanext.mogi.cli`); this plugin adds the demo
catalogue's (``ckan mogi demo ...``), which has no plugin of its own.

When the web application is built, it verifies every override of a CKAN
route or internal made by the enabled plugins (:mod:`ckanext.mogi.patches`).
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import click

from ckanext.mogi import cli, patches
from ckanext.mogi.common.interfaces import IMogiCommands


@p.toolkit.blanket.config_declarations
@p.toolkit.blanket.cli(cli.get_commands)
class MogiPlugin(p.SingletonPlugin):
    p.implements(IMogiCommands)
    p.implements(p.IMiddleware, inherit=True)

    def make_middleware(self, app: Any, config: Any) -> Any:
        patches.verify(app)
        return app

    def mogi_commands(self) -> list[click.Command]:
        from ckanext.mogi.demo.cli import demo

        return [demo]
