"""The ``dcat_br`` RDF profile: DCAT-AP 3 (ckanext-dcat) plus DCAT-BR 1.0.

Registered as the ``ckan.rdf.profiles`` entry point ``dcat_br``; enable it
with ``ckanext.dcat.rdf.profiles = dcat_br``. ckanext-dcat's DCAT-AP 3
profile writes the generic part (title, description, keywords, identifier,
dates, distributions' URLs, byte size...); this profile writes, from our
scheming fields and the tables of :mod:`ckanext.mogi.dcat.mappings`, every
property DCAT-BR constrains with a vocabulary or a class.

Cost: the parent is handed a shallow copy of the dataset without the keys
whose properties this profile writes itself (:data:`PARENT_DATASET_KEYS`,
:data:`PARENT_RESOURCE_KEYS`), so it neither builds what would be deleted
nor looks the organisation up; the RDF terms of every vocabulary concept are
built once per process (:func:`_concept`, immutable), and a concept's own
triples are added once per graph.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Mapping
from typing import Any

import ckan.plugins as p
import sqlalchemy as sa
from ckan import model
from ckan.plugins import toolkit as tk
from ckanext.dcat.profiles.base import CleanedURIRef
from ckanext.dcat.profiles.euro_dcat_ap_3 import EuropeanDCATAP3Profile
from ckanext.dcat.utils import catalog_uri, resource_uri
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCAT, FOAF, RDF, SKOS, XSD
from rdflib.term import Node

from ckanext.mogi.common import vocabularies
from ckanext.mogi.common.city import city
from ckanext.mogi.common.interfaces import IMogiDistributions
from ckanext.mogi.common.lists import as_list
from ckanext.mogi.dcat import iri, quality
from ckanext.mogi.dcat import mappings as m
from ckanext.mogi.dcat.mappings import DCT, VCARD

#: The catalogue's dct:description when the site has none (its default, with
#: the city's ``{government}`` and ``{state}``, is in config_declaration.yaml).
CATALOG_DESCRIPTION_OPTION = "ckanext.mogi.dcat.catalog_description"
MIN_DESCRIPTION = 10  # DCAT-BR shapes.ttl: dct:description sh:minLength 10
#: Where the portal serves its library of Table Schemas (ckanext.mogi.validation).
SCHEMA_LIBRARY_PATH = "/validacao/esquemas/"

#: Dataset keys the parent (DCAT-AP 3) would turn into properties this profile
#: writes itself (publisher from the organisation, contact point, licence,
#: spatial/temporal coverage...; dates, which CKAN stores in ISO 8601 and the
#: parent parses with dateutil): left out of the dict the parent gets.
PARENT_DATASET_KEYS = frozenset({
    "issued", "modified", "metadata_created", "metadata_modified",
    "organization", "maintainer", "maintainer_email", "author", "author_email",
    "contact_uri", "contact_name", "contact_email", "publisher_uri", "publisher_name",
    "frequency", "theme", "language", "access_rights", "documentation",
    "temporal_start", "temporal_end", "spatial", "spatial_uri", "spatial_text",
    "license_id", "license_url",
})
#: Resource keys likewise: title, description, format/media type and checksum
#: are written from our fields (vocabulary IRIs, SPDX algorithm).
PARENT_RESOURCE_KEYS = frozenset({
    "issued", "modified", "created", "metadata_modified",
    "name", "description", "format", "mimetype", "hash", "hash_algorithm",
    "license", "language", "conforms_to", "rights", "download_url",
})

#: (predicate, key, fallback key) of the dates, as the parent maps them.
DATASET_DATES = ((DCT.issued, "issued", "metadata_created"),
                 (DCT.modified, "modified", "metadata_modified"))
RESOURCE_DATES = ((DCT.issued, "issued", "created"),
                  (DCT.modified, "modified", "metadata_modified"))

ConceptTerms = tuple[URIRef, tuple[tuple[URIRef, Node], ...]]


def _as_list(value: Any) -> list[str]:
    return as_list(value) or []


def iso_date(value: Any) -> datetime.date | None:
    """A date typed as the schema takes it (dd/mm/aaaa or ISO), else ``None``.

    Read with the schema's own ``mogi_date`` validator (``IValidators``), so
    that the profile accepts exactly the dates the form does.
    """
    try:
        typed = tk.get_validator("mogi_date")(value, {})
    except tk.UnknownValidator:  # mogi_schema not enabled: ISO dates only
        typed = value
    except tk.Invalid:
        return None
    try:
        return datetime.date.fromisoformat(str(typed)[:10])
    except ValueError:
        return None


def resource_format(resource_dict: Mapping[str, Any]) -> str:
    """The resource's format as the vocabulary stores it (``CSV``, not ``.csv``)."""
    return str(resource_dict.get("format") or "").strip().upper().lstrip(".")


def is_downloadable(resource_dict: Mapping[str, Any]) -> bool:
    """Whether the resource's URL is a file to download (not a page or an API)."""
    return (resource_dict.get("url_type") == "upload"
            or (resource_dict.get("tipo_recurso") not in m.NOT_DOWNLOADABLE_TYPES
                and resource_format(resource_dict) not in m.NOT_DOWNLOADABLE_FORMATS))


def derived_distributions(dataset_dict: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The distributions other plugins derive for a public dataset
    (``IMogiDistributions``: e.g. its procurement processes in OCDS), written
    as its resources are. None for a private or inactive dataset."""
    if dataset_dict.get("private") or dataset_dict.get("state", "active") != "active":
        return []
    found: list[dict[str, Any]] = []
    for plugin in p.PluginImplementations(IMogiDistributions):
        found.extend(plugin.dataset_distributions(dataset_dict))
    return found


def _is_true(value: Any) -> bool:
    return str(value).strip().lower() in ("true", "1", "sim", "yes")


def publisher_name() -> str:
    """The catalogue's publisher: the city's government (``ckanext.mogi.city.government``)."""
    return city().government


def publisher_uri() -> str:
    """Its IRI and homepage: the government's site (``ckanext.mogi.city.url``)."""
    return city().url


def _without(data: Mapping[str, Any], keys: frozenset[str]) -> dict[str, Any]:
    copy = {k: v for k, v in data.items() if k not in keys}
    extras = data.get("extras")
    if isinstance(extras, list):
        copy["extras"] = [e for e in extras
                          if not (isinstance(e, dict) and e.get("key") in keys)]
    return copy


# ------------------------------------------------- RDF terms, once per process


@functools.cache
def _concept(vocabulary: str, value: str, classes: tuple[URIRef, ...]) -> ConceptTerms | None:
    """The concept IRI of ``value`` and its own (predicate, object) pairs."""
    entry = vocabularies.entry(vocabulary, value)
    if not entry or not entry.get("uri"):
        return None
    # The most specific class first: _describe checks it to know whether the
    # concept is already described in the graph (with these classes).
    pairs: list[tuple[URIRef, Node]] = [(RDF.type, rdf_class) for rdf_class in classes]
    pairs.append((RDF.type, SKOS.Concept))
    scheme = vocabularies.scheme(vocabulary)
    if scheme:
        pairs.append((SKOS.inScheme, URIRef(scheme)))
    pairs.append((SKOS.prefLabel, Literal(str(entry["label"]), lang="pt-BR")))
    notation = entry.get("notation") or entry.get("extension")
    if notation:
        pairs.append((SKOS.notation, Literal(str(notation))))
    if entry.get("exact_match"):
        pairs.append((SKOS.exactMatch, URIRef(entry["exact_match"])))
    return URIRef(entry["uri"]), tuple(pairs)


@functools.cache
def _boolean(value: bool) -> Literal:
    return Literal(value, datatype=XSD.boolean)


@functools.cache
def _publisher_type(iri: str) -> ConceptTerms:
    """An ADMS publisher-type concept (dct:type of a foaf:Agent)."""
    return URIRef(iri), (
        (RDF.type, SKOS.Concept),
        (SKOS.inScheme, URIRef(m.PUBLISHER_TYPE_SCHEME)),
        (SKOS.prefLabel, Literal(m.PUBLISHER_TYPES.get(iri, iri.rsplit("/", 1)[-1]),
                                 lang="pt-BR")),
    )


@functools.cache
def _location(iri: str, label: str | None) -> ConceptTerms:
    """A dct:Location with its label and, when known, its centroid and box."""
    pairs: list[tuple[URIRef, Node]] = [(RDF.type, DCT.Location)]
    if label:
        pairs.append((SKOS.prefLabel, Literal(label, lang="pt-BR")))
    geometry = m.LOCATION_GEOMETRY.get(iri)
    if geometry:
        pairs.append((DCAT.centroid, Literal(geometry.centroid, datatype=m.GSP.wktLiteral)))
        pairs.append((DCAT.bbox, Literal(geometry.bbox, datatype=m.GSP.wktLiteral)))
    return URIRef(iri), tuple(pairs)


def organization_type(org: Mapping[str, Any]) -> str:
    """The organisation's ``tipo`` (scheming keeps it in the group's extras,
    which ``package_show`` leaves out of the dataset's ``organization``)."""
    tipo = org.get("tipo")
    if not tipo and org.get("id"):
        extras = model.Session.execute(
            sa.select(model.group_table.c.extras).where(model.group_table.c.id == org["id"])
        ).scalar()
        tipo = (extras or {}).get("tipo")
    return str(tipo or vocabularies.values("tipo_organizacao")[0])


class DCATBRProfile(EuropeanDCATAP3Profile):
    """DCAT-BR 1.0 (github.com/dcat-br/dcat-br) on top of DCAT-AP 3."""

    # ------------------------------------------------------------------ helpers

    def _bind_namespaces(self) -> None:
        """Our prefixes, once per graph (see mappings.VOCABULARY_PREFIXES)."""
        g = self.g
        if g.store.namespace("dcatbr") is not None:
            return
        for prefix, namespace in m.NAMESPACES.items():
            g.bind(prefix, namespace)
        for prefix, namespace in m.VOCABULARY_PREFIXES.items():
            g.bind(prefix, namespace)
        # The datasets' own IRIs (<site>/dataset/<id>, the subject of most
        # triples) and the publishers'. Distribution IRIs (…/resource/<id>)
        # stay in full: rdflib writes no prefixed name with "/" in it.
        site = catalog_uri().rstrip("/")
        g.bind("conjunto", f"{site}/dataset/")
        g.bind("organizacao", f"{site}/organization/")

    def _describe(self, terms: ConceptTerms) -> URIRef:
        """Add a concept's own triples, once per graph; return its IRI."""
        node, pairs = terms
        g = self.g
        if (node, RDF.type, pairs[0][1]) not in g:
            for predicate, obj in pairs:
                g.add((node, predicate, obj))
        return node

    def _add_concept(self, subject: Node, mapping: m.ConceptMapping, value: str) -> bool:
        """``subject predicate <concept>``, with the concept's scheme and label."""
        terms = _concept(mapping.vocabulary, value, mapping.classes)
        if terms is None:
            return False
        self.g.add((subject, mapping.predicate, self._describe(terms)))
        return True

    def _add_location(self, subject: Node, iri: str, label: str | None = None) -> URIRef:
        location = self._describe(_location(iri, label))
        self.g.add((subject, DCT.spatial, location))
        return location

    def _add_dates(self, subject: Node, data: Mapping[str, Any],
                   items: Iterable[tuple[URIRef, str, str]]) -> None:
        """dct:issued/dct:modified as the parent writes them (``xsd:date`` for a
        date, ``xsd:dateTime`` otherwise), without dateutil for ISO 8601 values."""
        for predicate, key, fallback in items:
            value = data.get(key) or data.get(fallback)
            if not value:
                continue
            text = str(value).strip()
            try:
                parsed = datetime.datetime.fromisoformat(text)
            except ValueError:
                self._add_date_triple(subject, predicate, text)
                continue
            if len(text) == len("aaaa-mm-dd"):
                self.g.add((subject, predicate, Literal(text, datatype=XSD.date)))
            else:
                self.g.add((subject, predicate,
                            Literal(parsed.isoformat(), datatype=XSD.dateTime)))

    @staticmethod
    def _access_codes(dataset_dict: Mapping[str, Any]) -> list[str]:
        """Every SEI code, the one for dct:accessRights first (DCAT-BR: exactly one).

        The first restricting code wins over "1 - Público".
        """
        codes = _as_list(dataset_dict.get("observancia_legal")) or ["1"]
        restricted = [c for c in codes if vocabularies.is_restricted_access(c)]
        first = (restricted or codes)[0]
        return [first, *(c for c in codes if c != first)]

    # ------------------------------------------------------------------ dataset

    def graph_from_dataset(self, dataset_dict, dataset_ref):
        resources = [*(dataset_dict.get("resources") or []),
                     *derived_distributions(dataset_dict)]
        parent_dict = _without(dataset_dict, PARENT_DATASET_KEYS)
        parent_dict["resources"] = [_without(r, PARENT_RESOURCE_KEYS) for r in resources]
        super().graph_from_dataset(parent_dict, dataset_ref)
        g = self.g
        self._bind_namespaces()

        access_codes = self._access_codes(dataset_dict)
        for mapping in m.DATASET_CONCEPTS:
            if mapping.field == "observancia_legal":
                values = access_codes[:1]
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
                g.add((dataset_ref, boolean.predicate, _boolean(_is_true(value))))

        self._add_dates(dataset_ref, dataset_dict, DATASET_DATES)
        self._graph_spatial(dataset_dict, dataset_ref)
        self._graph_temporal(dataset_dict, dataset_ref)
        self._graph_publisher(dataset_dict, dataset_ref)
        self._graph_contact(dataset_dict, dataset_ref)
        documentation = iri.to_iri(str(dataset_dict.get("documentacao") or ""))
        if documentation:
            page = URIRef(documentation)
            g.add((dataset_ref, FOAF.page, page))
            g.add((page, RDF.type, FOAF.Document))

        for resource_dict in resources:
            distribution = CleanedURIRef(resource_uri(resource_dict))
            self._graph_distribution(dataset_dict, resource_dict, distribution, access_codes)

        # DQV: the seal, the tables' validation and the freshness (quality.py).
        quality.add_measurements(g, dataset_ref, dataset_dict)

    def _graph_spatial(self, dataset_dict, dataset_ref) -> None:
        """dct:spatial: the IBGE locality (with its geometry), whose dct:type is
        the VCR-CE level; the level alone when no locality is known."""
        coverage = str(dataset_dict.get("cobertura_espacial") or "")
        value = str(dataset_dict.get("valor_cobertura_espacial") or "").strip()
        location = None
        if coverage == "MUNICIPAL" and value.isdigit():
            location = self._add_location(dataset_ref, m.IBGE_MUNICIPIO.format(code=value))
        elif coverage == "ESTADUAL" and vocabularies.uri("uf", value.upper()):
            uf = value.upper()
            location = self._add_location(dataset_ref, vocabularies.uri("uf", uf),
                                          vocabularies.label("uf", uf))
        elif coverage == "FEDERAL":
            location = self._add_location(dataset_ref, m.IBGE_PAIS_BRASIL, "Brasil")
        if coverage:
            self._add_concept(location if location is not None else dataset_ref,
                              m.SPATIAL_LEVEL if location is not None else m.SPATIAL_COVERAGE,
                              coverage)

    def _graph_temporal(self, dataset_dict, dataset_ref) -> None:
        dates = []
        for key, predicate in (("cobertura_temporal_inicio", DCAT.startDate),
                               ("cobertura_temporal_fim", DCAT.endDate)):
            value = dataset_dict.get(key)
            if not value:
                continue
            day = iso_date(value)
            if day is None:
                continue
            dates.append((predicate, Literal(day.isoformat(), datatype=XSD.date)))
        if dates:
            period = BNode()
            self.g.add((dataset_ref, DCT.temporal, period))
            self.g.add((period, RDF.type, DCT.PeriodOfTime))
            for predicate, literal in dates:
                self.g.add((period, predicate, literal))

    def _agent(self, agent: URIRef, name: str, publisher_type: str) -> None:
        """A foaf:Agent (foaf:Organization) with its name and ADMS type."""
        g = self.g
        g.add((agent, RDF.type, FOAF.Agent))
        g.add((agent, RDF.type, FOAF.Organization))
        g.add((agent, FOAF.name, Literal(name, lang="pt-BR")))
        g.add((agent, DCT.type, self._describe(_publisher_type(publisher_type))))

    def _prefeitura(self) -> URIRef:
        """The Prefeitura as a foaf:Agent (the catalogue's publisher), once per graph."""
        prefeitura = URIRef(publisher_uri())
        if (prefeitura, RDF.type, FOAF.Agent) not in self.g:
            self._agent(prefeitura, publisher_name(), m.PREFEITURA_PUBLISHER_TYPE)
            self.g.add((prefeitura, FOAF.homepage, prefeitura))
        return prefeitura

    def _graph_publisher(self, dataset_dict, dataset_ref) -> None:
        """The Secretaria (the owner organisation), within the Prefeitura.

        The organisation is described (and its ``tipo`` looked up) once per
        graph: the other datasets of a catalogue page only point to it.
        """
        org = dataset_dict.get("organization") or {}
        prefeitura = self._prefeitura()
        if not org.get("name"):
            self.g.add((dataset_ref, DCT.publisher, prefeitura))
            return
        site_url = tk.config.get("ckan.site_url", "").rstrip("/")
        publisher = URIRef(f"{site_url}/organization/{org['name']}")
        if (publisher, RDF.type, FOAF.Agent) not in self.g:
            kind = vocabularies.entry("tipo_organizacao", organization_type(org)) or {}
            self._agent(publisher, org.get("title") or org["name"],
                        kind.get("publisher_type") or m.PREFEITURA_PUBLISHER_TYPE)
            self.g.add((publisher, m.ORG.subOrganizationOf, prefeitura))
        self.g.add((dataset_ref, DCT.publisher, publisher))

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

    def _graph_distribution(self, dataset_dict, resource_dict, distribution,
                            access_codes: list[str]) -> None:
        g = self.g
        fmt = resource_format(resource_dict)
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
        if len(access_codes) > 1:
            for code in access_codes:
                self._add_concept(distribution, m.RESOURCE_ACCESS_RIGHTS, code)
        self._add_dates(distribution, resource_dict, RESOURCE_DATES)

        title = (resource_dict.get("name") or "").strip() or fmt or "Recurso"
        g.add((distribution, DCT.title, Literal(title)))
        description = (resource_dict.get("description") or "").strip()
        if len(description) < MIN_DESCRIPTION:
            description = " — ".join(
                part for part in (dataset_dict.get("title"), title, description) if part
            )
        g.add((distribution, DCT.description, Literal(description)))

        url = (resource_dict.get("url") or "").strip()
        url = iri.to_iri(url) if url else None
        if url and is_downloadable(resource_dict):
            g.add((distribution, DCAT.downloadURL, URIRef(url)))

        standard = self._schema_iri(resource_dict)
        if standard is not None:
            g.add((distribution, DCT.conformsTo, standard))
            g.add((standard, RDF.type, DCT.Standard))
        self._graph_checksum(resource_dict, distribution)

    @staticmethod
    def _schema_iri(resource_dict) -> URIRef | None:
        """dct:conformsTo of a resource whose Table Schema is known.

        A URL (the portal's schema library, ``/validacao/esquemas/<name>.json``,
        included) is the standard itself; a schema given as JSON text has no
        address of its own, so the resource's validation page (which shows the
        schema the table is checked against) stands for it.
        """
        schema = resource_dict.get("schema")
        if isinstance(schema, Mapping):
            text = "{"
        elif isinstance(schema, str):
            text = schema.strip()
        else:
            return None
        site_url = tk.config.get("ckan.site_url", "").rstrip("/")
        if text.startswith(("http://", "https://")):
            found = iri.to_iri(text)
            return URIRef(found) if found else None
        if text.startswith(SCHEMA_LIBRARY_PATH):
            return URIRef(iri.escape(site_url + text))
        if text.startswith("{") and resource_dict.get("id") and resource_dict.get("package_id"):
            return URIRef(f"{site_url}/dataset/{resource_dict['package_id']}/resource/"
                          f"{resource_dict['id']}/validacao")
        return None

    def _graph_checksum(self, resource_dict, distribution) -> None:
        """spdx:checksum from CKAN's ``hash`` ("sha256:<hex>" or a bare hex digest)."""
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

    def _last_catalog_modification(self) -> str | None:
        """The catalogue's ``dct:modified``: the newest ``metadata_modified`` of a
        public active dataset, what ckanext-dcat's base profile asks
        ``package_search`` for (a search over every public dataset, sorted, on
        every catalogue page), in one aggregate query."""
        latest = model.Session.execute(
            sa.select(sa.func.max(model.Package.metadata_modified)).where(
                model.Package.state == "active", model.Package.private.isnot(True))
        ).scalar()
        return latest.isoformat() if latest else None

    def graph_from_catalog(self, catalog_dict, catalog_ref):
        super().graph_from_catalog(catalog_dict, catalog_ref)
        g = self.g
        self._bind_namespaces()
        catalog_dict = catalog_dict or {}
        fallback = tk.config.get(CATALOG_DESCRIPTION_OPTION)
        if (fallback and not catalog_dict.get("description")
                and not tk.config.get("ckan.site_description")):
            here = city()
            g.set((catalog_ref, DCT.description, Literal(fallback.format(
                government=here.government, state=here.state))))
        for predicate in (DCT.publisher, DCT.language, DCT.spatial, DCAT.themeTaxonomy):
            g.remove((catalog_ref, predicate, None))
        for homepage in g.objects(catalog_ref, FOAF.homepage):
            g.add((homepage, RDF.type, FOAF.Document))
        g.add((catalog_ref, DCT.publisher, self._prefeitura()))
        self._add_concept(catalog_ref, m.CATALOG_LANGUAGE,
                          vocabularies.default("idiomas") or "pt-BR")
        themes = URIRef(vocabularies.scheme("temas"))
        g.add((catalog_ref, DCAT.themeTaxonomy, themes))
        g.add((themes, RDF.type, SKOS.ConceptScheme))
        g.add((themes, DCT.title, Literal("Temas (DCAT-BR)", lang="pt-BR")))
        here = city()
        self._add_location(catalog_ref, m.IBGE_MUNICIPIO.format(code=here.ibge_code),
                           here.place)

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
        self._parse_spatial(dataset_dict, dataset_ref)
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

    def _parse_spatial(self, dataset_dict, dataset_ref) -> None:
        for location in self.g.objects(dataset_ref, DCT.spatial):
            text = str(location)
            levels = [text, *(str(t) for t in self.g.objects(location, DCT.type))]
            for level in levels:
                if coverage := vocabularies.value_for_uri("cobertura_espacial", level):
                    dataset_dict["cobertura_espacial"] = coverage
            if text.startswith(m.IBGE_MUNICIPIO.format(code="")):
                dataset_dict["valor_cobertura_espacial"] = text.rsplit("/", 1)[-1]
            elif text == m.IBGE_PAIS_BRASIL:
                dataset_dict["valor_cobertura_espacial"] = "BR"
            elif uf := vocabularies.value_for_uri("uf", text):
                dataset_dict["valor_cobertura_espacial"] = uf
