"""The attacks that broke the file hold, reproduced: each must now fail.

One gate decides who gets a table's bytes, starting from the resource itself;
personal data is held in every organization; anything short of a clean verdict
keeps the file held; a lost or killed job is requeued and ends in a verdict.
Real uploads, a real rq worker, real Redis.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from typing import Any

import pytest
from bs4 import BeautifulSoup
from ckan import model
from ckan.lib import jobs as ckan_jobs
from ckan.plugins import toolkit
from ckan.tests import factories, helpers
from sample_data import BROKEN, CPFS, UNITS, dataset_fields, payroll

from ckanext.mogi.validation import jobs, reconcile
from ckanext.mogi.validation import model as vmodel
from ckanext.mogi.validation.worker import ReconcilingWorker

pytestmark = pytest.mark.usefixtures("clean_db")


@pytest.fixture
def other_org(sysadmin) -> dict[str, Any]:
    """Another Secretaria, whose organization does NOT block on quality failures."""
    return helpers.call_action(
        "organization_create", context={"user": sysadmin["name"]},
        name="secretaria-de-educacao", title="Secretaria Municipal de Educação",
        sigla="SME", tipo="secretaria", validacao_bloqueante="nao",
        email="educacao@mogidascruzes.sp.gov.br")


@pytest.fixture
def other_editor(other_org) -> dict[str, Any]:
    user = factories.UserWithToken()
    helpers.call_action("organization_member_create", id=other_org["id"],
                        username=user["name"], role="editor")
    return user


def url(dataset: dict[str, Any], resource: dict[str, Any], filename: str = "x.csv") -> str:
    return f"/dataset/{dataset['name']}/resource/{resource['id']}/download/{filename}"


def auth(user: dict[str, Any] | None) -> dict[str, str]:
    return {"Authorization": user["token"]} if user else {}


def text_of(response: Any) -> str:
    return BeautifulSoup(response.data, "html.parser").get_text(" ")


def no_cpf_in(body: bytes) -> bool:
    return not any(cpf.encode() in body for cpf in CPFS)


def status_of(resource: dict[str, Any]) -> str | None:
    model.Session.remove()
    record = vmodel.latest(resource["id"])
    return record["status"] if record else None


# ------------------------------------------------------------------ the gate
def test_a_held_file_is_never_served_under_another_datasets_url(
        app, new_dataset, upload_table, other_org, other_editor, sysadmin, editor):
    """The attack: an editor of Secretaria B asks for A's held CPF file through
    a dataset of B; an anonymous visitor does the same through any dataset of
    a Secretaria that does not block."""
    dataset_a = new_dataset("folha-a", private=False)
    held = upload_table(dataset_a, payroll(), "folha.csv")  # no worker: not checked yet
    dataset_b = helpers.call_action(
        "package_create", context={"user": sysadmin["name"]},
        **dataset_fields(other_org, "merenda-b", private=False))

    for user in (other_editor, None, sysadmin, editor):
        response = app.get(url(dataset_b, held), headers=auth(user), status=404)
        assert no_cpf_in(response.data)
        # The page names nothing it protects (the URL asked for is the user's own).
        assert "folha" not in text_of(response).replace(held["id"], "")
    # On its own URL: visitors wait, the dataset's staff download.
    refused = app.get(url(dataset_a, held), headers=auth(other_editor), status=403)
    assert no_cpf_in(refused.data)
    assert "ainda está sendo verificada" in text_of(refused)
    assert app.get(url(dataset_a, held), headers=auth(editor)).data == payroll().encode()


def test_every_url_shape_of_the_download_goes_through_the_gate(
        app, new_dataset, upload_table, editor):
    dataset = new_dataset("formas-de-url", private=False)
    held = upload_table(dataset, payroll(), "folha.csv")
    shapes = [
        f"/dataset/{dataset['name']}/resource/{held['id']}/download",
        f"/dataset/{dataset['id']}/resource/{held['id']}/download/folha.csv",
        f"/en/dataset/{dataset['name']}/resource/{held['id']}/download/outro-nome.csv",
        f"/pt_BR/dataset/{dataset['id']}/resource/{held['id']}/download",
    ]
    for shape in shapes:
        assert no_cpf_in(app.get(shape, status=403).data), shape
        assert app.get(shape, headers=auth(editor)).data == payroll().encode(), shape


def test_private_datasets_files_are_not_found_for_outsiders(
        app, new_dataset, upload_table, other_editor):
    dataset = new_dataset("privado", private=True)
    table = upload_table(dataset, UNITS, "unidades.csv")
    helpers.call_action("resource_validation_run", id=table["id"], **{"async": False})

    for user in (None, other_editor):
        response = app.get(url(dataset, table), headers=auth(user), status=404)
        assert dataset["title"] not in response.body


# ------------------------------------------------------ personal data anywhere
def test_personal_data_is_held_in_an_organization_that_does_not_block(
        app, sysadmin, other_org, other_editor, upload_table, validation_worker):
    dataset = helpers.call_action(
        "package_create", context={"user": sysadmin["name"]},
        **dataset_fields(other_org, "folha-educacao", private=False))
    table = upload_table(dataset, payroll(), "folha.csv")

    # Before the verdict: held, even though the Secretaria does not block.
    assert no_cpf_in(app.get(url(dataset, table), status=403).data)
    validation_worker()

    # The verdict flags CPFs: the dataset goes private, in this organization too.
    assert helpers.call_action("package_show", id=dataset["id"])["private"] is True
    assert no_cpf_in(app.get(url(dataset, table), status=404).data)
    refused = app.post("/api/3/action/package_patch",
                       json={"id": dataset["id"], "private": False},
                       headers=auth(other_editor), status=409).json
    assert "contém dados pessoais (LGPD)" in refused["error"]["private"][0]
    # Its staff still download it.
    assert app.get(url(dataset, table), headers=auth(other_editor)).data == payroll().encode()


def test_a_quality_failure_in_a_non_blocking_organization_is_downloadable(
        app, sysadmin, other_org, upload_table, validation_worker):
    dataset = helpers.call_action(
        "package_create", context={"user": sysadmin["name"]},
        **dataset_fields(other_org, "com-erros", private=False))
    table = upload_table(dataset, BROKEN, "tabela.csv")
    validation_worker()

    assert status_of(table) == "failure"
    assert app.get(url(dataset, table)).data == BROKEN.encode()


# ---------------------------------------------------------------- fail closed
def test_a_check_that_ends_in_error_keeps_the_file_held(
        app, new_dataset, upload_table, editor, validation_worker):
    """The attack: an encoding that cannot read the file gives status error."""
    dataset = new_dataset("rot13", private=False)
    table = upload_table(dataset, payroll(), "folha.csv",
                         validation_options='{"encoding": "rot13"}')
    validation_worker()

    assert status_of(table) == "error"
    refused = app.get(url(dataset, table), status=403)
    assert no_cpf_in(refused.data)
    assert "não pôde ser verificada" in text_of(refused)
    assert app.get(url(dataset, table), headers=auth(editor)).data == payroll().encode()
    # Staff read what happened and what to do, in Portuguese.
    shown = helpers.call_action("resource_validation_show", resource_id=table["id"])
    assert shown["status"] == "error"
    assert shown["error"]["message"]


def test_a_file_that_could_not_be_read_is_held_even_when_the_org_does_not_block(
        app, sysadmin, other_org, upload_table, validation_worker):
    """A rejected file never went through the LGPD scan: no verdict on personal data."""
    dataset = helpers.call_action(
        "package_create", context={"user": sysadmin["name"]},
        **dataset_fields(other_org, "html-disfarcado", private=False))
    page = "<!DOCTYPE html><html><body><table><tr><td>529.982.247-25</td></tr>" \
           "</table></body></html>\n"
    table = upload_table(dataset, page, "planilha.csv")
    validation_worker()

    assert status_of(table) == "failure"
    assert app.get(url(dataset, table), status=403).data.find(b"529.982.247-25") == -1


# ------------------------------------------------------------ lost jobs
def big_table(rows: int) -> str:
    lines = ["unidade;bairro;atendimentos"]
    lines += [f"UBS {i};Centro;{i % 1000}" for i in range(rows)]
    return "\n".join(lines) + "\n"


@pytest.mark.ckan_config("ckanext.mogi.validation.reconcile_grace", "0")
def test_a_killed_job_is_requeued_and_ends_in_a_verdict(
        app, new_dataset, upload_table, editor, validation_worker):
    dataset = new_dataset("job-morto", private=False)
    table = upload_table(dataset, big_table(300_000), "grande.csv")
    queue = toolkit.config["ckanext.mogi.validation.queue"]
    worker = ckan_jobs.Worker([queue])

    def kill_the_horse() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if status_of(table) == "running" and worker.horse_pid:
                os.kill(worker.horse_pid, signal.SIGKILL)
                return
            time.sleep(0.05)

    killer = threading.Thread(target=kill_the_horse)
    killer.start()
    worker.work(burst=True)
    killer.join()

    # The job died mid-run: its record says running for ever, and the file is held.
    assert status_of(table) == "running"
    app.get(url(dataset, table), status=403)

    summary = reconcile.reconcile()
    assert summary.requeued == [table["id"]]
    validation_worker()

    assert status_of(table) == "success"
    assert app.get(url(dataset, table)).data.startswith(b"unidade;bairro;atendimentos")


@pytest.mark.ckan_config("ckanext.mogi.validation.reconcile_grace", "0")
def test_jobs_lost_in_a_redis_restart_are_requeued_when_the_worker_starts(
        app, new_dataset, upload_table, validation_worker):
    dataset = new_dataset("redis-reiniciado", private=False)
    table = upload_table(dataset, UNITS, "unidades.csv")
    queue = toolkit.config["ckanext.mogi.validation.queue"]
    assert ckan_jobs.get_queue(queue).count == 1

    # Redis restarts without persistence: this test's Redis database loses
    # everything (queues, jobs, worker registrations).
    ckan_jobs.connect_to_redis().flushdb()
    assert ckan_jobs.get_queue(queue).count == 0
    validation_worker()  # a plain worker finds nothing to do
    assert status_of(table) == "created"

    # The validation worker reconciles when it starts, then validates.
    ReconcilingWorker([queue]).work(burst=True)

    assert status_of(table) == "success"
    assert app.get(url(dataset, table)).data == UNITS.encode()


@pytest.mark.ckan_config("ckanext.mogi.validation.reconcile_grace", "0")
@pytest.mark.ckan_config("ckanext.mogi.validation.max_attempts", "2")
def test_a_job_lost_again_and_again_ends_in_error_and_stays_held(
        app, new_dataset, upload_table, editor, validation_worker):
    dataset = new_dataset("sempre-perdido", private=False)
    table = upload_table(dataset, UNITS, "unidades.csv")
    queue = ckan_jobs.get_queue(toolkit.config["ckanext.mogi.validation.queue"])

    queue.empty()  # lost
    assert reconcile.reconcile().requeued == [table["id"]]
    queue.empty()  # lost again
    assert reconcile.reconcile().failed == [table["id"]]

    assert status_of(table) == "error"
    shown = helpers.call_action("resource_validation_show", resource_id=table["id"])
    assert "foi interrompida 2 vezes" in shown["error"]["message"]
    assert "não pôde ser verificada" in text_of(app.get(url(dataset, table), status=403))
    assert app.get(url(dataset, table), headers=auth(editor)).data == UNITS.encode()


def test_a_live_job_is_left_alone(new_dataset, upload_table, validation_worker, ckan_config,
                                  monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.mogi.validation.reconcile_grace", "0")
    dataset = new_dataset("na-fila", private=False)
    table = upload_table(dataset, UNITS, "unidades.csv")

    assert reconcile.reconcile().requeued == []  # still queued: alive
    assert ckan_jobs.get_queue(toolkit.config["ckanext.mogi.validation.queue"]).count == 1
    assert jobs.job_id(vmodel.latest(table["id"]) or {}).startswith("mogi-validation-")


@pytest.mark.ckan_config("ckanext.mogi.validation.reconcile_grace", "0")
def test_a_table_whose_record_was_deleted_is_checked_again(
        app, new_dataset, upload_table, validation_worker):
    """Without a record the file is held, and no job would ever clear it."""
    dataset = new_dataset("registro-apagado", private=False)
    table = upload_table(dataset, UNITS, "unidades.csv")
    validation_worker()
    helpers.call_action("resource_validation_delete", resource_id=table["id"])
    assert status_of(table) is None
    app.get(url(dataset, table), status=403)

    assert reconcile.reconcile().requeued == [table["id"]]
    validation_worker()

    assert status_of(table) == "success"
    assert app.get(url(dataset, table)).data == UNITS.encode()
