"""What the ``dcat_br`` profile writes for one dataset, as a harvester reads it.

Publisher types of every agent (ADMS, from the organisation's ``tipo``),
geometry of the spatial coverage, every access-rights code, ``dct:conformsTo``
of resources whose Table Schema is given, and nothing left behind by the
DCAT-AP 3 parent that this profile writes itself.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from ckan.tests import helpers
from ckanext.dcat.processors import RDFSerializer
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS

pytestmark = [
    pytest.mark.usefixtures("clean_db"),
    # About the RDF only: the tables are never validated here, so the
    # validation's blocking mode would keep the datasets from being public.
    pytest.mark.ckan_config("ckanext.mogi.validation.blocking", "false"),
]

GSP = Namespace("http://www.opengis.net/ont/geosparql#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
ADMS_TYPE = "http://purl.org/adms/publishertype/"
SEI = "https://dcat-br.github.io/dcat-br/docs/vocabularies/SEI/"
VCR_CE = "https://dcat-br.github.io/dcat-br/docs/vocabularies/VCR-CE/"
IBGE = "https://servicodados.ibge.gov.br/api/v1/localidades/"
SITE_URL = "http://test.ckan.net"
SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

def graph_of(dataset: dict[str, Any]) -> tuple[Graph, URIRef]:
    serializer = RDFSerializer(profiles=["dcat_br"])
    dataset_ref = serializer.graph_from_dataset(dataset)
    return serializer.g, dataset_ref


def test_every_agent_has_a_publisher_type(create_dataset, organization):
    graph, dataset_ref = graph_of(create_dataset("coleta-seletiva-2023"))

    agents = set(graph.subjects(RDF.type, FOAF.Agent))
    secretaria = URIRef(f"{SITE_URL}/organization/{organization['name']}")
    prefeitura = URIRef("https://www.mogidascruzes.sp.gov.br/")
    # No leftover of ckanext-dcat's organisation fallback (/organization/<id>).
    assert agents == {secretaria, prefeitura}
    assert set(graph.objects(dataset_ref, DCTERMS.publisher)) == {secretaria}
    local_authority = URIRef(ADMS_TYPE + "LocalAuthority")
    for agent in agents:
        assert list(graph.objects(agent, DCTERMS.type)) == [local_authority]
    assert (local_authority, RDF.type, SKOS.Concept) in graph
    assert (local_authority, SKOS.inScheme, URIRef(ADMS_TYPE + "1.0")) in graph
    assert graph.value(secretaria, FOAF.name) == Literal(organization["title"], lang="pt-BR")


def test_publisher_type_follows_the_organization_tipo(create_dataset, sysadmin, organization):
    helpers.call_action("organization_patch", context={"user": sysadmin["name"]},
                        id=organization["id"], tipo="empresa_publica")

    graph, dataset_ref = graph_of(create_dataset("coleta-seletiva-empresa"))

    publisher = graph.value(dataset_ref, DCTERMS.publisher)
    assert graph.value(publisher, DCTERMS.type) == URIRef(ADMS_TYPE + "Company")


@pytest.mark.parametrize(("coverage", "value", "iri", "level"), [
    ("MUNICIPAL", "3530607", IBGE + "municipios/3530607", "MUNICIPAL"),
    ("ESTADUAL", "SP", IBGE + "estados/35", "ESTADUAL"),
    ("FEDERAL", "BR", IBGE + "paises/76", "FEDERAL"),
])
def test_spatial_coverage_carries_its_geometry(create_dataset, coverage, value, iri, level):
    graph, dataset_ref = graph_of(create_dataset(f"coleta-{coverage.lower()}",
                                                 cobertura_espacial=coverage,
                                                 valor_cobertura_espacial=value,
                                                 granularidade_espacial=coverage))

    (location,) = graph.objects(dataset_ref, DCTERMS.spatial)
    assert location == URIRef(iri)
    assert (location, RDF.type, DCTERMS.Location) in graph
    assert graph.value(location, DCTERMS.type) == URIRef(VCR_CE + level)
    centroid = graph.value(location, DCAT.centroid)
    bbox = graph.value(location, DCAT.bbox)
    assert centroid.datatype == bbox.datatype == GSP.wktLiteral
    assert str(centroid).startswith("POINT(") and str(bbox).startswith("POLYGON((")


def test_mogi_das_cruzes_centroid_lies_in_its_box(create_dataset):
    graph, dataset_ref = graph_of(create_dataset("coleta-mogi"))

    location = graph.value(dataset_ref, DCTERMS.spatial)
    lon, lat = (float(n) for n in str(graph.value(location, DCAT.centroid))[6:-1].split())
    assert (round(lat, 2), round(lon, 2)) == (-23.52, -46.19)
    corners = str(graph.value(location, DCAT.bbox))[9:-2].split(", ")
    lons = [float(c.split()[0]) for c in corners]
    lats = [float(c.split()[1]) for c in corners]
    assert min(lons) < lon < max(lons) and min(lats) < lat < max(lats)


def test_every_access_rights_code_is_exported(create_dataset):
    dataset = create_dataset("coleta-restrita", private=True, observancia_legal=["1", "3", "5"],
                     resources=[{"url": "https://example.org/coleta.csv", "format": "CSV",
                                 "name": "Coleta (CSV)"}])

    graph, dataset_ref = graph_of(dataset)

    # DCAT-BR: exactly one on the dataset, the first restricting code.
    assert list(graph.objects(dataset_ref, DCTERMS.accessRights)) == [URIRef(SEI + "3")]
    distribution = graph.value(dataset_ref, DCAT.distribution)
    assert set(graph.objects(distribution, DCTERMS.accessRights)) == {
        URIRef(SEI + code) for code in ("1", "3", "5")}
    for code in ("1", "3", "5"):
        concept = URIRef(SEI + code)
        assert (concept, RDF.type, DCTERMS.RightsStatement) in graph
        assert (concept, SKOS.inScheme, URIRef(SEI + "esquema")) in graph


def test_conforms_to_the_resource_table_schema(create_dataset):
    schema_text = json.dumps({"fields": [{"name": "bairro", "type": "string"}]})
    dataset = create_dataset("coleta-esquemas", resources=[
        {"url": "https://example.org/a.csv", "format": "CSV", "name": "A",
         "schema": "https://example.org/schemas/coleta.json"},
        {"url": "https://example.org/b.csv", "format": "CSV", "name": "B",
         "schema": "/validacao/esquemas/licitacoes.json"},
        {"url": "https://example.org/c.csv", "format": "CSV", "name": "C",
         "schema": schema_text},
        {"url": "https://example.org/d.csv", "format": "CSV", "name": "D"},
    ])

    graph, _ = graph_of(dataset)

    by_name = {r["name"]: r for r in dataset["resources"]}
    expected = {
        "A": URIRef("https://example.org/schemas/coleta.json"),
        "B": URIRef(f"{SITE_URL}/validacao/esquemas/licitacoes.json"),
        "C": URIRef(f"{SITE_URL}/dataset/{dataset['id']}/resource/{by_name['C']['id']}"
                    "/validacao"),
    }
    for name, resource in by_name.items():
        distribution = URIRef(f"{SITE_URL}/dataset/{dataset['id']}/resource/{resource['id']}")
        standards = set(graph.objects(distribution, DCTERMS.conformsTo))
        assert standards == ({expected[name]} if name in expected else set()), name
        for standard in standards:
            assert (standard, RDF.type, DCTERMS.Standard) in graph


def test_distribution_properties_are_written_once(create_dataset):
    dataset = create_dataset("coleta-recurso", resources=[{
        "url": "https://example.org/coleta.csv", "format": "CSV", "name": "Coleta (CSV)",
        "description": "Uma linha por bairro e mês.", "hash": SHA256,
        "tipo_recurso": "DADOS", "idioma": "pt-BR",
    }])

    graph, dataset_ref = graph_of(dataset)

    distribution = graph.value(dataset_ref, DCAT.distribution)
    assert list(graph.objects(distribution, DCTERMS.title)) == [Literal("Coleta (CSV)")]
    assert len(list(graph.objects(distribution, DCTERMS.description))) == 1
    (fmt,) = graph.objects(distribution, DCTERMS["format"])
    (media_type,) = graph.objects(distribution, DCAT.mediaType)
    assert isinstance(fmt, URIRef) and fmt == media_type
    (checksum,) = graph.objects(distribution, SPDX.checksum)
    assert graph.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
    assert str(graph.value(checksum, SPDX.checksumValue)) == SHA256
    assert len(list(graph.objects(dataset_ref, DCAT.contactPoint))) == 1
