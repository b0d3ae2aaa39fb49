"""Refusals name nothing they protect; the masked copy is spreadsheet-safe.

The validation actions' 403s and the report page's 404 carry neither the
dataset's id, name nor title; the 404 of a table closed to the user is the
404 of a table that does not exist. The staff's masked copy neutralises the
cells a spreadsheet program would run as formulas.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from typing import Any

import pytest
from bs4 import BeautifulSoup
from ckan.tests import factories, helpers
from sample_data import CPFS, UNITS

pytestmark = [pytest.mark.usefixtures("clean_db"),
              pytest.mark.ckan_config("ckanext.mogi.validation.blocking", "false")]

ACTIONS = ("resource_validation_run", "resource_validation_delete",
           "resource_validation_justify", "resource_validation_show")


def _validated(new_dataset, upload_table, name: str, content: str, private: bool,
               **fields: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    dataset = new_dataset(name, private=private, title="Prontuários sigilosos da UBS",
                          **fields)
    resource = upload_table(dataset, content, f"{name}.csv")
    helpers.call_action("resource_validation_run", id=resource["id"], **{"async": False})
    return dataset, resource


def _secrets(dataset: dict[str, Any]) -> list[str]:
    return [dataset["id"], dataset["name"], dataset["title"]]


def _call(app, action: str, user: dict[str, Any] | None, resource_id: str) -> Any:
    headers = {"Authorization": user["token"]} if user else {}
    return app.post(f"/api/3/action/{action}", headers=headers, json={
        "id": resource_id, "resource_id": resource_id,
        "legal_basis": "art7_iii", "text": "Política pública."})


@pytest.mark.parametrize("private", [True, False])
def test_validation_refusals_name_nothing(app, new_dataset, upload_table, private):
    dataset, resource = _validated(new_dataset, upload_table, "prontuarios-ubs", UNITS,
                                   private)
    outsider = factories.UserWithToken()
    for user in (None, outsider):
        for action in ACTIONS:
            if action == "resource_validation_show" and not private:
                continue  # a public table's report is open to everyone
            response = _call(app, action, user, resource["id"])
            assert response.status_code == 403, (action, response.json)
            body = response.get_data(as_text=True)
            assert not [secret for secret in _secrets(dataset) if secret in body]
            assert "Sem autorização para" in response.json["error"]["message"]


def test_refusal_messages_are_the_generic_portuguese_ones(app, new_dataset, upload_table):
    _dataset, resource = _validated(new_dataset, upload_table, "prontuarios-ubs", UNITS, True)
    # CKAN's API puts its own "Access denied: " before the message.
    messages = {action: _call(app, action, None, resource["id"]).json["error"]["message"]
                .split(": ", 1)[1] for action in ACTIONS}
    assert messages == {
        "resource_validation_run": "Sem autorização para validar esta tabela",
        "resource_validation_delete": "Sem autorização para apagar a validação desta tabela",
        "resource_validation_justify":
            "Sem autorização para justificar os dados pessoais desta tabela",
        "resource_validation_show": "Sem autorização para ler esta tabela",
    }


def _page_text(body: str) -> str:
    main = BeautifulSoup(body, "html.parser").find("main") or BeautifulSoup(body, "html.parser")
    return re.sub(r"\s+", " ", main.get_text(" ")).strip()


def test_report_404_of_a_closed_table_is_that_of_a_missing_one(app, new_dataset,
                                                                upload_table, editor):
    dataset, resource = _validated(new_dataset, upload_table, "prontuarios-ubs", UNITS, True)
    outsider = factories.UserWithToken()
    missing_dataset = f"/dataset/{uuid.uuid4()}/resource/{uuid.uuid4()}/validacao"
    missing_resource = f"/dataset/{dataset['id']}/resource/{uuid.uuid4()}/validacao"
    for headers in ({}, {"Authorization": outsider["token"]}):
        missing = _page_text(app.get(missing_dataset, headers=headers, status=404).body)
        for ref in (dataset["id"], dataset["name"]):
            path = f"/dataset/{ref}/resource/{resource['id']}/validacao"
            closed = app.get(path, headers=headers, status=404)
            assert _page_text(closed.body) == missing
            others = [s for s in _secrets(dataset) if s != ref]
            assert not [secret for secret in others if secret in closed.body]
            assert dataset["title"] not in closed.body
        for suffix in ("", "/copia-mascarada.csv"):
            path = f"/dataset/{dataset['id']}/resource/{resource['id']}/validacao{suffix}"
            assert app.get(path, headers=headers, status=404).status_code == 404
        assert _page_text(app.get(missing_resource, headers=headers, status=404).body) \
            == missing
    # Staff still see it.
    app.get(f"/dataset/{dataset['name']}/resource/{resource['id']}/validacao",
            headers={"Authorization": editor["token"]}, status=200)


#: Cells a spreadsheet program would run, and what the masked copy must hold instead.
FORMULAS = ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "@SUM(1+1)", "+1+1",
            "-1+1", "\t=1", "\r=1"]


def _formula_table() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")  # quotes a bare CR
    writer.writerow(["nome", "cpf", "observacao", "saldo"])
    for index, formula in enumerate(FORMULAS):
        writer.writerow([f"Pessoa {index}", CPFS[index % len(CPFS)], formula,
                         f"-{index + 10},5"])
    return buffer.getvalue()


def test_masked_copy_neutralises_formulas(app, new_dataset, upload_table, editor):
    dataset, resource = _validated(new_dataset, upload_table, "folha-formulas",
                                   _formula_table(), True)
    staff = {"Authorization": editor["token"]}
    report = f"/dataset/{dataset['name']}/resource/{resource['id']}/validacao"
    page = BeautifulSoup(app.get(report, headers=staff, status=200).body, "html.parser")
    link = page.find("a", string=re.compile("cópia mascarada"))
    note = page.find(id=link["aria-describedby"]).get_text(" ", strip=True)
    assert "apóstrofo (')" in note and "-12,5" in note

    answer = app.get(link["href"], headers=staff, status=200)
    assert answer.headers["Content-Disposition"] == \
        f'attachment; filename="{resource["id"]}-mascarado.csv"'
    rows = list(csv.reader(io.StringIO(answer.body.lstrip("\ufeff"), newline=""),
                           delimiter=";"))
    assert rows[0] == ["nome", "cpf", "observacao", "saldo"]
    assert len(rows) == len(FORMULAS) + 1
    assert [row[2] for row in rows[1:]] == ["'" + formula for formula in FORMULAS]
    # Plain negative numbers stay numbers; the CPFs are masked.
    assert [row[3] for row in rows[1:]] == [f"-{i + 10},5" for i in range(len(FORMULAS))]
    assert all(row[1].startswith("***.") for row in rows[1:])
    assert json.dumps(rows).count("'=") == 2
