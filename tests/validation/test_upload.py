"""A 50 MB table uploaded through the portal's HTTP API: the request returns at
once (under 2 s) and the validation happens afterwards, in the worker."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import requests
from ckan.tests import helpers

pytestmark = pytest.mark.usefixtures("clean_db")

SIZE = 50 * 1024 * 1024


def big_table(path: Path) -> Path:
    """~50 MB of a pt-BR CSV: 1 KB rows (a long description per purchase)."""
    row = ("Aquisição de material de consumo para as unidades da Secretaria "
           "de Saúde, conforme termo de referência e edital de licitação. ") * 7
    with path.open("w", encoding="utf-8") as out:
        out.write("processo;data;valor;descricao\n")
        number = 0
        while out.tell() < SIZE:
            number += 1
            out.write(f"{number}/2024;15/03/2024;{number % 9000},50;{row}\n")
    return path


def test_50mb_upload_returns_at_once_and_the_worker_validates(
        live_server, new_dataset, editor, tmp_path, validation_worker):
    dataset = new_dataset("compras")
    table = big_table(tmp_path / "compras.csv")
    assert table.stat().st_size >= SIZE

    with table.open("rb") as stream:
        started = time.monotonic()
        response = requests.post(
            f"{live_server}/api/3/action/resource_create",
            data={"package_id": dataset["id"], "name": "Compras 2024", "format": "CSV"},
            files={"upload": ("compras.csv", stream, "text/csv")},
            headers={"Authorization": editor["token"]}, timeout=60)
        elapsed = time.monotonic() - started

    assert response.status_code == 200, response.text
    assert elapsed < 2, f"upload request took {elapsed:.2f} s"
    resource = response.json()["result"]
    assert resource["validation_status"] == "created"
    assert resource["size"] == table.stat().st_size

    validation_worker()

    shown = helpers.call_action("resource_validation_show", resource_id=resource["id"])
    assert shown["status"] == "success", shown["error"] or shown["report"]
    assert shown["report"]["tasks"][0]["stats"]["rows"] > 40_000
