"""The ``schemaorg_br`` profile: a dataset as a schema.org ``Dataset``, in Portuguese.

ckanext-dcat's ``structured_data`` plugin puts a dataset's schema.org
markup in its page (``<script type="application/ld+json">``), which is what
Google Dataset Search reads. Its stock ``schemaorg`` profile knows none of
our fields and writes English (``"customer service"``) and slugs (group
names); this one, registered as the ``ckan.rdf.profiles`` entry point
``schemaorg_br`` (``ckanext.dcat.structured_data.profiles = schemaorg_br``),
writes from our scheming fields, the vocabularies and the city's identity:

* ``name``, ``description`` (plain text, 50 to 5000 characters as Google
  asks), ``url`` (the dataset page), ``identifier``, ``inLanguage``,
  ``keywords`` (tags), ``about`` (the DCAT-BR themes, Portuguese labels),
  ``license`` (the VCR-LU licence), ``version``, ``datePublished``,
  ``dateModified``, ``isAccessibleForFree``;
* ``publisher`` and ``creator``: the Secretaria, whose
  ``parentOrganization`` is the city's government, serving the city;
  its ``contactPoint`` is the dataset's technical area;
* ``includedInDataCatalog``: the portal, published by the government;
* ``temporalCoverage`` (``2022-01-01/2022-12-31``) and ``spatialCoverage``
  (the IBGE locality, with its name and bounding box);
* ``distribution``: a ``DataDownload`` with ``encodingFormat`` (media type)
  and ``contentUrl`` for each file the dataset dict holds (the template
  helper, :mod:`.structured`, leaves out the files a visitor may not get).

The Portuguese texts and schema.org types are data (``schemaorg.yaml``).
"""

from __future__ import annotations

import functools
import re
import textwrap
from collections.abc import Mapping
from importlib.resources import files
from typing import Any

import yaml
from ckan.plugins import toolkit as tk
from ckanext.dcat.profiles.base import SCHEMA, CleanedURIRef
from ckanext.dcat.profiles.schemaorg import SchemaOrgProfile
from ckanext.dcat.utils import catalog_uri, resource_uri
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from ckanext.mogi.common import vocabularies
from ckanext.mogi.common.city import city
from ckanext.mogi.common.lists import as_list
from ckanext.mogi.dcat import iri
from ckanext.mogi.dcat import mappings as m
from ckanext.mogi.dcat.profile import (
    CATALOG_DESCRIPTION_OPTION,
    is_downloadable,
    iso_date,
    organization_type,
    resource_format,
)

SETTINGS_FILE = "schemaorg.yaml"
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@functools.cache
def settings() -> dict[str, Any]:
    """``schemaorg.yaml``, read once."""
    text = files(__package__).joinpath(SETTINGS_FILE).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def site_url() -> str:
    return str(tk.config.get("ckan.site_url") or "").rstrip("/")


def dataset_page(dataset_dict: Mapping[str, Any]) -> str:
    """The dataset page's address, without a locale prefix (one per dataset)."""
    return f"{site_url()}/dataset/{dataset_dict.get('name') or dataset_dict.get('id')}"


def plain_description(dataset_dict: Mapping[str, Any], publisher: str) -> str:
    """The description as plain text, between Google's minimum and maximum."""
    config = settings()["description"]
    text = " ".join(str(tk.h.markdown_extract(dataset_dict.get("notes") or "",
                                              extract_length=0)).split())
    if len(text) < config["minimum"]:
        completion = config["completion"].format(
            title=dataset_dict.get("title") or dataset_dict.get("name"),
            publisher=publisher, government=city().government)
        text = f"{text} {completion}".strip()
    return textwrap.shorten(text, width=config["maximum"], placeholder=config["ellipsis"])


def box(bbox_wkt: str) -> str | None:
    """schema.org's ``box`` (``"south west north east"``) of a WKT bounding polygon."""
    numbers = [float(n) for n in _NUMBER.findall(bbox_wkt)]
    if len(numbers) < 4 or len(numbers) % 2:
        return None
    lons, lats = numbers[0::2], numbers[1::2]
    return f"{min(lats)} {min(lons)} {max(lats)} {max(lons)}"


class SchemaOrgBRProfile(SchemaOrgProfile):
    """schema.org ``Dataset`` for Google Dataset Search, from our fields, in Portuguese."""

    def _type(self, node: Node, kind: str) -> Node:
        self.g.add((node, RDF.type, SCHEMA[settings()["types"][kind]]))
        return node

    def _text(self, subject: Node, predicate: URIRef, value: Any) -> None:
        text = str(value or "").strip()
        if text:
            self.g.add((subject, predicate, Literal(text)))

    def graph_from_dataset(self, dataset_dict, dataset_ref):
        g = self.g
        self._bind_namespaces()
        language = dataset_dict.get("idioma") or settings()["language"]
        g.add((dataset_ref, RDF.type, SCHEMA.Dataset))
        self._text(dataset_ref, SCHEMA.name, dataset_dict.get("title") or dataset_dict.get("name"))
        self._text(dataset_ref, SCHEMA.url, dataset_page(dataset_dict))
        self._text(dataset_ref, SCHEMA.identifier, dataset_dict.get("id"))
        self._text(dataset_ref, SCHEMA.inLanguage, language)
        self._text(dataset_ref, SCHEMA.version, dataset_dict.get("version"))
        self._text(dataset_ref, SCHEMA.datePublished, dataset_dict.get("metadata_created"))
        self._text(dataset_ref, SCHEMA.dateModified, dataset_dict.get("metadata_modified"))
        g.add((dataset_ref, SCHEMA.isAccessibleForFree, Literal(True)))
        for tag in dataset_dict.get("tags") or []:
            self._text(dataset_ref, SCHEMA.keywords, tag.get("display_name") or tag.get("name"))
        self._graph_themes(dataset_dict, dataset_ref)
        self._graph_license(dataset_dict, dataset_ref)

        secretaria = self._graph_secretaria(dataset_dict)
        g.add((dataset_ref, SCHEMA.publisher, secretaria))
        g.add((dataset_ref, SCHEMA.creator, secretaria))
        name = next(g.objects(secretaria, SCHEMA.name), None) or city().government
        self._text(dataset_ref, SCHEMA.description, plain_description(dataset_dict, str(name)))
        self._graph_data_catalog(dataset_ref)
        self._graph_temporal_coverage(dataset_dict, dataset_ref)
        self._graph_spatial_coverage(dataset_dict, dataset_ref)
        for resource_dict in dataset_dict.get("resources") or []:
            self._graph_download(resource_dict, dataset_ref, language)

    # ------------------------------------------------------------------ themes

    def _graph_themes(self, dataset_dict, dataset_ref) -> None:
        """``about``: each DCAT-BR theme as a ``DefinedTerm`` with its Portuguese label."""
        scheme = vocabularies.scheme("temas")
        for value in as_list(dataset_dict.get("temas")) or []:
            entry = vocabularies.entry("temas", value)
            if not entry or not entry.get("uri"):
                continue
            term = self._type(URIRef(entry["uri"]), "theme")
            self._text(term, SCHEMA.name, entry["label"])
            if scheme:
                term_set = self._type(URIRef(scheme), "theme_set")
                self._text(term_set, SCHEMA.name, vocabularies.vocabulary("temas")["title"])
                self.g.add((term, SCHEMA.inDefinedTermSet, term_set))
            self.g.add((dataset_ref, SCHEMA.about, term))

    def _graph_license(self, dataset_dict, dataset_ref) -> None:
        """``license``: the VCR-LU licence (its address and Portuguese name)."""
        entry = vocabularies.entry("licencas", str(dataset_dict.get("license_id") or ""))
        address = (entry or {}).get("uri") or dataset_dict.get("license_url")
        address = iri.to_iri(str(address)) if address else None
        if not address:
            return
        licence = self._type(URIRef(address), "license")
        self._text(licence, SCHEMA.name,
                   (entry or {}).get("label") or dataset_dict.get("license_title"))
        self._text(licence, SCHEMA.url, address)
        self.g.add((dataset_ref, SCHEMA.license, licence))

    # -------------------------------------------------------------- publisher

    def _government(self) -> URIRef:
        """The city's government, serving the city (once per graph)."""
        here = city()
        government = URIRef(here.url)
        if (government, SCHEMA.name, None) not in self.g:
            self._type(government, "government")
            self._text(government, SCHEMA.name, here.government)
            self._text(government, SCHEMA.alternateName, here.government_short)
            self._text(government, SCHEMA.url, here.url)
            territory = self._type(BNode(), "territory")
            self._text(territory, SCHEMA.name, here.place)
            self.g.add((government, SCHEMA.areaServed, territory))
        return government

    def _graph_secretaria(self, dataset_dict) -> URIRef:
        """The owner organisation, part of the city's government, and the
        dataset's contact point (its technical area)."""
        government = self._government()
        org = dataset_dict.get("organization") or {}
        if not org.get("name"):
            return government
        page = f"{site_url()}/organization/{org['name']}"
        secretaria = URIRef(page)
        kinds = settings()["types"]
        kind = settings()["organization_types"].get(organization_type(org), kinds["secretaria"])
        self.g.add((secretaria, RDF.type, SCHEMA[kind]))
        self._text(secretaria, SCHEMA.name, org.get("title") or org["name"])
        self._text(secretaria, SCHEMA.url, page)
        self.g.add((secretaria, SCHEMA.parentOrganization, government))
        name = (dataset_dict.get("maintainer") or "").strip()
        email = (dataset_dict.get("maintainer_email") or "").strip()
        if name or email:
            contact = BNode()
            self.g.add((contact, RDF.type, SCHEMA.ContactPoint))
            self._text(contact, SCHEMA.contactType, settings()["contact_type"])
            self._text(contact, SCHEMA.name, name)
            self._text(contact, SCHEMA.email, email)
            self._text(contact, SCHEMA.description, dataset_dict.get("ponto_contato"))
            self.g.add((secretaria, SCHEMA.contactPoint, contact))
        return secretaria

    def _graph_data_catalog(self, dataset_ref) -> None:
        """``includedInDataCatalog``: the portal, published by the government."""
        here = city()
        data_catalog = URIRef(catalog_uri())
        g = self.g
        g.add((data_catalog, RDF.type, SCHEMA.DataCatalog))
        self._text(data_catalog, SCHEMA.name, tk.config.get("ckan.site_title"))
        description = tk.config.get("ckan.site_description") or str(
            tk.config.get(CATALOG_DESCRIPTION_OPTION) or "").format(
                government=here.government, state=here.state)
        self._text(data_catalog, SCHEMA.description, description)
        self._text(data_catalog, SCHEMA.url, site_url())
        self._text(data_catalog, SCHEMA.inLanguage, settings()["language"])
        g.add((data_catalog, SCHEMA.publisher, self._government()))
        g.add((dataset_ref, SCHEMA.includedInDataCatalog, data_catalog))

    # -------------------------------------------------------------- coverage

    def _graph_temporal_coverage(self, dataset_dict, dataset_ref) -> None:
        """``temporalCoverage`` as an ISO 8601 interval (``..`` for an open end)."""
        start = iso_date(dataset_dict.get("cobertura_temporal_inicio") or "")
        end = iso_date(dataset_dict.get("cobertura_temporal_fim") or "")
        if start or end:
            interval = "/".join(d.isoformat() if d else ".." for d in (start, end))
            self._text(dataset_ref, SCHEMA.temporalCoverage, interval)

    def _graph_spatial_coverage(self, dataset_dict, dataset_ref) -> None:
        """``spatialCoverage``: the IBGE locality, named, with its bounding box."""
        coverage = str(dataset_dict.get("cobertura_espacial") or "")
        value = str(dataset_dict.get("valor_cobertura_espacial") or "").strip()
        here = city()
        locality, name = None, None
        if coverage == "MUNICIPAL" and value.isdigit():
            locality = m.IBGE_MUNICIPIO.format(code=value)
            name = here.place if value == here.ibge_code else None
        elif coverage == "ESTADUAL" and vocabularies.uri("uf", value.upper()):
            locality = vocabularies.uri("uf", value.upper())
            name = vocabularies.label("uf", value.upper())
        elif coverage == "FEDERAL":
            locality = m.IBGE_PAIS_BRASIL
            name = settings()["country"]
        if locality is None:
            return
        place = self._type(URIRef(locality), "place")
        self._text(place, SCHEMA.name, name)
        geometry = m.LOCATION_GEOMETRY.get(locality)
        corners = box(geometry.bbox) if geometry else None
        if corners:
            shape = BNode()
            self.g.add((shape, RDF.type, SCHEMA.GeoShape))
            self._text(shape, SCHEMA.box, corners)
            self.g.add((place, SCHEMA.geo, shape))
        self.g.add((dataset_ref, SCHEMA.spatialCoverage, place))

    # ------------------------------------------------------------ distribution

    def _graph_download(self, resource_dict, dataset_ref, language: str) -> None:
        """A ``DataDownload`` for a file (pages and APIs are not downloads)."""
        url = str(resource_dict.get("url") or "").strip()
        url = iri.to_iri(url) if url else None
        if not url or not is_downloadable(resource_dict):
            return
        fmt = resource_format(resource_dict)
        media_type = (vocabularies.entry("formatos", fmt) or {}).get("media_type")
        download = CleanedURIRef(resource_uri(resource_dict))
        self.g.add((download, RDF.type, SCHEMA.DataDownload))
        self._text(download, SCHEMA.name, resource_dict.get("name") or fmt)
        self._text(download, SCHEMA.description, resource_dict.get("description"))
        self._text(download, SCHEMA.encodingFormat,
                   media_type or fmt or resource_dict.get("mimetype"))
        self._text(download, SCHEMA.contentUrl, url)
        self._text(download, SCHEMA.inLanguage, resource_dict.get("idioma") or language)
        self._text(download, SCHEMA.dateModified,
                   resource_dict.get("last_modified") or resource_dict.get("metadata_modified"))
        self.g.add((dataset_ref, SCHEMA.distribution, download))
