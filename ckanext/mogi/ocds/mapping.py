"""The field tables (``data/<source>.yaml``) and value maps (``data/codes.yaml``)
applied to one source record: a process of a dump or a row of a library table.

A table lists ``from`` (a source field, dotted for nested ones, or a list of
fields), ``to`` (the OCDS path, dotted, with array positions as numbers) and
``as`` (the transform, one of :data:`TRANSFORMS`), or ``value`` (a constant).
The transforms normalise dirty values and report what they could not use as
findings; none drops a record.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from validate_docbr import CNPJ

from ckanext.mogi.common.i18n import N_
from ckanext.mogi.ocds.findings import Finding

#: Dates of the city's systems are local dates (Brasília time, which had
#: daylight saving time until 2019): published at local midnight.
LOCAL_TIME = ZoneInfo("America/Sao_Paulo")
CURRENCY = "BRL"

_BR_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?")
_NUMBERING = re.compile(r"^[\d\s.\-–)ºª°_]+")
_ANNEX_PREFIX = re.compile(r"^anexos? [ivxlc\d]+\b[\s\-–:.]*")
_NON_WORD = re.compile(r"[^a-z0-9/]+")
_CNPJ_DIGITS = re.compile(r"[\s./\-]")
_MASKED_CPF = re.compile(r"\*{3}\.\d{3}\.\d{3}-\*{2}")
_FULL_CPF = re.compile(r"\d{3}\.?\d{3}\.?\d{3}-?\d{2}")
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9]+")


def fold(text: Any) -> str:
    """Matching key: trimmed, lower case, without accents, single spaces."""
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return " ".join(_NON_WORD.sub(" ", plain.lower()).split())


def id_part(text: str) -> str:
    """A piece of an identifier: letters and digits, other runs as one hyphen."""
    return _ID_UNSAFE.sub("-", text).strip("-")


def digest(data: Any) -> str:
    """A stable short hash of a JSON-like value (sorted keys)."""
    text = data if isinstance(data, str) else json.dumps(
        data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]


# --------------------------------------------------------------------- data


@dataclass(frozen=True)
class Rules:
    """The word rules of ``codes.yaml`` (document types, events), indexed by
    the first word of each phrase: ``word -> [(phrase, rule order, result)]``."""

    by_first_word: Mapping[str, tuple[tuple[tuple[str, ...], int, Mapping[str, Any]], ...]]


@dataclass(frozen=True)
class Codes:
    """The value maps of ``data/codes.yaml``, keyed by :func:`fold`."""

    buyers: Mapping[str, tuple[str, Mapping[str, Any]]]
    modalities: Mapping[str, tuple[str, Mapping[str, Any]]]
    tender_status: Mapping[str, str]
    contract_status: Mapping[str, str]
    status_tags: Mapping[str, str]
    document_types: Rules
    document_type_default: str
    events: Rules
    event_default: Mapping[str, Any]


def _rules(entries: list[dict[str, Any]], key: str | None) -> Rules:
    index: dict[str, list[tuple[tuple[str, ...], int, Mapping[str, Any]]]] = {}
    for order, entry in enumerate(entries):
        result = {key: entry[key]} if key else {k: v for k, v in entry.items() if k != "words"}
        for words in entry["words"]:
            phrase = tuple(fold(words).split())
            index.setdefault(phrase[0], []).append((phrase, order, result))
    return Rules({word: tuple(found) for word, found in index.items()})


def _read(name: str) -> dict[str, Any]:
    text = resources.files("ckanext.mogi.ocds").joinpath("data", name).read_text("utf-8")
    return yaml.safe_load(text)


@cache
def codes() -> Codes:
    data = _read("codes.yaml")
    return Codes(
        buyers={fold(k): (k, v) for k, v in data["buyers"].items()},
        modalities={fold(k): (k, v) for k, v in data["modalities"].items()},
        tender_status={fold(k): v for k, v in data["tender_status"].items()},
        contract_status={fold(k): v for k, v in data["contract_status"].items()},
        status_tags=data["status_tags"],
        document_types=_rules(data["document_types"], "type"),
        document_type_default=data["document_type_default"],
        events=_rules(data["events"], None),
        event_default=data["event_default"],
    )


@cache
def merge_rules() -> dict[tuple[str, ...], str]:
    """ocdsmerge's merge rules of OCDS 1.1.5 (``data/merge_rules.yaml``):
    ``{field path: rule}``."""
    return {tuple(path.split(".")): rule
            for rule, paths in _read("merge_rules.yaml").items() for path in paths}


@cache
def table(source: str) -> dict[str, Any]:
    """The field table of a source: ``dump``, ``licitacoes`` or ``contratos``."""
    return _read(f"{source}.yaml")


def classify(rules: Rules, title: str) -> Mapping[str, Any] | None:
    """The result of the rule with the longest phrase that starts the title
    (after its numbering and an "Anexo IV -" prefix); else the first rule
    (in the file's order) with a phrase anywhere in it; else None."""
    words = fold(_NUMBERING.sub("", fold(title)))
    words = _ANNEX_PREFIX.sub("", words) or words
    tokens = tuple(words.split())
    index = rules.by_first_word
    best: tuple[int, Mapping[str, Any]] | None = None
    for phrase, _order, result in index.get(tokens[0], ()) if tokens else ():
        if tokens[:len(phrase)] == phrase and (best is None or len(phrase) > best[0]):
            best = (len(phrase), result)
    if best:
        return best[1]
    first: tuple[int, Mapping[str, Any]] | None = None
    for position, token in enumerate(tokens):
        for phrase, order, result in index.get(token, ()):
            if tokens[position:position + len(phrase)] == phrase and (
                    first is None or order < first[0]):
                first = (order, result)
    return first[1] if first else None


# ---------------------------------------------------------------- the record


@dataclass
class Context:
    """One record's conversion: where findings go, the parties collected."""

    record: str
    findings: list[Finding] = field(default_factory=list)
    parties: dict[str, dict[str, Any]] = field(default_factory=dict)
    missing: frozenset[str] = frozenset({""})

    def report(self, level: str, code: str, msgid: str, path: str, **params: Any) -> None:
        self.findings.append(Finding(level, code, msgid, params, path, self.record))  # type: ignore[arg-type]

    def add_party(self, party: dict[str, Any], role: str) -> dict[str, str]:
        """Adds (or gives a role to) a party; its reference ``{id, name}``."""
        known = self.parties.setdefault(party["id"], {**party, "roles": []})
        if role not in known["roles"]:
            known["roles"].append(role)
        return {"id": party["id"], "name": party["name"]}


def get(record: Mapping[str, Any], path: str) -> Any:
    value: Any = record
    for key in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def put(target: dict[str, Any], path: str, value: Any) -> None:
    """Sets ``value`` at a dotted path; numbers index arrays; dicts merge."""
    keys = path.split(".")
    node: Any = target
    for key, following in zip(keys, keys[1:], strict=False):
        slot = int(key) if key.isdigit() else key
        if isinstance(node, list):
            while len(node) <= slot:
                node.append({})
            node = node[slot]
        else:
            node = node.setdefault(slot, [] if following.isdigit() else {})
    last = keys[-1]
    if isinstance(node, list):
        index = int(last)
        while len(node) <= index:
            node.append({})
        node[index] = value
    elif isinstance(value, dict) and isinstance(node.get(last), dict):
        node[last].update(value)
    else:
        node[last] = value


def present(value: Any, ctx: Context) -> bool:
    return value is not None and not (isinstance(value, str) and value.strip() in ctx.missing)


# --------------------------------------------------------------- transforms


def as_text(value: Any, ctx: Context, path: str) -> str | None:
    if not present(value, ctx):
        return None
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    return text or None


def as_date(value: Any, ctx: Context, path: str) -> str | None:
    """dd/mm/aaaa (spaces around ignored), aaaa-mm-dd, or a date object."""
    if not present(value, ctx):
        return None
    day: date | None = None
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=LOCAL_TIME)).isoformat()
    if isinstance(value, date):
        day = value
    else:
        text = str(value).strip()
        try:
            if m := _BR_DATE.fullmatch(text):
                day = date(int(m[3]), int(m[2]), int(m[1]))
            elif m := _ISO_DATE.fullmatch(text):
                day = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            day = None
    if day is None:
        ctx.report("warning", "date_invalid",
                   N_('The date "{value}" is not a date (dd/mm/yyyy): left out.'),
                   path, value=str(value))
        return None
    return datetime(day.year, day.month, day.day, tzinfo=LOCAL_TIME).isoformat()


def as_amount(value: Any, ctx: Context, path: str) -> float | None:
    """A number, or text with a decimal comma and a thousands dot (1.234,56)."""
    if not present(value, ctx):
        return None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        text = str(value).strip().replace("R$", "").replace(" ", "")
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
    if number is None or not number.is_finite():
        ctx.report("warning", "amount_invalid",
                   N_('The value "{value}" is not an amount in reais: left out.'),
                   path, value=str(value))
        return None
    return float(number)


def as_money(value: Any, ctx: Context, path: str) -> dict[str, Any] | None:
    amount = as_amount(value, ctx, path)
    return None if amount is None else {"amount": amount, "currency": CURRENCY}


def modality(value: Any, ctx: Context) -> tuple[str, Mapping[str, Any]] | None:
    return codes().modalities.get(fold(value)) if present(value, ctx) else None


def as_method(value: Any, ctx: Context, path: str) -> str | None:
    if not present(value, ctx):
        return None
    found = modality(value, ctx)
    if found is None or not found[1].get("method"):
        ctx.report("warning", "method_unmapped",
                   N_('The modality "{value}" has no OCDS procurement method: '
                      "kept only in procurementMethodDetails."), path, value=str(value).strip())
        return None
    return found[1]["method"]


def as_tender_status(value: Any, ctx: Context, path: str) -> str | None:
    if not present(value, ctx):
        ctx.report("warning", "status_empty",
                   N_("The process has no status: tender.status left out."), path)
        return None
    status = codes().tender_status.get(fold(value))
    if status is None:
        ctx.report("warning", "status_unmapped",
                   N_('The status "{value}" has no OCDS equivalent: kept only in '
                      "statusDetails."), path, value=str(value).strip())
    return status


def as_contract_status(value: Any, ctx: Context, path: str) -> str | None:
    if not present(value, ctx):
        return None
    status = codes().contract_status.get(fold(value))
    if status is None:
        ctx.report("warning", "status_unmapped",
                   N_('The status "{value}" has no OCDS equivalent: kept only in '
                      "statusDetails."), path, value=str(value).strip())
    return status


@lru_cache(maxsize=4096)
def document_type(title: str) -> str:
    found = classify(codes().document_types, title)
    return found["type"] if found else codes().document_type_default


def as_documents(value: Any, ctx: Context, path: str) -> list[dict[str, Any]] | None:
    """``anexos`` (``descricao``, ``link``) -> documents; the id is the
    download number of the link, else the position."""
    if not value:
        return None
    if not isinstance(value, list):
        ctx.report("warning", "not_a_list", N_("Expected a list here: left out."), path)
        return None
    documents: list[dict[str, Any]] = []
    seen: set[str] = set()
    for position, item in enumerate(value, 1):
        where = f"{path}[{position}]"
        if not isinstance(item, Mapping):
            ctx.report("warning", "not_an_object",
                       N_("Expected an object here: left out."), where)
            continue
        title = as_text(item.get("descricao"), ctx, where) or ""
        url = as_text(item.get("link"), ctx, where)
        if url is None:
            ctx.report("warning", "document_without_link",
                       N_("The document has no link: published without one."), where)
        tail = url.rstrip("/").rsplit("/", 1)[-1] if url else ""
        doc_id = tail if tail.isdigit() and tail not in seen else f"anexo-{position}"
        seen.add(doc_id)
        document = {"id": doc_id, "documentType": document_type(title)}
        if title:
            document["title"] = title
        if url:
            document["url"] = url
        documents.append(document)
    return documents or None


def as_notice_link(value: Any, ctx: Context, path: str) -> list[dict[str, Any]] | None:
    url = as_text(value, ctx, path)
    return [{"id": "edital", "documentType": "tenderNotice", "title": "Edital",
             "url": url}] if url else None


def _event_date(event: Mapping[str, Any], ctx: Context, where: str) -> str | None:
    # ``data`` packs the date, the description and the complement, one a line.
    packed = str(event.get("data") or "").strip()
    return as_date(packed.split("\n", 1)[0].strip(), ctx, f"{where}.data") if packed else None


def as_events(value: Any, ctx: Context, path: str) -> dict[str, Any] | None:
    """``ocorrencias`` -> tender milestones (met, dated) and amendments."""
    if not value:
        return None
    if not isinstance(value, list):
        ctx.report("warning", "not_a_list", N_("Expected a list here: left out."), path)
        return None
    out: dict[str, list[dict[str, Any]]] = {"milestones": [], "amendments": []}
    for position, event in enumerate(value, 1):
        where = f"{path}[{position}]"
        if not isinstance(event, Mapping):
            ctx.report("warning", "not_an_object",
                       N_("Expected an object here: left out."), where)
            continue
        when = _event_date(event, ctx, where)
        title = as_text(event.get("descricao"), ctx, where)
        packed = str(event.get("data") or "").split("\n")
        if title is None and len(packed) > 1:
            title = packed[1].strip() or None
        detail = (as_text(event.get("complemento"), ctx, where) or "").rstrip(" /").strip()
        detail = detail if detail and detail != title else ""
        kind = classify(codes().events, title or "") or codes().event_default
        if kind["kind"] == "amendment":
            amendment = {"id": str(position), "date": when, "rationale": title,
                         "description": detail}
            out["amendments"].append({k: v for k, v in amendment.items() if v})
        else:
            milestone = {"id": str(position), "title": title, "type": kind["type"],
                         "status": "met", "dateMet": when, "description": detail}
            out["milestones"].append({k: v for k, v in milestone.items() if v})
    return {k: v for k, v in out.items() if v} or None


def as_supplier(values: list[Any], ctx: Context, path: str) -> list[dict[str, str]] | None:
    """[CPF/CNPJ, name] -> the supplier party. A CNPJ becomes a BR-CNPJ
    identifier; a masked CPF none (LGPD); a full CPF is never published."""
    document, name = (as_text(v, ctx, path) for v in values)
    if name is None and document is None:
        return None
    name = name or ""
    party: dict[str, Any] = {"name": name}
    digits = _CNPJ_DIGITS.sub("", document or "").upper()
    if document and len(digits) == 14 and CNPJ().validate(digits):
        party.update(id=f"BR-CNPJ-{digits}",
                     identifier={"scheme": "BR-CNPJ", "id": digits, "legalName": name})
    else:
        if document and _FULL_CPF.fullmatch(document.strip()):
            ctx.report("error", "full_cpf",
                       N_("A full CPF is never published (LGPD): only the supplier's "
                          "name is."), path)
        elif document and not _MASKED_CPF.fullmatch(document.strip()):
            ctx.report("warning", "cnpj_invalid",
                       N_('"{value}" is neither a valid CNPJ nor a masked CPF: the '
                          "supplier is published without an identifier."),
                       path, value=document)
        party["id"] = f"fornecedor-{digest(fold(name))[:10]}"
    return [ctx.add_party(party, "supplier")]


def as_procuring_entity(value: Any, ctx: Context, path: str) -> dict[str, str] | None:
    """The Secretaria that manages a contract: a party of its own."""
    name = as_text(value, ctx, path)
    if name is None:
        return None
    return ctx.add_party({"id": f"unidade-{id_part(fold(name))}", "name": name},
                         "procuringEntity")


Transform = Callable[[Any, Context, str], Any]

#: The ``as`` names of the field tables.
TRANSFORMS: dict[str, Transform] = {
    "text": as_text,
    "date": as_date,
    "money": as_money,
    "method": as_method,
    "tender_status": as_tender_status,
    "contract_status": as_contract_status,
    "documents": as_documents,
    "notice_link": as_notice_link,
    "events": as_events,
    "supplier": as_supplier,
    "procuring_entity": as_procuring_entity,
}


def apply(fields: list[Mapping[str, Any]], record: Mapping[str, Any], ctx: Context,
          release: dict[str, Any], label: Callable[[str], str]) -> None:
    """Applies a field table to a record, into ``release``."""
    for spec in fields:
        if "value" in spec:
            put(release, spec["to"], spec["value"])
            continue
        source = spec["from"]
        if isinstance(source, list):
            value: Any = [get(record, s) for s in source]
            where = label(",".join(source))
        else:
            value = get(record, source)
            if not present(value, ctx) and spec.get("else"):
                value = get(record, spec["else"])
            where = label(source)
        result = TRANSFORMS[spec["as"]](value, ctx, where)
        if result is not None:
            put(release, spec["to"], result)
