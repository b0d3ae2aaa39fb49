"""Blocking mode: tables that are not sound, or hold citizens' CPFs, keep a dataset private.

Tables are uploaded for real and validated by the real pipeline; publication
is attempted the way staff do it (``package_patch``, the API, the edit form).
"""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from ckan.tests import helpers
from sample_data import BROKEN, COMPANIES, UNITS, as_site, dataset_fields, payroll

from ckanext.mogi.validation import model as vmodel

pytestmark = pytest.mark.usefixtures("clean_db")


def publish(app, user: dict[str, Any], dataset: dict[str, Any], status: int) -> dict:
    return app.post("/api/3/action/package_patch", json={"id": dataset["id"],
                                                         "private": False},
                    headers={"Authorization": user["token"]}, status=status).json


def validated(upload_table, dataset: dict[str, Any], content: str, filename: str,
              **resource: Any) -> dict[str, Any]:
    created = upload_table(dataset, content, filename, **resource)
    helpers.call_action("resource_validation_run", id=created["id"], **{"async": False})
    return helpers.call_action("resource_show", id=created["id"])


def is_private(dataset: dict[str, Any]) -> bool:
    return helpers.call_action("package_show", id=dataset["id"])["private"]


def test_unmasked_cpfs_keep_the_dataset_private(app, new_dataset, upload_table, editor):
    dataset = new_dataset("folha-pagamento")
    validated(upload_table, dataset, payroll(), "folha.csv")

    refused = publish(app, editor, dataset, 409)

    assert refused["error"]["private"] == [
        'A tabela "folha.csv" contém dados pessoais (LGPD): publique uma cópia '
        "mascarada ou registre uma justificativa com a base legal antes de publicar "
        "o conjunto de dados."]
    assert is_private(dataset)
    shown = helpers.call_action("package_show", id=dataset["id"])
    assert [r["name"] for r in shown["resources"]] == ["folha.csv"]


@pytest.mark.parametrize("content", [payroll(masked=True), COMPANIES, UNITS],
                         ids=["cpf-mascarado", "cnpj-de-empresas", "sem-dados-pessoais"])
def test_masked_cpfs_and_company_cnpjs_go_public(app, new_dataset, upload_table, editor,
                                                 content):
    dataset = new_dataset("tabela")
    resource = validated(upload_table, dataset, content, "tabela.csv")
    assert resource["validation_status"] == "success"

    publish(app, editor, dataset, 200)

    assert not is_private(dataset)


def test_a_justification_unlocks_publication(app, new_dataset, upload_table, editor):
    dataset = new_dataset("folha-justificada")
    resource = validated(upload_table, dataset, payroll(), "folha.csv")
    publish(app, editor, dataset, 409)

    helpers.call_action("resource_validation_justify", context={"user": editor["name"]},
                        resource_id=resource["id"], legal_basis="art7_ii",
                        text="Remuneração nominal de servidores: LAI, art. 8º.")
    publish(app, editor, dataset, 200)

    assert not is_private(dataset)


def test_a_new_file_needs_a_new_justification(app, new_dataset, upload_table, editor,
                                             create_with_upload):
    dataset = new_dataset("folha-nova")
    resource = validated(upload_table, dataset, payroll(), "folha.csv")
    helpers.call_action("resource_validation_justify", context={"user": editor["name"]},
                        resource_id=resource["id"], legal_basis="art7_ii", text="LAI.")
    # The file is replaced by another one with CPFs (and validated again).
    create_with_upload(payroll() + "Outro;390.533.447-05;10,00\n", "folha.csv",
                       action="resource_patch", id=resource["id"], context=as_site())
    helpers.call_action("resource_validation_run", id=resource["id"], **{"async": False})

    refused = publish(app, editor, dataset, 409)
    assert "dados pessoais" in refused["error"]["private"][0]


@pytest.mark.parametrize(("content", "expected"), [
    (BROKEN, 'A tabela "tabela.csv" não passou na validação: corrija os erros '
             "apontados no relatório de validação antes de publicar o conjunto de dados."),
    (None, 'A tabela "tabela.csv" ainda não foi validada: aguarde o fim da validação '
           "e então publique o conjunto de dados."),
], ids=["com-erros", "nao-validada"])
def test_failed_or_unvalidated_tables_block(app, new_dataset, upload_table, editor,
                                            content, expected):
    dataset = new_dataset("tabela")
    if content is None:
        upload_table(dataset, UNITS, "tabela.csv")  # queued, no worker ran
    else:
        validated(upload_table, dataset, content, "tabela.csv")

    assert publish(app, editor, dataset, 409)["error"]["private"] == [expected]
    assert is_private(dataset)


def test_creating_a_public_dataset_with_an_unvalidated_table_is_refused(
        app, organization, editor):
    fields = dataset_fields(organization, "publico-direto", private=False, resources=[
        {"url": "https://example.com/atendimentos.csv", "format": "CSV",
         "name": "Atendimentos"}])
    refused = app.post("/api/3/action/package_create", json=fields,
                       headers={"Authorization": editor["token"]}, status=409).json
    assert "ainda não foi validada" in refused["error"]["private"][0]
    app.post("/api/3/action/package_show", json={"id": "publico-direto"},
             headers={"Authorization": editor["token"]}, status=404)
    # Private first: accepted, and the table is queued for validation.
    fields["private"] = True
    created = app.post("/api/3/action/package_create", json=fields,
                       headers={"Authorization": editor["token"]}, status=200).json
    assert created["result"]["resources"][0]["validation_status"] == "created"


def test_organization_overrides_the_site_option(app, organization, new_dataset,
                                                upload_table, editor, sysadmin):
    # The organization's choice governs quality failures only (personal data
    # is held in every organization: tests/validation/test_trust.py).
    dataset = new_dataset("tabela-org")
    validated(upload_table, dataset, BROKEN, "tabela.csv")
    publish(app, editor, dataset, 409)

    helpers.call_action("organization_patch", context={"user": sysadmin["name"]},
                        id=organization["id"], validacao_bloqueante="nao")
    publish(app, editor, dataset, 200)
    assert not is_private(dataset)


@pytest.mark.ckan_config("ckanext.mogi.validation.blocking", "false")
def test_site_option_off_and_organization_on(app, organization, new_dataset, upload_table,
                                             editor, sysadmin):
    dataset = new_dataset("tabela-site")
    validated(upload_table, dataset, BROKEN, "tabela.csv")
    publish(app, editor, dataset, 200)  # the site does not block
    helpers.call_action("package_patch", context=as_site(), id=dataset["id"], private=True)

    helpers.call_action("organization_patch", context={"user": sysadmin["name"]},
                        id=organization["id"], validacao_bloqueante="sim")
    publish(app, editor, dataset, 409)
    assert is_private(dataset)


def test_organization_form_offers_the_choice_in_portuguese(app, organization, sysadmin):
    page = app.get(f"/organization/edit/{organization['name']}",
                   headers={"Authorization": sysadmin["token"]}, status=200)
    field = BeautifulSoup(page.body, "html.parser").find(
        "select", attrs={"name": "validacao_bloqueante"})
    assert [o.get_text(strip=True) for o in field.find_all("option")] == [
        "Seguir a configuração do portal",
        "Sim: tabelas com erros ou dados pessoais impedem a publicação",
        "Não: a validação apenas informa"]


def test_a_public_dataset_that_gets_a_flagged_table_is_made_private(
        new_dataset, upload_table):
    dataset = new_dataset("publico", private=False)
    validated(upload_table, dataset, UNITS, "unidades.csv")
    assert not is_private(dataset)

    flagged = validated(upload_table, dataset, payroll(), "folha.csv")

    assert is_private(dataset)
    entries = vmodel.audit(flagged["id"], vmodel.EVENT_MADE_PRIVATE)
    assert [e["text"] for e in entries] == [
        'Conjunto tornado privado pela validação automática: na tabela "folha.csv", '
        "a tabela contém dados pessoais sem justificativa registrada."]
    # The validation's API tells other capabilities (the history) about it.
    shown = helpers.call_action("resource_validation_show", resource_id=flagged["id"])
    assert shown["made_private"]["text"] == entries[0]["text"]
    # Nothing was deleted.
    shown = helpers.call_action("package_show", id=dataset["id"])
    assert [r["name"] for r in shown["resources"]] == ["unidades.csv", "folha.csv"]


def test_edit_form_shows_the_refusal_as_a_form_error(app, new_dataset, upload_table,
                                                     sysadmin):
    dataset = new_dataset("formulario")
    validated(upload_table, dataset, payroll(), "folha.csv")
    headers = {"Authorization": sysadmin["token"]}
    page = BeautifulSoup(app.get(f"/dataset/edit/{dataset['name']}", headers=headers,
                                 status=200).body, "html.parser")
    form = page.find("form", id="dataset-edit")
    data: dict[str, Any] = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or field.get("type") in ("submit", "button", "file"):
            continue
        if field.name == "select":
            chosen = field.find_all("option", selected=True) or field.find_all("option")[:1]
            data[name] = [o.get("value", "") for o in chosen]
            if not field.has_attr("multiple"):
                data[name] = data[name][0] if data[name] else ""
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        else:
            data[name] = field.get("value", field.get_text() if field.name == "textarea"
                                   else "")
    data["private"] = "False"
    data["save"] = ""

    response = app.post(f"/dataset/edit/{dataset['name']}", data=data, headers=headers,
                        status=200)

    text = BeautifulSoup(response.body, "html.parser").get_text(" ")
    assert "contém dados pessoais (LGPD)" in text
    assert is_private(dataset)


def test_bulk_make_public_refuses_datasets_with_blocking_tables(app, organization,
                                                                new_dataset, upload_table,
                                                                sysadmin):
    flagged = new_dataset("folha-lote")
    validated(upload_table, flagged, payroll(), "folha.csv")
    sound = new_dataset("unidades-lote")
    validated(upload_table, sound, UNITS, "unidades.csv")

    refused = app.post("/api/3/action/bulk_update_public",
                       json={"org_id": organization["id"],
                             "datasets": [flagged["id"], sound["id"]]},
                       headers={"Authorization": sysadmin["token"]}, status=409).json
    assert refused["error"]["private"][0].startswith(
        'Conjunto folha-lote: A tabela "folha.csv" contém dados pessoais (LGPD)')
    assert is_private(flagged) and is_private(sound)


def test_bulk_make_public_page_explains_the_refusal(app, organization, new_dataset,
                                                    upload_table, sysadmin):
    flagged = new_dataset("folha-pagina")
    validated(upload_table, flagged, payroll(), "folha.csv")

    response = app.post(f"/organization/bulk_process/{organization['name']}",
                        data={"bulk_action.public": "public",
                              f"dataset_{flagged['id']}": "on"},
                        headers={"Authorization": sysadmin["token"]},
                        follow_redirects=True, status=200)

    text = BeautifulSoup(response.body, "html.parser").get_text(" ")
    assert 'A tabela "folha.csv" contém dados pessoais (LGPD)' in text
    assert is_private(flagged)


def test_a_table_added_to_a_public_dataset_is_not_downloadable_until_checked(
        app, new_dataset, upload_table, editor):
    dataset = new_dataset("publico-download", private=False)
    sound = validated(upload_table, dataset, UNITS, "unidades.csv")
    # Uploaded, its job still queued: visitors wait, staff download.
    pending = upload_table(dataset, payroll(), "folha.csv")

    held = app.get(f"/dataset/{dataset['name']}/resource/{pending['id']}/download/folha.csv",
                   status=403).body
    assert "Esta tabela ainda está sendo verificada" in BeautifulSoup(
        held, "html.parser").get_text(" ")
    staff = app.get(f"/dataset/{dataset['name']}/resource/{pending['id']}/download/folha.csv",
                    headers={"Authorization": editor["token"]}, status=200)
    assert staff.data == payroll().encode("utf-8")
    app.get(f"/dataset/{dataset['name']}/resource/{sound['id']}/download/unidades.csv",
            status=200)

    # The verdict: personal data, so the dataset goes private (CKAN refuses visitors).
    helpers.call_action("resource_validation_run", id=pending["id"], **{"async": False})
    assert is_private(dataset)
    app.get(f"/dataset/{dataset['name']}/resource/{pending['id']}/download/folha.csv",
            status=404)
