"""How DataStore columns and values read to people: column types in words,
numbers, dates and yes/no in the page's language (``1.234,56``,
``31/12/2024``, ``Sim`` in Portuguese).

The preview's JavaScript (``assets/mogi-preview.js``) formats the rows it
draws the same way; these functions serve the server-rendered pages (the
data dictionary's example values).
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_decimal
from ckan.plugins import toolkit

from ckanext.mogi.common.i18n import N_

INTEGER_TYPES = frozenset({"int", "int2", "int4", "int8", "integer", "bigint", "smallint"})
DECIMAL_TYPES = frozenset({"numeric", "float4", "float8", "real", "double precision"})
DATE_TYPES = frozenset({"date"})
DATETIME_TYPES = frozenset({"timestamp", "timestamptz"})
BOOLEAN_TYPES = frozenset({"bool", "boolean"})

#: DataStore (PostgreSQL) column types as people read them.
_TYPE_LABELS: dict[str, str] = {
    "text": N_("Text"),
    **{name: N_("Whole number") for name in INTEGER_TYPES},
    **{name: N_("Number") for name in DECIMAL_TYPES},
    "date": N_("Date"),
    **{name: N_("Date and time") for name in DATETIME_TYPES},
    "time": N_("Time of day"),
    **{name: N_("Yes or no") for name in BOOLEAN_TYPES},
    "json": N_("Structured data (JSON)"),
    "jsonb": N_("Structured data (JSON)"),
}


def type_label(column_type: str) -> str:
    """``int8`` -> "Whole number" (translated); an array (``_text``) is a list."""
    if column_type.startswith("_"):
        return toolkit._("List ({type})").format(type=type_label(column_type[1:]))
    label = _TYPE_LABELS.get(column_type)
    if label is None:
        return toolkit._("Other ({type})").format(type=column_type)
    return toolkit._(label)


def locale() -> Locale:
    """The page's language as a Babel locale (the site's default outside a request)."""
    try:
        return Locale.parse(toolkit.h.lang() or "pt_BR")
    except (UnknownLocaleError, ValueError, RuntimeError):
        return Locale.parse("pt_BR")


def _decimal(value: Any) -> Decimal | None:
    """The exact decimal a DataStore value stands for (``str`` first: a float
    such as 0.1 must read 0,1, not its binary expansion)."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _iso_date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _iso_datetime(value: Any) -> datetime.datetime | None:
    if isinstance(value, datetime.datetime):
        return value
    try:
        return datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return None


def _date_pattern(where: Locale) -> str:
    """The language's short date with a four-digit year (``dd/MM/yyyy`` in Portuguese)."""
    return re.sub(r"y+", "yyyy", where.date_formats["short"].pattern)


def display_value(value: Any, column_type: str, where: Locale | None = None) -> str:
    """A DataStore value as the page shows it: ``1234.56`` (numeric) is
    ``1.234,56`` and ``2024-12-31`` (date) is ``31/12/2024`` in Portuguese;
    ``true`` is "Sim". Whole numbers keep their digits (``2024`` is a year as
    often as a count). Anything unreadable is shown as it is."""
    if value is None or value == "":
        return ""
    where = where or locale()
    if column_type in DECIMAL_TYPES:
        number = _decimal(value)
        if number is not None:
            return format_decimal(number, locale=where, decimal_quantization=False)
    elif column_type in DATE_TYPES:
        day = _iso_date(value)
        if day is not None:
            return format_date(day, _date_pattern(where), locale=where)
    elif column_type in DATETIME_TYPES:
        moment = _iso_datetime(value)
        if moment is not None:
            return format_datetime(moment, _date_pattern(where) + " HH:mm", locale=where)
    elif column_type in BOOLEAN_TYPES and str(value).lower() in ("true", "false"):
        return toolkit._("Yes") if str(value).lower() == "true" else toolkit._("No")
    return str(value)


def display_moment(iso: str, where: Locale | None = None) -> tuple[str, str] | None:
    """A moment stored in UTC (ISO) as the day and the time people read in the
    portal's time zone (``ckan.display_timezone``): ``("05/12/2026", "13:22")``."""
    moment = _iso_datetime(iso)
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    local = moment.astimezone(toolkit.h.get_display_timezone())
    where = where or locale()
    return (format_date(local, _date_pattern(where), locale=where),
            format_time(local, "HH:mm", locale=where))
