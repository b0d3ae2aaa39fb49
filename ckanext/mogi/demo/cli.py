"""``ckan mogi demo ...``."""

from __future__ import annotations

from pathlib import Path

import ckan.plugins.toolkit as tk
import click

from ckanext.mogi.common.i18n import LazyText as _
from ckanext.mogi.demo import catalogue, loader


@click.group(short_help=_("Demo catalogue."))
def demo() -> None:
    """The demo catalogue of Mogi das Cruzes."""


@demo.command(
    "load",
    short_help=_("Loads (or updates) the demo catalogue."),
    help=_(
        "Creates or updates the demo organizations, DCAT-BR themes and datasets, "
        "with files derived from the public tables. Can be run again without "
        "duplicating anything."
    ),
)
@click.option(
    "--source",
    type=click.Path(path_type=Path),
    default=None,
    help=_(
        "Folder with the public tables (with tables/ inside). Default: the option "
        "ckanext.mogi.demo.source_dir, or ../shared/data."
    ),
)
@click.option(
    "--catalogue",
    "catalogue_dir",
    type=click.Path(path_type=Path),
    default=None,
    help=_(
        "Folder with the demo catalogue's data files (datasets.yaml...). Default: the "
        "option ckanext.mogi.demo.catalogue_dir, or ./demo."
    ),
)
@click.pass_context
def load(ctx: click.Context, source: Path | None, catalogue_dir: Path | None) -> None:
    """Load the demo organizations, DCAT-BR themes and datasets; safe to re-run."""
    try:
        summary = loader.load_demo(
            loader.resolve_source(source), echo=click.echo,
            catalogue_dir=catalogue.resolve_folder(catalogue_dir),
        )
    except catalogue.DemoSourceError as error:
        click.secho(_("Error: {error}").format(error=error), err=True, fg="red")
        ctx.exit(1)
    except tk.ValidationError as error:
        click.secho(_("Validation error while loading the demo: {errors}").format(
            errors=error.error_dict), err=True, fg="red")
        ctx.exit(1)
    for line in summary.lines():
        click.secho(line, fg="green")
