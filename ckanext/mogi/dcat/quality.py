"""DQV quality measurements of a dataset (``dqv:hasQualityMeasurement``).

Each dataset of the DCAT-BR output carries three measurements, computed from
its shown dict (``package_show`` or a search result) and today's date:

- **seal**: the DCAT-BR seal level (:mod:`.seal`: nenhum, bronze, prata, ouro);
- **validation**: the most serious validation status among its tables (the
  resources' ``validation_status``), or ``sem_tabelas``;
- **freshness**: ``em_dia`` or ``atrasada`` against its next expected update
  (``proxima_atualizacao``, derived by ``mogi_schema`` from the periodicity and
  the last update of the data), ``sem_previsao`` when it has none or is
  discontinued. The same rule as the governance capability's freshness,
  computed here from the dict (capabilities do not import each other).

Freshness changes with the calendar and the validation status without a new
``metadata_modified``: :func:`state` is part of each RDF fragment's cache key
(:mod:`.fragments`) and the HTTP validators hold today's date and the tables'
statuses (:mod:`.http`).

Metrics, dimensions and values are data (``quality.yaml``); the metric and
dimension IRIs are fragments of the public quality page.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from importlib.resources import files
from typing import Any

import yaml
from ckan.lib.helpers import get_display_timezone
from ckan.plugins import toolkit as tk
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from ckanext.mogi.dcat import seal
from ckanext.mogi.dcat.mappings import DQV

SETTINGS_FILE = "quality.yaml"
SEAL, VALIDATION, FRESHNESS = "selo", "validacao", "atualizacao"


@functools.cache
def settings() -> dict[str, Any]:
    """``quality.yaml``, read once."""
    text = files(__package__).joinpath(SETTINGS_FILE).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def today() -> dt.date:
    """Today in ``ckan.display_timezone`` (the day the pages show)."""
    return dt.datetime.now(get_display_timezone()).date()


def _resources(pkg: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    found = pkg.get("resources")
    return [r for r in found if isinstance(r, Mapping)] if isinstance(found, list) else []


def validation_value(pkg: Mapping[str, Any]) -> str:
    rules = settings()["validation"]
    statuses = {r.get("validation_status") for r in _resources(pkg)}
    worst = next((status for status in rules["order"] if status in statuses), None)
    return str(rules["values"][worst]) if worst else str(rules["none"])


def _expected(pkg: Mapping[str, Any]) -> dt.date | None:
    if str(pkg.get("descontinuado")).strip().lower() == "true":
        return None
    try:
        return dt.date.fromisoformat(str(pkg.get("proxima_atualizacao") or "")[:10])
    except ValueError:
        return None


def freshness_value(pkg: Mapping[str, Any], on: dt.date) -> str:
    rules = settings()["freshness"]
    expected = _expected(pkg)
    if expected is None:
        return str(rules["unscheduled"])
    return str(rules["overdue"] if on > expected else rules["on_time"])


def measurements(pkg: Mapping[str, Any], on: dt.date) -> dict[str, str]:
    """Metric key -> value of the dataset on day ``on``."""
    return {
        SEAL: seal.level_of(pkg),
        VALIDATION: validation_value(pkg),
        FRESHNESS: freshness_value(pkg, on),
    }


def state(pkg: Mapping[str, Any], on: dt.date | None = None) -> tuple[str, ...]:
    """What the measurements depend on beyond ``metadata_modified`` (cache keys)."""
    values = measurements(pkg, on or today())
    return tuple(values[key] for key in (SEAL, VALIDATION, FRESHNESS))


def _page() -> str:
    site = str(tk.config.get("ckan.site_url") or "").rstrip("/")
    return site + str(settings()["page"])


def metric_iri(key: str) -> URIRef:
    return URIRef(f"{_page()}#{settings()['metrics'][key]['fragment']}")


def _dimension_iri(key: str) -> URIRef:
    return URIRef(f"{_page()}#dimensao-{key}")


def _describe_metric(g: Graph, key: str) -> URIRef:
    """The metric and its dimension, once per graph."""
    metric = metric_iri(key)
    if (metric, RDF.type, DQV.Metric) in g:
        return metric
    spec = settings()["metrics"][key]
    dimension = _dimension_iri(spec["dimension"])
    g.add((metric, RDF.type, DQV.Metric))
    g.add((metric, SKOS.prefLabel, Literal(spec["label"], lang="pt-BR")))
    g.add((metric, SKOS.definition, Literal(" ".join(spec["definition"].split()),
                                            lang="pt-BR")))
    g.add((metric, DQV.expectedDataType, XSD.string))
    g.add((metric, DQV.inDimension, dimension))
    g.add((dimension, RDF.type, DQV.Dimension))
    g.add((dimension, SKOS.prefLabel, Literal(
        settings()["dimensions"][spec["dimension"]]["label"], lang="pt-BR")))
    return metric


def add_measurements(g: Graph, dataset_ref: URIRef, pkg: Mapping[str, Any],
                     on: dt.date | None = None) -> None:
    """``dataset_ref dqv:hasQualityMeasurement [...]`` for each metric."""
    for key, value in measurements(pkg, on or today()).items():
        measurement = BNode()
        g.add((dataset_ref, DQV.hasQualityMeasurement, measurement))
        g.add((measurement, RDF.type, DQV.QualityMeasurement))
        g.add((measurement, DQV.computedOn, dataset_ref))
        g.add((measurement, DQV.isMeasurementOf, _describe_metric(g, key)))
        g.add((measurement, DQV.value, Literal(value, datatype=XSD.string)))
