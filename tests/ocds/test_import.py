"""The import job: a dump uploaded as a resource becomes releases, through a
real job worker; a re-import replaces them whole; a library table of
licitações becomes releases once its validation clears it."""

from __future__ import annotations

import json

import sqlalchemy as sa
from ckan import model
from ckan.tests import helpers
from ocds_paths import DUMP_2018, DUMP_2022

from ckanext.mogi.ocds import imports
from ckanext.mogi.ocds import model as omodel

RAW_2018 = json.loads(DUMP_2018.read_text("utf-8"))
RAW_2022 = json.loads(DUMP_2022.read_text("utf-8"))


def _ocids(resource_id: str) -> list[str]:
    return list(model.Session.execute(
        sa.select(omodel.release_table.c.ocid)
        .where(omodel.release_table.c.resource_id == resource_id)
        .order_by(omodel.release_table.c.seq)).scalars())


def test_both_dumps_uploaded_become_884_processes(published, app):
    states = [omodel.get_import(r["id"]) for r in published["resources"]]
    assert [s["state"] for s in states] == ["imported", "imported"]
    assert [s["releases"] for s in states] == [len(RAW_2018), len(RAW_2022)]
    # The findings staff see: the dirty input is reported (padded dates,
    # "pMMC", empty statuses), in Portuguese.
    findings = [f for s in states for f in s["findings"]]
    assert findings and all(f["message"] for f in findings)
    body = app.get("/ocds/records.json?page=1").json
    assert body["version"] == "1.1"
    total = helpers.call_action("package_show", id=published["dataset"]["id"])
    assert total["name"] == "licitacoes-ocds"
    page = app.get("/licitacoes").get_data(as_text=True)
    assert "884 processos encontrados" in page


def test_a_new_upload_replaces_the_releases_and_keeps_the_ocids(
        published, sysadmin, ocds_worker, upload_json):
    first = published["resources"][0]
    before = _ocids(first["id"])
    # The same file again (a new upload): the same ocids.
    helpers.call_action("resource_patch", context={"user": sysadmin["name"]},
                        id=first["id"], description="Reenviado")
    ocds_worker()
    assert _ocids(first["id"]) == before
    # A smaller file: only its processes remain.
    from io import BytesIO

    from werkzeug.datastructures import FileStorage

    helpers.call_action(
        "resource_patch", context={"user": sysadmin["name"]}, id=first["id"],
        upload=FileStorage(stream=BytesIO(json.dumps(RAW_2018[:3]).encode()),
                           filename="licitacoes.json", content_type="application/json"))
    ocds_worker()
    assert _ocids(first["id"]) == before[:3]


def test_a_broken_dump_keeps_the_last_good_releases(published, sysadmin, ocds_worker):
    from io import BytesIO

    from werkzeug.datastructures import FileStorage

    first = published["resources"][0]
    before = _ocids(first["id"])
    broken = json.dumps(RAW_2018[:10]).encode()[:-400]  # cut in the middle
    helpers.call_action(
        "resource_patch", context={"user": sysadmin["name"]}, id=first["id"],
        upload=FileStorage(stream=BytesIO(broken), filename="licitacoes.json",
                           content_type="application/json"))
    ocds_worker()
    state = omodel.get_import(first["id"])
    assert state["state"] == "failed"
    assert "JSON" in state["error"]
    assert _ocids(first["id"]) == before  # never a half-written set


def test_other_json_files_are_not_published(tender_dataset, upload_json, ocds_worker):
    dataset = tender_dataset("outros-json")
    resource = upload_json(dataset, {"type": "FeatureCollection", "features": []},
                           "mapa.json")
    ocds_worker()
    state = omodel.get_import(resource["id"])
    assert state["state"] == "skipped"
    assert "não é uma exportação do sistema de licitações" in state["error"]
    assert _ocids(resource["id"]) == []


def test_a_deleted_resource_takes_its_releases_along(published, sysadmin):
    first = published["resources"][0]
    helpers.call_action("resource_delete", context={"user": sysadmin["name"]}, id=first["id"])
    assert _ocids(first["id"]) == []
    assert omodel.get_import(first["id"]) is None


def test_a_lost_job_is_queued_again_then_given_up(published, ocds_worker, ckan_config,
                                                  monkeypatch):
    first = published["resources"][0]["id"]
    omodel.save_import(first, state=omodel.QUEUED, job_id="gone-for-good", attempts=0)
    model.Session.commit()
    summary = imports.reconcile(max_attempts=2)
    assert summary.requeued == [first]
    ocds_worker()
    assert omodel.get_import(first)["state"] == "imported"
    omodel.save_import(first, state=omodel.IMPORTING, job_id="killed", attempts=2)
    model.Session.commit()
    summary = imports.reconcile(max_attempts=2)
    assert summary.failed == [first]
    state = omodel.get_import(first)
    assert state["state"] == "failed" and "interrompida 2 vezes" in state["error"]


LICITACOES_CSV = (
    "orgao,ano,numero_licitacao,modalidade,objeto,descricao,situacao,data_abertura,"
    "data_publicacao,valor_estimado,link_edital\n"
    'PMMC,2022,0127/2022,Pregão Eletrônico,"ÓLEOS, GRAXAS E LUBRIFICANTES",'
    'AQ DE ÓLEO PARA MOTOR,CONCLUÍDA,05/10/2022,22/09/2022,"1.234.567,89",'
    "https://licitacao-mgcon.mogidascruzes.sp.gov.br/arquivo/download/65442\n"
    "SEMAE,2022,0045/2022,Concorrência,AMPLIAÇÃO DA REDE DE ESGOTO,,PUBLICADA,10/11/2022,"
    '20/10/2022,"8.950.000,00",\n')


def test_a_validated_licitacoes_table_becomes_releases(
        tender_dataset, upload_table, validation_worker, app):
    dataset = tender_dataset("tabela-de-licitacoes")
    resource = upload_table(dataset, LICITACOES_CSV, "licitacoes.csv",
                            esquema_biblioteca="licitacoes")
    validation_worker()  # validation, then the DataStore load, then the import
    state = omodel.get_import(resource["id"])
    assert state is not None and state["state"] == "imported", state
    assert state["releases"] == 2
    body = app.get("/ocds/releases.json").json
    titles = sorted(r["tender"]["title"] for r in body["releases"])
    assert titles == ["AMPLIAÇÃO DA REDE DE ESGOTO", "ÓLEOS, GRAXAS E LUBRIFICANTES"]
    ocid = next(r["ocid"] for r in body["releases"] if r["buyer"]["name"].startswith("Pref"))
    page = app.get(f"/licitacoes/{ocid}").get_data(as_text=True)
    assert "R$\xa01.234.567,89" in page
