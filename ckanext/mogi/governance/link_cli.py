"""``ckan mogi links ...``: check the links of linked resources now, see the checks.

Help texts and output are English msgids, shown in the site's language.
"""

from __future__ import annotations

from collections import Counter

import click
from ckan import model

from ckanext.mogi.common import selection
from ckanext.mogi.common.dates import local_moment
from ckanext.mogi.common.i18n import N_, translate
from ckanext.mogi.common.jobs import job_status
from ckanext.mogi.governance import link_model, link_runs, linkcheck

#: How each outcome of the latest check is counted in ``status``.
COUNT_LABELS: dict[str | None, str] = {
    linkcheck.OK: N_("working"),
    linkcheck.HTTP_ERROR: N_("with an HTTP error"),
    linkcheck.REDIRECT_LOOP: N_("in a redirect loop"),
    linkcheck.TOO_MANY_REDIRECTS: N_("with too many redirects"),
    linkcheck.TIMEOUT: N_("without an answer in time"),
    linkcheck.UNREACHABLE: N_("with the server unreachable"),
    linkcheck.REFUSED: N_("refused (internal address, port or scheme)"),
    linkcheck.WRONG_TYPE: N_("with unexpected content"),
    None: N_("not checked yet"),
}

#: The scheduled run's job, as ``common.jobs.job_status`` says.
RUN_STATES = {
    "waiting": N_("A link check run is waiting in the queue."),
    "running": N_("A link check run is running."),
}


def _names() -> dict[str, str]:
    """Resource id -> ``dataset / resource`` of every linked resource."""
    res, pkg = model.Resource, model.Package
    query = link_runs.linked_resources().add_columns(pkg.name.label("dataset"), res.name)
    return {row.id: f"{row.dataset} / {row.name or row.id}"
            for row in model.Session.execute(query)}


@click.group(short_help=N_("Link checks: the links of the linked resources (check, status)."))
def links() -> None:
    """The checks of the links of linked resources."""


@links.command(
    "check",
    short_help=N_("Checks now the links of a dataset, an organization or the portal."),
    help=N_(
        "Checks now, here, the link of each linked resource (a link, not an uploaded "
        "file) of the chosen datasets: HTTP status, redirects, answer time and content "
        "type against the declared format, never fetching an internal address. The "
        "results are stored, as those of the scheduled run."
    ),
)
@selection.options(N_("Every linked resource of the portal."))
def check(datasets: tuple[str, ...], org: str | None, all_: bool) -> None:
    packages = selection.chosen(datasets, org, all_)
    chosen = link_runs.targets([pkg.id for pkg in packages])
    if not chosen:
        click.echo(translate(N_("No linked resource to check.")))
        return
    names = _names()
    counts: Counter[str] = Counter()
    for target, result in link_runs.check_targets(chosen):
        counts[result.outcome] += 1
        text = linkcheck.label(result.outcome, result.http_status, result.detail)
        if result.outcome != linkcheck.OK:
            text += " - " + linkcheck.message(result.outcome, result.http_status,
                                              result.final_url, result.redirects, result.detail)
        click.echo(f"{names.get(target.resource_id, target.resource_id)}: {text}")
    click.echo(translate(N_("{count} link(s) checked, {problems} with a problem.")).format(
        count=sum(counts.values()), problems=sum(counts.values()) - counts[linkcheck.OK]))


@links.command(
    "status",
    short_help=N_("The scheduled run and the links with a problem."),
    help=N_(
        "The scheduled link check (last run, next one queued or running), the number of "
        "linked resources by outcome of their latest check, then each link with a problem."
    ),
)
def status() -> None:
    state = link_model.run_state()
    model.Session.commit()
    click.echo(translate(N_(
        "Last run: started {started}, finished {finished}, {checked} link(s) checked.")).format(
        started=local_moment(state.get("started_at")) or "-",
        finished=local_moment(state.get("finished_at")) or "-",
        checked=state.get("checked") or 0))
    job = job_status(state["job_id"]) if state.get("job_id") else None
    if job:
        click.echo(translate(RUN_STATES[job]))
    res, check_table = model.Resource, link_model.check_table
    query = (link_runs.linked_resources()
             .add_columns(check_table.c.outcome, check_table.c.http_status,
                          check_table.c.detail, check_table.c.url.label("checked_url"))
             .outerjoin(check_table, check_table.c.resource_id == res.id))
    rows = model.Session.execute(query).all()
    counts: Counter[str | None] = Counter(
        row.outcome if row.checked_url == row.url else None for row in rows)
    summary = ", ".join(f"{counts[outcome]} {translate(COUNT_LABELS[outcome])}"
                        for outcome in COUNT_LABELS if counts[outcome])
    click.echo(translate(N_("{count} linked resource(s): {summary}.")).format(
        count=len(rows), summary=summary or "-"))
    names = _names()
    for row in sorted(rows, key=lambda r: names.get(r.id, r.id)):
        if row.checked_url == row.url and row.outcome in linkcheck.PROBLEMS:
            click.echo("  " + names.get(row.id, row.id) + ": "
                       + linkcheck.label(row.outcome, row.http_status, row.detail)
                       + f" ({row.url})")
