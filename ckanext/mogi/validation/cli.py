"""``ckan mogi validation ...``: run validations, summarise them per Secretaria.

Help texts and output are English msgids, shown in the site's language
(``common.i18n.translate``: the CLI has no request).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

import click
from ckan import model

from ckanext.mogi.common import selection
from ckanext.mogi.common.i18n import N_, translate
from ckanext.mogi.common.i18n import translate_plural as ngettext
from ckanext.mogi.validation import jobs, tabular
from ckanext.mogi.validation import model as vmodel

REPORT_COLUMNS = (
    "organizacao",
    "sigla",
    "conjuntos",
    "tabelas",
    "validas",
    "com_erros",
    "erros",
    "pendentes",
    "lgpd_sinalizadas",
    "lgpd_justificadas",
)


class _Command(click.Command):
    """A command whose help texts (English msgids) are shown translated."""

    def get_short_help_str(self, limit: int = 45) -> str:
        return translate(self.short_help) if self.short_help else ""

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if self.help:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(translate(self.help))


class _Group(_Command, click.Group):
    command_class = _Command


class _Option(click.Option):
    """An option whose help text (an English msgid) is shown translated."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        record = super().get_help_record(ctx)
        if record is None or not self.help:
            return record
        return record[0], record[1].replace(self.help, translate(self.help), 1)


def _status(status: str, count: int = 1) -> str:
    """A status after a number of tables ("1 valid", "3 valid")."""
    labels = {
        "success": ngettext("valid", "valid", count),
        "failure": ngettext("with errors", "with errors", count),
        "error": ngettext("validation error", "with a validation error", count),
        "created": ngettext("queued", "queued", count),
        "running": ngettext("being validated", "being validated", count),
    }
    return labels.get(status, status)


def tables(
    datasets: Iterable[str] = (),
    org: str | None = None,
) -> list[tuple[model.Package, model.Resource]]:
    """Active tables of active datasets, by dataset (ids/names), organization, or all."""
    return tables_of(selection.packages(datasets, org))


def tables_of(packages: Iterable[model.Package]) -> list[tuple[model.Package, model.Resource]]:
    """The active tables (CSV, TSV, XLSX, XLS, ODS) of ``packages``."""
    return [
        (pkg, res)
        for pkg in packages
        for res in pkg.resources
        if res.state == "active" and tabular.table_format(tabular.resource_dict(res))
    ]


@click.group(cls=_Group, short_help=N_("Table validation (Frictionless and LGPD)."))
def validation() -> None:
    """Table validation of the portal."""


@validation.command(
    "run",
    short_help=N_("Validates the tables of a dataset, of an organization or of the whole portal."),
    help=N_(
        "Validates again the tables (CSV, TSV, XLSX, XLS, ODS) of the chosen datasets. "
        "By default it queues the validations for the worker (`ckan jobs worker`); with "
        "--sync it validates right here, one table after the other, with the same time "
        "and memory limits as the worker."
    ),
)
@selection.options(N_("Every table of the portal."))
@click.option("--sync", cls=_Option, is_flag=True, help=N_("Validates now, without the worker."))
def run(datasets: tuple[str, ...], org: str | None, all_: bool, sync: bool) -> None:
    selected = tables_of(selection.chosen(datasets, org, all_))
    if not selected:
        click.echo(translate(N_("No table to validate.")))
        return
    counts: dict[str, int] = {}
    for pkg, res in selected:
        status = _run_one(res.id, sync)
        counts[status] = counts.get(status, 0) + 1
        click.echo(f"{pkg.name} / {res.name or res.id}: {_status(status)}")
    summary = ", ".join(
        f"{count} {_status(status, count)}" for status, count in sorted(counts.items())
    )
    click.echo(
        translate(N_("{count} table(s): {summary}.")).format(count=len(selected), summary=summary)
    )


def _run_one(resource_id: str, sync: bool) -> str:
    res = model.Resource.get(resource_id)
    assert res is not None
    data = tabular.resource_dict(res)
    if not sync:
        vmodel.start(res.id, tabular.fingerprint(data), tabular.options_of(data))
        tabular.set_status(res, "created")
        model.Session.commit()
        jobs.enqueue(res.id)
        return "created"
    return jobs.run_job(res.id) or "error"


@validation.command(
    "reconcile",
    short_help=N_("Requeues lost validations (dead job, stopped worker, restarted Redis)."),
    help=N_(
        "Looks for tables with a pending validation whose job is no longer in the queue "
        "(dead worker or process, restarted Redis) and requeues them; after "
        "ckanext.mogi.validation.max_attempts attempts, it records an error and the file "
        "stays held. The worker (`ckan mogi validation worker`) does this by itself when "
        "it starts and periodically."
    ),
)
def reconcile_command() -> None:
    from ckanext.mogi.validation import reconcile

    result = reconcile.reconcile()
    click.echo(
        translate(N_("{requeued} validation(s) requeued, {failed} ended with an error.")).format(
            requeued=len(result.requeued), failed=len(result.failed)
        )
    )


@validation.command(
    "worker",
    short_help=N_("CKAN's job worker with the validation reconciler."),
    help=N_(
        "The same as `ckan jobs worker [QUEUES]...`, and besides it requeues the lost "
        "validations when it starts and every "
        "ckanext.mogi.validation.reconcile_interval seconds."
    ),
)
@click.argument("queues", nargs=-1)
@click.option("--burst", cls=_Option, is_flag=True, help=N_("Stops when the queues are empty."))
def worker_command(queues: tuple[str, ...], burst: bool) -> None:
    from ckanext.mogi.validation.worker import ReconcilingWorker

    ReconcilingWorker(list(queues) or None).work(burst=burst)


@validation.command(
    "report",
    short_help=N_("Summary of the validations per Secretaria (CSV or JSON)."),
    help=N_(
        "For each organization: datasets with tables, tables, valid, with errors, with a "
        "validation error, pending (queued, being validated or never validated), flagged "
        "by the personal data check (LGPD) and, of those, with a recorded justification. "
        "Private datasets included."
    ),
)
@click.option(
    "--format",
    "fmt",
    cls=_Option,
    type=click.Choice(["csv", "json"]),
    default="csv",
    show_default=True,
    help=N_("Output format."),
)
def report(fmt: str) -> None:
    rows = summary()
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=REPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    click.echo(out.getvalue(), nl=False)


def summary() -> list[dict[str, Any]]:
    """One row per organization with tables, sorted by name; then a total row."""
    from ckanext.mogi.validation import lgpd

    selected = tables()
    records = vmodel.latest_for([res.id for _pkg, res in selected])
    rows: dict[str, dict[str, Any]] = {}
    datasets: dict[str, set[str]] = {}
    for pkg, res in selected:
        group = model.Group.get(pkg.owner_org) if pkg.owner_org else None
        key = group.id if group else ""
        row = rows.setdefault(
            key,
            {
                "organizacao": group.title if group else translate(N_("(no organization)")),
                "sigla": (group.extras or {}).get("sigla", "") if group else "",
                **{column: 0 for column in REPORT_COLUMNS[2:]},
            },
        )
        datasets.setdefault(key, set()).add(pkg.id)
        row["tabelas"] += 1
        record = records.get(res.id)
        status = record["status"] if record else "created"
        column = {"success": "validas", "failure": "com_erros", "error": "erros"}.get(
            status, "pendentes"
        )
        row[column] += 1
        if record and lgpd.blocks_publication(record.get("lgpd")):
            row["lgpd_sinalizadas"] += 1
            if vmodel.justification(res.id, record.get("fingerprint")):
                row["lgpd_justificadas"] += 1
    for key, row in rows.items():
        row["conjuntos"] = len(datasets[key])
    ordered = sorted(rows.values(), key=lambda r: r["organizacao"])
    total = {
        "organizacao": translate(N_("Total")),
        "sigla": "",
        **{c: sum(r[c] for r in ordered) for c in REPORT_COLUMNS[2:]},
    }
    return [*ordered, total] if ordered else []
