"""Every real table of ../shared/data/tables uploaded the way staff do it, then
validated by a real job worker: a verdict and a Portuguese report page for each.

The files are read in place and sent as multipart uploads through the API;
the worker is a real CKAN/rq worker (burst mode) on this test's own queue.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from ckan.tests import helpers

pytestmark = pytest.mark.usefixtures("clean_db")

TABLES = Path(__file__).resolve().parents[3] / "shared" / "data" / "tables"
#: The tabular formats the validation takes (JSON record lists are not among them).
TABULAR = {".csv", ".tsv", ".xlsx", ".xls", ".ods"}
FILES = sorted(path for path in TABLES.iterdir() if path.suffix.lower() in TABULAR)
HTML_PAGE = "federal_portaltransparencia_convenios_IS_ACTUALLY_HTML.csv"


def text_of(html: bytes | str) -> str:
    return re.sub(r"\s+", " ", BeautifulSoup(html, "html.parser").get_text(" ")).strip()


@pytest.fixture
def uploaded(app, new_dataset, editor, validation_worker) -> dict[str, dict[str, Any]]:
    """Each shared table uploaded into one (private) dataset, then validated."""
    dataset = new_dataset("tabelas-reais")
    resources = {}
    for path in FILES:
        response = app.post(
            "/api/3/action/resource_create",
            data={"package_id": dataset["id"], "name": path.name,
                  "format": path.suffix[1:].upper(),
                  "upload": (io.BytesIO(path.read_bytes()), path.name)},
            headers={"Authorization": editor["token"]},
            content_type="multipart/form-data", status=200)
        resources[path.name] = response.json["result"]
        assert resources[path.name]["validation_status"] == "created"
    validation_worker()
    return {"dataset": dataset, **resources}


def test_every_shared_table_gets_a_verdict_and_a_portuguese_report_page(app, uploaded,
                                                                        editor):
    dataset = uploaded["dataset"]
    assert len(FILES) >= 11
    for path in FILES:
        resource = uploaded[path.name]
        record = helpers.call_action("resource_validation_show", resource_id=resource["id"])
        assert record["status"] in ("success", "failure"), (path.name, record["error"])
        shown = helpers.call_action("resource_show", id=resource["id"])
        assert shown["validation_status"] == record["status"]
        assert shown["validation_timestamp"]

        page = app.get(f"/dataset/{dataset['name']}/resource/{resource['id']}/validacao",
                       headers={"Authorization": editor["token"]}, status=200).body
        text = text_of(page)
        assert f"Validação da tabela: {path.name}" in text
        assert ("Válido" if record["status"] == "success" else "Com erros") in text
        if path.name != HTML_PAGE:
            assert "Como o arquivo foi lido" in text, path.name


def test_accents_of_cp1252_and_iso_8859_1_uploads_come_out_right(uploaded):
    expected = {
        # DATASUS TabNet (Windows-1252, curly quotes in its footer).
        "datasus_tabnet_sinan_tuberculose_2001-2019.csv": ("cp1252", "Diagnóstico"),
        # IBGE SIDRA (ISO-8859-1, title lines above the header).
        "ibge_sidra_tabela3940_aquicultura_raw.csv": (None, "Município"),
        # Portal da Transparência (ISO-8859-1).
        "federal_portaltransparencia_20250101_Despesas_Empenho.csv": (None, "Órgão"),
    }
    for name, (encoding, word) in expected.items():
        record = helpers.call_action("resource_validation_show",
                                     resource_id=uploaded[name]["id"])
        if encoding:
            assert record["dialect"]["encoding"] == encoding, name
        else:
            assert record["dialect"]["encoding"] in ("cp1252", "iso-8859-1"), name
        labels = record["report"]["tasks"][0]["labels"]
        assert any(word in label for label in labels), (name, labels)


def test_html_page_saved_as_csv_is_rejected_with_a_clear_message(app, uploaded, editor):
    resource = uploaded[HTML_PAGE]
    record = helpers.call_action("resource_validation_show", resource_id=resource["id"])
    assert record["status"] == "failure"
    page = app.get(f"/dataset/{uploaded['dataset']['name']}/resource/{resource['id']}"
                   "/validacao", headers={"Authorization": editor["token"]}, status=200).body
    assert "HTML" in text_of(page)
