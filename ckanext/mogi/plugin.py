"""Plugin ``mogi``: the ``ckan mogi ...`` command group (wiring only)."""

from __future__ import annotations

import ckan.plugins as p

from ckanext.mogi import cli
from ckanext.mogi.config import declarations


@p.toolkit.blanket.config_declarations(declarations("mogi"))
@p.toolkit.blanket.cli(cli.get_commands)
class MogiPlugin(p.SingletonPlugin):
    pass
