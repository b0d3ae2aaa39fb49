"""When a dataset is next expected to be updated, from its periodicidade (VCR-FR)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta

#: periodicidade code -> interval until the next update; ``None`` = no schedule.
INTERVALS: dict[str, timedelta | relativedelta | None] = {
    "DIARIA": timedelta(days=1),
    "SEMANAL": timedelta(days=7),
    "QUINZENAL": timedelta(days=15),
    "MENSAL": relativedelta(months=1),
    "TRIMESTRAL": relativedelta(months=3),
    "QUADRIMESTRAL": relativedelta(months=4),
    "SEMESTRAL": relativedelta(months=6),
    "ANUAL": relativedelta(years=1),
    "SOB_DEMANDA": None,
    "OUTRAS": None,
}


def next_expected_update(periodicidade: str | None, last_update: date) -> date | None:
    """The date of the next expected update, or ``None`` when there is no schedule.

    Months and years are calendar steps clamped to the month's last day
    (31/01 + 1 month = 28/02 or 29/02). A ``datetime`` is reduced to its date.
    Unknown or empty codes give ``None``.
    """
    interval = INTERVALS.get((periodicidade or "").strip().upper())
    if interval is None:
        return None
    base = last_update.date() if isinstance(last_update, datetime) else last_update
    return base + interval
