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

from ckanext.mogi.common.i18n import N_, translate
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

#: SHACL severities (singular, plural), English msgids.
SEVERITIES: dict[URIRef, tuple[str, str]] = {
    SH.Violation: (N_("{count} violation"), N_("{count} violations")),
    SH.Warning: (N_("{count} warning"), N_("{count} warnings")),
    SH.Info: (N_("{count} information"), N_("{count} informations")),
}

#: SHACL constraint components, explained (English msgids).
CONSTRAINTS: dict[URIRef, str] = {
    SH.MinCountConstraintComponent: N_("missing"),
    SH.MaxCountConstraintComponent: N_("with too many values"),
    SH.ClassConstraintComponent: N_("of an unexpected class"),
    SH.DatatypeConstraintComponent: N_("with an invalid datatype"),
    SH.NodeKindConstraintComponent: N_("with an invalid node kind"),
    SH.MinLengthConstraintComponent: N_("too short"),
    SH.MaxLengthConstraintComponent: N_("too long"),
    SH.PatternConstraintComponent: N_("not matching the pattern"),
    SH.InConstraintComponent: N_("not in the allowed list"),
    SH.HasValueConstraintComponent: N_("without the required value"),
    SH.NodeConstraintComponent: N_("outside the required vocabulary/shape"),
    SH.OrConstraintComponent: N_("outside the allowed alternatives"),
    SH.SPARQLConstraintComponent: N_("breaking the rule"),
}
#: Not SHACL: a value left out of the RDF because it cannot be an IRI
#: (:mod:`ckanext.mogi.dcat.iri`), reported as a warning.
OMITTED_IRI = URIRef("urn:ckanext-mogi:dcat:iri-omitido")
CONSTRAINTS[OMITTED_IRI] = N_(
    "left out (the value is not a valid IRI: no scheme or a scheme not "
    "allowed)")

#: What the properties DCAT-BR constrains mean (English msgids).
PROPERTY_LABELS: dict[str, str] = {
    "dct:title": N_("title"),
    "dct:description": N_("description"),
    "dct:publisher": N_("publisher"),
    "dct:spatial": N_("spatial coverage"),
    "dct:temporal": N_("temporal coverage"),
    "dct:accrualPeriodicity": N_("update frequency"),
    "dct:accessRights": N_("access rights"),
    "dct:license": N_("licence"),
    "dct:language": N_("language"),
    "dct:format": N_("format"),
    "dct:type": N_("type"),
    "dct:issued": N_("publication date"),
    "dct:modified": N_("modification date"),
    "dct:conformsTo": N_("standard followed"),
    "dct:identifier": N_("identifier"),
    "dcat:theme": N_("dataset theme"),
    "dcat:keyword": N_("keyword"),
    "dcat:contactPoint": N_("contact point"),
    "dcat:distribution": N_("distribution"),
    "dcat:accessURL": N_("access URL"),
    "dcat:downloadURL": N_("download URL"),
    "dcat:mediaType": N_("media type"),
    "dcat:byteSize": N_("size in bytes"),
    "dcat:bbox": N_("bounding box"),
    "dcat:centroid": N_("centroid"),
    "dcat:startDate": N_("start date"),
    "dcat:endDate": N_("end date"),
    "dcat:version": N_("version"),
    "dcatbr:ods": N_("SDG"),
    "foaf:name": N_("name"),
    "foaf:page": N_("documentation"),
    "vcard:fn": N_("contact name"),
    "vcard:hasEmail": N_("contact e-mail"),
    "skos:inScheme": N_("vocabulary"),
    "skos:prefLabel": N_("label"),
    "spdx:checksum": N_("checksum"),
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
        # Stray ">" after prefixed names, e.g. ``vcrfr:quadrimestral>``
        # (a local name may hold digits and hyphens after its first letter).
        text = re.sub(r"(\bvcrfr:[A-Za-z_][\w-]*)>", r"\1", text)
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
        """``dct:spatial (spatial coverage) missing (recommended)``, translated."""
        label = PROPERTY_LABELS.get(self.path)
        path = f"{self.path} ({translate(label)})" if label else self.path
        invalid = N_("invalid")
        problem = translate(CONSTRAINTS.get(self.constraint, invalid) if self.constraint
                            else invalid)
        parts = [path, problem]
        if self.focus_class not in ("", "dcat:Dataset"):
            parts.append(translate(N_("in {focus_class}")).format(
                focus_class=self.focus_class))
        if self.recommended:
            parts.append(translate(N_("(recommended)")))
        return " ".join(parts)


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
    singular, plural = SEVERITIES.get(severity, (N_("{count} result"), N_("{count} results")))
    return translate(singular if number == 1 else plural).format(count=number)


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
            raise StandardsError(translate(
                N_("standards folder not found: {root}. Give --standards or set {option}.")
            ).format(root=self.root, option=STANDARDS_OPTION))
        missing = [str(SHACL_DIR / name) for name in SHAPE_FILES + RECOMMENDED_FILES
                   if not (self.shacl_dir / name).is_file()]
        if not self.vocabularies_dir.is_dir():
            missing.append(str(VOCABULARIES_DIR))
        if missing:
            raise StandardsError(translate(N_("DCAT-BR files missing in {root}: {files}")).format(
                root=self.root, files=", ".join(missing)))

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
    datasets = translate(N_("{count} dataset validated") if len(reports) == 1
                         else N_("{count} datasets validated")).format(count=len(reports))
    return translate(N_(
        "Summary: {datasets} against DCAT-BR 1.0; {violations}, {warnings}; "
        "{failing} with violations.")).format(
        datasets=datasets, violations=count(violations, SH.Violation),
        warnings=count(warnings, SH.Warning), failing=failing)


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
    """A warning: a value of ``dcat:downloadURL`` left out, as it is not a valid IRI."""
    classes = sorted(short_name(c) for c in graph.objects(URIRef(item.subject), RDF.type))
    return Finding(
        severity=SH.Warning,
        path=short_name(URIRef(item.predicate)),
        constraint=OMITTED_IRI,
        focus=item.subject,
        focus_class=next(iter(classes), ""),
        message=translate(N_("value left out, not a valid IRI: {value}")).format(
            value=item.value[:200]),
    )
