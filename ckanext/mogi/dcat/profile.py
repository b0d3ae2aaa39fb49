"""The ``dcat_br`` RDF profile: DCAT-AP 3 (ckanext-dcat) plus DCAT-BR 1.0.

Registered as the ``ckan.rdf.profiles`` entry point ``dcat_br``; enable it
with ``ckanext.dcat.rdf.profiles = dcat_br``. ckanext-dcat's DCAT-AP 3
profile writes the generic part (title, description, keywords, identifier,
dates, distributions' URLs, byte size...); this profile then rewrites, from
our scheming fields and the tables of :mod:`ckanext.mogi.dcat.mappings`,
every property DCAT-BR constrains with a vocabulary or a class.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from ckan.plugins import toolkit as tk
from ckanext.dcat.profiles.base import CleanedURIRef
from ckanext.dcat.profiles.euro_dcat_ap_3 import EuropeanDCATAP3Profile
from ckanext.dcat.utils import resource_uri
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCAT, FOAF, RDF, SKOS, XSD
from rdflib.term import Node

from ckanext.mogi.dcat import mappings as m
from ckanext.mogi.dcat.mappings import DCT, VCARD
from ckanext.mogi.schema import vocabularies
from ckanext.mogi.schema.validators import parse_date

DEFAULT_PUBLISHER_NAME = "Prefeitura Municipal de Mogi das Cruzes"
DEFAULT_PUBLISHER_URI = "https://www.mogidascruzes.sp.gov.br/"
DEFAULT_CATALOG_DESCRIPTION = (
    "Catálogo de dados abertos da Prefeitura Municipal de Mogi das Cruzes (SP)."
)
MIN_DESCRIPTION = 10  # DCAT-BR shapes.ttl: dct:description sh:minLength 10


def _as_list(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                return [str(v) for v in json.loads(text)]
            except ValueError:
                pass
        return [v.strip() for v in text.split(",") if v.strip()]
    return [str(v) for v in value]


def _is_true(value: Any) -> bool:
    return str(value).strip().lower() in ("true", "1", "sim", "yes")


def publisher_name() -> str:
    return tk.config.get("ckanext.mogi.dcat.publisher_name") or DEFAULT_PUBLISHER_NAME


def publisher_uri() -> str:
    return tk.config.get("ckanext.mogi.dcat.publisher_uri") or DEFAULT_PUBLISHER_URI


class DCATBRProfile(EuropeanDCATAP3Profile):
    """DCAT-BR 1.0 (github.com/dcat-br/dcat-br) on top of DCAT-AP 3."""

    # ------------------------------------------------------------------ helpers

    def _remove_tree(self, node: Node) -> None:
        """Remove a blank node's own triples (recursively) if nothing else uses it."""
        if not isinstance(node, BNode) or (None, None, node) in self.g:
            return
        children = list(self.g.objects(node, None))
        self.g.remove((node, None, None))
        for child in children:
            self._remove_tree(child)

    def _clear(self, subject: Node, predicates: Iterable[URIRef]) -> None:
        for predicate in set(predicates):
            objects = list(self.g.objects(subject, predicate))
            self.g.remove((subject, predicate, None))
            for obj in objects:
                self._remove_tree(obj)

    def _add_concept(self, subject: Node, mapping: m.ConceptMapping, value: str) -> bool:
        """``subject predicate <concept>``, with the concept's scheme and label."""
        entry = vocabularies.entry(mapping.vocabulary, value)
        if not entry or not entry.get("uri"):
            return False
        concept = URIRef(entry["uri"])
        g = self.g
        g.add((subject, mapping.predicate, concept))
        g.add((concept, RDF.type, SKOS.Concept))
        for rdf_class in mapping.classes:
            g.add((concept, RDF.type, rdf_class))
        scheme = vocabularies.scheme(mapping.vocabulary)
        if scheme:
            g.add((concept, SKOS.inScheme, URIRef(scheme)))
        g.add((concept, SKOS.prefLabel, Literal(str(entry["label"]), lang="pt-BR")))
        notation = entry.get("notation") or entry.get("extension")
        if notation:
            g.add((concept, SKOS.notation, Literal(str(notation))))
        if entry.get("exact_match"):
            g.add((concept, SKOS.exactMatch, URIRef(entry["exact_match"])))
        return True

    def _add_location(self, subject: Node, iri: str, label: str | None = None) -> None:
        location = URIRef(iri)
        self.g.add((subject, DCT.spatial, location))
        self.g.add((location, RDF.type, DCT.Location))
        if label:
            self.g.add((location, SKOS.prefLabel, Literal(label, lang="pt-BR")))

    @staticmethod
    def _access_code(dataset_dict: Mapping[str, Any]) -> str:
        """The one SEI code for dct:accessRights (DCAT-BR: exactly one).

        The first restricting code wins over "1 - Público"; every code stays
        in the CGU extra ``observanciaLegal``.
        """
        codes = _as_list(dataset_dict.get("observancia_legal")) or ["1"]
        restricted = [c for c in codes if vocabularies.is_restricted_access(c)]
        return (restricted or codes)[0]

    # ------------------------------------------------------------------ dataset

    def graph_from_dataset(self, dataset_dict, dataset_ref):
        super().graph_from_dataset(dataset_dict, dataset_ref)
        for prefix, namespace in m.NAMESPACES.items():
            self.g.bind(prefix, namespace)
        self._clear(dataset_ref, m.DATASET_REWRITTEN)

        for mapping in m.DATASET_CONCEPTS:
            if mapping.field == "observancia_legal":
                values = [self._access_code(dataset_dict)]
            elif mapping.multiple:
                values = _as_list(dataset_dict.get(mapping.field))
            else:
                value = dataset_dict.get(mapping.field)
                values = [str(value)] if value not in (None, "") else []
            for value in values:
                self._add_concept(dataset_ref, mapping, value)

        for boolean in m.DATASET_BOOLEANS:
            value = dataset_dict.get(boolean.field)
            if value not in (None, ""):
                self.g.add((dataset_ref, boolean.predicate,
                            Literal(_is_true(value), datatype=XSD.boolean)))

        self._graph_spatial_value(dataset_dict, dataset_ref)
        self._graph_temporal(dataset_dict, dataset_ref)
        self._graph_publisher(dataset_dict, dataset_ref)
        self._graph_contact(dataset_dict, dataset_ref)
        if dataset_dict.get("documentacao"):
            page = URIRef(dataset_dict["documentacao"])
            self.g.add((dataset_ref, FOAF.page, page))
            self.g.add((page, RDF.type, FOAF.Document))

        for resource_dict in dataset_dict.get("resources") or []:
            distribution = CleanedURIRef(resource_uri(resource_dict))
            if (dataset_ref, DCAT.distribution, distribution) in self.g:
                self._graph_distribution(dataset_dict, resource_dict, distribution)

    def _graph_spatial_value(self, dataset_dict, dataset_ref) -> None:
        coverage = dataset_dict.get("cobertura_espacial")
        value = str(dataset_dict.get("valor_cobertura_espacial") or "").strip()
        if not value:
            return
        if coverage == "MUNICIPAL" and value.isdigit():
            self._add_location(dataset_ref, m.IBGE_MUNICIPIO.format(code=value))
        elif coverage == "ESTADUAL" and vocabularies.uri("uf", value.upper()):
            uf = value.upper()
            self._add_location(dataset_ref, vocabularies.uri("uf", uf),
                               vocabularies.label("uf", uf))
        elif coverage == "FEDERAL":
            self._add_location(dataset_ref, m.IBGE_PAIS_BRASIL, "Brasil")

    def _graph_temporal(self, dataset_dict, dataset_ref) -> None:
        dates = []
        for key, predicate in (("cobertura_temporal_inicio", DCAT.startDate),
                               ("cobertura_temporal_fim", DCAT.endDate)):
            value = dataset_dict.get(key)
            if not value:
                continue
            try:
                day = parse_date(value)
            except ValueError:
                continue
            dates.append((predicate, Literal(day.isoformat(), datatype=XSD.date)))
        if dates:
            period = BNode()
            self.g.add((dataset_ref, DCT.temporal, period))
            self.g.add((period, RDF.type, DCT.PeriodOfTime))
            for predicate, literal in dates:
                self.g.add((period, predicate, literal))

    def _prefeitura(self) -> URIRef:
        """The Prefeitura as a foaf:Agent (the catalogue's publisher)."""
        prefeitura = URIRef(publisher_uri())
        self.g.add((prefeitura, RDF.type, FOAF.Agent))
        self.g.add((prefeitura, RDF.type, FOAF.Organization))
        self.g.set((prefeitura, FOAF.name, Literal(publisher_name(), lang="pt-BR")))
        self.g.set((prefeitura, FOAF.homepage, prefeitura))
        return prefeitura

    def _graph_publisher(self, dataset_dict, dataset_ref) -> None:
        """The Secretaria (the owner organisation), within the Prefeitura."""
        org = dataset_dict.get("organization") or {}
        prefeitura = self._prefeitura()
        if not org.get("name"):
            self.g.add((dataset_ref, DCT.publisher, prefeitura))
            return
        site_url = tk.config.get("ckan.site_url", "").rstrip("/")
        publisher = URIRef(f"{site_url}/organization/{org['name']}")
        self.g.add((dataset_ref, DCT.publisher, publisher))
        self.g.add((publisher, RDF.type, FOAF.Agent))
        self.g.add((publisher, RDF.type, FOAF.Organization))
        name = org.get("title") or org["name"]
        self.g.set((publisher, FOAF.name, Literal(name, lang="pt-BR")))
        self.g.set((publisher, m.ORG.subOrganizationOf, prefeitura))

    def _graph_contact(self, dataset_dict, dataset_ref) -> None:
        """dcat:contactPoint: the technical area (maintainer) as a vcard:Organization."""
        name = (dataset_dict.get("maintainer") or "").strip()
        email = (dataset_dict.get("maintainer_email") or "").strip()
        if not name and not email:
            return
        contact = BNode()
        g = self.g
        g.add((dataset_ref, DCAT.contactPoint, contact))
        g.add((contact, RDF.type, VCARD.Organization))
        g.add((contact, RDF.type, VCARD.Kind))
        org = dataset_dict.get("organization") or {}
        g.add((contact, VCARD.fn, Literal(name or org.get("title") or publisher_name())))
        if email:
            mailbox = URIRef(self._add_mailto(email))
            g.add((contact, VCARD.hasEmail, mailbox))
            g.add((mailbox, RDF.type, VCARD.Email))
        if dataset_dict.get("ponto_contato"):
            g.add((contact, VCARD.note, Literal(dataset_dict["ponto_contato"])))

    # ------------------------------------------------------------- distribution

    def _graph_distribution(self, dataset_dict, resource_dict, distribution) -> None:
        g = self.g
        self._clear(distribution, m.RESOURCE_REWRITTEN)
        fmt = str(resource_dict.get("format") or "").strip().upper().lstrip(".")
        values = {
            "tipo_recurso": resource_dict.get("tipo_recurso"),
            "idioma": resource_dict.get("idioma"),
            "licenca": resource_dict.get("licenca") or dataset_dict.get("license_id"),
            "format": fmt,
        }
        for mapping in m.RESOURCE_CONCEPTS:
            value = values.get(mapping.field)
            if value:
                self._add_concept(distribution, mapping, str(value))

        title = (resource_dict.get("name") or "").strip() or fmt or "Recurso"
        g.add((distribution, DCT.title, Literal(title)))
        description = (resource_dict.get("description") or "").strip()
        if len(description) < MIN_DESCRIPTION:
            description = " — ".join(
                part for part in (dataset_dict.get("title"), title, description) if part
            )
        g.add((distribution, DCT.description, Literal(description)))

        url = (resource_dict.get("url") or "").strip()
        downloadable = (
            resource_dict.get("url_type") == "upload"
            or (resource_dict.get("tipo_recurso") not in m.NOT_DOWNLOADABLE_TYPES
                and fmt not in m.NOT_DOWNLOADABLE_FORMATS)
        )
        if url and downloadable:
            g.add((distribution, DCAT.downloadURL, URIRef(url)))

        schema = (resource_dict.get("schema") or "").strip()
        if isinstance(resource_dict.get("schema"), str) and schema.startswith(("http://", "https://")):
            standard = URIRef(schema)
            g.add((distribution, DCT.conformsTo, standard))
            g.add((standard, RDF.type, DCT.Standard))
        self._graph_checksum(resource_dict, distribution)

    def _graph_checksum(self, resource_dict, distribution) -> None:
        """spdx:checksum from CKAN's ``hash`` ("sha256:<hex>" or a bare hex digest)."""
        self._clear(distribution, [m.SPDX.checksum])
        raw = str(resource_dict.get("hash") or "").strip()
        if not raw:
            return
        algorithm, _, digest = raw.rpartition(":")
        algorithm = (algorithm or m.CHECKSUM_LENGTHS.get(len(digest), "")).lower()
        algorithm = algorithm.replace("-", "")
        try:
            bytes.fromhex(digest)
        except ValueError:
            return
        if algorithm not in m.CHECKSUM_ALGORITHMS:
            return
        checksum = BNode()
        self.g.add((distribution, m.SPDX.checksum, checksum))
        self.g.add((checksum, RDF.type, m.SPDX.Checksum))
        self.g.add((checksum, m.SPDX.algorithm, m.CHECKSUM_ALGORITHMS[algorithm]))
        self.g.add((checksum, m.SPDX.checksumValue,
                    Literal(digest.lower(), datatype=XSD.hexBinary)))

    # ------------------------------------------------------------------ catalog

    def graph_from_catalog(self, catalog_dict, catalog_ref):
        super().graph_from_catalog(catalog_dict, catalog_ref)
        g = self.g
        for prefix, namespace in m.NAMESPACES.items():
            g.bind(prefix, namespace)
        catalog_dict = catalog_dict or {}
        if not catalog_dict.get("description") and not tk.config.get("ckan.site_description"):
            g.set((catalog_ref, DCT.description, Literal(DEFAULT_CATALOG_DESCRIPTION)))
        self._clear(catalog_ref, [DCT.publisher, DCT.language, DCT.spatial, DCAT.themeTaxonomy])
        for homepage in g.objects(catalog_ref, FOAF.homepage):
            g.add((homepage, RDF.type, FOAF.Document))
        g.add((catalog_ref, DCT.publisher, self._prefeitura()))
        language = m.ConceptMapping("idioma", DCT.language, "idiomas", (DCT.LinguisticSystem,))
        self._add_concept(catalog_ref, language, vocabularies.default("idiomas") or "pt-BR")
        themes = URIRef(vocabularies.scheme("temas"))
        g.add((catalog_ref, DCAT.themeTaxonomy, themes))
        g.add((themes, RDF.type, SKOS.ConceptScheme))
        g.add((themes, DCT.title, Literal("Temas (DCAT-BR)", lang="pt-BR")))
        self._add_location(catalog_ref, m.IBGE_MUNICIPIO.format(code=m.MOGI_DAS_CRUZES),
                           "Mogi das Cruzes (SP)")

    # -------------------------------------------------------------------- parse

    def parse_dataset(self, dataset_dict, dataset_ref):
        """RDF -> our fields (for the harvest round trip)."""
        dataset_dict = super().parse_dataset(dataset_dict, dataset_ref)
        for mapping in m.DATASET_CONCEPTS:
            found = [
                value for obj in self.g.objects(dataset_ref, mapping.predicate)
                if (value := vocabularies.value_for_uri(mapping.vocabulary, str(obj)))
            ]
            if not found:
                continue
            if mapping.field == "observancia_legal" or mapping.multiple:
                dataset_dict[mapping.field] = found
            else:
                dataset_dict[mapping.field] = found[0]
        for boolean in m.DATASET_BOOLEANS:
            value = self._object_value(dataset_ref, boolean.predicate)
            if value:
                dataset_dict[boolean.field] = "true" if _is_true(value) else "false"
        for period in self.g.objects(dataset_ref, DCT.temporal):
            for key, predicate in (("cobertura_temporal_inicio", DCAT.startDate),
                                   ("cobertura_temporal_fim", DCAT.endDate)):
                value = self._object_value(period, predicate)
                if value:
                    dataset_dict[key] = value[:10]
        for location in self.g.objects(dataset_ref, DCT.spatial):
            text = str(location)
            if text.startswith(m.IBGE_MUNICIPIO.format(code="")):
                dataset_dict["valor_cobertura_espacial"] = text.rsplit("/", 1)[-1]
            elif text == m.IBGE_PAIS_BRASIL:
                dataset_dict["valor_cobertura_espacial"] = "BR"
            elif uf := vocabularies.value_for_uri("uf", text):
                dataset_dict["valor_cobertura_espacial"] = uf
        contact = self._object(dataset_ref, DCAT.contactPoint)
        if contact is not None:
            fn = self._object_value(contact, VCARD.fn)
            email = self._object_value(contact, VCARD.hasEmail)
            if fn:
                dataset_dict["maintainer"] = fn
            if email:
                dataset_dict["maintainer_email"] = self._without_mailto(email)
        page = self._object_value(dataset_ref, FOAF.page)
        if page:
            dataset_dict["documentacao"] = page
        for resource in dataset_dict.get("resources") or []:
            distribution = URIRef(resource["uri"]) if resource.get("uri") else None
            if distribution is None:
                continue
            for mapping in m.RESOURCE_CONCEPTS:
                obj = self._object(distribution, mapping.predicate)
                value = vocabularies.value_for_uri(mapping.vocabulary, str(obj)) if obj else None
                if value:
                    resource[mapping.field] = value
        return dataset_dict
