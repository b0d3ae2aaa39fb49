"""``ckan mogi dcat ...``: the DCAT-BR catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk
import click
from ckan import model

from ckanext.mogi.common.i18n import N_, translate
from ckanext.mogi.dcat import shacl

#: Exit statuses of ``ckan mogi dcat validate``.
EXIT_VIOLATIONS = 1
EXIT_USAGE = 2


class DatasetError(Exception):
    """A --dataset that is not a public dataset (message translated)."""


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
            raise DatasetError(translate(N_("public dataset not found: {name}")).format(name=name))
        dicts.append(dataset)
    return dicts


@click.group(short_help=N_("DCAT-BR catalogue."))
def dcat() -> None:
    """The DCAT-BR catalogue of the portal."""


@dcat.command(
    "validate",
    short_help=N_("Validates the public datasets against DCAT-BR 1.0 (SHACL)."),
    help=N_(
        "Builds the DCAT-BR RDF of each public dataset (profile dcat_br) and "
        "validates it with pyshacl: shapes.ttl, range.ttl and "
        "mdr-vocabularies.shape.ttl (violations) and shapes_recommended.ttl "
        "(warnings), with the DCAT-BR vocabularies. Shows the result per "
        "dataset and ends with exit code 1 if there is any violation (2 if "
        "the standards folder or a dataset is not found)."),
)
@click.option(
    "--standards",
    type=click.Path(path_type=Path),
    default=None,
    help=N_(
        "Standards folder (with dcat-br/ inside). Default: the option "
        "ckanext.mogi.dcat.standards_dir, or ../shared/standards."),
)
@click.option(
    "--dataset",
    "names",
    multiple=True,
    metavar=N_("NAME"),
    help=N_("Validates only this dataset (may be repeated). Default: every public one."),
)
@click.pass_context
def validate(ctx: click.Context, standards: Path | None, names: tuple[str, ...]) -> None:
    """Validate the public datasets' DCAT-BR graphs with the DCAT-BR SHACL shapes."""
    try:
        loaded = shacl.Standards(shacl.resolve_standards(standards))
        datasets = public_datasets(names)
    except (shacl.StandardsError, DatasetError) as error:
        click.secho(translate(N_("Error: {error}")).format(error=error), err=True, fg="red")
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
