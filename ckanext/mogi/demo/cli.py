"""``ckan mogi demo ...``."""

from __future__ import annotations

from pathlib import Path

import ckan.plugins.toolkit as tk
import click

from ckanext.mogi.demo import loader


@click.group(short_help="Catálogo de demonstração.")
def demo() -> None:
    """The demo catalogue of Mogi das Cruzes."""


@demo.command(
    "load",
    short_help="Carrega (ou atualiza) o catálogo de demonstração.",
    help=(
        "Cria ou atualiza as organizações, os temas DCAT-BR e os conjuntos de dados "
        "de demonstração, com arquivos derivados das tabelas públicas. Pode ser "
        "executado novamente sem duplicar nada."
    ),
)
@click.option(
    "--source",
    type=click.Path(path_type=Path),
    default=None,
    help=(
        "Pasta com as tabelas públicas (com tables/ dentro). Padrão: a opção "
        f"{loader.SOURCE_OPTION}, ou ../shared/data."
    ),
)
@click.pass_context
def load(ctx: click.Context, source: Path | None) -> None:
    """Load the demo organizations, DCAT-BR themes and datasets; safe to re-run."""
    try:
        summary = loader.load_demo(loader.resolve_source(source), echo=click.echo)
    except loader.DemoSourceError as error:
        click.secho(f"Erro: {error}", err=True, fg="red")
        ctx.exit(1)
    except tk.ValidationError as error:
        click.secho(f"Erro de validação ao carregar a demonstração: {error.error_dict}",
                    err=True, fg="red")
        ctx.exit(1)
    for line in summary.lines():
        click.secho(line, fg="green")
