"""``ckan mogi datastore load|status|reconcile``, in Portuguese, and the
recovery of a load job that got lost."""

from __future__ import annotations

import re

import pytest
from ckan.cli.cli import ckan as ckan_cli
from ckan.lib import jobs as ckan_jobs
from ckan.plugins import toolkit
from ckan.tests import helpers
from sample_data import UNITS

from ckanext.mogi.datastore import loader
from ckanext.mogi.validation.worker import ReconcilingWorker

pytestmark = pytest.mark.usefixtures("clean_db")


@pytest.fixture
def validated(new_dataset, upload_table, validation_worker):
    """A public dataset whose table got its verdict, but whose load job was lost
    (the queue emptied, as a Redis restart without persistence does)."""
    dataset = new_dataset("unidades", private=False)
    resource = upload_table(dataset, UNITS, "unidades.csv")
    helpers.call_action("resource_validation_run", id=resource["id"], **{"async": False})
    ckan_jobs.get_queue(toolkit.config["ckanext.mogi.datastore.queue"]).empty()
    return dataset, resource


def test_status_shows_a_lost_load_and_reconcile_queues_it_again(cli, validated,
                                                                 validation_worker):
    _dataset, resource = validated
    assert not loader.table_exists(resource["id"])

    status = cli.invoke(ckan_cli, ["mogi", "datastore", "status"])
    assert status.exit_code == 0, status.output
    assert status.output.splitlines() == [
        "unidades / unidades.csv: na fila",
        "1 tabela(s) liberada(s) pela validação mas não carregada(s).",
        "  unidades / unidades.csv",
    ]

    again = cli.invoke(ckan_cli, ["mogi", "datastore", "reconcile"])
    assert again.exit_code == 0, again.output
    assert again.output.strip() == (
        "1 carga(s) colocada(s) de novo na fila, 0 abandonada(s), 0 apagada(s).")
    validation_worker()

    assert loader.table_exists(resource["id"])
    lines = cli.invoke(ckan_cli, ["mogi", "datastore", "status"]).output.splitlines()
    assert re.fullmatch(r"unidades / unidades\.csv: carregada; 3 linhas carregadas em "
                        r"\d\d/\d\d/\d{4} \d\d:\d\d", lines[0]), lines
    assert lines[1] == "0 tabela(s) liberada(s) pela validação mas não carregada(s)."


def test_load_sync_for_a_dataset(cli, validated):
    dataset, resource = validated

    result = cli.invoke(ckan_cli, ["mogi", "datastore", "load", "--dataset", dataset["name"],
                                   "--sync"])

    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "unidades / unidades.csv: carregada",
        "1 tabela(s): 1 carregada.",
    ]
    assert helpers.call_action("mogi_datastore_status", resource_id=resource["id"])[
        "rows"] == 3


def test_load_needs_exactly_one_choice_and_names_what_is_missing(cli, validated):
    none = cli.invoke(ckan_cli, ["mogi", "datastore", "load"])
    assert none.exit_code == 2
    assert "Escolha exatamente uma opção: --dataset, --org ou --all." in none.output

    unknown = cli.invoke(ckan_cli, ["mogi", "datastore", "load", "--org", "nao-existe"])
    assert unknown.exit_code == 1
    assert "organização não encontrada: nao-existe" in unknown.output


def test_the_worker_queues_a_lost_load_again_when_it_starts(validated):
    _dataset, resource = validated

    # `ckan mogi validation worker`: its maintenance (at start, then periodic)
    # runs the DataStore's reconciler too, then the burst loads the table.
    ReconcilingWorker([toolkit.config["ckanext.mogi.datastore.queue"]]).work(burst=True)

    assert loader.table_exists(resource["id"])
    assert helpers.call_action("mogi_datastore_status", resource_id=resource["id"])[
        "state"] == "loaded"
