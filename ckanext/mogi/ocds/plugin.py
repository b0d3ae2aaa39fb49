"""Plugin ``mogi_ocds``: procurement processes as OCDS 1.1.5 (wiring only).

The conversion, packages and validation live in the plain modules beside
this one (:mod:`.releases`, :mod:`.check`); this plugin declares the options
(``config_declaration.yaml``) and adds ``ckan mogi ocds``.
"""

from __future__ import annotations

import ckan.plugins as p
import click

from ckanext.mogi.common.interfaces import IMogiCommands


@p.toolkit.blanket.config_declarations
class MogiOcdsPlugin(p.SingletonPlugin):
    p.implements(IMogiCommands)

    # IMogiCommands: ``ckan mogi ocds validate|convert``.
    def mogi_commands(self) -> list[click.Command]:
        from ckanext.mogi.ocds.cli import ocds

        return [ocds]
