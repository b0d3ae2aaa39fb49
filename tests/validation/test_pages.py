"""What citizens and staff see of table validation: report page, badges, facet, library.

Everything goes through the real application: tables are uploaded with
``resource_create`` and validated by the real pipeline
(``resource_validation_run`` with ``async`` off), pages are fetched from the
app in pt_BR.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from ckan import model
from ckan.tests import factories, helpers
from sample_data import as_site, dataset_fields

from ckanext.mogi.validation import library
from ckanext.mogi.validation import model as vmodel

# Blocking mode off: tables with errors stay public, so citizens see their
# reports and badges (blocking itself is tested in test_blocking.py).
pytestmark = [pytest.mark.usefixtures("clean_db"),
              pytest.mark.ckan_config("ckanext.mogi.validation.blocking", "false")]

#: Valid CPFs (check digits right), as a payroll export would carry them.
CPFS = ["529.982.247-25", "111.444.777-35", "390.533.447-05", "945.807.302-24",
        "157.368.193-84", "036.426.212-52"]

#: A payroll table with personal data in clear and two broken cells.
FAILED_TABLE = "\n".join([
    "nome;cpf;valor;data_pagamento",
    f"Maria da Silva Souza;{CPFS[0]};1.234,56;05/01/2024",
    f"João Pereira Lima;{CPFS[1]};2.500,00;05/01/2024",
    f"Ana Beatriz Costa;{CPFS[2]};mil reais;05/01/2024",
    f"Carlos Alberto Nunes;{CPFS[3]};980,10;31/02/2024",
    f"Fernanda Oliveira Reis;{CPFS[4]};1.100,00;05/01/2024",
    f"Paulo Henrique Dias;{CPFS[5]};3.210,75;05/01/2024",
]) + "\n"

FAILED_SCHEMA = {"fields": [
    {"name": "nome", "type": "string"},
    {"name": "cpf", "type": "string"},
    {"name": "valor", "type": "number", "decimalChar": ",", "groupChar": "."},
    {"name": "data_pagamento", "type": "date", "format": "%d/%m/%Y"},
]}

#: A sound table with no personal data and no schema (one is inferred).
VALID_TABLE = "\n".join([
    "unidade;bairro;atendimentos;data",
    "UBS Jundiapeba;Jundiapeba;1.204;31/01/2024",
    "UBS Braz Cubas;Braz Cubas;987;31/01/2024",
    "UBS César de Souza;César de Souza;1.530;31/01/2024",
]) + "\n"


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", BeautifulSoup(html, "html.parser").get_text(" ")).strip()


@pytest.fixture
def add_table(organization, create_with_upload, validation_worker):
    """``add_table(name, content, private=False, **resource)``: a dataset whose
    uploaded table has been through the validation pipeline (run at once; the
    jobs the uploads enqueue go to this test's own queue)."""

    def add(name: str, content: str, private: bool = False, justified: bool = False,
            **resource: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        dataset = helpers.call_action("package_create", context=as_site(), **dataset_fields(
            organization, name, title=f"Tabela {name}", private=private,
            tag_string="folha de pagamento"))
        created = create_with_upload(content, f"{name}.csv", context=as_site(),
                                     package_id=dataset["id"],
                                     name=f"{name}.csv", format="CSV", **resource)
        helpers.call_action("resource_validation_run", id=created["id"], **{"async": False})
        if justified:
            # Personal data keeps a dataset private in every organization until
            # staff record the legal basis (tests/validation/test_trust.py).
            helpers.call_action("resource_validation_justify", resource_id=created["id"],
                                legal_basis="art7_ii", text="Remuneração de servidores: LAI.")
            helpers.call_action("package_patch", context=as_site(),
                                id=dataset["id"], private=private)
        return dataset, helpers.call_action("resource_show", id=created["id"])

    return add


#: An export that is really the HTML page of the federal transparency portal.
HTML_AS_CSV = str(Path(__file__).resolve().parents[3] / "shared" / "data" / "tables"
                  / "federal_portaltransparencia_convenios_IS_ACTUALLY_HTML.csv")


def report_path(dataset: dict[str, Any], resource: dict[str, Any]) -> str:
    return f"/dataset/{dataset['name']}/resource/{resource['id']}/validacao"


def test_report_page_shows_summary_errors_dialect_and_lgpd_in_portuguese(app, add_table):
    dataset, resource = add_table("folha-janeiro", FAILED_TABLE, justified=True,
                                  schema=json.dumps(FAILED_SCHEMA))
    assert resource["validation_status"] == "failure"

    body = app.get(report_path(dataset, resource), status=200).body
    page = BeautifulSoup(body, "html.parser")
    text = text_of(body)
    assert "Validação da tabela: folha-janeiro.csv" in text
    assert "Com erros" in text
    assert re.search(r"Validada em \d{2}/\d{2}/\d{4} \d{2}:\d{2}", text)
    summary = {dd["data-summary"]: dd.get_text(strip=True)
               for dd in page.select("dd[data-summary]")}
    assert summary == {"rows": "6", "columns": "4", "errors": "2"}
    assert "Erros por tipo" in text

    errors = page.select("tr.mogi-erro")
    assert len(errors) == 2
    cells = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in errors]
    by_value = {row[2]: row for row in cells}
    assert set(by_value) == {"mil reais", "31/02/2024"}
    # Row numbers as the staff see them in the file (header on line 1).
    assert by_value["mil reais"][0] == "4" and "valor" in by_value["mil reais"][1]
    assert by_value["31/02/2024"][0] == "5" and "data_pagamento" in by_value["31/02/2024"][1]
    for row in cells:
        assert row[3] and row[4], "every error has a Portuguese message and a hint"

    assert "Como o arquivo foi lido" in text
    assert "Codificação" in text and "ponto e vírgula (;)" in text

    findings = {tr["data-kind"]: [td.get_text(" ", strip=True) for td in tr.find_all("td")]
                for tr in page.select("tr.mogi-achado-lgpd")}
    assert findings["cpf"][0] == "cpf" and findings["cpf"][1].startswith("CPF")
    assert findings["cpf"][2:] == ["6", "Não"]
    assert findings["nome"][0] == "nome" and findings["nome"][3] == "Não"
    assert "Dados pessoais" in text
    # Citizens read the report; staff actions are not offered to them.
    assert "Ações da equipe" not in text
    assert page.find("form", class_="mogi-form-justificativa") is None


def test_report_page_in_english_shows_the_report_in_english(app, add_table):
    dataset, resource = add_table("folha-fevereiro", FAILED_TABLE, justified=True,
                                  schema=json.dumps(FAILED_SCHEMA))

    text = text_of(app.get("/en" + report_path(dataset, resource), status=200).body)

    assert "Wrong data type" in text and "Tipo de dado incorreto" not in text
    assert ('Row 5, column "data_pagamento": "31/02/2024" is not a valid date in the '
            "format dd/mm/yyyy.") in text
    assert 'The column "cpf" holds full CPF in 6 row(s).' in text


def test_report_page_explains_a_rejected_html_file(app, add_table):
    with open(HTML_AS_CSV, encoding="utf-8", errors="replace") as html:
        dataset, resource = add_table("convenios", html.read())
    assert resource["validation_status"] == "failure"
    page = BeautifulSoup(app.get(report_path(dataset, resource), status=200).body,
                         "html.parser")
    text = text_of(str(page))
    assert "Com erros" in text
    problems = [tr.find_all("td")[3].get_text(" ", strip=True)
                for tr in page.select("tr.mogi-erro")]
    assert len(problems) == 1 and "HTML" in problems[0]
    assert "A tabela não foi verificada quanto a dados pessoais" in text


def test_report_left_by_ckanext_validation_is_shown(app, add_table):
    """A row of the ``validation`` table as ckanext-validation wrote it (its columns only)."""
    dataset, resource = add_table("receitas-2019", VALID_TABLE)
    helpers.call_action("resource_validation_delete", resource_id=resource["id"])
    legacy_report = {
        "valid": False, "errors": [], "stats": {"errors": 1, "tasks": 1},
        "tasks": [{
            "valid": False, "name": "receitas", "labels": ["unidade", "atendimentos"],
            "stats": {"errors": 1, "rows": 2, "fields": 2},
            "errors": [{
                "type": "type-error", "title": "Type Error",
                "description": "The value does not match the schema type and format.",
                "message": 'Type error in the cell "muitos" in row "3" and field '
                           '"atendimentos" at position "2"',
                "note": 'type is "integer/default"', "tags": ["#table", "#row", "#cell"],
                "cells": ["UBS Braz Cubas", "muitos"], "rowNumber": 3,
                "cell": "muitos", "fieldName": "atendimentos", "fieldNumber": 2,
            }],
        }],
    }
    model.Session.execute(vmodel.validation_table.insert().values(
        id="legacy-1", resource_id=resource["id"], status="failure",
        created=vmodel.utcnow(), finished=vmodel.utcnow(), report=legacy_report, error=None))
    model.Session.commit()

    page = BeautifulSoup(app.get(report_path(dataset, resource), status=200).body,
                         "html.parser")
    text = text_of(str(page))
    assert "Com erros" in text
    cells = [td.get_text(" ", strip=True) for td in page.select_one("tr.mogi-erro")("td")]
    assert cells[0] == "3" and "atendimentos" in cells[1] and cells[2] == "muitos"
    assert "Type error" not in cells[3] and cells[4]
    assert "A tabela não foi verificada quanto a dados pessoais" in text


def test_badges_on_resource_dataset_and_search_pages(app, add_table):
    failed, failed_res = add_table("folha-janeiro", FAILED_TABLE, justified=True,
                                   schema=json.dumps(FAILED_SCHEMA))
    valid, valid_res = add_table("atendimentos-ubs", VALID_TABLE)
    assert valid_res["validation_status"] == "success"

    resource_page = BeautifulSoup(
        app.get(f"/dataset/{failed['name']}/resource/{failed_res['id']}").body, "html.parser")
    badge = resource_page.select_one(".mogi-validacao-recurso [data-validation-status]")
    assert badge["data-validation-status"] == "failure"
    assert "Com erros" in badge.get_text()
    assert resource_page.select_one(".mogi-validacao-recurso .mogi-dados-pessoais")
    link = resource_page.find("a", string=re.compile("Ver o relatório de validação"))
    assert link["href"].endswith(report_path(failed, failed_res))

    dataset_page = BeautifulSoup(app.get(f"/dataset/{valid['name']}").body, "html.parser")
    item = dataset_page.select_one(f'li.resource-item[data-id="{valid_res["id"]}"]')
    assert item.select_one("[data-validation-status]").get_text(" ", strip=True).endswith(
        "Válido")
    assert item.select_one(".mogi-dados-pessoais") is None

    search = BeautifulSoup(app.get("/dataset/").body, "html.parser")
    listed = {a.get_text(strip=True): a.find_parent("li")
              for a in search.select("li.dataset-item h2 a")}
    failed_item, valid_item = listed["Tabela folha-janeiro"], listed["Tabela atendimentos-ubs"]
    assert "Com erros" in failed_item.select_one("[data-validation-status]").get_text()
    assert failed_item.select_one(".mogi-dados-pessoais") is not None
    assert "Válido" in valid_item.select_one("[data-validation-status]").get_text()
    assert valid_item.select_one(".mogi-dados-pessoais") is None


def facet_items(body: str) -> dict[str, str]:
    """The "Situação da validação" facet of a search page: label -> link."""
    page = BeautifulSoup(body, "html.parser")
    # The facet's own heading (a dataset's heading also says "Situação da
    # validação", for screen readers, and the results come first in the page).
    heading = page.find(lambda tag: tag.name in ("h2", "h3")
                        and "module-heading" in (tag.get("class") or [])
                        and "Situação da validação" in tag.get_text())
    assert heading is not None, "no validation facet on the page"
    section = heading.find_parent("section")
    return {a.select_one(".item-label").get_text(strip=True): a["href"]
            for a in section.select("a[href*='res_extras_validation_status']")}


def test_validation_facet_has_portuguese_labels_and_filters(app, add_table):
    add_table("folha-janeiro", FAILED_TABLE, justified=True, schema=json.dumps(FAILED_SCHEMA))
    add_table("atendimentos-ubs", VALID_TABLE)
    add_table("folha-sigilosa", FAILED_TABLE, private=True, schema=json.dumps(FAILED_SCHEMA))

    items = facet_items(app.get("/dataset/").body)
    assert set(items) == {"Com erros", "Válido"}
    filtered = BeautifulSoup(app.get(items["Com erros"]).body, "html.parser")
    titles = [a.get_text(strip=True) for a in filtered.select("li.dataset-item h2 a")]
    # The private dataset never shows to the public, filtered or not.
    assert titles == ["Tabela folha-janeiro"]

    api = helpers.call_action("package_search", context={"ignore_auth": False, "user": ""},
                              **{"facet.field": json.dumps(["res_extras_validation_status"])})
    counts = {i["name"]: i["count"]
              for i in api["search_facets"]["res_extras_validation_status"]["items"]}
    assert counts == {"failure": 1, "success": 1}


def test_private_dataset_report_is_not_shown_to_outsiders(app, add_table, editor):
    dataset, resource = add_table("folha-sigilosa", FAILED_TABLE, private=True,
                                  schema=json.dumps(FAILED_SCHEMA))
    path = report_path(dataset, resource)
    anonymous = text_of(app.get(path, status=404).body)
    assert "Tabela folha-sigilosa" not in anonymous and "Com erros" not in anonymous
    assert CPFS[0] not in anonymous
    outsider = factories.UserWithToken()
    app.get(path, headers={"Authorization": outsider["token"]}, status=404)
    app.get(f"{path}/copia-mascarada.csv", status=404)
    app.post(f"{path}/justificar", data={"legal_basis": "art7_iii", "text": "x"}, status=404)
    assert "Com erros" in text_of(
        app.get(path, headers={"Authorization": editor["token"]}, status=200).body)


def test_staff_validate_again_from_the_report(app, add_table, editor, validation_worker):
    dataset, resource = add_table("folha-janeiro", FAILED_TABLE, justified=True,
                                  schema=json.dumps(FAILED_SCHEMA))
    staff = {"Authorization": editor["token"]}
    page = BeautifulSoup(app.get(report_path(dataset, resource), headers=staff).body,
                         "html.parser")
    form = page.find("button", string=re.compile("Validar novamente")).find_parent("form")
    answer = app.post(form["action"], headers=staff, follow_redirects=True, status=200)
    text = text_of(answer.body)
    assert "A tabela será validada novamente em instantes." in text
    assert "Aguardando" in text and "A tabela está sendo validada." in text

    validation_worker()
    text = text_of(app.get(report_path(dataset, resource), status=200).body)
    assert "Com erros" in text and "Erros por tipo" in text
    app.post(form["action"], status=403)


def test_staff_adopt_the_inferred_schema_from_the_report(app, add_table, editor,
                                                        validation_worker):
    dataset, resource = add_table("atendimentos-ubs", VALID_TABLE)
    shown = helpers.call_action("resource_validation_show", resource_id=resource["id"])
    assert shown["inferred_schema"]["fields"]

    staff = {"Authorization": editor["token"]}
    page = BeautifulSoup(app.get(report_path(dataset, resource), headers=staff).body,
                         "html.parser")
    adopt = page.find("button", string=re.compile("Adotar o esquema inferido"))
    assert adopt is not None
    form = adopt.find_parent("form")
    answer = app.post(form["action"], headers=staff, follow_redirects=True, status=200)
    assert "O esquema inferido agora é o esquema da tabela" in text_of(answer.body)

    resource = helpers.call_action("resource_show", id=resource["id"])
    assert json.loads(resource["schema"]) == shown["inferred_schema"]
    # The table is validated again in the background, now against that schema.
    assert resource["validation_status"] == "created"
    validation_worker()
    page = BeautifulSoup(app.get(report_path(dataset, resource)).body, "html.parser")
    assert page.select_one("[data-validation-status]")["data-validation-status"] == "success"
    assert page.select_one("section.mogi-esquema-inferido") is None
    # Citizens cannot change a resource from the report.
    app.post(form["action"], status=403)


def test_staff_record_an_lgpd_justification_from_the_report(app, add_table, editor):
    dataset, resource = add_table("folha-janeiro", FAILED_TABLE,
                                  schema=json.dumps(FAILED_SCHEMA))
    staff = {"Authorization": editor["token"]}
    page = BeautifulSoup(app.get(report_path(dataset, resource), headers=staff).body,
                         "html.parser")
    form = page.find("form", class_="mogi-form-justificativa")
    options = {o["value"]: o.get_text(strip=True) for o in form.select("select option")}
    assert options["art7_iii"].startswith("Art. 7º, III")

    reason = "Remuneração de servidores: publicação exigida pela Lei de Acesso à Informação."
    answer = app.post(form["action"], headers=staff, follow_redirects=True, status=200,
                      data={"legal_basis": "art7_ii", "text": reason})
    text = text_of(answer.body)
    assert "A justificativa foi registrada." in text
    assert "Art. 7º, II – cumprimento de obrigação legal ou regulatória" in text
    assert reason in text and editor["name"] in text

    recorded = helpers.call_action("resource_validation_show", resource_id=resource["id"])
    assert recorded["justification"]["legal_basis"] == "art7_ii"

    # Without a legal basis nothing is recorded and the staff member is told why.
    answer = app.post(form["action"], headers=staff, follow_redirects=True, status=200,
                      data={"legal_basis": "", "text": "sem base"})
    assert "sem base" not in text_of(answer.body)


def test_staff_download_a_masked_copy(app, add_table, editor):
    dataset, resource = add_table("folha-janeiro", FAILED_TABLE, justified=True,
                                  schema=json.dumps(FAILED_SCHEMA))
    path = f"{report_path(dataset, resource)}/copia-mascarada.csv"
    answer = app.get(path, headers={"Authorization": editor["token"]}, status=200)
    assert answer.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.body.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["nome", "cpf", "valor", "data_pagamento"]
    assert rows[1] == ["Maria da Silva Souza", "***.982.247-**", "1.234,56", "05/01/2024"]
    assert not any(cpf in answer.body for cpf in CPFS)
    # Citizens get the published table, never a copy produced on request.
    app.get(path, status=403)


def test_schema_library_is_served_as_json_and_listed_in_portuguese(app):
    schemas = library.list_schemas()
    assert schemas
    index = text_of(app.get("/validacao/esquemas", status=200).body)
    assert "Biblioteca de esquemas de tabela" in index
    for schema in schemas:
        assert schema["title"] in index
        served = app.get(f"/validacao/esquemas/{schema['name']}.json", status=200)
        assert served.headers["Content-Type"].startswith("application/json")
        assert json.loads(served.body) == library.load(schema["name"])
    missing = app.get("/validacao/esquemas/nao-existe.json", status=404)
    assert "nao-existe" in text_of(missing.body)


def form_data(form) -> dict[str, Any]:
    """What a browser sends for ``form`` untouched (no JavaScript involved)."""
    data: dict[str, Any] = {}
    for control in form.find_all(["input", "select", "textarea"]):
        name = control.get("name")
        if not name or control.get("type") in ("submit", "button", "file", "checkbox"):
            continue
        if control.get("type") == "radio" and control.get("checked") is None:
            continue
        if control.name == "textarea":
            data[name] = control.text
        elif control.name == "select":
            chosen = control.find("option", selected=True) or control.find("option")
            data[name] = chosen.get("value", "") if chosen else ""
        else:
            data[name] = control.get("value", "")
    return data


def test_staff_choose_a_library_schema_in_the_resource_form(app, add_table, editor):
    dataset, resource = add_table("licitacoes-2024", VALID_TABLE)
    staff = {"Authorization": editor["token"]}
    edit = f"/dataset/{dataset['name']}/resource/{resource['id']}/edit"
    form = BeautifulSoup(app.get(edit, headers=staff).body, "html.parser").find(
        "form", id="resource-edit")
    select = form.find("select", attrs={"name": "esquema_biblioteca"})
    label = form.find("label", attrs={"for": select["id"]}).get_text(strip=True)
    assert "Esquema da biblioteca" in label
    offered = {o["value"]: o.get_text(strip=True) for o in select.find_all("option")}
    assert {s["name"]: s["title"] for s in library.list_schemas()}.items() <= offered.items()

    chosen = library.list_schemas()[0]["name"]
    data = {**form_data(form), "esquema_biblioteca": chosen, "save": ""}
    app.post(edit, data=data, headers=staff, status=302, follow_redirects=False)

    updated = helpers.call_action("resource_show", id=resource["id"])
    assert updated["schema"] == f"http://test.ckan.net/validacao/esquemas/{chosen}.json"
    assert "esquema_biblioteca" not in updated
    # The table is validated again, against the chosen schema.
    assert updated["validation_status"] == "created"
    helpers.call_action("resource_validation_run", id=resource["id"], **{"async": False})
    rerun = helpers.call_action("resource_validation_show", resource_id=resource["id"])
    assert rerun["status"] in ("success", "failure"), rerun["error"]

    form = BeautifulSoup(app.get(edit, headers=staff).body, "html.parser").find(
        "form", id="resource-edit")
    selected = form.find("select", attrs={"name": "esquema_biblioteca"}).find(
        "option", selected=True)
    assert selected["value"] == chosen


def test_an_unknown_library_schema_is_refused_in_portuguese(app, add_table, editor):
    _dataset, resource = add_table("licitacoes-2024", VALID_TABLE)
    answer = app.post("/api/3/action/resource_patch", headers={"Authorization": editor["token"]},
                      json={"id": resource["id"], "esquema_biblioteca": "nao-existe"},
                      status=409)
    assert answer.json["error"]["esquema_biblioteca"] == [
        'Não há esquema chamado "nao-existe" na biblioteca.']
    assert "schema" not in helpers.call_action("resource_show", id=resource["id"])
