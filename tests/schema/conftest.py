"""Fixtures for the metadata acceptance tests (API, web form, federal harvest).

Everything is real: CKAN with the plugins of ``test.ini`` (or those a test
class selects), PostgreSQL and, for the harvest, a real HTTP server.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sample_data import FULL_DATASET

#: A complete, valid, public dataset: every field of schemas/dataset.yaml
#: (the e-mail's domain in capitals, as staff sometimes type it).
COMPLETE_DATASET: dict[str, Any] = {
    **FULL_DATASET,
    "name": "atendimentos-ubs-2022",
    "maintainer_email": "atencao.basica@MOGIDASCRUZES.SP.GOV.BR",
}


@pytest.fixture
def dataset_data(organization) -> Callable[..., dict[str, Any]]:
    """``dataset_data(**changes)``: a complete valid dataset dict (not yet created)."""

    def build(**changes: Any) -> dict[str, Any]:
        data = {**COMPLETE_DATASET, "owner_org": organization["id"]}
        data.update(changes)
        return {key: value for key, value in data.items() if value is not None}

    return build
