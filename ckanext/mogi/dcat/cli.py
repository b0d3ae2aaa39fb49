"""``ckan mogi dcat ...``: the DCAT-BR catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk
import click
from ckan import model

from ckanext.mogi.dcat import shacl

#: Exit statuses of ``ckan mogi dcat validate``.
EXIT_VIOLATIONS = 1
EXIT_USAGE = 2


class DatasetError(Exception):
    """A --dataset that is not a public dataset (message in Portuguese)."""


def public_datasets(names: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """``package_show`` of each public dataset (as a visitor sees it), by name."""
    if not names:
        query = (model.Session.query(model.Package.name)
                 .filter_by(state="active", private=False, type="dataset")
                 .order_by(model.Package.name))
        names = tuple(name for (name,) in query)
    dicts = []
    for name in names:
        try:
            dataset = tk.get_action("package_show")({"user": ""}, {"id": name})
        except (tk.ObjectNotFound, tk.NotAuthorized):
            dataset = None
        if not dataset or dataset.get("private") or dataset.get("state") != "active":
            raise DatasetError(f"conjunto de dados público não encontrado: {name}")
        dicts.append(dataset)
    return dicts


@click.group(short_help="Catálogo DCAT-BR.")
def dcat() -> None:
    """The DCAT-BR catalogue of the portal."""


@dcat.command(
    "validate",
    short_help="Valida os conjuntos de dados públicos contra o DCAT-BR 1.0 (SHACL).",
    help=(
        "Gera o RDF DCAT-BR de cada conjunto de dados público (perfil dcat_br) e o "
        "valida com o pyshacl: shapes.ttl, range.ttl e mdr-vocabularies.shape.ttl "
        "(violações) e shapes_recommended.ttl (avisos), com os vocabulários do "
        "DCAT-BR. Mostra o resultado por conjunto de dados e termina com código 1 "
        "se houver alguma violação (2 se a pasta de padrões ou um conjunto não "
        "for encontrado)."
    ),
)
@click.option(
    "--standards",
    type=click.Path(path_type=Path),
    default=None,
    help=(
        "Pasta de padrões (com dcat-br/ dentro). Padrão: a opção "
        f"{shacl.STANDARDS_OPTION}, ou ../shared/standards."
    ),
)
@click.option(
    "--dataset",
    "names",
    multiple=True,
    metavar="NOME",
    help="Valida só este conjunto de dados (pode ser repetido). Padrão: todos os públicos.",
)
@click.pass_context
def validate(ctx: click.Context, standards: Path | None, names: tuple[str, ...]) -> None:
    """Validate the public datasets' DCAT-BR graphs with the DCAT-BR SHACL shapes."""
    try:
        loaded = shacl.Standards(shacl.resolve_standards(standards))
        datasets = public_datasets(names)
    except (shacl.StandardsError, DatasetError) as error:
        click.secho(f"Erro: {error}", err=True, fg="red")
        ctx.exit(EXIT_USAGE)
    graphs, omitted = {}, {}
    for dataset in datasets:
        graphs[dataset["name"]], omitted[dataset["name"]] = \
            shacl.dataset_graph_and_omitted(dataset)
    reports = shacl.validate_datasets(graphs, loaded, omitted)
    for report in reports:
        colour = "red" if report.violations else "yellow" if report.warnings else "green"
        for line in report.lines():
            click.secho(line, fg=colour)
    failed = any(report.violations for report in reports)
    click.secho(shacl.summary(reports), fg="red" if failed else "green", bold=True)
    if failed:
        ctx.exit(EXIT_VIOLATIONS)
