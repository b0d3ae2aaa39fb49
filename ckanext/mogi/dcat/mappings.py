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

NAMESPACES = {
    "dcatbr": DCATBR, "dct": DCT, "dcat": DCAT, "foaf": FOAF, "vcard": VCARD,
    "skos": SKOS, "spdx": SPDX, "adms": ADMS, "org": ORG, "xsd": XSD, "rdf": RDF,
}

IBGE = "https://servicodados.ibge.gov.br/api/v1/localidades/"
#: IBGE locality IRIs for the ``valor_cobertura_espacial`` of each coverage.
IBGE_MUNICIPIO = IBGE + "municipios/{code}"
IBGE_PAIS_BRASIL = IBGE + "paises/76"
#: The municipality of Mogi das Cruzes (the catalogue's dct:spatial).
MOGI_DAS_CRUZES = "3530607"


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
    ConceptMapping("cobertura_espacial", DCT.spatial, "cobertura_espacial", (DCT.Location,)),
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

#: Dataset predicates the DCAT-AP 3 profile may fill from its own keys and
#: that this profile rewrites from our fields (removed first, with the blank
#: nodes hanging from them).
DATASET_REWRITTEN: tuple[URIRef, ...] = (
    *(m.predicate for m in DATASET_CONCEPTS),
    DCT.temporal, DCT.publisher, DCAT.contactPoint, FOAF.page,
)
#: Distribution predicates rewritten the same way.
RESOURCE_REWRITTEN: tuple[URIRef, ...] = (
    *(m.predicate for m in RESOURCE_CONCEPTS),
    DCT.title, DCT.description, DCT.rights, DCT.conformsTo, DCAT.downloadURL,
)

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
