"""The DCAT-BR quality seal of a dataset: Bronze, Prata (silver) or Ouro (gold).

Plain functions over a shown dataset dict (``package_show``'s output). The
criteria are data, :data:`LEVELS`: each level adds criteria to the previous
one, and a dataset reaches a level when it meets every criterion up to it.

    >>> evaluate(pkg)
    {"nivel": "prata", "proximo_nivel": "ouro", "faltando": ["granularidade_espacial"]}

``faltando`` lists the ids of the criteria still unmet for ``proximo_nivel``
(empty, with ``proximo_nivel`` ``None``, at the top level). Labels are English
msgids, translated with ``toolkit._`` when shown (:func:`criterion_label`,
:func:`level_label`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ckanext.mogi.common import vocabularies
from ckanext.mogi.common.i18n import N_

#: Key of the seal in ``package_show`` and in the search index document.
FIELD = "selo_dcat_br"
NONE = "nenhum"
#: The dataset type that carries a seal.
DATASET_TYPE = "dataset"


Predicate = Callable[[Mapping[str, Any]], bool]


def _filled(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        stripped = value.strip()
        return stripped not in ("", "[]", "{}")
    if isinstance(value, list | tuple | set | dict):
        return any(_filled(v) for v in (value.values() if isinstance(value, dict) else value))
    return True


def _has(*fields: str) -> Predicate:
    """Every one of ``fields`` has a value."""
    return lambda pkg: all(_filled(pkg.get(f)) for f in fields)


def _any_of(*fields: str) -> Predicate:
    """At least one of ``fields`` has a value."""
    return lambda pkg: any(_filled(pkg.get(f)) for f in fields)


def _keywords(pkg: Mapping[str, Any]) -> bool:
    tags = pkg.get("tags")
    if isinstance(tags, list) and any(
        _filled(t.get("name") if isinstance(t, Mapping) else t) for t in tags
    ):
        return True
    return _filled(pkg.get("tag_string"))


def _themes(pkg: Mapping[str, Any]) -> bool:
    value = pkg.get("temas")
    if isinstance(value, str) and value.strip().startswith("["):
        try:
            value = json.loads(value)
        except ValueError:
            return False
    return _filled(value)


def _publisher(pkg: Mapping[str, Any]) -> bool:
    org = pkg.get("organization")
    return _filled(pkg.get("owner_org")) or (isinstance(org, Mapping) and _filled(org.get("id")))


def _resources(pkg: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    found = pkg.get("resources")
    return [r for r in found if isinstance(r, Mapping)] if isinstance(found, list) else []


def _every_resource(test: Predicate) -> Predicate:
    """At least one distribution, and every distribution passes ``test``."""

    def check(pkg: Mapping[str, Any]) -> bool:
        resources = _resources(pkg)
        return bool(resources) and all(test(r) for r in resources)

    return check


def _known_media_type(resource: Mapping[str, Any]) -> bool:
    """A ``mimetype``, or a format of the DCAT-BR ``formatos`` vocabulary."""
    if _filled(resource.get("mimetype")):
        return True
    fmt = str(resource.get("format") or "").strip().lstrip(".").upper()
    return bool(fmt) and vocabularies.contains("formatos", fmt)


@dataclass(frozen=True)
class Criterion:
    """One requirement of a level: API id, label (English msgid), test."""

    id: str
    label: str
    met: Predicate


@dataclass(frozen=True)
class Level:
    id: str
    label: str
    criteria: tuple[Criterion, ...]


#: Lowest to highest; each level adds its criteria to those below it.
LEVELS: tuple[Level, ...] = (
    Level("bronze", N_("Bronze"), (
        Criterion("periodicidade", N_("Update frequency"), _has("periodicidade")),
        Criterion("direitos_acesso", N_("Access rights (legal compliance)"),
                  _has("observancia_legal")),
        Criterion("contato", N_("Contact point"), _any_of("maintainer_email", "ponto_contato")),
        Criterion("area_responsavel", N_("Responsible technical area"), _has("maintainer")),
        Criterion("descricao", N_("Description"), _has("notes")),
        Criterion("palavras_chave", N_("Keywords"), _keywords),
        Criterion("licenca", N_("Licence"), _has("license_id")),
        Criterion("tema", N_("Theme"), _themes),
        Criterion("titulo", N_("Title"), _has("title")),
        Criterion("versao", N_("Version"), _has("version")),
        Criterion("publicador", N_("Publisher (organization)"), _publisher),
    )),
    Level("prata", N_("Silver"), (
        Criterion("cobertura_espacial", N_("Spatial coverage"),
                  _has("cobertura_espacial", "valor_cobertura_espacial")),
        Criterion("cobertura_temporal_inicio", N_("Start of the temporal coverage"),
                  _has("cobertura_temporal_inicio")),
        Criterion("cobertura_temporal_fim", N_("End of the temporal coverage"),
                  _has("cobertura_temporal_fim")),
        Criterion("formato_distribuicao", N_("Format of every distribution"),
                  _every_resource(lambda r: _filled(r.get("format")))),
        Criterion("tipo_midia_distribuicao", N_("Known media type of every distribution"),
                  _every_resource(_known_media_type)),
    )),
    Level("ouro", N_("Gold"), (
        Criterion("granularidade_espacial", N_("Spatial resolution"),
                  _has("granularidade_espacial")),
    )),
)
LEVEL_IDS: tuple[str, ...] = (NONE, *(level.id for level in LEVELS))
_LEVEL_LABELS: dict[str, str] = {NONE: N_("No seal"), **{lv.id: lv.label for lv in LEVELS}}
_CRITERION_LABELS: dict[str, str] = {
    c.id: c.label for level in LEVELS for c in level.criteria
}


def evaluate(pkg: Mapping[str, Any]) -> dict[str, Any]:
    """``{"nivel", "proximo_nivel", "faltando"}``: the seal reached and what the next needs."""
    reached = NONE
    unmet: list[str] = []
    following: str | None = None
    for level in LEVELS:
        unmet.extend(c.id for c in level.criteria if not c.met(pkg))
        if unmet:
            following = level.id
            break
        reached = level.id
    return {"nivel": reached, "proximo_nivel": following, "faltando": unmet}


def level_of(pkg: Mapping[str, Any]) -> str:
    """The seal's level id, from a stored ``selo_dcat_br`` or evaluated afresh."""
    stored = pkg.get(FIELD)
    if isinstance(stored, Mapping) and stored.get("nivel") in LEVEL_IDS:
        return str(stored["nivel"])
    return str(evaluate(pkg)["nivel"])


def level_label(level: str | None) -> str:
    """The English msgid of a level (``"nenhum"`` is "No seal"); unknown ids as given."""
    return _LEVEL_LABELS.get(str(level), str(level or ""))


def criterion_label(criterion: str) -> str:
    """The English msgid of a criterion id; unknown ids as given."""
    return _CRITERION_LABELS.get(criterion, criterion)


def add_to_shown(pkg: dict[str, Any]) -> None:
    """``package_show``'s output gains the seal (datasets of type ``dataset``)."""
    if pkg.get("type", DATASET_TYPE) == DATASET_TYPE:
        pkg[FIELD] = evaluate(pkg)


def add_to_index(doc: dict[str, Any]) -> dict[str, Any]:
    """The seal's level as a flat string field of the index document (the facet).

    CKAN builds the document from the default-schema dict; the seal is in the
    shown dict it also stores, as ``validated_data_dict`` (JSON).
    """
    if doc.get("dataset_type", DATASET_TYPE) != DATASET_TYPE:
        return doc
    try:
        shown = json.loads(doc.get("validated_data_dict") or "{}")
    except (TypeError, ValueError):
        shown = {}
    doc[FIELD] = level_of(shown if isinstance(shown, dict) and shown else doc)
    return doc


def label_facet(search_results: dict[str, Any]) -> dict[str, Any]:
    """Show the seal facet's items as "Ouro", "Prata"... instead of the stored ids."""
    facet = (search_results.get("search_facets") or {}).get(FIELD)
    for item in (facet or {}).get("items", []):
        item["display_name"] = translated_level_label(item.get("name"))
    return search_results


def facet_title() -> str:
    from ckan.plugins import toolkit

    return toolkit._("DCAT-BR seal")


def translated_level_label(level: str | None) -> str:
    """The level's name in the visitor's language (template helper)."""
    from ckan.plugins import toolkit

    return toolkit._(level_label(level))


def translated_criterion_label(criterion: str) -> str:
    """A criterion's name in the visitor's language (template helper)."""
    from ckan.plugins import toolkit

    return toolkit._(criterion_label(criterion))
