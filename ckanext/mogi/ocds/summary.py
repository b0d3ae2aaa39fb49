"""What the pages say about a process, read from its OCDS releases.

:func:`summarise` gives the columns stored beside each release (buyer,
modality, status, year, the text to search); :func:`process` gathers every
public release of one ``ocid`` into what the citizens' page shows: the
object, a timeline, the documents, the contracts and their values. Labels of
OCDS codes are data (``data/labels.yaml``); amounts are written in the
Brazilian way (``R$ 1.234,56``) by Babel.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

import yaml
from babel.numbers import format_currency

from ckanext.mogi.common.i18n import translate as _

LOCALE = "pt_BR"


@functools.cache
def labels() -> dict[str, dict[str, str]]:
    text = files("ckanext.mogi.ocds").joinpath("data", "labels.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def label(kind: str, code: Any) -> str:
    """The Portuguese label of an OCDS code (the code itself when unknown)."""
    return labels().get(kind, {}).get(str(code or ""), str(code or ""))


def _text(value: Any) -> str:
    return " ".join(str(value or "").split())


def day(value: Any) -> dt.date | None:
    """The calendar day of an OCDS date-time (``2018-07-20T00:00:00-03:00``)."""
    text = str(value or "").strip()
    if len(text) < 10:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def day_text(value: Any) -> str:
    found = day(value)
    return found.strftime("%d/%m/%Y") if found else ""


def money(value: Mapping[str, Any] | None) -> str:
    """An OCDS ``Value`` in pt-BR (``R$ 1.234,56``), empty when it has no amount."""
    if not value or value.get("amount") in (None, ""):
        return ""
    try:
        return format_currency(float(value["amount"]), str(value.get("currency") or "BRL"),
                               locale=LOCALE)
    except (TypeError, ValueError):
        return ""


def _buyer_name(release: Mapping[str, Any]) -> str:
    buyer = release.get("buyer") or {}
    if buyer.get("name"):
        return _text(buyer["name"])
    for party in release.get("parties") or []:
        if "buyer" in (party.get("roles") or []):
            return _text(party.get("name"))
    return ""


@dataclass(frozen=True)
class About:
    """One release, as the search page lists it and the table filters it."""

    ocid: str
    title: str
    description: str
    buyer: str
    modality: str
    status: str
    year: int | None

    @property
    def search_text(self) -> str:
        return " ".join(part for part in (self.title, self.description, self.buyer,
                                          self.modality, self.status, self.ocid) if part)


def situacao(tender: Mapping[str, Any]) -> str:
    """The process's status as the city writes it (``tender.statusDetails``, the
    original "situação"), else the OCDS status's label."""
    details = _text(tender.get("statusDetails"))
    if details:
        return details
    return label("tender_status", tender.get("status")) if tender.get("status") else ""


def modalidade(tender: Mapping[str, Any]) -> str:
    details = _text(tender.get("procurementMethodDetails"))
    if details:
        return details
    method = tender.get("procurementMethod")
    return label("procurement_method", method) if method else ""


_NUMBER_YEAR = re.compile(r"/(\d{4})(?:-\d+)?$")


def year_of(release: Mapping[str, Any]) -> int | None:
    """The process's year: that of its number (``0008/2018``), else of the
    notice's publication, else of the release."""
    tender = release.get("tender") or {}
    match = _NUMBER_YEAR.search(str(tender.get("id") or "").strip())
    if match:
        return int(match.group(1))
    for value in ((tender.get("tenderPeriod") or {}).get("startDate"), release.get("date")):
        found = day(value)
        if found:
            return found.year
    return None


def summarise(release: Mapping[str, Any]) -> About:
    tender = release.get("tender") or {}
    contracts = release.get("contracts") or []
    title = _text(tender.get("title")) or next(
        (_text(c.get("title")) for c in contracts if c.get("title")), "")
    description = _text(tender.get("description")) or next(
        (_text(c.get("description")) for c in contracts if c.get("description")), "")
    return About(ocid=str(release.get("ocid") or ""), title=title, description=description,
                 buyer=_buyer_name(release), modality=modalidade(tender),
                 status=situacao(tender), year=year_of(release))


# ------------------------------------------------------------ the page
@dataclass(frozen=True)
class Event:
    when: dt.date
    what: str
    detail: str = ""


@dataclass(frozen=True)
class Document:
    title: str
    url: str
    kind: str
    when: str


@dataclass(frozen=True)
class Contract:
    title: str
    suppliers: str
    value: str
    period: str
    status: str


@dataclass
class Process:
    """Every public release of one ``ocid`` as the citizens' page shows them."""

    ocid: str
    about: About
    number: str = ""
    events: list[Event] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    contracts: list[Contract] = field(default_factory=list)
    value: str = ""
    datasets: list[dict[str, str]] = field(default_factory=list)


def _period(period: Mapping[str, Any] | None) -> str:
    period = period or {}
    start, end = day_text(period.get("startDate")), day_text(period.get("endDate"))
    if start and end:
        return f"{start} – {end}"
    return start or end


def _events(tender: Mapping[str, Any], releases: Sequence[Mapping[str, Any]]
            ) -> list[Event]:
    events: list[Event] = []
    period = tender.get("tenderPeriod") or {}
    for key, what in (("startDate", _("Publication of the notice")),
                      ("endDate", _("Opening of the proposals"))):
        found = day(period.get(key))
        if found:
            events.append(Event(found, what))
    for milestone in tender.get("milestones") or []:
        found = day(milestone.get("dateMet") or milestone.get("dueDate"))
        if found:
            events.append(Event(found, _text(milestone.get("title")) or label(
                "milestone_type", milestone.get("type")), _text(milestone.get("description"))))
    for amendment in tender.get("amendments") or []:
        found = day(amendment.get("date"))
        if found:
            events.append(Event(found, _text(amendment.get("description"))
                                or _("Amendment"), _text(amendment.get("rationale"))))
    for release in releases:
        for award in release.get("awards") or []:
            found = day(award.get("date"))
            if found:
                events.append(Event(found, _("Award"), _text(award.get("title"))))
        for contract in release.get("contracts") or []:
            found = day(contract.get("dateSigned"))
            if found:
                events.append(Event(found, _("Contract signed"), _text(contract.get("title"))))
    seen: set[tuple[dt.date, str, str]] = set()
    unique = []
    for event in sorted(events, key=lambda e: e.when):
        key = (event.when, event.what, event.detail)
        if key not in seen:
            seen.add(key)
            unique.append(event)
    return unique


def _documents(tender: Mapping[str, Any]) -> list[Document]:
    found: list[Document] = []
    seen: set[str] = set()
    for document in tender.get("documents") or []:
        url = str(document.get("url") or "")
        if not url.startswith(("https://", "http://")) or url in seen:
            continue
        seen.add(url)
        found.append(Document(
            title=_text(document.get("title")) or url, url=url,
            kind=label("document_type", document.get("documentType")),
            when=day_text(document.get("datePublished"))))
    return found


def _contracts(releases: Sequence[Mapping[str, Any]]) -> list[Contract]:
    found: list[Contract] = []
    for release in releases:
        names = {party.get("id"): _text(party.get("name"))
                 for party in release.get("parties") or []}
        suppliers = {award.get("id"): ", ".join(
            _text(s.get("name")) or names.get(s.get("id"), "")
            for s in award.get("suppliers") or []) for award in release.get("awards") or []}
        for contract in release.get("contracts") or []:
            found.append(Contract(
                title=_text(contract.get("title")) or _text(contract.get("id")),
                suppliers=suppliers.get(contract.get("awardID"), ""),
                value=money(contract.get("value")), period=_period(contract.get("period")),
                status=label("contract_status", contract.get("status"))
                if contract.get("status") else ""))
    return found


def process(releases: Sequence[Mapping[str, Any]],
            datasets: Iterable[Mapping[str, str]] = ()) -> Process:
    """The page of one process from its releases (oldest first): the tender as
    the newest release that has one says it, awards and contracts of all."""
    with_tender = [r for r in releases if r.get("tender")]
    main = (with_tender or list(releases))[-1]
    tender = main.get("tender") or {}
    about = summarise(main)
    return Process(
        ocid=about.ocid, about=about, number=_text(tender.get("id")),
        events=_events(tender, releases), documents=_documents(tender),
        contracts=_contracts(releases), value=money(tender.get("value")),
        datasets=[dict(d) for d in datasets])
