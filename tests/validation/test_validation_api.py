"""The validation API: ckanext-validation's three actions, the LGPD justification.

Tables are uploaded through ``resource_create`` and validated by the real
pipeline, synchronously (``async`` off) or by a real worker.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from ckan import model
from ckan.tests import factories, helpers
from sample_data import BROKEN, UNITS, as_site, payroll

pytestmark = pytest.mark.usefixtures("clean_db")

RECORD_KEYS = {"id", "resource_id", "status", "created", "finished", "report", "error",
               "lgpd", "dialect", "inferred_schema", "justification",
               # Added by this bundle (ckanext-validation's keys all stay).
               "schema", "file_sha256", "cleared"}


def api(app, action: str, user: dict[str, Any] | None, status: int, **data: Any) -> dict:
    headers = {"Authorization": user["token"]} if user else {}
    response = app.post(f"/api/3/action/{action}", json=data, headers=headers,
                        status=status)
    return response.json


def test_sync_run_stores_a_report_and_the_resource_status(new_dataset, upload_table, editor):
    dataset = new_dataset("atendimentos")
    resource = upload_table(dataset, UNITS, "atendimentos.csv")
    assert resource["validation_status"] == "created"

    result = helpers.call_action("resource_validation_run", context={"user": editor["name"]},
                                 id=resource["id"], **{"async": False})

    assert result["status"] == "success"
    shown = helpers.call_action("resource_validation_show", resource_id=resource["id"])
    assert set(shown) >= RECORD_KEYS
    assert shown["status"] == "success" and shown["error"] is None
    assert shown["report"]["valid"] is True
    assert shown["dialect"]["delimiter"] == ";"
    assert [f["name"] for f in shown["inferred_schema"]["fields"]] == [
        "unidade", "bairro", "atendimentos", "data"]
    assert shown["lgpd"] == {"findings": [], "scanned": True}
    assert shown["finished"] >= shown["created"]
    after = helpers.call_action("resource_show", id=resource["id"])
    assert after["validation_status"] == "success"
    assert after["validation_timestamp"]
    # Only the status fields changed: same file, same metadata.
    unchanged = {k: v for k, v in resource.items()
                 if not k.startswith("validation_") and k != "metadata_modified"}
    assert {k: after[k] for k in unchanged} == unchanged


def test_show_says_with_what_schema_on_what_bytes_and_whether_cleared(
        new_dataset, upload_table):
    """What readers of the table's rows (the DataStore loader) follow."""
    dataset = new_dataset("atendimentos")
    declared = {"fields": [{"name": "unidade", "type": "string"},
                           {"name": "bairro", "type": "string"},
                           {"name": "atendimentos", "type": "number", "decimalChar": ",",
                            "groupChar": "."},
                           {"name": "data", "type": "date", "format": "%d/%m/%Y"}]}
    with_schema = upload_table(dataset, UNITS, "a.csv", schema=json.dumps(declared))
    inferred = upload_table(dataset, UNITS, "b.csv")
    flagged = upload_table(dataset, payroll(), "folha.csv")
    for resource in (with_schema, inferred, flagged):
        helpers.call_action("resource_validation_run", id=resource["id"], **{"async": False})

    shown = {name: helpers.call_action("resource_validation_show", resource_id=r["id"])
             for name, r in (("declared", with_schema), ("inferred", inferred),
                             ("flagged", flagged))}
    assert shown["declared"]["status"] == "success"
    assert shown["declared"]["schema"] == declared
    assert shown["declared"]["inferred_schema"] is None
    assert shown["inferred"]["schema"] == shown["inferred"]["inferred_schema"]
    assert shown["declared"]["file_sha256"] == hashlib.sha256(UNITS.encode()).hexdigest()
    assert [shown[n]["cleared"] for n in ("declared", "inferred", "flagged")] == [
        True, True, False]


def test_failure_report_and_lgpd_findings(new_dataset, upload_table):
    dataset = new_dataset("folha")
    broken = upload_table(dataset, BROKEN, "quebrada.csv")
    flagged = upload_table(dataset, payroll(), "folha.csv")

    failed = helpers.call_action("resource_validation_run", id=broken["id"],
                                 **{"async": False})
    assert failed["status"] == "failure"
    assert failed["report"]["valid"] is False
    assert "extra-cell" in json.dumps(failed["report"])

    scanned = helpers.call_action("resource_validation_run", id=flagged["id"],
                                  **{"async": False})
    cpf = [f for f in scanned["lgpd"]["findings"] if f["kind"] == "cpf"]
    assert cpf == [{"field": "cpf", "kind": "cpf", "rows": 6, "masked": False}]


def test_async_run_is_queued_then_done_by_the_worker(new_dataset, upload_table,
                                                     validation_worker):
    dataset = new_dataset("fila")
    resource = upload_table(dataset, UNITS, "fila.csv")
    validation_worker()  # the job of the upload

    queued = helpers.call_action("resource_validation_run", id=resource["id"])
    assert queued["status"] == "created"
    assert helpers.call_action("resource_show", id=resource["id"])[
        "validation_status"] == "created"

    validation_worker()
    assert helpers.call_action("resource_validation_show",
                               resource_id=resource["id"])["status"] == "success"


def test_show_of_a_table_never_validated_is_not_found(app, new_dataset, sysadmin):
    dataset = new_dataset("links", resources=[
        {"url": "https://example.com/relatorio.pdf", "format": "PDF", "name": "Relatório"}])
    result = api(app, "resource_validation_show", sysadmin, 404,
                 resource_id=dataset["resources"][0]["id"])
    assert result["success"] is False
    assert result["error"]["__type"] == "Not Found Error"
    api(app, "resource_validation_show", sysadmin, 404, resource_id="nao-existe")


def test_run_refuses_what_is_not_a_table_with_a_portuguese_message(app, new_dataset,
                                                                    sysadmin):
    dataset = new_dataset("pdf", resources=[
        {"url": "https://example.com/relatorio.pdf", "format": "PDF", "name": "Relatório"}])
    result = api(app, "resource_validation_run", sysadmin, 409,
                 id=dataset["resources"][0]["id"])
    assert result["error"]["format"] == [
        "Apenas tabelas podem ser validadas; formatos aceitos: CSV, TSV, XLSX, XLS, ODS"]
    missing = api(app, "resource_validation_run", sysadmin, 409)
    assert missing["error"]["id"] == ["Faltando valor"]


def test_delete_removes_the_report_but_never_the_resource_or_its_file(
        app, new_dataset, upload_table, editor):
    dataset = new_dataset("apagar")
    resource = upload_table(dataset, UNITS, "apagar.csv")
    helpers.call_action("resource_validation_run", id=resource["id"], **{"async": False})

    api(app, "resource_validation_delete", editor, 200, resource_id=resource["id"])

    api(app, "resource_validation_show", editor, 404, resource_id=resource["id"])
    after = helpers.call_action("resource_show", id=resource["id"])
    assert "validation_status" not in after
    assert after["url"].endswith("/apagar.csv") and after["size"] == len(UNITS.encode())
    download = app.get(after["url"].replace("http://test.ckan.net", ""),
                       headers={"Authorization": editor["token"]}, status=200)
    assert download.body == UNITS
    api(app, "resource_validation_delete", editor, 404, resource_id=resource["id"])


def test_only_dataset_editors_run_delete_and_justify(app, new_dataset, upload_table,
                                                   editor):
    dataset = new_dataset("publico-restrito", private=False)
    resource = upload_table(dataset, UNITS, "tabela.csv")
    helpers.call_action("resource_validation_run", id=resource["id"], **{"async": False})
    outsider = factories.UserWithToken()

    for action in ("resource_validation_run", "resource_validation_delete",
                   "resource_validation_justify"):
        api(app, action, outsider, 403, id=resource["id"], resource_id=resource["id"],
            legal_basis="art7_iii", text="Política pública.")
        api(app, action, None, 403, id=resource["id"], resource_id=resource["id"])
    # Public dataset: anyone reads the report.
    assert api(app, "resource_validation_show", None, 200,
               resource_id=resource["id"])["result"]["status"] == "success"
    assert api(app, "resource_validation_run", editor, 200,
               id=resource["id"])["result"]["status"] == "created"


def test_report_of_a_private_dataset_is_closed_to_outsiders(app, new_dataset,
                                                            upload_table, editor):
    dataset = new_dataset("privado")
    resource = upload_table(dataset, payroll(), "folha.csv")
    helpers.call_action("resource_validation_run", id=resource["id"], **{"async": False})
    outsider = factories.UserWithToken()

    for user in (None, outsider):
        result = api(app, "resource_validation_show", user, 403, resource_id=resource["id"])
        assert "cpf" not in json.dumps(result)
    shown = api(app, "resource_validation_show", editor, 200, resource_id=resource["id"])
    assert shown["result"]["lgpd"]["findings"]


def test_justification_records_who_when_and_the_legal_basis(app, new_dataset,
                                                           upload_table, editor):
    dataset = new_dataset("justificar")
    resource = upload_table(dataset, payroll(), "folha.csv")
    helpers.call_action("resource_validation_run", id=resource["id"], **{"async": False})

    refused = api(app, "resource_validation_justify", editor, 409,
                  resource_id=resource["id"], legal_basis="art99", text="")
    assert refused["error"]["legal_basis"] == [
        "Escolha uma base legal da LGPD (arts. 7º e 11)"]
    assert refused["error"]["text"] == ["Faltando valor"]

    recorded = api(app, "resource_validation_justify", editor, 200,
                   resource_id=resource["id"], legal_basis="art7_ii",
                   text="Transparência da folha de pagamento (LAI, art. 8º).")["result"]
    assert recorded["user"] == editor["name"]
    assert recorded["legal_basis_label"].startswith("Art. 7º, II")
    shown = helpers.call_action("resource_validation_show", resource_id=resource["id"])
    assert shown["justification"] == recorded
    # The audit trail keeps every entry.
    from ckanext.mogi.validation import model as vmodel

    assert [e["user_name"] for e in vmodel.audit(resource["id"])] == [editor["name"]]
    model.Session.remove()


LEGACY_REPORT = {"valid": False, "error-count": 1, "table-count": 1, "tables": [
    {"valid": False, "source": "https://example.com/antiga.csv", "errors": [
        {"code": "blank-row", "message": "Row 3 is completely blank", "row-number": 3}]}]}


def test_reports_left_by_ckanext_validation_are_kept_and_shown(migrate_db_for, new_dataset,
                                                               app, sysadmin):
    dataset = new_dataset("legado", resources=[
        {"url": "https://example.com/antiga.csv", "format": "CSV", "name": "Antiga"}])
    resource_id = dataset["resources"][0]["id"]
    # The database as ckanext-validation 2.x left it: its table, its columns, a report.
    model.Session.remove()
    migrate_db_for("mogi_validation", "base", forward=False)
    with model.meta.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE validation")
        connection.exec_driver_sql(
            "CREATE TABLE validation (id VARCHAR NOT NULL PRIMARY KEY, resource_id VARCHAR,"
            " status VARCHAR, created TIMESTAMP WITHOUT TIME ZONE,"
            " finished TIMESTAMP WITHOUT TIME ZONE, report JSONB, error JSONB)")
        connection.exec_driver_sql(
            "INSERT INTO validation VALUES ('legado-1', %s, 'failure',"
            " '2023-05-02 10:00:00', '2023-05-02 10:00:05', %s, NULL)",
            (resource_id, json.dumps(LEGACY_REPORT)))

    migrate_db_for("mogi_validation")

    shown = api(app, "resource_validation_show", sysadmin, 200,
                resource_id=resource_id)["result"]
    assert {k: shown[k] for k in ("id", "status", "created", "finished", "report",
                                  "error", "lgpd", "justification")} == {
        "id": "legado-1", "status": "failure", "created": "2023-05-02T10:00:00",
        "finished": "2023-05-02T10:00:05", "report": LEGACY_REPORT, "error": None,
        "lgpd": {"findings": []}, "justification": None}
    # Editing the dataset's text does not throw the old report away.
    helpers.call_action("package_patch", context=as_site(),
                        id=dataset["id"], notes="Série histórica.")
    assert helpers.call_action("resource_validation_show",
                               resource_id=resource_id)["id"] == "legado-1"


@pytest.mark.ckan_config("ckanext.mogi.validation.blocking", "false")
def test_file_access_answers_what_the_download_gate_does(app, new_dataset, upload_table,
                                                        editor):
    dataset = new_dataset("acesso", private=False)
    resource = upload_table(dataset, UNITS, "acesso.csv")
    download = resource["url"].replace("http://test.ckan.net", "")

    held = api(app, "resource_file_access_show", None, 200, id=resource["id"])["result"]
    assert held == {"resource_id": resource["id"], "allowed": False,
                    "reason": "Esta tabela ainda está sendo verificada (validação e dados "
                              "pessoais): o download fica disponível assim que a "
                              "verificação terminar."}
    app.get(download, status=403)
    staff = api(app, "resource_file_access_show", editor, 200, id=resource["id"])["result"]
    assert staff["allowed"] is True and staff["reason"] is None

    helpers.call_action("resource_validation_run", id=resource["id"], **{"async": False})
    cleared = api(app, "resource_file_access_show", None, 200, id=resource["id"])["result"]
    assert cleared["allowed"] is True
    app.get(download, status=200)


def test_file_access_of_a_private_dataset_is_closed_to_outsiders(app, new_dataset,
                                                                 upload_table):
    dataset = new_dataset("acesso-privado")
    resource = upload_table(dataset, UNITS, "privado.csv")
    outsider = factories.UserWithToken()

    for user in (None, outsider):
        refused = api(app, "resource_file_access_show", user, 403, id=resource["id"])
        assert resource["id"] not in json.dumps(refused)
    api(app, "resource_file_access_show", None, 404, id="nao-existe")
