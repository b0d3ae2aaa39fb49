"""Round trip with a real harvester: our DCAT-BR catalogue, harvested back.

ckanext-dcat's RDF harvester (``dcat_rdf_harvester``, with ckanext-harvest)
harvests ``/catalog.ttl`` from our portal served by a real HTTP server on a
local port, following every ``hydra:next`` page (two datasets per page here),
and parses it with our ``dcat_br`` profile. The harvest stages run in-process
(gather, fetch, import called synchronously, as the queue consumers would).

The harvester imports into the same CKAN, so the originals are read, then
purged after the gather stage (the remote graph is already in the harvest
objects), and the import really recreates them; each recreated dataset is then
compared field by field with its original.
"""

from __future__ import annotations

import json
from typing import Any

import ckanext.harvest.model as harvest_model
import pytest
import requests
from ckan import model
from ckan import plugins as p
from ckan.common import config
from ckan.tests import helpers
from ckanext.harvest import queue
from rdflib import Graph, Namespace
from rdflib.namespace import DCAT, RDF
from sample_data import DATASET

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")

pytestmark = [
    pytest.mark.ckan_config(
        "ckan.plugins",
        "mogi mogi_search mogi_schema scheming_organizations mogi_theme "
        "dcat mogi_dcat mogi_validation harvest dcat_rdf_harvester"),
    pytest.mark.ckan_config("ckanext.dcat.datasets_per_page", "2"),
    # The round trip is about metadata: no table is validated here, so the
    # validation's blocking mode would keep every dataset from being public.
    pytest.mark.ckan_config("ckanext.mogi.validation.blocking", "false"),
    pytest.mark.usefixtures("with_plugins"),
]

#: The public datasets (sample_data's DATASET, changed): every field the round
#: trip must keep.
PUBLIC: dict[str, dict[str, Any]] = {
    "atendimentos-ubs-2022": {
        **DATASET,
        "temas": ["saude", "economia-e-financas"],
        "tag_string": "saúde, atendimentos, custos",
        "resources": [
            {"url": "https://dados.mogidascruzes.sp.gov.br/files/atendimentos-2022.csv",
             "name": "Atendimentos 2022 (CSV)", "format": "CSV"},
            {"url": "https://dados.mogidascruzes.sp.gov.br/files/atendimentos-2022.json",
             "name": "Atendimentos 2022 (JSON)", "format": "JSON"},
        ],
    },
    "leitos-hospitalares-sp": {
        **DATASET,
        "title": "Leitos hospitalares no Estado de São Paulo",
        "notes": "Leitos SUS por hospital, série anual.",
        "temas": ["saude"],
        "tag_string": "leitos, hospitais",
        "license_id": "cc-zero",
        "periodicidade": "ANUAL",
        "cobertura_temporal_inicio": "01/01/2015",
        "cobertura_temporal_fim": "31/12/2023",
        "cobertura_espacial": "ESTADUAL",
        "valor_cobertura_espacial": "SP",
        "maintainer": "Regulação Hospitalar",
        "maintainer_email": "regulacao@mogidascruzes.sp.gov.br",
        "resources": [
            {"url": "https://dados.mogidascruzes.sp.gov.br/files/leitos.xlsx",
             "name": "Leitos por hospital", "format": "XLSX"},
        ],
    },
    "indicadores-nacionais-educacao": {
        **DATASET,
        "title": "Indicadores nacionais de educação",
        "notes": "Indicadores do Censo Escolar usados pela rede municipal.",
        "temas": ["educacao"],
        "tag_string": "educação, censo escolar",
        "license_id": "odc-odbl",
        "periodicidade": "ANUAL",
        "cobertura_temporal_inicio": "01/01/2019",
        "cobertura_temporal_fim": "31/12/2024",
        "cobertura_espacial": "FEDERAL",
        "valor_cobertura_espacial": "BR",
        "maintainer": "Departamento de Planejamento Educacional",
        "maintainer_email": "planejamento.educacao@mogidascruzes.sp.gov.br",
        "resources": [
            {"url": "https://dados.mogidascruzes.sp.gov.br/files/indicadores.csv",
             "name": "Indicadores", "format": "CSV"},
        ],
    },
}

PRIVATE = "notificacoes-compulsorias"

#: Fields compared between each original and its recreated copy.
FIELDS = ("title", "notes", "temas", "periodicidade", "cobertura_temporal_inicio",
          "cobertura_temporal_fim", "cobertura_espacial", "valor_cobertura_espacial",
          "license_id", "maintainer", "maintainer_email")


@pytest.fixture(autouse=True)
def harvest_db(clean_db, migrate_db_for):
    """The harvest tables, migrated before any test data touches the database."""
    migrate_db_for("harvest")


@pytest.fixture
def portal(sysadmin, organization) -> dict[str, dict[str, Any]]:
    """The public datasets and a private one, as package_show returns them."""
    created = {}
    for name, fields in PUBLIC.items():
        created[name] = helpers.call_action(
            "package_create", context={"user": sysadmin["name"]},
            **fields, name=name, owner_org=organization["id"])
    created[PRIVATE] = helpers.call_action(
        "package_create", context={"user": sysadmin["name"]},
        **{**PUBLIC["atendimentos-ubs-2022"],
           "title": "Notificações compulsórias", "observancia_legal": ["3"]},
        name=PRIVATE, private=True, owner_org=organization["id"])
    return {name: helpers.call_action("package_show", id=name) for name in created}


@pytest.fixture
def live_server(live_server, monkeypatch) -> str:
    """The portal on a real HTTP port (tests/conftest.py); the catalogue's URIs,
    and so its ``hydra:next`` links, are built from that address."""
    monkeypatch.setitem(config, "ckanext.dcat.base_uri", live_server)
    return live_server


@pytest.fixture
def harvest_source(live_server, sysadmin, organization) -> dict[str, Any]:
    return helpers.call_action(
        "harvest_source_create", context={"user": sysadmin["name"]},
        name="dados-abertos-mogi", title="Dados Abertos Mogi das Cruzes",
        url=live_server + "/catalog.ttl", source_type="dcat_rdf",
        owner_org=organization["id"])


def gather(source: dict[str, Any], sysadmin: dict[str, Any]) -> tuple[Any, list[Any]]:
    """The gather stage of one harvest job, in-process."""
    harvester = p.get_plugin("dcat_rdf_harvester")
    job_dict = helpers.call_action("harvest_job_create", context={"user": sysadmin["name"]},
                                   source_id=source["id"], run=False)
    job = harvest_model.HarvestJob.get(job_dict["id"])
    job.status = "Running"
    job.save()
    object_ids = queue.gather_stage(harvester, job) or []
    return job, [harvest_model.HarvestObject.get(object_id) for object_id in object_ids]


def tag_names(dataset: dict[str, Any]) -> set[str]:
    return {tag["name"] for tag in dataset.get("tags", [])}


def resources(dataset: dict[str, Any]) -> list[tuple[str, str, str]]:
    return sorted((r["url"], r.get("format") or "", r.get("name") or "")
                  for r in dataset.get("resources", []))


def test_catalogue_spans_pages_linked_to_the_live_server(portal, live_server):
    first = Graph().parse(data=requests.get(live_server + "/catalog.ttl", timeout=10).text,
                          format="turtle")
    assert len(set(first.subjects(RDF.type, DCAT.Dataset))) == 2
    next_page = next(first.objects(None, HYDRA.next))
    assert str(next_page).startswith(live_server + "/catalog.ttl?")


def test_dcat_harvester_recreates_public_datasets(
        portal, harvest_source, live_server, sysadmin):
    for name in PUBLIC:  # the comparison below is on filled-in values
        assert all(portal[name].get(field) for field in FIELDS), name
        assert tag_names(portal[name]) and resources(portal[name]), name

    job, objects = gather(harvest_source, sysadmin)
    assert [error.message for error in job.gather_errors] == []

    contents = [json.loads(harvest_object.content) for harvest_object in objects]
    titles = {content["title"] for content in contents}
    # every page was followed; never the private dataset
    assert titles == {PUBLIC[name]["title"] for name in PUBLIC}
    assert len(contents) == len(PUBLIC)
    assert "Notificações compulsórias" not in titles

    # the remote graph is in the harvest objects: purge the originals
    for name in PUBLIC:
        helpers.call_action("dataset_purge", id=name)

    harvester = p.get_plugin("dcat_rdf_harvester")
    for harvest_object in objects:
        queue.fetch_and_import_stages(harvester, harvest_object)
        assert harvest_object.state == "COMPLETE", [e.message for e in harvest_object.errors]
        assert harvest_object.report_status == "added"
    package_ids = [harvest_object.package_id for harvest_object in objects]

    model.Session.remove()
    recreated = {}
    for package_id in package_ids:
        dataset = helpers.call_action("package_show", id=package_id)
        recreated[dataset["title"]] = dataset
    for name in PUBLIC:
        original = portal[name]
        copy = recreated[original["title"]]
        assert copy["id"] != original["id"]
        assert copy["private"] is False
        for field in FIELDS:
            assert copy.get(field) == original.get(field), (name, field)
        assert tag_names(copy) == tag_names(original), name
        assert resources(copy) == resources(original), name

    # the private dataset is untouched and was not duplicated
    assert helpers.call_action("package_show", id=PRIVATE)["private"] is True
