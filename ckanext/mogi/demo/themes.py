"""The 26 DCAT-BR themes, read from the official vocabulary files.

``themes.csv`` lists each theme's URI and identifier; the Portuguese label and
definition of each theme are in ``<identifier>.ttl`` beside it (SKOS
``prefLabel`` and ``definition`` in ``pt-BR``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

LANGUAGE = "pt-br"


class ThemeError(Exception):
    """The vocabulary files are missing or incomplete (message in Portuguese)."""


@dataclass(frozen=True)
class Theme:
    identifier: str
    uri: str
    label: str
    definition: str


def themes_file(source: Path) -> Path:
    """``themes.csv`` for a demo source folder (``<source>/../standards/...``)."""
    return source.parent / "standards" / "dcat-br" / "vocabularies" / "themes" / "themes.csv"


def _portuguese(graph: Graph, subject: URIRef, predicate: URIRef) -> str:
    values = [o for o in graph.objects(subject, predicate) if isinstance(o, Literal)]
    for value in values:
        if (value.language or "").lower() == LANGUAGE:
            return str(value).strip()
    return str(values[0]).strip() if values else ""


def read_themes(path: Path) -> list[Theme]:
    """The themes listed in ``path`` (a ``themes.csv``), in file order."""
    if not path.is_file():
        raise ThemeError(f"vocabulário de temas DCAT-BR não encontrado: {path}")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = [row for row in csv.reader(handle) if row and row[0].strip()]
    # The published file has no header line; tolerate one if it gets one.
    if rows and not rows[0][0].strip().startswith("http"):
        rows = rows[1:]

    themes: list[Theme] = []
    for row in rows:
        uri = row[0].strip()
        identifier = (row[1] if len(row) > 1 else "").strip() or uri.rstrip("/").rsplit("/")[-1]
        concept_file = path.parent / f"{identifier}.ttl"
        if not concept_file.is_file():
            raise ThemeError(f"arquivo do tema '{identifier}' não encontrado: {concept_file}")
        graph = Graph()
        graph.parse(concept_file, format="turtle")
        label = _portuguese(graph, URIRef(uri), SKOS.prefLabel)
        if not label:
            raise ThemeError(f"o tema '{identifier}' não tem rótulo em {concept_file}")
        definition = _portuguese(graph, URIRef(uri), SKOS.definition)
        themes.append(Theme(identifier, uri, label, definition))
    if not themes:
        raise ThemeError(f"nenhum tema encontrado em {path}")
    return themes
