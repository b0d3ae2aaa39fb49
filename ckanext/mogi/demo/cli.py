"""``ckan mogi demo ...``."""

from __future__ import annotations

import click


@click.group(short_help="Catálogo de demonstração.")
def demo() -> None:
    """The demo catalogue of Mogi das Cruzes."""
