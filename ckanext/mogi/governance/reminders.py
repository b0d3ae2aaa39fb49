"""E-mail reminders: a dataset's update is due soon, or overdue.

Once a day (the job worker's maintenance signal queues the day's run once,
:func:`queue_today`; or ``ckan mogi lembretes enviar``), every scheduled
dataset is judged by :func:`~ckanext.mogi.governance.freshness.status`
against its ``proxima_atualizacao``: ``days_before`` days before that date
its contact and its Secretaria's admins get a "due soon" reminder; past it,
an "overdue" one. Each goes once per due date, kind and recipient
(:mod:`.reminder_log`); a new update of the data moves the due date, so the
next period gets its own reminders.

Who gets it:

- the dataset's contact (``maintainer_email``, "E-mail da área técnica");
  for a PRIVATE dataset only when that address belongs to someone entitled
  to see it (a member of its Secretaria, or a sysadmin): the title of a
  private dataset never goes to an outsider;
- a copy to each admin of the Secretaria. CKAN's mailer sends a message to
  one recipient (SMTP envelope), so each admin gets their own copy, which
  says they are copied and who the contact is; a Cc header would name
  people the server never delivers to.

Settings: the site's ``ckanext.mogi.governance.reminders.enabled`` (when
false, nothing is sent anywhere) and ``...reminders.days_before``; each
Secretaria may turn its reminders off (field ``lembretes``: ``nao``) and
choose its own days before (``lembretes_dias_antes``); without them it
follows the site.

The texts are templates (``templates/emails/``) in the site's language.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import sqlalchemy as sa
from ckan import model
from ckan.lib import jobs as ckan_jobs
from ckan.lib import mailer
from ckan.plugins import toolkit

from ckanext.mogi.common import vocabularies
from ckanext.mogi.common.i18n import N_, catalogue, translate
from ckanext.mogi.governance import freshness, reminder_log

log = logging.getLogger(__name__)

DUE_SOON, OVERDUE = "due_soon", "overdue"
CONTACT, ADMIN = "contact", "admin"

#: The Secretaria's fields (schemas/organization.yaml).
ORG_SWITCH, ORG_DAYS = "lembretes", "lembretes_dias_antes"
ORG_OFF = "nao"

#: How each kind reads in the command's output (msgids).
KIND_LABELS = {DUE_SOON: N_("due soon"), OVERDUE: N_("overdue")}

TEMPLATES = Path(__file__).parent / "templates" / "emails"


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str
    role: str  # CONTACT or ADMIN


@dataclass
class Reminder:
    """One dataset's reminder of one kind, and who gets it."""

    dataset: dict[str, Any]
    organization: dict[str, Any]
    kind: str
    due: dt.date
    recipients: list[Recipient] = field(default_factory=list)


@dataclass
class Outcome:
    """What one run did: (reminder, recipient) pairs sent (or, in a dry run,
    that would be sent), already sent before, and failed."""

    sent: list[tuple[Reminder, Recipient]] = field(default_factory=list)
    skipped: list[tuple[Reminder, Recipient]] = field(default_factory=list)
    failed: list[tuple[Reminder, Recipient]] = field(default_factory=list)


# ------------------------------------------------------------------ settings
def site_enabled() -> bool:
    return toolkit.asbool(toolkit.config.get("ckanext.mogi.governance.reminders.enabled"))


def site_days_before() -> int:
    return int(toolkit.config.get("ckanext.mogi.governance.reminders.days_before"))


def org_settings(group: model.Group) -> tuple[bool, int]:
    """Whether the Secretaria sends reminders, and how many days before."""
    extras = group.extras or {}
    enabled = str(extras.get(ORG_SWITCH) or "").strip() != ORG_OFF
    try:
        days = int(str(extras.get(ORG_DAYS)).strip())
    except ValueError:
        days = site_days_before()
    return enabled, max(days, 0)


# ---------------------------------------------------------------- recipients
def _members(org_id: str) -> sa.Select[Any]:
    return (sa.select(model.User)
            .join(model.Member, model.Member.table_id == model.User.id)
            .where(model.Member.group_id == org_id, model.Member.table_name == "user",
                   model.Member.state == "active", model.User.state == "active"))


def admins(org_id: str) -> list[Recipient]:
    """The Secretaria's active admins that have an e-mail address."""
    users = model.Session.execute(
        _members(org_id).where(model.Member.capacity == "admin")
        .order_by(model.User.name)).scalars()
    return [Recipient(user.fullname or user.name, user.email, ADMIN)
            for user in users if user.email]


def _entitled(email: str, org_id: str) -> bool:
    """Whether ``email`` belongs to a member of the Secretaria or a sysadmin."""
    same = sa.func.lower(model.User.email) == email.lower()
    member = model.Session.execute(_members(org_id).where(same).limit(1)).first()
    if member is not None:
        return True
    sysadmin = sa.select(model.User.id).where(same, model.User.sysadmin.is_(True),
                                              model.User.state == "active")
    return model.Session.execute(sysadmin.limit(1)).first() is not None


def contact(dataset: dict[str, Any]) -> Recipient | None:
    """The dataset's contact, if it may read the dataset (see the module)."""
    email = str(dataset.get("maintainer_email") or "").strip()
    if not email:
        return None
    if dataset.get("private") and not _entitled(email, dataset["owner_org"]):
        return None
    return Recipient(str(dataset.get("maintainer") or email), email, CONTACT)


def recipients(dataset: dict[str, Any]) -> list[Recipient]:
    """The contact, then the admins; each address once."""
    found: list[Recipient] = []
    seen: set[str] = set()
    first = contact(dataset)
    for person in [*([first] if first else []), *admins(dataset["owner_org"])]:
        if person.email.lower() not in seen:
            seen.add(person.email.lower())
            found.append(person)
    return found


# --------------------------------------------------------------- what is due
def active_dataset_ids() -> list[str]:
    """Active datasets of a Secretaria (any visibility), by name."""
    query = (sa.select(model.Package.id)
             .join(model.Group, model.Group.id == model.Package.owner_org)
             .where(model.Package.state == "active", model.Package.type == "dataset",
                    model.Group.state == "active")
             .order_by(model.Package.name))
    return list(model.Session.execute(query).scalars())


def _context() -> dict[str, Any]:
    site_user = toolkit.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"ignore_auth": True, "user": site_user["name"]}


def due(today: dt.date) -> Iterator[Reminder]:
    """The reminders due ``today`` (whether sent already or not)."""
    if not site_enabled():
        return
    settings: dict[str, tuple[bool, int]] = {}
    show = toolkit.get_action("package_show")
    for package_id in active_dataset_ids():
        dataset = show(_context(), {"id": package_id})
        org_id = dataset.get("owner_org")
        group = model.Group.get(org_id) if org_id else None
        if group is None:
            continue
        if org_id not in settings:
            settings[org_id] = org_settings(group)
        enabled, days_before = settings[org_id]
        if not enabled:
            continue
        kind = freshness.status(dataset, today, days_before)
        expected = freshness.next_update(dataset)
        if kind not in (DUE_SOON, OVERDUE) or expected is None:
            continue
        organization = {"id": group.id, "name": group.name, "title": group.title}
        yield Reminder(dataset, organization, kind, expected, recipients(dataset))


# ------------------------------------------------------------------ messages
@cache
def _environment(locale: str) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                             extensions=["jinja2.ext.i18n"], autoescape=False,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    gettext = catalogue(locale)
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext, lambda one, many, n: gettext(one) if n == 1 else gettext(many),
        newstyle=True)
    return env


def format_date(value: dt.date) -> str:
    return value.strftime(translate(N_("%Y-%m-%d")))


def message(reminder: Reminder, recipient: Recipient) -> tuple[str, str]:
    """The subject (one line) and the plain-text body, in the site's language."""
    site_url = str(toolkit.config.get("ckan.site_url") or "").rstrip("/")
    dataset = reminder.dataset
    page = f"{site_url}/dataset/{dataset['name']}"
    values = {
        "kind": reminder.kind,
        "role": recipient.role,
        "recipient": recipient,
        "title": dataset.get("title") or dataset["name"],
        "organization": reminder.organization["title"] or reminder.organization["name"],
        "due": format_date(reminder.due),
        "periodicity": vocabularies.label("periodicidade", str(dataset.get("periodicidade"))),
        "contact": dataset.get("maintainer_email") or "",
        "dataset_url": page,
        "edit_url": f"{site_url}/dataset/edit/{dataset['name']}",
        "new_resource_url": f"{page}/resource/new",
        "site_title": toolkit.config.get("ckan.site_title") or "",
    }
    env = _environment(str(toolkit.config.get("ckan.locale_default") or "en"))
    subject = " ".join(env.get_template("reminder_subject.txt").render(values).split())
    return subject, env.get_template("reminder.txt").render(values)


# ---------------------------------------------------------------------- runs
def send(today: dt.date | None = None, dry_run: bool = False) -> Outcome:
    """Send the reminders due ``today`` that were not sent yet.

    Each (reminder, recipient) is claimed in the table, e-mailed, then
    committed; an e-mail that fails is rolled back and tried on the next run.
    A dry run only tells who would get what: nothing is sent or recorded.
    """
    today = today or freshness.today()
    outcome = Outcome()
    for reminder in due(today):
        package_id = reminder.dataset["id"]
        done = reminder_log.recorded(package_id, reminder.due, reminder.kind)
        for recipient in reminder.recipients:
            pair = (reminder, recipient)
            if dry_run:
                (outcome.skipped if recipient.email.lower() in done else outcome.sent).append(pair)
                continue
            if not reminder_log.claim(package_id, reminder.due, reminder.kind, recipient.email):
                model.Session.rollback()
                outcome.skipped.append(pair)
                continue
            subject, body = message(reminder, recipient)
            try:
                mailer.mail_recipient(recipient.name, recipient.email, subject, body)
            except mailer.MailerException:
                model.Session.rollback()
                log.exception("Reminder to %s about %s not sent", recipient.email, package_id)
                outcome.failed.append(pair)
                continue
            model.Session.commit()
            outcome.sent.append(pair)
    model.Session.rollback()
    return outcome


def run_job() -> None:
    """The background job: :func:`send` for today."""
    try:
        outcome = send()
        if outcome.failed:
            log.warning("Reminders: %s sent, %s failed", len(outcome.sent), len(outcome.failed))
    finally:
        model.Session.remove()


def queue_today(today: dt.date | None = None) -> bool:
    """Queue today's run of :func:`run_job`, once per day and site (a Redis
    key set only if absent); whether it was queued now."""
    if not site_enabled():
        return False
    today = today or freshness.today()
    key = f"{toolkit.config.get('ckan.site_id')}:mogi_governance:reminders:{today.isoformat()}"
    redis = ckan_jobs.connect_to_redis()
    if not redis.set(key, "queued", nx=True, ex=3 * 24 * 3600):
        return False
    try:
        toolkit.enqueue_job(run_job, title=translate(N_("E-mail reminders of {day}")).format(
            day=format_date(today)), rq_kwargs={"job_id": f"mogi-reminders-{today.isoformat()}"})
    except Exception:
        redis.delete(key)  # the next maintenance queues it
        raise
    return True


def on_maintenance(_sender: Any, **_kwargs: Any) -> None:
    """Listener of ``mogi_worker_maintenance``: :func:`queue_today`."""
    try:
        queue_today()
    except Exception:  # the next maintenance tries again
        log.exception("Could not queue today's e-mail reminders")
