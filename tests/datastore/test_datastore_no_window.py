"""No window of exposure: a table with CPFs is never readable by an anonymous
visitor, at any moment, through any of the DataStore's doors.

A visitor polls the real portal (a live HTTP server) from the moment of the
upload until the real worker has finished: ``datastore_search``,
``datastore_info``, ``datastore_search_sql``, the dump and, when the table
has one, the preview's own data requests. No answer may carry a CPF.
"""

from __future__ import annotations

import contextlib
import io
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
from ckan.tests import helpers
from sample_data import CPFS

pytestmark = pytest.mark.usefixtures("clean_db")

PEOPLE = "nome;cpf;valor\n" + "".join(
    f"Pessoa {index};{cpf};{index},50\n" for index, cpf in enumerate(CPFS))
CLEAN = "nome;bairro;valor\n" + "".join(
    f"Unidade {index};Centro;{index},50\n" for index in range(len(CPFS)))


class Visitor(threading.Thread):
    """An anonymous visitor asking for the table's rows again and again."""

    def __init__(self, base: str, resource_id: str, view_id: str | None = None) -> None:
        super().__init__(daemon=True)
        self.base, self.resource_id, self.view_id = base, resource_id, view_id
        self.stop = threading.Event()
        self.answers: list[tuple[str, int, str]] = []

    def requests(self) -> Iterator[tuple[str, Callable[[], requests.Response]]]:
        api, rid = f"{self.base}/api/3/action", self.resource_id
        yield "search", lambda: requests.post(f"{api}/datastore_search",
                                              json={"resource_id": rid}, timeout=30)
        yield "info", lambda: requests.post(f"{api}/datastore_info", json={"id": rid},
                                            timeout=30)
        yield "sql", lambda: requests.post(f"{api}/datastore_search_sql", timeout=30,
                                           json={"sql": f'SELECT * FROM "{rid}"'})
        yield "dump", lambda: requests.get(f"{self.base}/datastore/dump/{rid}", timeout=30)
        if self.view_id:
            yield "preview", lambda: requests.post(
                f"{self.base}/datatables/ajax/{self.view_id}", timeout=30,
                data={"draw": "1", "search[value]": "", "start": "0", "length": "50"})

    def run(self) -> None:
        while not self.stop.is_set():
            for name, ask in self.requests():
                response = ask()
                self.answers.append((name, response.status_code, response.text))

    @contextlib.contextmanager
    def watching(self) -> Iterator[list[tuple[str, int, str]]]:
        """Asking before, during and after the block; its answers."""
        self.start()
        time.sleep(0.5)
        try:
            yield self.answers
        finally:
            time.sleep(0.5)
            self.stop.set()
            self.join(timeout=60)


def _upload(base: str, token: str, dataset_id: str, content: str,
            resource_id: str | None = None) -> dict[str, Any]:
    action = "resource_update" if resource_id else "resource_create"
    fields = {"id": resource_id} if resource_id else {"package_id": dataset_id}
    response = requests.post(
        f"{base}/api/3/action/{action}", headers={"Authorization": token},
        data={**fields, "name": "pessoas.csv", "format": "CSV"},
        files={"upload": ("pessoas.csv", io.BytesIO(content.encode("utf-8")))}, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()["result"]


def _leaks(answers: list[tuple[str, int, str]]) -> list[tuple[str, int]]:
    return [(name, status) for name, status, body in answers
            if any(cpf in body or cpf.replace(".", "").replace("-", "") in body
                   for cpf in CPFS)]


def test_a_new_table_with_cpfs_is_never_readable(live_server, new_dataset, sysadmin,
                                                 validation_worker):
    dataset = new_dataset("pessoas", private=False)
    resource = _upload(live_server, sysadmin["token"], dataset["id"], PEOPLE)
    with Visitor(live_server, resource["id"]).watching() as answers:
        validation_worker()

    assert len(answers) > 8
    assert not _leaks(answers)
    assert not [name for name, status, _body in answers if status == 200]
    assert helpers.call_action("resource_validation_show",
                               resource_id=resource["id"])["status"] == "success"


def test_replacing_a_loaded_table_by_one_with_cpfs_never_shows_them(
        live_server, new_dataset, sysadmin, validation_worker):
    dataset = new_dataset("pessoas", private=False)
    resource = _upload(live_server, sysadmin["token"], dataset["id"], CLEAN)
    validation_worker()
    [view] = helpers.call_action("resource_view_list", id=resource["id"])
    before = requests.post(f"{live_server}/api/3/action/datastore_search",
                           json={"resource_id": resource["id"]}, timeout=30)
    assert before.status_code == 200 and before.json()["result"]["total"] == len(CPFS)

    with Visitor(live_server, resource["id"], view["id"]).watching() as answers:
        _upload(live_server, sysadmin["token"], dataset["id"], PEOPLE, resource["id"])
        validation_worker()

    assert len(answers) > 10
    assert not _leaks(answers)
    # Dropped: the old, clean rows are gone too, and the dataset went private.
    assert helpers.call_action("mogi_datastore_status",
                               resource_id=resource["id"])["state"] == "not_loaded"
    shown = helpers.call_action("package_show", id=dataset["id"])
    assert shown["private"] is True
    assert shown["resources"][0]["datastore_active"] is False
