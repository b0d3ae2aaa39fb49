"""The portal's controlled vocabularies (``schemas/vocabularies.yaml``).

Shared data: the schema's fields, the DCAT-BR profile and seal, the theme's
pages and the validation's LGPD bases all read the same vocabularies. The
YAML file is shipped inside the package as ``ckanext.mogi.schemas`` and
read once, on first use (nothing is read at import time). Each vocabulary is a
list of entries with at least ``value`` (what CKAN stores), ``label`` (pt-BR)
and ``uri`` (the concept IRI, or ``None``).

For ckanext-scheming, :func:`field_choices` is the ``choices_helper`` of a
field that names its vocabulary, e.g.::

    - field_name: periodicidade
      preset: select
      vocabulary: periodicidade
      choices_helper: mogi_vocabulary_choices
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from importlib.resources import files
from typing import Any

import yaml

PACKAGE = "ckanext.mogi.schemas"
FILENAME = "vocabularies.yaml"

Entry = Mapping[str, Any]


class UnknownVocabulary(KeyError):
    """No vocabulary of that name in ``vocabularies.yaml``."""


@functools.cache
def _load() -> dict[str, dict[str, Any]]:
    text = files(PACKAGE).joinpath(FILENAME).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError(f"{FILENAME}: expected a mapping of vocabularies")
    for name, vocabulary in data.items():
        entries = vocabulary.get("entries") if isinstance(vocabulary, dict) else None
        if not isinstance(entries, list) or not entries:
            raise ValueError(f"{FILENAME}: vocabulary {name!r} has no entries")
        seen: set[str] = set()
        for entry in entries:
            value = entry.get("value")
            if not isinstance(value, str) or not value or not entry.get("label"):
                raise ValueError(f"{FILENAME}: {name!r} has an entry without value/label")
            if value in seen:
                raise ValueError(f"{FILENAME}: {name!r} repeats the value {value!r}")
            seen.add(value)
    return data


@functools.cache
def _index(name: str) -> dict[str, Entry]:
    return {entry["value"]: entry for entry in entries(name)}


@functools.cache
def _uri_index(name: str) -> dict[str, str]:
    return {entry["uri"]: entry["value"] for entry in entries(name) if entry.get("uri")}


def names() -> list[str]:
    """The names of every vocabulary, in file order."""
    return list(_load())


def vocabulary(name: str) -> Mapping[str, Any]:
    """The whole vocabulary mapping (``title``, ``source``, ``scheme``, ``entries``...)."""
    try:
        return _load()[name]
    except KeyError:
        raise UnknownVocabulary(name) from None


def entries(name: str) -> list[Entry]:
    """The entries of vocabulary ``name``, in file order."""
    return list(vocabulary(name)["entries"])


def values(name: str) -> list[str]:
    """The stored values of vocabulary ``name``, in file order."""
    return [entry["value"] for entry in entries(name)]


def entry(name: str, value: str) -> Entry | None:
    """The entry whose value is ``value``, or ``None``."""
    return _index(name).get(value)


def contains(name: str, value: str) -> bool:
    return value in _index(name)


def label(name: str, value: str) -> str:
    """The Portuguese label of ``value`` (``value`` itself when unknown)."""
    found = entry(name, value)
    return str(found["label"]) if found else value


def uri(name: str, value: str) -> str | None:
    """The concept IRI of ``value``, or ``None`` (unknown value or no IRI)."""
    found = entry(name, value)
    return found.get("uri") if found else None


def value_for_uri(name: str, concept_uri: str) -> str | None:
    """The stored value whose concept IRI is ``concept_uri``, or ``None``."""
    return _uri_index(name).get(concept_uri)


def default(name: str) -> str | None:
    """The vocabulary's default value (``default:`` in the YAML), or ``None``."""
    return vocabulary(name).get("default")


def scheme(name: str) -> str | None:
    """The SKOS concept scheme IRI of the vocabulary, or ``None``."""
    return vocabulary(name).get("scheme")


def is_restricted_access(code: str | int) -> bool:
    """Whether an SEI observância-legal code restricts access (every code but 1).

    Unknown codes count as restricted: a dataset must not become public
    because of a value nobody can interpret.
    """
    found = entry("observancia_legal", str(code).strip())
    return True if found is None else bool(found.get("restricted", True))


def scheming_choices(name: str) -> list[dict[str, str]]:
    """``[{"value", "label"}]`` for ckanext-scheming choices, in file order."""
    return [{"value": e["value"], "label": str(e["label"])} for e in entries(name)]


def field_choices(field: Mapping[str, Any]) -> list[dict[str, str]]:
    """ckanext-scheming ``choices_helper``: choices of the field's ``vocabulary``.

    Register it as the template helper ``mogi_vocabulary_choices``
    (see :mod:`ckanext.mogi.schema.plugin`).
    """
    name = field.get("vocabulary")
    if not name:
        raise UnknownVocabulary(f"field {field.get('field_name')!r} has no 'vocabulary' key")
    return scheming_choices(str(name))


def clear_cache() -> None:
    """Forget the loaded file (for tests or a reload)."""
    for cached in (_load, _index, _uri_index):
        cached.cache_clear()
