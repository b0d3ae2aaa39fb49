"""A table's way from upload to DataStore rows, with the real job worker:
verdict, typed load, preview, reload, drop, and who may read the rows."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from ckan.tests import factories, helpers
from sample_data import CPFS

from ckanext.mogi.datastore import jobs, loader

pytestmark = pytest.mark.usefixtures("clean_db")

#: A pt-BR export: codes with leading zeros, dd/mm/aaaa, decimal comma, sim/não.
UNITS = (
    "codigo;unidade;inauguracao;custo;atendimentos;ativa\r\n"
    "0001;UBS Jundiapeba;31/12/2024;1.234,56;1204;sim\r\n"
    "0002;UBS Braz Cubas;01/02/2023;987,00;987;não\r\n"
    "0003;UBS César de Souza;15/07/2022;12.000,10;1530;sim\r\n"
)
SCHEMA = {
    "fields": [
        {"name": "codigo", "type": "string", "title": "Código", "description": "Código CNES"},
        {"name": "unidade", "type": "string", "title": "Unidade de saúde"},
        {"name": "inauguracao", "type": "date", "format": "%d/%m/%Y"},
        {"name": "custo", "type": "number", "decimalChar": ",", "groupChar": ".",
         "title": "Custo (R$)"},
        {"name": "atendimentos", "type": "integer"},
        {"name": "ativa", "type": "boolean", "trueValues": ["sim"], "falseValues": ["não"]},
    ],
}


def _upload(new_dataset, upload_table, name: str, content: str, *, private: bool = False,
            **resource):
    dataset = new_dataset(name, private=private)
    return dataset, upload_table(dataset, content.encode("cp1252"), f"{name}.csv", **resource)


def test_a_cleared_table_is_loaded_with_its_schemas_types(
        new_dataset, upload_table, validation_worker, rows_of):
    _dataset, resource = _upload(new_dataset, upload_table, "unidades", UNITS,
                                 schema=json.dumps(SCHEMA))
    validation_worker()

    result = rows_of(resource["id"])  # as an anonymous visitor
    fields = {f["id"]: f for f in result["fields"]}
    assert {name: f["type"] for name, f in fields.items()} == {
        "_id": "int", "codigo": "text", "unidade": "text", "inauguracao": "date",
        "custo": "numeric", "atendimentos": "int8", "ativa": "bool"}
    assert fields["codigo"]["info"] == {"label": "Código", "notes": "Código CNES"}
    assert fields["custo"]["info"] == {"label": "Custo (R$)"}
    first, second, third = result["records"]
    assert first["codigo"] == "0001"  # leading zeros kept
    assert first["unidade"] == "UBS Jundiapeba"
    assert third["unidade"] == "UBS César de Souza"  # cp1252 read right
    assert first["inauguracao"].startswith("2024-12-31")
    assert Decimal(str(first["custo"])) == Decimal("1234.56")
    assert Decimal(str(third["custo"])) == Decimal("12000.10")
    assert [r["atendimentos"] for r in result["records"]] == [1204, 987, 1530]
    assert [r["ativa"] for r in result["records"]] == [True, False, True]
    assert result["total"] == 3

    status = helpers.call_action("mogi_datastore_status", resource_id=resource["id"])
    assert status["state"] == "loaded" and status["rows"] == 3 and status["active"]
    views = helpers.call_action("resource_view_list", id=resource["id"])
    assert [(v["view_type"], v["title"]) for v in views] == [("datatables_view",
                                                             "Tabela de dados")]


def test_without_a_schema_the_inferred_types_are_loaded(
        new_dataset, upload_table, validation_worker, rows_of):
    _dataset, resource = _upload(new_dataset, upload_table, "unidades", UNITS)
    validation_worker()

    result = rows_of(resource["id"])
    assert {f["id"]: f["type"] for f in result["fields"]} == {
        "_id": "int", "codigo": "text", "unidade": "text", "inauguracao": "date",
        "custo": "numeric", "atendimentos": "int8", "ativa": "bool"}
    assert [(r["codigo"], r["ativa"]) for r in result["records"]] == [
        ("0001", True), ("0002", False), ("0003", True)]


def test_portuguese_full_text_and_exact_sums_in_sql(new_dataset, upload_table,
                                                   validation_worker, api):
    _dataset, resource = _upload(new_dataset, upload_table, "unidades", UNITS,
                                 schema=json.dumps(SCHEMA))
    validation_worker()

    found = api("datastore_search", resource_id=resource["id"], q="jundiapeba").json
    assert [r["codigo"] for r in found["result"]["records"]] == ["0001"]
    total = api("datastore_search_sql",
                sql=f'SELECT sum(custo) AS total FROM "{resource["id"]}"').json
    assert Decimal(str(total["result"]["records"][0]["total"])) == Decimal("14221.66")


def test_a_table_with_cpfs_is_dropped_then_loaded_once_justified(
        new_dataset, upload_table, validation_worker, sysadmin, api):
    people = "nome;cpf\n" + "".join(f"Pessoa {i};{cpf}\n" for i, cpf in enumerate(CPFS))
    dataset, resource = _upload(new_dataset, upload_table, "pessoas", people)
    validation_worker()

    assert api("datastore_search", resource_id=resource["id"]).status_code in (403, 404)
    assert not loader.table_exists(resource["id"])
    assert helpers.call_action("mogi_datastore_status",
                               resource_id=resource["id"])["state"] == "not_loaded"

    helpers.call_action("resource_validation_justify", context={"user": sysadmin["name"]},
                        resource_id=resource["id"], legal_basis="art7_iii",
                        text="Execução de política pública prevista em lei.")
    validation_worker()
    # Justified: loaded, and its dataset's staff read it (it was made private).
    assert helpers.call_action("package_show", id=dataset["id"])["private"] is True
    assert loader.table_exists(resource["id"])
    staff = api("datastore_search", sysadmin, resource_id=resource["id"])
    assert staff.status_code == 200 and staff.json["result"]["total"] == len(CPFS)
    assert api("datastore_search", resource_id=resource["id"]).status_code == 403


def test_private_dataset_rows_are_403_for_outsiders(new_dataset, upload_table,
                                                    validation_worker, api, sysadmin):
    _dataset, resource = _upload(new_dataset, upload_table, "unidades", UNITS, private=True,
                                 schema=json.dumps(SCHEMA))
    validation_worker()
    assert loader.table_exists(resource["id"])

    outsider = factories.UserWithToken()
    sql = f'SELECT * FROM "{resource["id"]}"'
    for user in (None, outsider):
        assert api("datastore_search", user, resource_id=resource["id"]).status_code == 403
        assert api("datastore_info", user, id=resource["id"]).status_code == 403
        assert api("datastore_search_sql", user, sql=sql).status_code == 403
    assert api("datastore_search_sql", sysadmin, sql=sql).status_code == 200


def test_visitors_get_no_list_of_the_datastore_tables(new_dataset, upload_table,
                                                     validation_worker, api, sysadmin):
    """The table list would name the loaded tables of private datasets."""
    _dataset, resource = _upload(new_dataset, upload_table, "unidades", UNITS, private=True,
                                 schema=json.dumps(SCHEMA))
    validation_worker()
    listing = {"resource_id": "_table_metadata"}
    sql = "SELECT name FROM _table_metadata"
    for user in (None, factories.UserWithToken()):
        assert api("datastore_search", user, **listing).status_code in (403, 404)
        assert api("datastore_search_sql", user, sql=sql).status_code in (403, 404)
        assert resource["id"] not in api("datastore_search_sql", user, sql=sql).text
    # The portal team still lists them.
    names = [r["name"] for r in api("datastore_search_sql", sysadmin, sql=sql).json[
        "result"]["records"]]
    assert resource["id"] in names


def test_deleting_the_resource_drops_its_rows(new_dataset, upload_table, validation_worker,
                                              sysadmin):
    _dataset, resource = _upload(new_dataset, upload_table, "unidades", UNITS,
                                 schema=json.dumps(SCHEMA))
    validation_worker()
    assert loader.table_exists(resource["id"])

    helpers.call_action("resource_delete", context={"user": sysadmin["name"]},
                        id=resource["id"])
    assert not loader.table_exists(resource["id"])


def test_a_failed_reload_keeps_the_old_rows_and_says_why(
        new_dataset, validation_worker, rows_of, link_server, ckan_config, monkeypatch,
        sysadmin):
    # A linked table, on a trusted internal host of this test.
    server = link_server("127.0.0.1")
    monkeypatch.setitem(ckan_config, "ckanext.mogi.fetch.allowed_ports",
                        f"80 443 {server.server_port}")
    monkeypatch.setitem(ckan_config, "ckanext.mogi.fetch.allowed_hosts", "127.0.0.1")
    url = server.serve("/unidades.csv", UNITS.encode("cp1252"))
    dataset = new_dataset("unidades", private=False)
    resource = helpers.call_action("resource_create", context={"user": sysadmin["name"]},
                                   package_id=dataset["id"], url=url, format="CSV",
                                   name="Unidades", schema=json.dumps(SCHEMA))
    validation_worker()
    before = rows_of(resource["id"])
    assert before["total"] == 3

    # The file at the link changes after its verdict: those bytes were never
    # checked, so they are not loaded, and the rows already there stay.
    server.serve("/unidades.csv", (UNITS + "0004;UBS Nova;01/01/2025;1,00;1;sim\r\n")
                 .encode("cp1252"))
    state = jobs.load_resource(resource["id"])

    assert state["state"] == "failed"
    assert "mudou desde a validação" in state["error"]
    assert rows_of(resource["id"])["records"] == before["records"]
    status = helpers.call_action("mogi_datastore_status", resource_id=resource["id"])
    assert status["rows"] == 3 and status["loaded_at"] and status["error"] == state["error"]
