"""Freshness: each dataset judged against the next update its periodicity sets."""

from __future__ import annotations

import datetime as dt

import pytest

from ckanext.mogi.governance import freshness

TODAY = dt.date(2026, 12, 5)


@pytest.mark.parametrize(("expected", "status"), [
    ("2026-12-04", "overdue"),
    ("2026-12-05", "due_soon"),
    ("2026-12-12", "due_soon"),
    ("2026-12-13", "current"),
    (None, "unscheduled"),
    ("", "unscheduled"),
    ("not a date", "unscheduled"),
])
def test_status_against_the_expected_date(expected, status):
    dataset = {"proxima_atualizacao": expected}
    assert freshness.status(dataset, TODAY, due_soon_days=7) == status


def test_a_discontinued_dataset_is_never_overdue():
    dataset = {"proxima_atualizacao": "2020-01-01", "descontinuado": "true"}
    assert freshness.status(dataset, TODAY, due_soon_days=7) == "unscheduled"

