"""Fixtures of the DataStore tests: reading a table's rows as a visitor would."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def api(app) -> Callable[..., Any]:
    """``api(action, user=None, **params)``: the action through the real HTTP API
    (POST, JSON); the response (status code, JSON body)."""

    def call(action: str, user: dict[str, Any] | None = None, **params: Any) -> Any:
        headers = {"Authorization": user["token"]} if user else {}
        return app.post(f"/api/3/action/{action}", headers=headers, json=params)

    return call


@pytest.fixture
def rows_of(api) -> Callable[..., list[dict[str, Any]]]:
    """``rows_of(resource_id, user=None)``: every row of the table (datastore_search);
    fails unless the answer is 200."""

    def read(resource_id: str, user: dict[str, Any] | None = None, **params: Any) -> Any:
        response = api("datastore_search", user, resource_id=resource_id, limit=32000,
                       **params)
        assert response.status_code == 200, response.json
        return response.json["result"]

    return read
