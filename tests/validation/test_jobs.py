"""Validation as a background job: uploads through the API, a real rq worker.

Remote tables are served by a real local HTTP server (slow, big, or missing).
"""

from __future__ import annotations

import hashlib
import http.server
import io
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ckan import model
from ckan.lib import jobs as ckan_jobs
from ckan.lib import uploader
from ckan.plugins import toolkit
from ckan.tests import helpers
from sample_data import UNITS, as_site

pytestmark = pytest.mark.usefixtures("clean_db")

SCHEMA = {"fields": [
    {"name": "unidade", "type": "string"},
    {"name": "bairro", "type": "string"},
    {"name": "atendimentos", "type": "number", "decimalChar": ",", "groupChar": "."},
    {"name": "data", "type": "date", "format": "%d/%m/%Y"},
]}


class TableServer(http.server.ThreadingHTTPServer):
    """Serves ``/lenta.csv`` (a header, then silence), ``/grande.csv`` (2 MB)
    and 404 elsewhere; records the resource status seen when a request comes."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.seen_status: list[str | None] = []
        self.resource_id = ""


class Handler(http.server.BaseHTTPRequestHandler):
    server: TableServer

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        if self.server.resource_id:
            res = model.Resource.get(self.server.resource_id)
            self.server.seen_status.append((res.extras or {}).get("validation_status"))
            model.Session.remove()
        if self.path == "/lenta.csv":
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.end_headers()
            self.wfile.write(b"unidade;atendimentos\n")
            self.wfile.flush()
            # Far past the 2 s limit: a job that outlived it would end with a
            # verdict on the header, never with the time-out message.
            time.sleep(30)
        elif self.path == "/grande.csv":
            body = b"unidade;atendimentos\n" + b"UBS Centro;1\n" * 170_000
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_error(404)


@pytest.fixture
def table_server(ckan_config, monkeypatch) -> Iterator[TableServer]:
    """The server, trusted as an internal host (loopback is refused otherwise)."""
    server = TableServer()
    monkeypatch.setitem(ckan_config, "ckanext.mogi.fetch.allowed_hosts", "127.0.0.1")
    monkeypatch.setitem(ckan_config, "ckanext.mogi.fetch.allowed_ports",
                        f"80 443 {server.server_port}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def api_upload(app, user: dict[str, Any], dataset: dict[str, Any], content: bytes,
               filename: str, **fields: Any) -> dict[str, Any]:
    """resource_create with a multipart file upload, as a browser or script sends it."""
    data = {"package_id": dataset["id"], "name": filename, **fields,
            "upload": (io.BytesIO(content), filename)}
    response = app.post("/api/3/action/resource_create", data=data,
                        headers={"Authorization": user["token"]},
                        content_type="multipart/form-data", status=200)
    return response.json["result"]


def stored_file(resource: dict[str, Any]) -> Path:
    return Path(uploader.get_resource_uploader(dict(resource)).get_path(resource["id"]))


def status(resource: dict[str, Any]) -> str:
    return helpers.call_action("resource_show", id=resource["id"])["validation_status"]


def queued(worker_queue: str) -> int:
    return ckan_jobs.get_queue(worker_queue).count


def test_upload_is_validated_by_the_worker_and_the_file_is_untouched(
        app, new_dataset, editor, validation_worker):
    dataset = new_dataset("atendimentos")
    resource = api_upload(app, editor, dataset, UNITS.encode("cp1252"), "ubs.csv",
                          format="CSV", schema=json.dumps(SCHEMA))
    assert resource["validation_status"] == "created"
    path = stored_file(resource)
    digest, mtime = hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns

    validation_worker()

    shown = helpers.call_action("resource_validation_show", resource_id=resource["id"])
    assert shown["status"] == "success", shown["report"]
    assert shown["dialect"]["encoding"] in ("cp1252", "iso-8859-1")
    assert status(resource) == "success"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert path.stat().st_mtime_ns == mtime
    after = helpers.call_action("resource_show", id=resource["id"])
    assert {k: after[k] for k in ("url", "size", "format", "name", "schema")} == {
        k: resource[k] for k in ("url", "size", "format", "name", "schema")}
    # The job's own status writes queued nothing.
    assert queued(toolkit.config["ckanext.mogi.validation.queue"]) == 0


def test_changing_the_schema_validates_again_other_edits_do_not(
        app, new_dataset, upload_table, validation_worker, sysadmin):
    dataset = new_dataset("reedicao")
    resource = upload_table(dataset, UNITS, "ubs.csv")
    validation_worker()
    first = helpers.call_action("resource_validation_show", resource_id=resource["id"])
    assert first["status"] == "success"

    helpers.call_action("resource_patch", context=as_site(),
                        id=resource["id"], description="Mensal.")
    assert queued(toolkit.config["ckanext.mogi.validation.queue"]) == 0
    assert status(resource) == "success"

    strict = {"fields": [{"name": "unidade", "type": "integer"}, *SCHEMA["fields"][1:]]}
    patched = helpers.call_action("resource_patch", context=as_site(), id=resource["id"],
                                  schema=json.dumps(strict))
    assert patched["validation_status"] == "created"
    validation_worker()
    again = helpers.call_action("resource_validation_show", resource_id=resource["id"])
    assert again["status"] == "failure"
    assert again["created"] > first["created"]


@pytest.mark.ckan_config("ckanext.mogi.validation.timeout", "2")
def test_timeout_ends_in_error_with_a_portuguese_message(new_dataset, table_server,
                                                         validation_worker):
    url = f"http://127.0.0.1:{table_server.server_port}/lenta.csv"
    dataset = new_dataset("lenta", resources=[{"url": url, "format": "CSV",
                                               "name": "Tabela lenta"}])
    resource = dataset["resources"][0]
    table_server.resource_id = resource["id"]
    assert status(resource) == "created"

    validation_worker()

    assert table_server.seen_status == ["running"]
    shown = helpers.call_action("resource_validation_show", resource_id=resource["id"])
    assert shown["status"] == "error"
    assert shown["error"] == {"message": (
        "A validação excedeu o tempo limite de 2 segundos. Divida a tabela em "
        "arquivos menores ou peça à equipe do portal para aumentar o limite.")}
    assert status(resource) == "error"
    assert helpers.call_action("resource_show", id=resource["id"])["url"] == url


@pytest.mark.ckan_config("ckanext.mogi.validation.max_download_mb", "1")
def test_remote_files_are_downloaded_with_a_size_cap_and_http_errors_reported(
        new_dataset, table_server, validation_worker):
    base = f"http://127.0.0.1:{table_server.server_port}"
    dataset = new_dataset("remotas", resources=[
        {"url": f"{base}/grande.csv", "format": "CSV", "name": "Grande"},
        {"url": f"{base}/sumiu.csv", "format": "CSV", "name": "Sumiu"}])

    validation_worker()

    big, gone = (helpers.call_action("resource_validation_show", resource_id=r["id"])
                 for r in dataset["resources"])
    assert big["status"] == "error"
    assert big["error"]["message"] == (
        "A tabela remota é maior que o limite de 1 MB aceito pela validação.")
    assert gone["status"] == "error"
    assert gone["error"]["message"] == (
        f"Não foi possível baixar a tabela em {base}/sumiu.csv: o servidor respondeu "
        "com o código HTTP 404.")


def test_a_schema_sent_as_a_file_becomes_the_schema_and_validates(
        app, new_dataset, editor, validation_worker):
    dataset = new_dataset("atendimentos-esquema")
    schema_file = json.dumps(SCHEMA).encode("utf-8")
    data = {"package_id": dataset["id"], "name": "ubs.csv", "format": "CSV",
            "upload": (io.BytesIO(UNITS.encode("cp1252")), "ubs.csv"),
            "schema_upload": (io.BytesIO(schema_file), "esquema.json")}
    resource = app.post("/api/3/action/resource_create", data=data,
                        headers={"Authorization": editor["token"]},
                        content_type="multipart/form-data", status=200).json["result"]
    assert json.loads(resource["schema"]) == SCHEMA
    assert "schema_upload" not in resource

    validation_worker()

    shown = helpers.call_action("resource_validation_show", resource_id=resource["id"])
    assert shown["status"] == "success", shown["report"]


def test_a_schema_file_that_is_not_json_is_refused_in_portuguese(app, new_dataset, editor):
    dataset = new_dataset("atendimentos-esquema-ruim")
    data = {"package_id": dataset["id"], "name": "ubs.csv", "format": "CSV",
            "upload": (io.BytesIO(UNITS.encode("cp1252")), "ubs.csv"),
            "schema_upload": (io.BytesIO(b"unidade;bairro\n"), "esquema.csv")}
    refused = app.post("/api/3/action/resource_create", data=data,
                       headers={"Authorization": editor["token"]},
                       content_type="multipart/form-data", status=409).json
    assert refused["error"]["schema_upload"] == [
        "O arquivo do esquema não é um Table Schema: ele deve ser um objeto JSON "
        '(ex.: {"fields": [...]}) em UTF-8.']
    assert helpers.call_action("package_show", id=dataset["id"])["resources"] == []
