"""``ckan mogi ...``: one command group; each capability adds its subgroup."""

from __future__ import annotations

import click

from ckanext.mogi.dcat.cli import dcat
from ckanext.mogi.demo.cli import demo
from ckanext.mogi.validation.cli import validation


@click.group(short_help="Ferramentas do portal de dados abertos de Mogi das Cruzes.")
def mogi() -> None:
    """Commands of the Mogi das Cruzes open-data portal."""


mogi.add_command(demo)
mogi.add_command(dcat)
mogi.add_command(validation)


def get_commands() -> list[click.Command]:
    return [mogi]
