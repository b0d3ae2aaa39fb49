"""Plugin ``mogi_demo``: the demo catalogue's command (wiring only).

``ckan mogi demo load`` (:mod:`ckanext.mogi.demo.cli`) loads the catalogue of
the repository's ``demo/`` folder, which the wheel does not ship. The plugin
adds nothing else: a production portal may leave it out.
"""

from __future__ import annotations

import ckan.plugins as p
import click

from ckanext.mogi.common.interfaces import IMogiCommands


@p.toolkit.blanket.config_declarations
class MogiDemoPlugin(p.SingletonPlugin):
    p.implements(IMogiCommands)

    def mogi_commands(self) -> list[click.Command]:
        from ckanext.mogi.demo.cli import demo

        return [demo]
