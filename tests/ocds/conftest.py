"""Fixtures of the OCDS publication tests: the real dumps uploaded to a
dataset of the Secretaria and imported by a real job worker."""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from ckan.lib import jobs
from ckan.tests import helpers
from ocds_paths import DUMP_2018, DUMP_2022
from sample_data import dataset_fields
from werkzeug.datastructures import FileStorage


@pytest.fixture
def ocds_worker(ckan_config, monkeypatch) -> Iterator[Callable[[], None]]:
    """OCDS imports go to a queue of this test; calling the value runs a real
    CKAN job worker on it in burst mode."""
    queue = f"mogi-ocds-test-{uuid.uuid4().hex[:12]}"
    monkeypatch.setitem(ckan_config, "ckanext.mogi.ocds.queue", queue)

    def run() -> None:
        jobs.Worker([queue]).work(burst=True)

    yield run
    jobs.get_queue(queue).delete(delete_jobs=True)


@pytest.fixture
def tender_dataset(clean_db, organization, sysadmin) -> Callable[..., dict[str, Any]]:
    """``tender_dataset(name, private=False)``: a dataset of the Secretaria."""

    def create(name: str, private: bool = False, **fields: Any) -> dict[str, Any]:
        return helpers.call_action(
            "package_create", context={"user": sysadmin["name"]},
            **dataset_fields(organization, name, private=private,
                             title=fields.pop("title", f"Licitações {name}"), **fields))

    return create


@pytest.fixture
def upload_json(sysadmin) -> Callable[..., dict[str, Any]]:
    """``upload_json(dataset, content, filename)``: a JSON file uploaded as a resource."""

    def upload(dataset: dict[str, Any], content: bytes | Any, filename: str,
               **fields: Any) -> dict[str, Any]:
        data = content if isinstance(content, bytes) else json.dumps(content).encode()
        storage = FileStorage(stream=io.BytesIO(data), filename=filename,
                              content_type="application/json")
        return helpers.call_action(
            "resource_create", context={"user": sysadmin["name"]},
            package_id=dataset["id"], upload=storage, name=filename, format="JSON", **fields)

    return upload


@pytest.fixture
def published(tender_dataset, upload_json, ocds_worker) -> dict[str, Any]:
    """Both real dumps uploaded to one public dataset and imported."""
    dataset = tender_dataset("licitacoes-ocds")
    resources = [upload_json(dataset, path.read_bytes(), path.name)
                 for path in (DUMP_2018, DUMP_2022)]
    ocds_worker()
    return {"dataset": dataset, "resources": resources}
