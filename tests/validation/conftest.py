"""Fixtures of the validation tests: staff users, datasets, uploaded tables."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from ckan.tests import factories, helpers
from sample_data import dataset_fields
from werkzeug.datastructures import FileStorage


@pytest.fixture
def editor(organization) -> dict[str, Any]:
    """An editor of the Secretaria, with an API token."""
    user = factories.UserWithToken()
    helpers.call_action("organization_member_create", id=organization["id"],
                        username=user["name"], role="editor")
    return user


@pytest.fixture
def new_dataset(organization, sysadmin) -> Callable[..., dict[str, Any]]:
    """``new_dataset(name, private=True, **fields)``."""

    def create(name: str, private: bool = True, **fields: Any) -> dict[str, Any]:
        return helpers.call_action(
            "package_create", context={"user": sysadmin["name"]},
            **dataset_fields(organization, name, private=private, **fields))

    return create


@pytest.fixture
def upload_table(sysadmin) -> Callable[..., dict[str, Any]]:
    """``upload_table(dataset, content, filename, **resource)``: resource_create
    with a real uploaded file (as the API's multipart upload hands it over)."""

    def upload(dataset: dict[str, Any], content: str | bytes, filename: str,
               **resource: Any) -> dict[str, Any]:
        data = content.encode("utf-8") if isinstance(content, str) else content
        storage = FileStorage(stream=io.BytesIO(data), filename=filename,
                              content_type="text/csv")
        fields = {"name": filename, "format": filename.rsplit(".", 1)[-1].upper(),
                  **resource}
        return helpers.call_action("resource_create", context={"user": sysadmin["name"]},
                                   package_id=dataset["id"], upload=storage, **fields)

    return upload
