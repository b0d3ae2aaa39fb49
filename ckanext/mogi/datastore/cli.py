"""``ckan mogi datastore ...``: load tables into the DataStore, see their state.

Help texts and output are English msgids, shown in the site's language
(the ``mogi`` group translates the help; output goes through ``translate``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import click
from ckan import model

from ckanext.mogi.common import selection
from ckanext.mogi.common.dates import local_moment
from ckanext.mogi.common.i18n import N_, translate
from ckanext.mogi.datastore import jobs
from ckanext.mogi.datastore import model as dmodel

#: How each load state reads in the output.
STATE_LABELS = {
    dmodel.QUEUED: N_("in the queue"),
    dmodel.LOADING: N_("loading"),
    dmodel.LOADED: N_("loaded"),
    dmodel.FAILED: N_("load failed"),
    dmodel.NOT_LOADED: N_("not loaded"),
    None: N_("never loaded"),
}


def validated_tables(packages: Iterable[model.Package]
                     ) -> list[tuple[model.Package, model.Resource]]:
    """The active tables of ``packages`` that the validation knows."""
    return [(pkg, res) for pkg in packages for res in pkg.resources
            if res.state == "active" and "validation_status" in (res.extras or {})]


def _name(pkg: model.Package, res: model.Resource) -> str:
    return f"{pkg.name} / {res.name or res.id}"


@click.group(short_help=N_("DataStore: the rows of the validated tables (loads, state)."))
def datastore() -> None:
    """The DataStore loads of the portal's tables."""


@datastore.command(
    "load",
    short_help=N_("Loads the validated tables of a dataset, an organization or the portal."),
    help=N_(
        "Loads into the DataStore the rows of the chosen tables that their validation "
        "cleared (typed by the table's schema), and drops the rows of those it does not "
        "clear. By default it queues the loads for the worker; with --sync it loads them "
        "here, one after the other."
    ),
)
@selection.options(N_("Every table of the portal."))
@click.option("--sync", is_flag=True, help=N_("Loads now, without the worker."))
def load(datasets: tuple[str, ...], org: str | None, all_: bool, sync: bool) -> None:
    selected = validated_tables(selection.chosen(datasets, org, all_))
    if not selected:
        click.echo(translate(N_("No validated table to load.")))
        return
    counts: dict[Any, int] = {}
    for pkg, res in selected:
        state = _load_one(res.id, sync)
        counts[state] = counts.get(state, 0) + 1
        click.echo(f"{_name(pkg, res)}: {translate(STATE_LABELS[state])}")
    summary = ", ".join(f"{count} {translate(STATE_LABELS[state])}"
                        for state, count in sorted(counts.items(), key=lambda i: str(i[0])))
    click.echo(translate(N_("{count} table(s): {summary}.")).format(
        count=len(selected), summary=summary))


def _load_one(resource_id: str, sync: bool) -> str | None:
    if sync:
        return jobs.load_resource(resource_id).get("state")
    decision = jobs.decide(jobs.validation_of(resource_id))
    if decision == jobs.LOAD:
        jobs.enqueue(resource_id)
    elif decision == jobs.DROP:
        jobs.drop_rows(resource_id)
    return (dmodel.get(resource_id) or {}).get("state")


@datastore.command(
    "status",
    short_help=N_("The DataStore state of every validated table."),
    help=N_(
        "For each validated table: its load state, rows and when they were loaded, and "
        "the last error; then the tables that their validation cleared but whose rows "
        "are not loaded (a lost job: `ckan mogi datastore reconcile` queues them again)."
    ),
)
def status() -> None:
    selected = validated_tables(selection.packages())
    rows = dmodel.get_many([res.id for _pkg, res in selected])
    missing = []
    for pkg, res in selected:
        row = rows.get(res.id) or {}
        parts = [translate(STATE_LABELS[row.get("state")])]
        if row.get("loaded_at"):
            parts.append(translate(N_("{rows} rows loaded on {moment}")).format(
                rows=row.get("rows"), moment=local_moment(row["loaded_at"])))
        if row.get("error"):
            parts.append(translate(N_("last error: {error}")).format(error=row["error"]))
        click.echo(f"{_name(pkg, res)}: " + "; ".join(parts))
        if jobs.pending_load(res.id, jobs.validation_of(res.id), row or None):
            missing.append(_name(pkg, res))
    click.echo(translate(N_("{count} table(s) cleared by the validation but not loaded.")).format(
        count=len(missing)))
    for name in missing:
        click.echo(f"  {name}")


@datastore.command(
    "reconcile",
    short_help=N_("Queues again the loads whose job was lost."),
    help=N_(
        "Queues again the load of every table that its validation cleared but whose "
        "rows are not loaded and whose job is gone (dead worker, restarted Redis), up to "
        "ckanext.mogi.datastore.max_attempts times, and drops the rows of tables whose "
        "validation no longer clears them. The worker (`ckan mogi validation worker`) "
        "does this by itself periodically."
    ),
)
def reconcile_command() -> None:
    summary = jobs.reconcile()
    click.echo(translate(N_(
        "{requeued} load(s) queued again, {failed} given up, {dropped} dropped.")).format(
        requeued=len(summary.requeued), failed=len(summary.failed),
        dropped=len(summary.dropped)))
