"""E-mail reminders of due and overdue updates, received by a real local SMTP
server (aiosmtpd) that the test starts.

The datasets' ages are set in the database (no resources: their last update
of data is their creation), then they are indexed again; the clock is never
touched. The Secretaria de Saúde has two admins: the sysadmin who created it
and ``admin``.
"""

from __future__ import annotations

import datetime as dt
import email
import socket
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from typing import Any

import pytest
from aging import age_dataset
from aiosmtpd.controller import Controller
from ckan import model
from ckan.cli.cli import ckan as ckan_cli
from ckan.lib import jobs
from ckan.tests import factories, helpers
from dateutil.relativedelta import relativedelta

from ckanext.mogi.common.signals import WORKER_MAINTENANCE, signal
from ckanext.mogi.governance import freshness, reminder_log, reminders

pytestmark = pytest.mark.usefixtures("clean_db")

SITE = "http://test.ckan.net"


class Inbox:
    """aiosmtpd handler: every message delivered, with its envelope recipients."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [msg for rcpt, msg in self.messages if address in rcpt]

    def recipients(self) -> list[str]:
        return sorted(address for rcpt, _msg in self.messages for address in rcpt)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def inbox(ckan_config, monkeypatch) -> Iterator[Inbox]:
    """A real SMTP server on 127.0.0.1; CKAN's mailer sends to it."""
    handler = Inbox()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(ckan_config, "smtp.server", f"127.0.0.1:{port}")
    monkeypatch.setitem(ckan_config, "smtp.starttls", False)
    monkeypatch.setitem(ckan_config, "smtp.mail_from", "naoresponda@mogidascruzes.sp.gov.br")
    monkeypatch.setitem(ckan_config, "ckanext.mogi.governance.reminders.enabled", True)
    monkeypatch.setitem(ckan_config, "ckanext.mogi.governance.reminders.days_before", 7)
    try:
        yield handler
    finally:
        controller.stop()


@pytest.fixture
def admin(organization) -> dict[str, Any]:
    """A second admin of the Secretaria de Saúde, with an e-mail address."""
    user = factories.User(fullname="Ana Gestora", email="ana.gestora@mogidascruzes.sp.gov.br")
    helpers.call_action("organization_member_create", id=organization["id"],
                        username=user["name"], role="admin")
    return user


def _email_of(user: dict[str, Any]) -> str:
    found = model.User.get(user["id"])
    assert found is not None and found.email
    return found.email


def _created_on(package_id: str, day: dt.date) -> None:
    """The dataset as if created (and last edited) at noon of ``day`` in São Paulo."""
    age_dataset(package_id, dt.datetime.combine(day, dt.time(15, 0)))  # UTC


@pytest.fixture
def catalogue(new_dataset, admin) -> dict[str, dict[str, Any]]:
    """Monthly datasets overdue, due in 3 days and current; one on demand."""
    today = freshness.today()
    ages = {
        "overdue": today - relativedelta(months=3),
        "due_soon": today + dt.timedelta(days=3) - relativedelta(months=1),
        "current": today - dt.timedelta(days=2),
        "on_demand": today - relativedelta(years=2),
    }
    built = {}
    for key, created in ages.items():
        name = f"conjunto-{key.replace('_', '-')}"
        dataset = new_dataset(
            name, private=False, title=f"Atendimentos {key}",
            maintainer=f"Área {key}", maintainer_email=f"{name}@mogidascruzes.sp.gov.br",
            periodicidade="SOB_DEMANDA" if key == "on_demand" else "MENSAL")
        _created_on(dataset["id"], created)
        built[key] = helpers.call_action("package_show", id=dataset["id"])
    assert freshness.status(built["overdue"], today, 7) == "overdue"
    assert freshness.status(built["due_soon"], today, 7) == "due_soon"
    assert freshness.status(built["current"], today, 7) == "current"
    assert freshness.status(built["on_demand"], today, 7) == "unscheduled"
    return built


def _br(iso: str) -> str:
    return dt.date.fromisoformat(iso).strftime("%d/%m/%Y")


def test_contact_and_admins_get_each_reminder_once_in_portuguese(
        inbox, catalogue, admin, sysadmin):
    overdue, soon = catalogue["overdue"], catalogue["due_soon"]
    admins = sorted([_email_of(admin), _email_of(sysadmin)])

    outcome = reminders.send()

    assert not outcome.failed
    expected = sorted([overdue["maintainer_email"], soon["maintainer_email"], *admins * 2])
    assert inbox.recipients() == expected

    # the contact of the overdue dataset: Portuguese, its link, how to update
    [late] = inbox.to(overdue["maintainer_email"])
    assert late["Subject"] == "Atualização atrasada: Atendimentos overdue"
    assert late["To"] == f"Área overdue <{overdue['maintainer_email']}>"
    body = late.get_content()
    assert "Olá, Área overdue." in body
    assert f"{SITE}/dataset/conjunto-overdue" in body
    assert f"{SITE}/dataset/edit/conjunto-overdue" in body
    assert f"{SITE}/dataset/conjunto-overdue/resource/new" in body
    assert _br(overdue["proxima_atualizacao"]) in body
    assert "Secretaria Municipal de Saúde" in body and '"Mensal"' in body
    assert "Como atualizar:" in body
    assert "Você recebe esta mensagem como contato do conjunto de dados" in body

    # due soon: its own subject with the expected date
    [early] = inbox.to(soon["maintainer_email"])
    assert early["Subject"] == (
        f"Atualização prevista até {_br(soon['proxima_atualizacao'])}: Atendimentos due_soon")

    # each admin: a copy of both, saying so and naming the contact
    copies = inbox.to("ana.gestora@mogidascruzes.sp.gov.br")
    assert sorted(msg["Subject"] for msg in copies) == sorted(
        [late["Subject"], early["Subject"]])
    assert all("como administrador(a) do órgão Secretaria Municipal de Saúde" in msg.get_content()
               for msg in copies)
    assert overdue["maintainer_email"] in next(
        msg for msg in copies if msg["Subject"] == late["Subject"]).get_content()
    assert not inbox.to(catalogue["current"]["maintainer_email"])
    assert not inbox.to(catalogue["on_demand"]["maintainer_email"])

    # a second run (the same day, or a later one before the data change): nothing
    again = reminders.send()
    assert (again.sent, len(again.skipped)) == ([], 6)
    assert len(inbox.messages) == 6


def test_the_command_dry_run_lists_without_sending_then_sends(cli, inbox, catalogue):
    dry = cli.invoke(ckan_cli, ["mogi", "lembretes", "enviar", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert inbox.messages == []
    contact = catalogue["overdue"]["maintainer_email"]
    due = _br(catalogue["overdue"]["proxima_atualizacao"])
    assert f"conjunto-overdue (atrasada, {due}) -> {contact}" in dry.output
    assert "conjunto-due-soon (a vencer, " in dry.output
    assert "conjunto-current" not in dry.output
    assert dry.output.strip().endswith("6 seriam enviados, 0 já enviados.")
    # nothing was recorded: the real run sends them all
    sent = cli.invoke(ckan_cli, ["mogi", "lembretes", "enviar"])
    assert sent.exit_code == 0, sent.output
    assert sent.output.strip().endswith("6 enviados, 0 já enviados, 0 com falha.")
    assert len(inbox.messages) == 6
    again = cli.invoke(ckan_cli, ["mogi", "lembretes", "enviar", "--dry-run"])
    assert again.output.strip().endswith("0 seriam enviados, 6 já enviados.")


def test_a_secretaria_turns_its_reminders_off_or_sets_its_days(
        inbox, catalogue, organization, sysadmin):
    context = {"user": sysadmin["name"]}
    helpers.call_action("organization_patch", context=context, id=organization["id"],
                        lembretes="nao")
    assert reminders.send().sent == []
    assert inbox.messages == []

    # on again, warned only 1 day before: the dataset due in 3 days waits
    helpers.call_action("organization_patch", context=context, id=organization["id"],
                        lembretes="sim", lembretes_dias_antes="1")
    reminders.send()
    assert inbox.to(catalogue["overdue"]["maintainer_email"])
    assert not inbox.to(catalogue["due_soon"]["maintainer_email"])


def test_the_site_switch_turns_every_reminder_off(cli, inbox, catalogue, ckan_config,
                                                  monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.mogi.governance.reminders.enabled", False)
    assert reminders.send().sent == []
    assert reminders.queue_today() is False
    result = cli.invoke(ckan_cli, ["mogi", "lembretes", "enviar"])
    assert "Os lembretes estão desativados neste portal" in result.output
    assert inbox.messages == []


def test_a_private_dataset_is_never_mailed_to_an_outside_contact(inbox, new_dataset, admin):
    dataset = new_dataset("folha-interna", private=True, title="Folha interna",
                          maintainer_email="fornecedor@example.com")
    _created_on(dataset["id"], freshness.today() - relativedelta(months=2))

    reminders.send()

    assert not inbox.to("fornecedor@example.com")
    assert inbox.to("ana.gestora@mogidascruzes.sp.gov.br")
    assert "fornecedor@example.com" not in inbox.recipients()


def test_a_private_dataset_reaches_a_contact_who_is_a_member(inbox, new_dataset, editor):
    member_email = _email_of(editor)
    dataset = new_dataset("folha-da-equipe", private=True, maintainer_email=member_email)
    _created_on(dataset["id"], freshness.today() - relativedelta(months=2))

    reminders.send()

    assert inbox.to(member_email)


def test_the_worker_maintenance_queues_the_day_once_and_the_job_sends(
        inbox, catalogue, reset_redis, ckan_config, monkeypatch):
    reset_redis("*:mogi_governance:reminders:*")  # an earlier run's day
    # The link check the same signal queues goes to a queue of its own here.
    monkeypatch.setitem(ckan_config, "ckanext.mogi.governance.link_check.queue",
                        "mogi-link-check-test")
    queue = jobs.get_queue()
    queue.empty()
    signal(WORKER_MAINTENANCE).send("worker-de-teste")
    signal(WORKER_MAINTENANCE).send("worker-de-teste")
    # Beside the day's panel snapshot (test_panel.py), the day's reminders, once.
    assert [i for i in queue.job_ids if "reminders" in i] == [
        f"mogi-reminders-{freshness.today().isoformat()}"]

    jobs.Worker([jobs.DEFAULT_QUEUE_NAME]).work(burst=True)

    assert len(inbox.messages) == 6
    assert inbox.to(catalogue["overdue"]["maintainer_email"])


def test_a_reminder_is_recorded_once_per_due_date_kind_and_recipient(new_dataset):
    """What keeps two overlapping runs from sending twice: the unique key."""
    dataset = new_dataset("registro", private=False)
    due = dt.date(2026, 1, 31)
    assert reminder_log.claim(dataset["id"], due, "overdue", "Dados@Mogi.SP.gov.br")
    model.Session.commit()
    assert not reminder_log.claim(dataset["id"], due, "overdue", "dados@mogi.sp.gov.br")
    assert reminder_log.claim(dataset["id"], due, "due_soon", "dados@mogi.sp.gov.br")
    assert reminder_log.claim(dataset["id"], due + dt.timedelta(days=30), "overdue",
                              "dados@mogi.sp.gov.br")
    model.Session.commit()
    assert reminder_log.recorded(dataset["id"], due, "overdue") == {"dados@mogi.sp.gov.br"}
