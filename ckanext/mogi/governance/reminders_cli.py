"""``ckan mogi lembretes ...``: the e-mail reminders of due and overdue updates.

Help texts and output are English msgids, shown in the site's language.
"""

from __future__ import annotations

import click

from ckanext.mogi.common.i18n import N_, translate
from ckanext.mogi.governance import reminders


@click.group(short_help=N_("Reminders: e-mails about updates due soon or overdue."))
def lembretes() -> None:
    """The e-mail reminders of the datasets' expected updates."""


@lembretes.command(
    "enviar",
    short_help=N_("Sends today's reminders that were not sent yet."),
    help=N_(
        "E-mails the contact of each dataset whose update is due soon or overdue, "
        "with a copy to the admins of its Secretaria; each reminder goes once per "
        "expected date. With --dry-run it lists who would get what, without sending "
        "or recording anything."
    ),
)
@click.option("--dry-run", is_flag=True,
              help=N_("Lists the reminders without sending or recording them."))
def enviar(dry_run: bool) -> None:
    if not reminders.site_enabled():
        click.echo(translate(N_("Reminders are turned off on this site "
                                "(ckanext.mogi.governance.reminders.enabled).")))
        return
    outcome = reminders.send(dry_run=dry_run)
    line = translate(N_("{dataset} ({kind}, {due}) -> {email}"))
    for reminder, recipient in outcome.sent:
        click.echo(line.format(dataset=reminder.dataset["name"],
                               kind=translate(reminders.KIND_LABELS[reminder.kind]),
                               due=reminders.format_date(reminder.due), email=recipient.email))
    summary = N_("{sent} would be sent, {skipped} already sent.") if dry_run else N_(
        "{sent} sent, {skipped} already sent, {failed} failed.")
    click.echo(translate(summary).format(sent=len(outcome.sent), skipped=len(outcome.skipped),
                                         failed=len(outcome.failed)))
    if outcome.failed:
        raise SystemExit(1)
