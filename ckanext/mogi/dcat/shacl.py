"""DCAT-BR conformance of our RDF, checked with pyshacl.

The standards folder (``ckanext.mogi.dcat.standards_dir``, by default
``../shared/standards``) holds the published DCAT-BR 1.0 files:
``dcat-br/shacl/1.0/`` (shapes) and ``dcat-br/vocabularies/*/*.ttl``. Two of
the vocabularies do not parse as published and are repaired in memory
(``freq.ttl``: a stray ``>`` after prefixed names; ``language.ttl``: the
``skosxl:`` prefix is never declared).

:func:`validate_datasets` runs the mandatory shapes (``shapes.ttl`` +
``range.ttl`` + ``mdr-vocabularies.shape.ttl``, severity ``sh:Violation``)
and the recommended ones (``shapes_recommended.ttl``, ``sh:Warning``) on
each dataset's own graph, so that every finding belongs to one dataset.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from pyshacl import validate as pyshacl_validate
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from ckanext.mogi.dcat import iri
from ckanext.mogi.dcat.mappings import NAMESPACES

STANDARDS_OPTION = "ckanext.mogi.dcat.standards_dir"
DEFAULT_STANDARDS = Path("..", "shared", "standards")

#: Inside the standards folder.
SHACL_DIR = Path("dcat-br", "shacl", "1.0")
VOCABULARIES_DIR = Path("dcat-br", "vocabularies")
#: Mandatory DCAT-BR shapes (violations).
SHAPE_FILES = ("shapes.ttl", "range.ttl", "mdr-vocabularies.shape.ttl")
#: Recommended DCAT-BR shapes (warnings).
RECOMMENDED_FILES = ("shapes_recommended.ttl",)

#: SHACL severities, in Portuguese (singular, plural).
SEVERITIES: dict[URIRef, tuple[str, str]] = {
    SH.Violation: ("violação", "violações"),
    SH.Warning: ("aviso", "avisos"),
    SH.Info: ("informação", "informações"),
}

#: SHACL constraint components, explained in Portuguese.
CONSTRAINTS: dict[URIRef, str] = {
    SH.MinCountConstraintComponent: "ausente",
    SH.MaxCountConstraintComponent: "com valores demais",
    SH.ClassConstraintComponent: "de classe inesperada",
    SH.DatatypeConstraintComponent: "com tipo de dado inválido",
    SH.NodeKindConstraintComponent: "com tipo de nó inválido",
    SH.MinLengthConstraintComponent: "curto demais",
    SH.MaxLengthConstraintComponent: "longo demais",
    SH.PatternConstraintComponent: "fora do padrão",
    SH.InConstraintComponent: "fora da lista permitida",
    SH.HasValueConstraintComponent: "sem o valor exigido",
    SH.NodeConstraintComponent: "fora do vocabulário/forma exigida",
    SH.OrConstraintComponent: "fora das alternativas permitidas",
    SH.SPARQLConstraintComponent: "em desacordo com a regra",
}
#: Not SHACL: a value left out of the RDF because it cannot be an IRI
#: (:mod:`ckanext.mogi.dcat.iri`), reported as a warning.
OMITTED_IRI = URIRef("urn:ckanext-mogi:dcat:iri-omitido")
CONSTRAINTS[OMITTED_IRI] = (
    "omitido (o valor não é um IRI válido: sem esquema ou esquema não permitido)")

#: What the properties DCAT-BR constrains mean, in Portuguese.
PROPERTY_LABELS: dict[str, str] = {
    "dct:title": "título",
    "dct:description": "descrição",
    "dct:publisher": "publicador",
    "dct:spatial": "cobertura espacial",
    "dct:temporal": "cobertura temporal",
    "dct:accrualPeriodicity": "periodicidade",
    "dct:accessRights": "direitos de acesso",
    "dct:license": "licença",
    "dct:language": "idioma",
    "dct:format": "formato",
    "dct:type": "tipo",
    "dct:issued": "data de publicação",
    "dct:modified": "data de modificação",
    "dct:conformsTo": "padrão seguido",
    "dct:identifier": "identificador",
    "dcat:theme": "tema",
    "dcat:keyword": "palavra-chave",
    "dcat:contactPoint": "ponto de contato",
    "dcat:distribution": "distribuição",
    "dcat:accessURL": "URL de acesso",
    "dcat:downloadURL": "URL de download",
    "dcat:mediaType": "tipo de mídia",
    "dcat:byteSize": "tamanho em bytes",
    "dcat:bbox": "caixa delimitadora",
    "dcat:centroid": "centroide",
    "dcat:startDate": "data inicial",
    "dcat:endDate": "data final",
    "dcat:version": "versão",
    "dcatbr:ods": "ODS",
    "foaf:name": "nome",
    "foaf:page": "documentação",
    "vcard:fn": "nome do contato",
    "vcard:hasEmail": "e-mail do contato",
    "skos:inScheme": "vocabulário",
    "skos:prefLabel": "rótulo",
    "spdx:checksum": "soma de verificação",
}

#: Prefixes for property paths (``dct:spatial``), ours plus DCAT-BR's.
_PREFIXES: dict[str, str] = {
    **{prefix: str(namespace) for prefix, namespace in NAMESPACES.items()},
    "dct": "http://purl.org/dc/terms/",
    "locn": "http://www.w3.org/ns/locn#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "prov": "http://www.w3.org/ns/prov#",
    "odrl": "http://www.w3.org/ns/odrl/2/",
}


class StandardsError(Exception):
    """The standards folder, or a file in it, is missing (message in Portuguese)."""


def short_name(node: Node | None) -> str:
    """``dct:spatial`` for a known namespace, else the IRI as it is."""
    if node is None:
        return "?"
    text = str(node)
    best = ""
    for prefix, namespace in _PREFIXES.items():
        if text.startswith(namespace) and len(namespace) > len(best):
            best, chosen = namespace, prefix
    if best and re.fullmatch(r"[A-Za-z_][\w.-]*", text[len(best):]):
        return f"{chosen}:{text[len(best):]}"
    return text


def repaired(path: Path) -> str:
    """The text of a vocabulary file, with the published defects repaired."""
    text = path.read_text(encoding="utf-8")
    if path.name == "freq.ttl":
        # Stray ">" after prefixed names, e.g. ``vcrfr:quadrimestral>``.
        text = re.sub(r"(\bvcrfr:[A-Za-z_]+)>", r"\1", text)
    if path.name == "language.ttl" and "@prefix skosxl:" not in text:
        text = "@prefix skosxl: <http://www.w3.org/2008/05/skos-xl#> .\n" + text
    return text


def resolve_standards(option: str | Path | None = None) -> Path:
    """``--standards``, else ``ckanext.mogi.dcat.standards_dir``, else ``../shared/standards``."""
    if not option:
        from ckan.plugins import toolkit as tk

        option = tk.config.get(STANDARDS_OPTION) or DEFAULT_STANDARDS
    return Path(option).expanduser().resolve()


@dataclass(frozen=True)
class Finding:
    """One SHACL result, about one node of one dataset's graph."""

    severity: URIRef
    path: str  # ``dct:spatial``
    constraint: URIRef | None
    focus: str
    focus_class: str  # ``dcat:Dataset``, ``dcat:Distribution``...
    message: str

    @property
    def is_violation(self) -> bool:
        return self.severity == SH.Violation

    @property
    def recommended(self) -> bool:
        return self.severity == SH.Warning

    def describe(self) -> str:
        """``dct:spatial (cobertura espacial) ausente (recomendado)``, in Portuguese."""
        label = PROPERTY_LABELS.get(self.path)
        path = f"{self.path} ({label})" if label else self.path
        problem = CONSTRAINTS.get(self.constraint, "inválido") if self.constraint else "inválido"
        where = "" if self.focus_class in ("", "dcat:Dataset") else f" em {self.focus_class}"
        kind = " (recomendado)" if self.recommended else ""
        return f"{path} {problem}{where}{kind}"


@dataclass
class DatasetReport:
    name: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.is_violation]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == SH.Warning]

    def lines(self) -> list[str]:
        """``licitacoes-2022: 0 violações, 1 aviso — dct:spatial ausente (recomendado)``."""
        head = (f"{self.name}: {count(len(self.violations), SH.Violation)}, "
                f"{count(len(self.warnings), SH.Warning)}")
        described = Counter(f.describe() for f in self.violations + self.warnings)
        items = [f"{text} ({n}×)" if n > 1 else text for text, n in described.items()]
        if len(items) == 1:
            return [f"{head} — {items[0]}"]
        return [head, *(f"  - {item}" for item in items)]


def count(number: int, severity: URIRef) -> str:
    singular, plural = SEVERITIES.get(severity, ("resultado", "resultados"))
    return f"{number} {singular if number == 1 else plural}"


class Standards:
    """The DCAT-BR shapes and vocabularies of a standards folder, parsed once."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.check()

    @property
    def shacl_dir(self) -> Path:
        return self.root / SHACL_DIR

    @property
    def vocabularies_dir(self) -> Path:
        return self.root / VOCABULARIES_DIR

    def check(self) -> None:
        if not self.root.is_dir():
            raise StandardsError(
                f"pasta de padrões (standards) não encontrada: {self.root}. "
                f"Informe --standards ou configure {STANDARDS_OPTION}."
            )
        missing = [str(SHACL_DIR / name) for name in SHAPE_FILES + RECOMMENDED_FILES
                   if not (self.shacl_dir / name).is_file()]
        if not self.vocabularies_dir.is_dir():
            missing.append(str(VOCABULARIES_DIR))
        if missing:
            raise StandardsError(
                f"arquivos do DCAT-BR ausentes em {self.root}: {', '.join(missing)}"
            )

    def _shapes(self, names: Iterable[str]) -> Graph:
        graph = Graph()
        for name in names:
            graph.parse(self.shacl_dir / name, format="turtle")
        return graph

    @cached_property
    def shapes(self) -> Graph:
        """Mandatory shapes: ``shapes.ttl`` + ``range.ttl`` + ``mdr-vocabularies.shape.ttl``."""
        return self._shapes(SHAPE_FILES)

    @cached_property
    def recommended(self) -> Graph:
        """Recommended shapes: ``shapes_recommended.ttl`` (warnings)."""
        return self._shapes(RECOMMENDED_FILES)

    @cached_property
    def all_shapes(self) -> Graph:
        graph = Graph()
        graph += self.shapes
        graph += self.recommended
        return graph

    @cached_property
    def vocabularies(self) -> Graph:
        """Every DCAT-BR vocabulary, ``freq.ttl`` and ``language.ttl`` repaired."""
        graph = Graph()
        for path in sorted(self.vocabularies_dir.glob("*/*.ttl")):
            graph.parse(data=repaired(path), format="turtle", publicID=path.as_uri())
        return graph

    def validate(self, graph: Graph, shapes: Graph | None = None) -> Graph:
        """pyshacl's results graph for ``graph`` (default: mandatory + recommended)."""
        _conforms, results, _text = pyshacl_validate(
            graph,
            shacl_graph=self.all_shapes if shapes is None else shapes,
            ont_graph=self.vocabularies,
            inference="none",
            advanced=True,
            allow_warnings=True,
        )
        return results


def findings(results: Graph, data: Graph) -> list[Finding]:
    """The SHACL results as findings, the focus node's class taken from ``data``."""
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        classes = sorted(short_name(c) for c in data.objects(focus, RDF.type))
        found.append(Finding(
            severity=results.value(result, SH.resultSeverity),
            path=short_name(results.value(result, SH.resultPath)),
            constraint=results.value(result, SH.sourceConstraintComponent),
            focus=str(focus),
            focus_class="dcat:Dataset" if "dcat:Dataset" in classes else
            next(iter(classes), ""),
            message=str(results.value(result, SH.resultMessage) or ""),
        ))
    return sorted(found, key=lambda f: (not f.is_violation, f.path, f.focus_class, f.focus))


def validate_datasets(graphs: Mapping[str, Graph], standards: Standards,
                      extra: Mapping[str, list[Finding]] | None = None) -> list[DatasetReport]:
    """One report per dataset name, each from that dataset's own graph (plus
    ``extra`` findings by name, e.g. values left out as no IRI)."""
    reports = []
    for name, graph in graphs.items():
        found = findings(standards.validate(graph), graph) + list((extra or {}).get(name, []))
        reports.append(DatasetReport(name, found))
    return reports


def summary(reports: Iterable[DatasetReport]) -> str:
    reports = list(reports)
    violations = sum(len(r.violations) for r in reports)
    warnings = sum(len(r.warnings) for r in reports)
    failing = sum(1 for r in reports if r.violations)
    datasets = ("conjunto de dados validado" if len(reports) == 1
                else "conjuntos de dados validados")
    return (f"Resumo: {len(reports)} {datasets} contra o DCAT-BR 1.0; "
            f"{count(violations, SH.Violation)}, {count(warnings, SH.Warning)}; "
            f"{failing} com violações.")


def dataset_graph(dataset_dict: dict, profiles: list[str] | None = None) -> Graph:
    """The DCAT-BR graph of one dataset (a ``package_show`` dict), profile ``dcat_br``,
    as the catalogue serves it (IRIs cleaned, see :mod:`ckanext.mogi.dcat.iri`)."""
    return dataset_graph_and_omitted(dataset_dict, profiles)[0]


def dataset_graph_and_omitted(dataset_dict: dict, profiles: list[str] | None = None,
                              ) -> tuple[Graph, list[Finding]]:
    """The graph, and a warning for each triple left out for a value that is no IRI."""
    from ckanext.dcat.processors import RDFSerializer

    from ckanext.mogi.dcat.fragments import build_dataset_graph

    serializer = RDFSerializer(profiles=profiles or ["dcat_br"])
    graph, _ref, omitted = build_dataset_graph(serializer, dataset_dict)
    return graph, [omitted_finding(item, graph) for item in omitted]


def omitted_finding(item: iri.Omitted, graph: Graph) -> Finding:
    """A warning: ``dcat:downloadURL (URL de download) omitido: "x" não é um IRI válido``."""
    classes = sorted(short_name(c) for c in graph.objects(URIRef(item.subject), RDF.type))
    return Finding(
        severity=SH.Warning,
        path=short_name(URIRef(item.predicate)),
        constraint=OMITTED_IRI,
        focus=item.subject,
        focus_class=next(iter(classes), ""),
        message=f"valor omitido, não é um IRI válido: {item.value[:200]}",
    )
