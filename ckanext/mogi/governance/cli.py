"""``ckan mogi painel``: the quality panel's figures, and its daily snapshot.

Help texts and output are English msgids, shown in the site's language.
"""

from __future__ import annotations

import json
import sys

import click

from ckanext.mogi.common.i18n import N_, translate
from ckanext.mogi.governance import freshness, link_actions, pages, panel


@click.group(invoke_without_command=True,
             short_help=N_("Quality panel: the figures of each Secretaria."))
@click.option("--org", "org_name", default=None,
              help=N_("Only this organization (name or id)."))
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv",
              show_default=True, help=N_("Output format."))
@click.pass_context
def painel(ctx: click.Context, org_name: str | None, fmt: str) -> None:
    """The panel's indicators per Secretaria (every dataset, private ones included)."""
    if ctx.invoked_subcommand is not None:
        return
    orgs = pages.organizations()
    if org_name:
        org = pages.organization(org_name)
        if org is None:
            raise click.ClickException(
                translate(N_('There is no organization "{name}".')).format(name=org_name))
        orgs = [org]
    site = {"ignore_auth": True, "user": ""}
    rows = panel.rows(site, org_id=orgs[0]["id"] if org_name else None)
    counts = panel.summarise(rows, freshness.today(), panel.due_soon_days(),
                             [o["id"] for o in orgs], panel.lgpd_pending(rows),
                             link_actions.broken_by_dataset(r["id"] for r in rows))
    keys = list(panel.empty_counts())
    if fmt == "json":
        click.echo(json.dumps([{"organization": o["name"], "title": o["title"],
                                **counts[o["id"]]} for o in orgs],
                              ensure_ascii=False, indent=2))
        return
    header = [translate(N_("Organization")), translate(N_("Secretaria")),
              *(translate(panel.COUNT_LABELS[k]) for k in keys)]
    sys.stdout.buffer.write(pages.csv_bytes(
        header, [[o["name"], o["title"], *(counts[o["id"]][k] for k in keys)] for o in orgs]))


@painel.command("instantaneo",
                short_help=N_("Stores today's counts of every Secretaria (the charts' history)."))
def instantaneo() -> None:
    """Stores today's snapshot of the counts (taken daily by the job worker too)."""
    counts = pages.take_snapshot()
    click.echo(translate(N_("Snapshot stored for {count} organizations.")).format(
        count=len(counts)))
