"""``ckan mogi ...``: one command group; each capability adds its subgroup.

Each capability's plugin implements :class:`~ckanext.mogi.common.interfaces.IMogiCommands`;
the group holds the subgroups of the plugins enabled, so ``mogi`` imports no
capability (and needs none of their dependencies). Help texts are English msgids,
shown in the site's language.
"""

from __future__ import annotations

import click
from ckan.plugins import PluginImplementations

from ckanext.mogi.common.i18n import N_, translated_command
from ckanext.mogi.common.interfaces import IMogiCommands


def get_commands() -> list[click.Command]:
    """The ``mogi`` group with the subgroups of every enabled capability."""

    @click.group(short_help=N_("Tools of the Mogi das Cruzes open-data portal."))
    def mogi() -> None:
        """Commands of the Mogi das Cruzes open-data portal."""

    for plugin in PluginImplementations(IMogiCommands):
        for command in plugin.mogi_commands():
            mogi.add_command(command)
    return [translated_command(mogi)]
