"""From a source to the rows of ``mogi_ocds_release``: the mapping's releases
(:mod:`.releases`) with the columns the pages filter on (:mod:`.summary`)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from ckan.plugins import toolkit

from ckanext.mogi.common.text import fold
from ckanext.mogi.ocds import releases, summary


@dataclass
class Result:
    """The rows to store (an iterator: the source is read as they are taken)
    and the findings (JSON-ready), complete once every row has been taken."""

    rows: Iterator[dict[str, Any]]
    findings: list[dict[str, Any]] = field(default_factory=list)


def row(release: Mapping[str, Any]) -> dict[str, Any]:
    """A release as a row of ``mogi_ocds_release`` (``search``: the text to index)."""
    about = summary.summarise(release)
    return {
        "ocid": str(release["ocid"]),
        "release_id": str(release["id"]),
        "buyer": about.buyer,
        "modality": about.modality,
        "status": about.status,
        "year": about.year,
        "date": release.get("date"),
        "search": fold(about.search_text),
        "release": dict(release),
        "bytes": len(json.dumps(release, ensure_ascii=False).encode("utf-8")),
    }


def _rows(converted: Iterable[releases.Converted],
          findings: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for item in converted:
        findings.extend(finding.as_dict() for finding in item.findings)
        if item.release is not None:
            yield row(item.release)


def prefix() -> str:
    return str(toolkit.config.get("ckanext.mogi.ocds.ocid_prefix"))


def rfc3339(moment: dt.datetime | None) -> str:
    """A stored UTC time (CKAN's naive datetimes) in RFC 3339."""
    moment = (moment or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.isoformat().replace("+00:00", "Z")


def from_dump(stream: BinaryIO, published: str) -> Result:
    """The releases of a tender dump, read as a stream; ``published``: their date."""
    findings: list[dict[str, Any]] = []
    converted = releases.releases_from_dump(stream, prefix=prefix(), published=published)
    return Result(_rows(converted, findings), findings)


def from_rows(table: str, rows: Iterable[Mapping[str, Any]], published: str) -> Result:
    """The releases of a library table (``licitacoes`` or ``contratos``)."""
    findings: list[dict[str, Any]] = []
    converted = releases.releases_from_rows(rows, table, prefix=prefix(), published=published)
    return Result(_rows(converted, findings), findings)
