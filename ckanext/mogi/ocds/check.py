"""Validation of OCDS 1.1.5 release and record packages, offline.

The schemas' ``$ref`` and ``id`` URLs (standard.open-contracting.org) are
resolved to the local copies of the standard (``ckanext.mogi.ocds.schema_dir``,
by default ``../shared/standards/ocds/1.1.5``) through a ``referencing``
registry: nothing is fetched. libcoveocds was not used: it builds its schema
from the extension registry and the standard's repository, over the network.
Codelist values are checked against the standard's CSV files (closed ones are
also ``enum`` in the schema: those are reported once, as schema errors).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator, Mapping
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft4Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from ckanext.mogi.common.i18n import N_, TranslatableError
from ckanext.mogi.ocds.findings import Finding

SCHEMA_DIR_OPTION = "ckanext.mogi.ocds.schema_dir"
DEFAULT_SCHEMA_DIR = Path("..", "shared", "standards", "ocds", "1.1.5")
SCHEMA_FILES = ("release-schema.json", "release-package-schema.json",
                "record-package-schema.json", "versioned-release-validation-schema.json")
_REQUIRED = re.compile(r"'(.+)' is a required property")
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")

_MESSAGES: dict[str, str] = {
    "required": N_('The required field "{field}" is missing.'),
    "type": N_('"{value}" has the wrong type: {expected} expected.'),
    "enum": N_('"{value}" is not a code of the closed codelist.'),
    "date-time": N_('"{value}" is not a date and time (RFC 3339, e.g. '
                    '2024-05-01T00:00:00-03:00).'),
    "uri": N_('"{value}" is not an address (URI).'),
    "minItems": N_("The list is empty."),
    "minProperties": N_("The object is empty."),
    "minLength": N_("The text is empty."),
    "uniqueItems": N_("The list has repeated items."),
    "other": N_('"{value}" breaks the schema rule "{rule}".'),
}


class SchemaDirError(TranslatableError):
    """The OCDS schema folder is missing or incomplete."""


def resolve_schema_dir(option: str | Path | None = None) -> Path:
    """``--schema-dir``, else ``ckanext.mogi.ocds.schema_dir``, else ``../shared/...``."""
    if not option:
        from ckan.plugins import toolkit

        option = toolkit.config.get(SCHEMA_DIR_OPTION) or DEFAULT_SCHEMA_DIR
    return Path(option).expanduser().resolve()


def _format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())

    @checker.checks("date-time")
    def date_time(value: object) -> bool:
        if not isinstance(value, str):
            return True
        if not _DATE_TIME.fullmatch(value):
            return False
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return False
        return True

    @checker.checks("uri")
    def uri(value: object) -> bool:
        if not isinstance(value, str):
            return True
        parts = urlsplit(value)
        return bool(parts.scheme) and " " not in value

    return checker


class Standard:
    """The OCDS 1.1.5 schemas and codelists of a folder, ready to validate."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        missing = [n for n in SCHEMA_FILES if not (self.root / n).is_file()]
        if missing or not (self.root / "codelists").is_dir():
            raise SchemaDirError(N_("OCDS schema folder not found or incomplete: {root}. "
                                    "Give --schema-dir or set {option}."),
                                 root=str(self.root), option=SCHEMA_DIR_OPTION)
        self.schemas = {n: json.loads((self.root / n).read_text("utf-8"))
                        for n in SCHEMA_FILES}
        registry: Registry = Registry()
        for name, schema in self.schemas.items():
            resource = Resource.from_contents(schema, default_specification=DRAFT4)
            registry = registry.with_resource(schema["id"], resource)
            registry = registry.with_resource(name, resource)
        checker = _format_checker()
        self.validators = {
            kind: Draft4Validator(self.schemas[name], registry=registry,
                                  format_checker=checker)
            for kind, name in (("release", "release-schema.json"),
                               ("release-package", "release-package-schema.json"),
                               ("record-package", "record-package-schema.json"))
        }
        self.codelists = {p.name: _codes(p) for p in (self.root / "codelists").glob("*.csv")}
        self.codelist_fields = dict(_codelist_fields(self.schemas["release-schema.json"]))


def _codes(path: Path) -> frozenset[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return frozenset(row["Code"] for row in csv.DictReader(handle))


CodelistField = tuple[tuple[str, ...], tuple[str, bool]]


def _codelist_fields(schema: Mapping[str, Any]) -> Iterator[CodelistField]:
    """(field path without array positions, (codelist file, open?)) of the release schema."""
    definitions = schema.get("definitions", {})

    def walk(node: Mapping[str, Any], path: tuple[str, ...], seen: frozenset[str]):
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            if name in seen or name not in definitions:
                return
            yield from walk(definitions[name], path, seen | {name})
            return
        if "codelist" in node:
            yield path, (node["codelist"], bool(node.get("openCodelist")))
        if "items" in node and isinstance(node["items"], Mapping):
            yield from walk(node["items"], path, seen)
        for key, child in node.get("properties", {}).items():
            yield from walk(child, (*path, key), seen)

    yield from walk(schema, (), frozenset())


@cache
def standard(root: str) -> Standard:
    """The :class:`Standard` of a folder, loaded once per process."""
    return Standard(root)


def _pointer(path: Any) -> str:
    return "/" + "/".join(str(p) for p in path)


def _record_of(data: Any, path: tuple[Any, ...]) -> str:
    """The ocid the finding belongs to, if the path is inside a release or record."""
    if len(path) >= 2 and path[0] in ("releases", "records") and isinstance(path[1], int):
        try:
            item = data[path[0]][path[1]]
        except (KeyError, IndexError, TypeError):
            return ""
        return str(item.get("ocid", "")) if isinstance(item, Mapping) else ""
    return ""


def _leaves(error: ValidationError) -> list[ValidationError]:
    """The errors that explain a oneOf/anyOf failure: those of its closest branch."""
    if not error.context or error.validator not in ("oneOf", "anyOf"):
        return [error]
    branches: dict[Any, list[ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(sub.schema_path[0], []).append(sub)
    best = min(branches.values(),
               key=lambda errs: (len(errs), -max(len(e.absolute_path) for e in errs)))
    return [leaf for sub in best for leaf in _leaves(sub)]


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."


def _finding(error: ValidationError, data: Any) -> Finding:
    path = tuple(error.absolute_path)
    rule = str(error.validator)
    params: dict[str, Any] = {"value": _short(error.instance), "rule": rule}
    if rule == "required":
        found = _REQUIRED.match(error.message)
        params["field"] = found[1] if found else error.message
        key = "required"
    elif rule == "format":
        key = error.validator_value if error.validator_value in _MESSAGES else "other"
    elif rule == "type":
        expected = error.validator_value
        params["expected"] = " | ".join(expected) if isinstance(expected, list) else expected
        key = "type"
    else:
        key = rule if rule in _MESSAGES else "other"
    return Finding("error", f"schema.{rule}", _MESSAGES[key], params, _pointer(path),
                   _record_of(data, path))


def _codelist_findings(release: Any, std: Standard, base: tuple[Any, ...],
                       record: str) -> Iterator[Finding]:
    """Open-codelist values outside the standard's codes (closed ones: the schema's enum)."""

    def walk(node: Any, names: tuple[str, ...], path: tuple[Any, ...]):
        if isinstance(node, list):
            for index, item in enumerate(node):
                yield from walk(item, names, (*path, index))
            return
        found = std.codelist_fields.get(names)
        if found and isinstance(node, str):
            codelist, is_open = found
            if is_open and node not in std.codelists.get(codelist, frozenset()):
                yield Finding("warning", "codelist",
                              N_('"{value}" is not a code of the codelist {codelist}.'),
                              {"value": node, "codelist": codelist}, _pointer(path), record)
        if isinstance(node, Mapping):
            for key, child in node.items():
                yield from walk(child, (*names, key), (*path, key))

    yield from walk(release, (), base)


def _duplicates(data: Mapping[str, Any]) -> Iterator[Finding]:
    seen: set[tuple[str, str]] = set()
    for index, release in enumerate(data.get("releases") or []):
        if isinstance(release, Mapping):
            key = (str(release.get("ocid")), str(release.get("id")))
            if key in seen:
                yield Finding("error", "duplicate_release",
                              N_('The release "{id}" appears twice in the package.'),
                              {"id": key[1]}, f"/releases/{index}", key[0])
            seen.add(key)
    ocids: set[str] = set()
    for index, record in enumerate(data.get("records") or []):
        if isinstance(record, Mapping):
            ocid = str(record.get("ocid"))
            if ocid in ocids:
                yield Finding("error", "duplicate_record",
                              N_('The record "{ocid}" appears twice in the package.'),
                              {"ocid": ocid}, f"/records/{index}", ocid)
            ocids.add(ocid)


def package_kind(data: Any) -> str | None:
    """``"release-package"``, ``"record-package"`` or None."""
    if isinstance(data, Mapping):
        if "records" in data:
            return "record-package"
        if "releases" in data:
            return "release-package"
    return None


def validate_package(data: Any, std: Standard) -> list[Finding]:
    """Schema and codelist findings of a release or record package."""
    kind = package_kind(data)
    if kind is None:
        return [Finding("error", "not_a_package",
                        N_('Not an OCDS package: an object with "releases" or "records" '
                           "was expected."), {}, "/", "")]
    findings = [_finding(leaf, data)
                for error in std.validators[kind].iter_errors(data)
                for leaf in _leaves(error)]
    if kind == "release-package":
        for index, release in enumerate(data.get("releases") or []):
            if isinstance(release, Mapping):
                findings.extend(_codelist_findings(release, std, ("releases", index),
                                                   str(release.get("ocid", ""))))
    else:
        for index, record in enumerate(data.get("records") or []):
            if not isinstance(record, Mapping):
                continue
            ocid = str(record.get("ocid", ""))
            for r_index, release in enumerate(record.get("releases") or []):
                if isinstance(release, Mapping):
                    findings.extend(_codelist_findings(
                        release, std, ("records", index, "releases", r_index), ocid))
            if isinstance(record.get("compiledRelease"), Mapping):
                findings.extend(_codelist_findings(
                    record["compiledRelease"], std, ("records", index, "compiledRelease"),
                    ocid))
    findings.extend(_duplicates(data))
    return findings


def validate_release(release: Mapping[str, Any], std: Standard, *,
                     record: str = "") -> list[Finding]:
    """Schema and codelist findings of one release (paths relative to it)."""
    label = record or str(release.get("ocid", ""))
    findings = []
    for error in std.validators["release"].iter_errors(release):
        for leaf in _leaves(error):
            finding = _finding(leaf, {})
            findings.append(Finding(finding.level, finding.code, finding.msgid,
                                    finding.params, finding.path, label))
    findings.extend(_codelist_findings(release, std, (), label))
    return findings
