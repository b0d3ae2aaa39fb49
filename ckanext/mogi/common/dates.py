"""Brazilian dates (dd/mm/yyyy) as they appear in tables, date formats as
people read them, and stored UTC moments in the site's time zone."""

from __future__ import annotations

import datetime
import re
import zoneinfo
from collections.abc import Callable

from ckanext.mogi.common.i18n import N_, translate

#: A day/month/year date (``1/2/2024``, ``31/12/2024``); groups: day, month, year.
#: ``match`` finds one at the start of a text, ``fullmatch`` a text that is one.
BR_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
#: A Brazilian date with a time of day (``31/12/2024 14:30``, seconds optional).
BR_DATETIME = re.compile(BR_DATE.pattern + r" \d{1,2}:\d{2}(:\d{2})?")
#: The strptime format of a Brazilian date.
BR_DATE_FORMAT = "%d/%m/%Y"

#: strptime codes and how people write them (msgids: the year is "aaaa" in pt_BR).
_HUMAN_CODES = (
    ("%d", N_("dd")),
    ("%m", N_("mm")),
    ("%Y", N_("yyyy")),
    ("%y", N_("yy")),
    ("%H", N_("hh")),
    ("%M", N_("mm")),
    ("%S", N_("ss")),
)


def human_format(fmt: str, translate: Callable[[str], str]) -> str:
    """A strptime format as people read it: ``%d/%m/%Y`` is ``dd/mm/yyyy``."""
    for code, human in _HUMAN_CODES:
        fmt = fmt.replace(code, translate(human))
    return fmt


def local_moment(value: datetime.datetime | None) -> str:
    """A stored naive UTC moment in ``ckan.display_timezone``, as the command
    line prints it (``2026-12-05 14:30`` in the site's language); "" for None."""
    if value is None:
        return ""
    from ckan.plugins import toolkit

    zone = zoneinfo.ZoneInfo(str(toolkit.config.get("ckan.display_timezone") or "UTC"))
    local = value.replace(tzinfo=datetime.UTC).astimezone(zone)
    return local.strftime(translate(N_("%Y-%m-%d %H:%M")))
