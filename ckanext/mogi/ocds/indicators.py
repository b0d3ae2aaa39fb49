"""Red flags of the published processes, per buyer (``data/indicators.yaml``).

Three indicators, each defined on ``/licitacoes/indicadores`` at its anchor:

- **revoked or suspended**: the process's situação, or one of its events, says so;
- **short tender period**: fewer days between the notice and the opening of
  the proposals than the legal minimum of the modality (Lei nº 8.666/1993,
  Lei nº 10.520/2002, Lei nº 14.133/2021; the minimums and articles are data);
- **single document**: the process published one document only; a buyer
  with several such processes in a year repeats the practice.

Computed from the newest public release of each process that has a tender
(:func:`flags`), so a dataset made private leaves the figures at once.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

import yaml

from ckanext.mogi.common.text import fold
from ckanext.mogi.ocds import summary

REVOKED, SHORT, SINGLE = "revoked_or_suspended", "short_tender_period", "single_document"
KEYS = (REVOKED, SHORT, SINGLE)


@functools.cache
def settings() -> dict[str, Any]:
    text = files("ckanext.mogi.ocds").joinpath("data", "indicators.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def anchor(key: str) -> str:
    return str(settings()[key]["anchor"])


# --------------------------------------------------------- one process each
def revoked_or_suspended(tender: Mapping[str, Any]) -> bool:
    spec = settings()[REVOKED]
    if tender.get("status") in spec["ocds_statuses"]:
        return True
    if fold(str(tender.get("statusDetails") or "")).upper() in {
            fold(s).upper() for s in spec["statuses"]}:
        return True
    words = [fold(w) for w in spec["event_words"]]
    events = [*(tender.get("milestones") or []), *(tender.get("amendments") or [])]
    return any(any(w in fold(f"{e.get('title') or ''} {e.get('description') or ''}")
                   for w in words) for e in events)


@dataclass(frozen=True)
class Minimum:
    law: str
    modality: str
    days: int
    business_days: bool
    article: str


def minimums(modality: str, published: dt.date) -> list[Minimum]:
    """The minimum of each law that could apply to a notice of that day."""
    text = fold(modality)
    found = []
    for law in settings()[SHORT]["laws"]:
        start, until = law["from"], law.get("until")
        if published < start or (until and published > until):
            continue
        for rule in law["minimums"]:
            if any(text.startswith(match) for match in rule["matches"]):
                found.append(Minimum(law["law"], rule["modality"], int(rule["days"]),
                                     bool(rule["business_days"]), rule["article"]))
                break
        else:
            return []  # a law that could apply sets no minimum: never flagged
    return found


def period_days(start: dt.date, end: dt.date, business_days: bool) -> int:
    """Days from ``start`` to ``end`` (working days: Monday to Friday after ``start``)."""
    if not business_days:
        return (end - start).days
    weeks, rest = divmod((end - start).days, 7)
    extra = sum(1 for n in range(1, rest + 1)
                if (start + dt.timedelta(days=n)).weekday() < 5)
    return weeks * 5 + extra


def short_period(tender: Mapping[str, Any]) -> Minimum | None:
    """The legal minimum the tender period falls short of (every applicable law's)."""
    period = tender.get("tenderPeriod") or {}
    start, end = summary.day(period.get("startDate")), summary.day(period.get("endDate"))
    if start is None or end is None or end < start:
        return None
    rules = minimums(summary.modalidade(tender), start)
    short = [rule for rule in rules if period_days(start, end, rule.business_days) < rule.days]
    return short[0] if rules and len(short) == len(rules) else None


def single_document(tender: Mapping[str, Any]) -> bool:
    links = {str(d.get("url") or "") for d in tender.get("documents") or [] if d.get("url")}
    return len(links) == 1


# -------------------------------------------------------------- per buyer
@dataclass
class BuyerRow:
    buyer: str
    processes: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    single_by_year: Counter[int] = field(default_factory=Counter)

    @property
    def repeats_single(self) -> bool:
        return any(n >= int(settings()[SINGLE]["repeated_from"])
                   for n in self.single_by_year.values())


@dataclass
class Flagged:
    ocid: str
    title: str
    buyer: str
    keys: list[str]
    minimum: Minimum | None = None


def flags(releases: Iterable[Mapping[str, Any]]) -> tuple[list[BuyerRow], list[Flagged]]:
    """Per buyer, how many processes and how many of each flag; the flagged
    processes. ``releases``: the newest release with a tender of each process."""
    rows: dict[str, BuyerRow] = {}
    flagged: list[Flagged] = []
    for release in releases:
        tender = release.get("tender") or {}
        about = summary.summarise(release)
        row = rows.setdefault(about.buyer, BuyerRow(about.buyer))
        row.processes += 1
        keys = []
        if revoked_or_suspended(tender):
            keys.append(REVOKED)
        minimum = short_period(tender)
        if minimum is not None:
            keys.append(SHORT)
        if single_document(tender):
            keys.append(SINGLE)
            row.single_by_year[about.year or 0] += 1
        row.counts.update(keys)
        if keys:
            item = Flagged(about.ocid, about.title, about.buyer, keys, minimum)
            flagged.append(item)
    return sorted(rows.values(), key=lambda r: r.buyer), flagged
