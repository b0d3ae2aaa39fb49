"""Is a dataset up to date against the periodicity it declares?

``mogi_schema`` derives each dataset's ``proxima_atualizacao`` (the next
expected update, ISO date) on show, from its ``periodicidade`` and its last
update; it travels in ``package_show`` and ``package_search`` results. This
module only compares that date with today, in ``ckan.display_timezone``
(the day the pages show), so the panel, the public page, the reminders and
the quality measurements all judge a dataset alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal

from ckan.lib.helpers import get_display_timezone

from ckanext.mogi.common.i18n import N_

Status = Literal["overdue", "due_soon", "current", "unscheduled"]

#: Each status and how people read it (msgids).
LABELS: dict[Status, str] = {
    "overdue": N_("Overdue"),
    "due_soon": N_("Due soon"),
    "current": N_("Up to date"),
    "unscheduled": N_("No schedule"),
}

#: ``package_show``'s key of the next expected update (``mogi_schema``).
NEXT_UPDATE = "proxima_atualizacao"


def today() -> dt.date:
    """Today in ``ckan.display_timezone``."""
    return dt.datetime.now(get_display_timezone()).date()


def next_update(dataset: Mapping[str, Any]) -> dt.date | None:
    """The dataset's next expected update, or ``None`` when it has no schedule
    (on demand, other, no periodicity) or is discontinued."""
    if str(dataset.get("descontinuado")).lower() == "true":
        return None
    value = dataset.get(NEXT_UPDATE)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def status(dataset: Mapping[str, Any], on: dt.date, due_soon_days: int) -> Status:
    """``overdue`` past the expected date, ``due_soon`` within ``due_soon_days``
    of it (the day itself included), else ``current``; ``unscheduled`` when
    there is no expected date."""
    expected = next_update(dataset)
    if expected is None:
        return "unscheduled"
    if on > expected:
        return "overdue"
    if (expected - on).days <= due_soon_days:
        return "due_soon"
    return "current"
