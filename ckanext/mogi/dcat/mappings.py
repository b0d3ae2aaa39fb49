"""DCAT-BR mappings of our scheming fields, as data tables.

Each row says which field of ``schemas/dataset.yaml`` goes to which RDF
predicate, through which vocabulary of ``schemas/vocabularies.yaml``, and
which RDF classes the concept node carries (the classes DCAT-BR's
``range.ttl`` expects). The profile (:mod:`ckanext.mogi.dcat.profile`) only
walks these tables, in the style of ckanext-dcat's own profiles.

Every concept is emitted with its ``skos:inScheme`` (the vocabulary's
``scheme``) and ``skos:prefLabel``, so that the catalogue is self-contained
for ``mdr-vocabularies.shape.ttl``, which checks vocabulary membership on the
value node itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

DCT = DCTERMS
DCATBR = Namespace("http://purl.org/dcat-br/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
ORG = Namespace("http://www.w3.org/ns/org#")
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
DQV = Namespace("http://www.w3.org/ns/dqv#")

NAMESPACES = {
    "dcatbr": DCATBR, "dct": DCT, "dcat": DCAT, "foaf": FOAF, "vcard": VCARD,
    "skos": SKOS, "spdx": SPDX, "adms": ADMS, "org": ORG, "xsd": XSD, "rdf": RDF,
    "gsp": GSP, "dqv": DQV,
}

DCATBR_VOCABULARIES = "https://dcat-br.github.io/dcat-br/docs/vocabularies/"
IBGE = "https://servicodados.ibge.gov.br/api/v1/localidades/"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"

#: Namespaces of the concept and locality IRIs, bound in every graph besides
#: NAMESPACES. Cost, not looks: rdflib's Turtle serializer caches the prefixed
#: name of an IRI whose namespace is bound, and recomputes it (URI split,
#: namespace trie) at every occurrence of an IRI whose namespace is not.
VOCABULARY_PREFIXES: dict[str, str] = {
    "temas": DCATBR_VOCABULARIES + "themes/",
    "vcrfr": DCATBR_VOCABULARIES + "VCR-FR/",
    "sei": DCATBR_VOCABULARIES + "SEI/",
    "vcrce": DCATBR_VOCABULARIES + "VCR-CE/",
    "tiporecurso": DCATBR_VOCABULARIES + "tipo-recurso/",
    "iso6391": "http://id.loc.gov/vocabulary/iso639-1/",
    "sdg": "http://metadata.un.org/sdg/",
    "mtapplication": IANA_MEDIA_TYPES + "application/",
    "mtimage": IANA_MEDIA_TYPES + "image/",
    "mttext": IANA_MEDIA_TYPES + "text/",
    "ibgemunicipio": IBGE + "municipios/",
    "ibgeestado": IBGE + "estados/",
    "ibgepais": IBGE + "paises/",
    "publishertype": "http://purl.org/adms/publishertype/",
}
#: IBGE locality IRIs for the ``valor_cobertura_espacial`` of each coverage.
IBGE_MUNICIPIO = IBGE + "municipios/{code}"
IBGE_PAIS_BRASIL = IBGE + "paises/76"
IBGE_ESTADO = IBGE + "estados/{code}"
#: The municipality of Mogi das Cruzes (the catalogue's dct:spatial).
MOGI_DAS_CRUZES = "3530607"


@dataclass(frozen=True)
class Geometry:
    """``dcat:centroid`` and ``dcat:bbox`` of a location, as WKT (lon lat, CRS84)."""

    centroid: str
    bbox: str


def _box(west: float, south: float, east: float, north: float) -> str:
    return (f"POLYGON(({west} {south}, {east} {south}, {east} {north}, "
            f"{west} {north}, {west} {south}))")


#: Geometry of the localities our datasets cover (DCAT-BR recommends
#: dcat:centroid and dcat:bbox on every dct:Location), keyed by the IBGE IRI.
#: Municipal centroids are the coordinates of the municipal seat as IBGE
#: publishes them (IBGE Cidades, reproduced in the municipalities' Wikipedia
#: infoboxes), rounded to 1e-4 degree. Brazil's box is IBGE's extreme points of
#: the territory (Monte Caburaí 5°16'N, Arroio Chuí 33°45'S, Ponta do Seixas
#: 34°47'W, nascente do rio Moa / Serra da Contamana 73°59'W). The other boxes
#: and the state and country centroids are approximations of the territory
#: (0.01 degree, boxes rounded outwards), compiled for this table: confirm them
#: against IBGE's Malha Municipal / Malha de UF (geoftp.ibge.gov.br) before
#: the portal goes live. A locality missing here is written without geometry
#: (a recommended warning, not a violation).
LOCATION_GEOMETRY: dict[str, Geometry] = {
    # Mogi das Cruzes (SP): seat 23°31'22"S 46°11'16"W.
    IBGE_MUNICIPIO.format(code=MOGI_DAS_CRUZES): Geometry(
        "POINT(-46.1878 -23.5228)", _box(-46.34, -23.80, -45.97, -23.35)),
    # Belo Horizonte (MG): seat 19°55'15"S 43°56'16"W.
    IBGE_MUNICIPIO.format(code="3106200"): Geometry(
        "POINT(-43.9378 -19.9208)", _box(-44.07, -20.06, -43.85, -19.77)),
    # São José dos Campos (SP): seat 23°10'47"S 45°53'13"W.
    IBGE_MUNICIPIO.format(code="3549904"): Geometry(
        "POINT(-45.8869 -23.1797)", _box(-46.06, -23.31, -45.70, -22.81)),
    # São Paulo (state).
    IBGE_ESTADO.format(code="35"): Geometry(
        "POINT(-48.63 -22.26)", _box(-53.11, -25.32, -44.16, -19.78)),
    # Minas Gerais (state).
    IBGE_ESTADO.format(code="31"): Geometry(
        "POINT(-44.67 -18.51)", _box(-51.05, -22.93, -39.86, -14.23)),
    # Brazil.
    IBGE_PAIS_BRASIL: Geometry(
        "POINT(-53.10 -10.80)", _box(-73.99, -33.75, -34.79, 5.27)),
}

#: ADMS publisher types (dct:type of a foaf:Agent; DCAT-BR's range.ttl wants a
#: skos:Concept, DCAT-AP's mdr-vocabularies.shape.ttl this scheme). The
#: ``publisher_type`` of each ``tipo_organizacao`` entry is one of these.
PUBLISHER_TYPE_SCHEME = "http://purl.org/adms/publishertype/1.0"
PUBLISHER_TYPES: dict[str, str] = {
    "http://purl.org/adms/publishertype/LocalAuthority": "Autoridade local",
    "http://purl.org/adms/publishertype/Company": "Empresa",
}
#: The Prefeitura (the catalogue's publisher) is a local authority.
PREFEITURA_PUBLISHER_TYPE = "http://purl.org/adms/publishertype/LocalAuthority"


@dataclass(frozen=True)
class ConceptMapping:
    """A field whose value(s) are concepts of a controlled vocabulary."""

    field: str
    predicate: URIRef
    vocabulary: str
    classes: tuple[URIRef, ...] = ()
    multiple: bool = False


#: Dataset fields -> predicate -> vocabulary (concept IRIs).
DATASET_CONCEPTS: tuple[ConceptMapping, ...] = (
    ConceptMapping("periodicidade", DCT.accrualPeriodicity, "periodicidade", (DCT.Frequency,)),
    # DCAT-BR allows exactly one dct:accessRights: see profile._access_code.
    ConceptMapping("observancia_legal", DCT.accessRights, "observancia_legal",
                   (DCT.RightsStatement,)),
    ConceptMapping("temas", DCAT.theme, "temas", (), multiple=True),
    ConceptMapping("license_id", DCT.license, "licencas", (DCT.LicenseDocument,)),
    ConceptMapping("idioma", DCT.language, "idiomas", (DCT.LinguisticSystem,)),
    ConceptMapping("ods", DCATBR.ods, "ods", (), multiple=True),
)

#: Resource fields -> predicate -> vocabulary.
RESOURCE_CONCEPTS: tuple[ConceptMapping, ...] = (
    ConceptMapping("tipo_recurso", DCT.type, "tipo_recurso", ()),
    ConceptMapping("idioma", DCT.language, "idiomas", (DCT.LinguisticSystem,)),
    # Falls back to the dataset's license_id (profile._resource_license).
    ConceptMapping("licenca", DCT.license, "licencas", (DCT.LicenseDocument,)),
    ConceptMapping("format", DCT.format, "formatos", (DCT.MediaTypeOrExtent,)),
    ConceptMapping("format", DCAT.mediaType, "formatos", (DCT.MediaType,)),
)


@dataclass(frozen=True)
class BooleanMapping:
    field: str
    predicate: URIRef


#: Yes/no fields ("true"/"false") -> xsd:boolean literals of dcat-br.
DATASET_BOOLEANS: tuple[BooleanMapping, ...] = (
    BooleanMapping("relacao_ods", DCATBR.relacionadoODS),
    BooleanMapping("dados_raca_etnia", DCATBR.dadosRacaEtnia),
    BooleanMapping("dados_genero", DCATBR.dadosGenero),
)

#: Spatial coverage (VCR-CE level): the dct:type of the IBGE locality written
#: as dct:spatial (which carries the geometry); dct:spatial itself, as a
#: dct:Location, only when no locality is known (profile._graph_spatial).
SPATIAL_LEVEL = ConceptMapping("cobertura_espacial", DCT.type, "cobertura_espacial")
SPATIAL_COVERAGE = ConceptMapping("cobertura_espacial", DCT.spatial, "cobertura_espacial",
                                  (DCT.Location,))
#: Every SEI code of a dataset with several, on each distribution (DCAT-BR
#: allows several there; the dataset has exactly one).
RESOURCE_ACCESS_RIGHTS = ConceptMapping("observancia_legal", DCT.accessRights,
                                        "observancia_legal", (DCT.RightsStatement,))
#: The catalogue's language (the vocabulary's default).
CATALOG_LANGUAGE = ConceptMapping("idioma", DCT.language, "idiomas", (DCT.LinguisticSystem,))

#: Resource types whose URL is a page or a service, not a file to download.
NOT_DOWNLOADABLE_TYPES = frozenset({"API", "DOCUMENTACAO"})
NOT_DOWNLOADABLE_FORMATS = frozenset({"HTML", "WSDL"})

#: CKAN ``hash`` prefixes -> SPDX checksum algorithm IRIs.
CHECKSUM_ALGORITHMS = {
    "md5": SPDX.checksumAlgorithm_md5,
    "sha1": SPDX.checksumAlgorithm_sha1,
    "sha256": SPDX.checksumAlgorithm_sha256,
    "sha512": SPDX.checksumAlgorithm_sha512,
}
#: Hex digest length -> algorithm, for a bare ``hash`` without prefix.
CHECKSUM_LENGTHS = {32: "md5", 40: "sha1", 64: "sha256", 128: "sha512"}
