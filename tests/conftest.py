"""Shared fixtures: CKAN's pytest plugin against real PostgreSQL and Redis."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def load_standard_plugins(with_plugins):
    """Every test runs with the plugins of ``test.ini`` loaded, as CKAN advises."""


@pytest.fixture
def clean_db(reset_db, migrate_db_for, with_plugins):
    """CKAN's ``clean_db``, plus this bundle's migrations (the search table)."""
    reset_db()
    migrate_db_for("mogi_search")
