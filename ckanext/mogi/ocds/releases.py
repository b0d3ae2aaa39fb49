"""OCDS releases from the city's sources, and release and record packages.

Public API (stable; see /work/wt/notes/ocds-contract.md and README.md):

- :func:`releases_from_dump`: a tender-system dump (binary stream) -> releases;
- :func:`releases_from_rows`: rows of a ``licitacoes`` or ``contratos`` table -> releases;
- :func:`release_package`, :func:`record_package`: the package dicts;
- :func:`iter_release_package`: a release package as JSON text, streamed;
- :func:`ocid`: the ocid of a buyer's process.

Each source record yields exactly one :class:`Converted`, with its release
and findings; the release is None only for an item of a dump that is not a
JSON object (then a finding says so): no record is dropped silently.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, BinaryIO

from ckanext.mogi.common.i18n import N_
from ckanext.mogi.ocds import dump, mapping
from ckanext.mogi.ocds.findings import Finding

OCDS_VERSION = "1.1"
LANGUAGE = "pt"
TABLE_SCHEMAS = ("licitacoes", "contratos")
UNKNOWN_BUYER = "DESCONHECIDO"


@dataclass
class Converted:
    """One source record's release (None: the item was not an object) and findings."""

    record: str
    release: dict[str, Any] | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def ocid(self) -> str | None:
        return self.release["ocid"] if self.release else None


def ocid(prefix: str, buyer: str, process_id: str) -> str:
    """``<prefix>-<BUYER>-<process id>``: stable for the same buyer and process."""
    return f"{prefix}-{buyer}-{mapping.id_part(process_id)}"


def _buyer(raw: Any, ctx: mapping.Context, path: str) -> tuple[str, Mapping[str, Any] | None]:
    """The buyer's code (PMMC, SEMAE, IPREM) and its codes.yaml entry."""
    found = mapping.codes().buyers.get(mapping.fold(raw)) if raw is not None else None
    if found is None:
        ctx.report("error", "buyer_unknown",
                   N_('Unknown buyer "{value}" (expected PMMC, SEMAE or IPREM): the '
                      "process is published without a buyer."), path, value=str(raw or ""))
        return UNKNOWN_BUYER, None
    code, entry = found
    if str(raw).strip() != code:
        ctx.report("warning", "buyer_normalised",
                   N_('Buyer "{value}" read as "{buyer}".'), path, value=str(raw), buyer=code)
    return code, entry


def _buyer_party(code: str, entry: Mapping[str, Any]) -> dict[str, Any]:
    cnpj = str(entry.get("cnpj") or "")
    party: dict[str, Any] = {"id": f"BR-CNPJ-{cnpj}" if cnpj else f"MOGI-{code}",
                             "name": entry["name"]}
    if cnpj:
        party["identifier"] = {"scheme": "BR-CNPJ", "id": cnpj,
                               "legalName": entry.get("legalName") or entry["name"]}
    return party


def _process_id(spec: Any, record: Mapping[str, Any], ctx: mapping.Context,
                label: Any) -> str | None:
    """The process part of the ocid, from the table's ``record.process_id``."""
    if isinstance(spec, str):
        value = mapping.as_text(mapping.get(record, spec), ctx, label(spec))
        return value
    number = mapping.as_text(record.get(spec["number"]), ctx, label(spec["number"]))
    found = mapping.modality(record.get(spec["modality"]), ctx)
    if number and found:
        return f"{found[1]['code']}-{number}"
    otherwise = spec.get("otherwise")
    if otherwise:
        other = mapping.as_text(record.get(otherwise["number"]), ctx, label(otherwise["number"]))
        if other:
            return f"{otherwise['code']}-{other}"
    return None


def convert(record: Any, source: str, *, record_label: str, prefix: str,
            published: str) -> Converted:
    """One source record -> its release, with the table of ``source``."""
    spec = mapping.table(source)
    ctx = mapping.Context(record_label, missing=frozenset(spec.get("missing_values", [""])))
    if not isinstance(record, Mapping):
        ctx.report("error", "not_an_object",
                   N_("The item is not a process (a JSON object was expected): it cannot "
                      "be converted."), "")
        return Converted(record_label, None, ctx.findings)

    def label(path: str) -> str:
        return path

    buyer_code, buyer_entry = _buyer(mapping.get(record, spec["record"]["buyer"]), ctx,
                                     spec["record"]["buyer"])
    process = _process_id(spec["record"]["process_id"], record, ctx, label)
    fingerprint = mapping.digest(record)
    if not process:
        ctx.report("error", "process_id_missing",
                   N_("The process has no identifier: its ocid is made from its content "
                      "and changes if the content does."), str(spec["record"]["process_id"]))
        process = f"sem-id-{fingerprint[:12]}"
    release: dict[str, Any] = {
        "ocid": ocid(prefix, buyer_code, process),
        "id": f"{spec['source']}-{fingerprint}",
        "date": published,
        "tag": list(spec["tags"]),
        "initiationType": "tender",
        "language": LANGUAGE,
    }
    if buyer_entry is not None:
        buyer_ref = ctx.add_party(_buyer_party(buyer_code, buyer_entry), "buyer")
        release["buyer"] = buyer_ref
        if "tender" in spec["tags"]:
            ctx.add_party(_buyer_party(buyer_code, buyer_entry), "procuringEntity")
            release["tender"] = {"procuringEntity": buyer_ref}
    mapping.apply(spec["fields"], record, ctx, release, label)
    tender = release.get("tender", {})
    if "tender" in release and "id" not in tender:
        tender["id"] = process
    status_tag = mapping.codes().status_tags.get(tender.get("status", ""))
    if status_tag and "tender" in spec["tags"]:
        release["tag"].append(status_tag)
    if tender.get("amendments") and "tender" in spec["tags"]:
        release["tag"].append("tenderAmendment")
    if ctx.parties:
        release["parties"] = list(ctx.parties.values())
    return Converted(record_label, release, ctx.findings)


def process_label(record: Any) -> str:
    """``PMMC-2489``: how findings name a process of a dump."""
    if not isinstance(record, Mapping):
        return ""
    data = record.get("dados") if isinstance(record.get("dados"), Mapping) else {}
    return "-".join(str(data.get(k) or "").strip() for k in ("orgao", "idlicitacao"))


def releases_from_dump(stream: BinaryIO, *, prefix: str, published: str) -> Iterator[Converted]:
    """Each process of a tender-system dump, in order, as a release.

    ``stream``: the dump, binary, read once (streaming: flat memory).
    ``prefix``: the ocid prefix (``ckanext.mogi.ocds.ocid_prefix``).
    ``published``: the releases' date, RFC 3339 (``2024-05-01T00:00:00-03:00``).
    Raises :class:`ckanext.mogi.ocds.dump.DumpError` if the file is not a
    JSON array (or breaks off: the processes before the fault were yielded).
    """
    for position, record in enumerate(dump.processes(stream), 1):
        label = process_label(record) or f"item {position}"
        yield convert(record, "dump", record_label=label, prefix=prefix, published=published)


def releases_from_rows(rows: Iterable[Mapping[str, Any]], table_schema: str, *, prefix: str,
                       published: str) -> Iterator[Converted]:
    """Each row of a ``licitacoes`` or ``contratos`` table as a release.

    Values may be the text of the file (``1.234,56``, ``15/03/2023``) or typed
    (numbers, ``date``), as the DataStore gives them. Findings name the row
    as ``linha N`` (N from 1, the first data row).
    """
    if table_schema not in TABLE_SCHEMAS:
        raise ValueError(f"no OCDS mapping for the table schema {table_schema!r}")
    for position, row in enumerate(rows, 1):
        yield convert(row, table_schema, record_label=f"linha {position}", prefix=prefix,
                      published=published)


# ----------------------------------------------------------------- packages


def _publisher(publisher: str | Mapping[str, Any]) -> dict[str, Any]:
    return {"name": publisher} if isinstance(publisher, str) else dict(publisher)


def _package_head(uri: str, published_date: str, publisher: str | Mapping[str, Any],
                  license: str | None, publication_policy: str | None) -> dict[str, Any]:
    head: dict[str, Any] = {"uri": uri, "version": OCDS_VERSION,
                            "publishedDate": published_date,
                            "publisher": _publisher(publisher)}
    if license:
        head["license"] = license
    if publication_policy:
        head["publicationPolicy"] = publication_policy
    return head


def release_package(releases: Iterable[Mapping[str, Any]], *, uri: str, published_date: str,
                    publisher: str | Mapping[str, Any], license: str | None = None,
                    publication_policy: str | None = None) -> dict[str, Any]:
    """A release package (a dict): the releases as given."""
    return {**_package_head(uri, published_date, publisher, license, publication_policy),
            "releases": list(releases)}


def iter_release_package(releases: Iterable[Mapping[str, Any]], *, uri: str,
                         published_date: str, publisher: str | Mapping[str, Any],
                         license: str | None = None,
                         publication_policy: str | None = None) -> Iterator[str]:
    """The release package as JSON text, in pieces: one release at a time in memory."""
    head = json.dumps(_package_head(uri, published_date, publisher, license,
                                    publication_policy), ensure_ascii=False)
    yield head[:-1] + ', "releases": ['
    for position, release in enumerate(releases):
        yield ("," if position else "") + json.dumps(release, ensure_ascii=False)
    yield "]}"


@cache
def _merger() -> Any:
    import ocdsmerge

    return ocdsmerge.Merger(merge_rules=mapping.merge_rules())


def compiled_release(releases: list[Mapping[str, Any]]) -> dict:
    """The compiled release of one ocid's releases (ocdsmerge, with the merge
    rules of OCDS 1.1.5: ``data/merge_rules.yaml``)."""
    return _merger().create_compiled_release([dict(r) for r in releases])


def records(releases: Iterable[Mapping[str, Any]]) -> Iterator[dict[str, Any]]:
    """One record per ocid (in order of first appearance): its releases and compiled release."""
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    for release in releases:
        grouped.setdefault(release["ocid"], []).append(release)
    for record_ocid, group in grouped.items():
        yield {"ocid": record_ocid, "releases": list(group),
               "compiledRelease": compiled_release(group)}


def record_package(releases: Iterable[Mapping[str, Any]], *, uri: str, published_date: str,
                   publisher: str | Mapping[str, Any], license: str | None = None,
                   publication_policy: str | None = None) -> dict[str, Any]:
    """A record package (a dict): one record per ocid, releases embedded,
    with its compiledRelease."""
    return {**_package_head(uri, published_date, publisher, license, publication_policy),
            "records": list(records(releases))}
