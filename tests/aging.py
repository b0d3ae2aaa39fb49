"""Datasets made old without touching the clock: their stored dates are set back."""

from __future__ import annotations

import datetime as dt

from ckan import model
from ckan.lib import search
from sqlalchemy import text


def age_dataset(package_id: str, moment: dt.datetime) -> None:
    """The dataset and its resources as if created and last touched at ``moment``
    (UTC, naive as CKAN stores it), then reindexed. ``proxima_atualizacao``
    counts from the resources' dates, else from the dataset's creation."""
    model.Session.execute(text(
        "UPDATE package SET metadata_created = :m, metadata_modified = :m WHERE id = :id"),
        {"m": moment, "id": package_id})
    model.Session.execute(text(
        "UPDATE resource SET created = :m, metadata_modified = :m, last_modified = NULL"
        " WHERE package_id = :id"), {"m": moment, "id": package_id})
    model.Session.commit()
    model.Session.expire_all()  # the objects the actions loaded before
    search.rebuild(package_id)


def days_ago(days: int) -> dt.datetime:
    """Now, ``days`` days back (UTC, naive)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=days)
