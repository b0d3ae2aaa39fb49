"""Choosing datasets on the command line: ``--dataset ID`` (may be repeated),
``--org ID`` or ``--all`` (``ckan mogi validation run``, ``ckan mogi datastore load``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import click
from ckan import model

from ckanext.mogi.common.i18n import N_, TranslatableError, translate


class SelectionError(TranslatableError):
    """An unknown --dataset or --org."""


def options(everything: str) -> Callable[[Any], Any]:
    """The three options of a command; ``everything`` is the help of ``--all``."""

    def decorate(command: Any) -> Any:
        command = click.option("--all", "all_", is_flag=True, help=everything)(command)
        command = click.option("--org", metavar="ID",
                               help=N_("Organization (id or name)."))(command)
        return click.option("--dataset", "datasets", multiple=True, metavar="ID",
                            help=N_("Dataset (id or name); may be repeated."))(command)

    return decorate


def packages(datasets: Iterable[str] = (), org: str | None = None) -> list[model.Package]:
    """Active datasets: those named, those of the organization, or all (by name)."""
    query = model.Session.query(model.Package).filter(model.Package.state == "active")
    wanted = list(datasets)
    if wanted:
        found = []
        for ref in wanted:
            pkg = model.Package.get(ref)
            if pkg is None or pkg.state != "active":
                raise SelectionError(N_("dataset not found: {ref}"), ref=ref)
            found.append(pkg)
        return found
    if org:
        group = model.Group.get(org)
        if group is None or not group.is_organization:
            raise SelectionError(N_("organization not found: {ref}"), ref=org)
        query = query.filter(model.Package.owner_org == group.id)
    return query.order_by(model.Package.name).all()


def chosen(datasets: tuple[str, ...], org: str | None, all_: bool) -> list[model.Package]:
    """The datasets the options choose; exactly one option must be given."""
    if sum((bool(datasets), bool(org), all_)) != 1:
        raise click.UsageError(
            translate(N_("Choose exactly one option: --dataset, --org or --all.")))
    try:
        return packages(datasets, org)
    except SelectionError as exc:
        raise click.ClickException(exc.message) from exc
