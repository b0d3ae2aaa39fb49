"""Datasets of the panel's tests: dated as a Secretaria leaves them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from aging import age_dataset, days_ago
from ckan.tests import factories, helpers
from sample_data import OTHER_ORGANIZATION, dataset_fields


def last_updated(dataset: dict[str, Any], days: int) -> None:
    """Store the dataset's last update ``days`` days back and reindex it."""
    age_dataset(dataset["id"], days_ago(days))


@pytest.fixture
def dated(organization, sysadmin) -> Callable[..., dict[str, Any]]:
    """``dated(name, days, periodicidade="SEMANAL", org=None, **fields)``:
    a dataset whose last update was ``days`` days back."""

    def create(name: str, days: int = 0, periodicidade: str = "SEMANAL",
               org: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
        fields.setdefault("private", False)
        dataset = helpers.call_action(
            "package_create", context={"user": sysadmin["name"]},
            **dataset_fields(org or organization, name, periodicidade=periodicidade, **fields))
        if days:
            last_updated(dataset, days)
        return dataset

    return create


@pytest.fixture
def other_organization(sysadmin) -> dict[str, Any]:
    return helpers.call_action("organization_create", context={"user": sysadmin["name"]},
                               **OTHER_ORGANIZATION)


@pytest.fixture
def member_of() -> Callable[[dict[str, Any], str], dict[str, Any]]:
    """``member_of(org, role)``: a new user with an API token and that role."""

    def make(org: dict[str, Any], role: str = "editor") -> dict[str, Any]:
        user = factories.UserWithToken()
        helpers.call_action("organization_member_create", id=org["id"],
                            username=user["name"], role=role)
        return user

    return make
