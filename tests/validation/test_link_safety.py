"""Linked tables and schemas: the worker never fetches an internal address (SSRF).

A real HTTP server on a loopback address stands for the portal's own API;
the real worker validates; the tests check what the staff see and that the
server received nothing.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from bs4 import BeautifulSoup
from ckan.tests import helpers
from sample_data import UNITS

pytestmark = pytest.mark.usefixtures("clean_db")

#: What the portal's internal API would answer: it must never reach a report.
SECRET = "segredo_interno;chave_da_api\nckan;abc123\n"
INTERNAL = "O link aponta para um endereço de rede interna, que o portal não acessa."


def allow(ckan_config, monkeypatch, ports: list[int], hosts: str = "") -> None:
    monkeypatch.setitem(ckan_config, "ckanext.mogi.fetch.allowed_ports",
                        " ".join(str(p) for p in [80, 443, *ports]))
    monkeypatch.setitem(ckan_config, "ckanext.mogi.fetch.allowed_hosts", hosts)


def linked(new_dataset, name: str, url: str, **fields: Any) -> tuple[dict, dict]:
    dataset = new_dataset(name, resources=[{"url": url, "format": "CSV",
                                            "name": "Tabela", **fields}])
    return dataset, dataset["resources"][0]


def shown(resource: dict[str, Any]) -> dict[str, Any]:
    return helpers.call_action("resource_validation_show", resource_id=resource["id"])


def refused_on_the_port(resource: dict[str, Any], url: str) -> dict[str, Any]:
    """The record of a link refused for its port (the default ports: 80, 443)."""
    record = shown(resource)
    assert record["status"] == "error"
    assert record["error"]["message"] == (
        f"Não foi possível baixar a tabela em {url}: O link usa uma porta de rede que o "
        "portal não acessa (permitidas: 80, 443).")
    return record


def report_text(app, sysadmin, dataset: dict, resource: dict) -> str:
    body = app.get(f"/dataset/{dataset['name']}/resource/{resource['id']}/validacao",
                   headers={"Authorization": sysadmin["token"]}, status=200).body
    return BeautifulSoup(body, "html.parser").get_text(" ", strip=True)


def test_the_portal_api_linked_as_a_table_is_refused_with_the_default_settings(
        new_dataset, validation_worker, link_server):
    # The reproduced attack: a link to the portal's own API on its internal port.
    server = link_server("127.0.0.1")
    server.serve("/api/3/action/status_show", SECRET)
    url = server.base + "/api/3/action/status_show"
    _dataset, resource = linked(new_dataset, "api-interna", url)

    validation_worker()

    record = refused_on_the_port(resource, url)
    assert "segredo_interno" not in json.dumps(record)
    assert server.requests == []


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_a_link_to_an_internal_address_is_refused_and_never_fetched(
        app, sysadmin, new_dataset, validation_worker, link_server, ckan_config,
        monkeypatch, host):
    server = link_server("::1" if host == "::1" else "127.0.0.1")
    server.serve("/api/3/action/status_show", SECRET)
    # The port is allowed: the refusal is the address's.
    allow(ckan_config, monkeypatch, [server.server_port])
    shown_host = "[::1]" if host == "::1" else host
    url = f"http://{shown_host}:{server.server_port}/api/3/action/status_show"
    dataset, resource = linked(new_dataset, "interna", url)

    validation_worker()

    record = shown(resource)
    assert record["status"] == "error"
    assert record["error"] == {
        "message": f"Não foi possível baixar a tabela em {url}: {INTERNAL}"}
    assert record["report"] is None and record["inferred_schema"] is None
    assert "segredo_interno" not in json.dumps(record)
    assert helpers.call_action("resource_show", id=resource["id"])[
        "validation_status"] == "error"
    page = report_text(app, sysadmin, dataset, resource)
    assert "Não foi possível concluir a validação." in page
    assert INTERNAL in page
    assert "segredo_interno" not in page
    assert server.requests == []


def test_a_redirect_from_a_trusted_host_to_an_internal_address_is_refused(
        new_dataset, validation_worker, link_server, ckan_config, monkeypatch):
    internal = link_server("127.0.0.1")
    internal.serve("/api/3/action/status_show", SECRET)
    trusted = link_server("127.0.0.2")
    url = trusted.redirect("/tabela.csv", internal.base + "/api/3/action/status_show")
    allow(ckan_config, monkeypatch, [trusted.server_port, internal.server_port], "127.0.0.2")
    _dataset, resource = linked(new_dataset, "redirecionada", url)

    validation_worker()

    record = shown(resource)
    assert record["status"] == "error"
    assert record["error"]["message"] == f"Não foi possível baixar a tabela em {url}: {INTERNAL}"
    assert "segredo_interno" not in json.dumps(record)
    assert trusted.requests == ["GET /tabela.csv HTTP/1.1"]
    assert internal.requests == []


def test_a_schema_link_to_an_internal_address_is_refused(
        new_dataset, upload_table, validation_worker, link_server, ckan_config, monkeypatch):
    server = link_server("127.0.0.1")
    schema_url = server.serve("/esquema.json", json.dumps({"fields": [{"name": "x"}]}))
    allow(ckan_config, monkeypatch, [server.server_port])
    dataset = new_dataset("esquema-interno")
    resource = upload_table(dataset, UNITS, "ubs.csv", schema=schema_url)

    validation_worker()

    record = shown(resource)
    assert record["status"] == "error"
    assert record["error"]["message"] == (
        f"Não foi possível baixar a especificação do esquema em {schema_url}: {INTERNAL}")
    assert server.requests == []


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/tabela.csv",
                                 "gopher://127.0.0.1:6379/_INFO"])
def test_links_other_than_http_are_not_fetched(new_dataset, validation_worker, url):
    _dataset, resource = linked(new_dataset, "outro-esquema", url)

    validation_worker()

    record = shown(resource)
    assert record["status"] == "error"
    assert record["error"]["message"] == (
        "O recurso não tem um arquivo enviado nem um link http(s) para a tabela.")


def test_a_port_not_allowed_is_refused_even_on_a_trusted_host(
        new_dataset, validation_worker, link_server, ckan_config, monkeypatch):
    server = link_server("127.0.0.2")
    url = server.serve("/tabela.csv", UNITS)
    allow(ckan_config, monkeypatch, [], "127.0.0.2")
    _dataset, resource = linked(new_dataset, "porta", url)

    validation_worker()

    refused_on_the_port(resource, url)
    assert server.requests == []


@pytest.mark.parametrize("trusted", ["127.0.0.2", "127.0.0.0/24"])
def test_a_trusted_internal_host_is_validated(
        new_dataset, validation_worker, link_server, ckan_config, monkeypatch, trusted):
    server = link_server("127.0.0.2")
    url = server.serve("/tabela.csv", UNITS)
    allow(ckan_config, monkeypatch, [server.server_port], trusted)
    _dataset, resource = linked(new_dataset, "interna-confiavel", url)

    validation_worker()

    record = shown(resource)
    assert record["status"] == "success", record
    # The validation's download, then the DataStore load's (of the same bytes).
    assert server.requests == ["GET /tabela.csv HTTP/1.1"] * 2
    assert helpers.call_action("mogi_datastore_status",
                               resource_id=resource["id"])["state"] == "loaded"
