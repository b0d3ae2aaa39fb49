"""What the federal portal reads when its CKAN harvester harvests us.

The Portal Brasileiro de Dados Abertos harvests municipal portals with
ckanext-harvest's CKAN harvester (``ckan_harvester``), through the action API.
Here that very harvester runs in-process (gather, fetch and import stages,
called synchronously, no queue) against our portal served by a real HTTP
server on a local port. The assertions are on what the harvester fetched (the
harvest objects' content), i.e. the title, description, licence, version,
maintainer, maintainer e-mail, tags, theme groups and the 15 CGU extras.
"""

from __future__ import annotations

import json
from typing import Any

import ckanext.harvest.model as harvest_model
import pytest
from cgu_expectations import COMPLETE_CGU_EXTRAS
from ckan import model
from ckan import plugins as p
from ckan.tests import helpers
from ckanext.harvest import queue

from ckanext.mogi.schema.federal import FEDERAL_KEYS

pytestmark = [
    # mogi_validation registers the validators of dataset.yaml's resource
    # schema fields (schemas library, schema file).
    pytest.mark.ckan_config(
        "ckan.plugins",
        "mogi mogi_search mogi_schema scheming_organizations mogi_validation harvest "
        "ckan_harvester"),
    pytest.mark.usefixtures("with_plugins"),
]

#: Public datasets of the portal: name -> (changes to the complete dataset,
#: the CGU extras the federal harvester must read).
PUBLIC = {
    "atendimentos-ubs-2022": ({}, COMPLETE_CGU_EXTRAS),
    "leitos-hospitalares-sp": ({
        "title": "Leitos hospitalares no Estado de São Paulo",
        "notes": "Leitos SUS por hospital, série anual.",
        "version": "2023.1",
        "temas": ["saude"],
        "tag_string": "leitos, hospitais",
        "license_id": "cc-zero",
        "periodicidade": "ANUAL",
        "cobertura_temporal_inicio": "2015-01-01",
        "cobertura_temporal_fim": "31/12/2023",
        "cobertura_espacial": "ESTADUAL",
        "valor_cobertura_espacial": "SP",
        "granularidade_espacial": "MUNICIPAL",
        "granularidade_municipal": None,
        "dados_pessoais": "nao",
        "base_legal_lgpd": None,
        "anonimizacao": None,
        "maintainer": "Regulação Hospitalar",
        "maintainer_email": "regulacao@mogidascruzes.sp.gov.br",
        "relacao_ods": "false",
        "ods": None,
        "dados_raca_etnia": "true",
        "dados_genero": "false",
        "atualizacao_versao": "true",
        "descontinuado": "true",
        "data_descontinuacao": "30/06/2024",
    }, {
        "periodicidade": "ANUAL",
        "coberturaTemporalInicio": "01/01/2015",
        "coberturaTemporalFim": "31/12/2023",
        "coberturaEspacial": "ESTADUAL",
        "valorCoberturaEspacial": "SP",
        "granularidadeEspacial": "MUNICIPAL",
        "atualizacaoVersao": "true",
        "descontinuado": "true",
        "dataDescontinuacao": "30/06/2024",
        "observanciaLegal": "1",
        "relacaoOds": "false",
        "ods": "",
        "dadosRacaEtnia": "true",
        "dadosGenero": "false",
        "dadosAbertos": "true",
    }),
}

PRIVATE = "notificacoes-compulsorias"


@pytest.fixture(autouse=True)
def harvest_db(clean_db, migrate_db_for):
    """The harvest tables, migrated before any test data touches the database
    (the migration alters a foreign key to ``package``: it would wait forever
    on a session that has read that table)."""
    migrate_db_for("harvest")


@pytest.fixture
def portal(sysadmin, dataset_data) -> dict[str, dict[str, Any]]:
    """Our public datasets and a private one (restricted access, personal data)."""
    context = {"user": sysadmin["name"]}
    datasets = {
        name: helpers.call_action("package_create", context=dict(context),
                                  **dataset_data(name=name, **changes))
        for name, (changes, _extras) in PUBLIC.items()
    }
    datasets[PRIVATE] = helpers.call_action(
        "package_create", context=dict(context),
        **dataset_data(name=PRIVATE, title="Notificações compulsórias", private=True,
                       observancia_legal=["3"], dados_pessoais="sim"))
    return datasets


@pytest.fixture
def harvest_source(live_server, sysadmin, organization) -> dict[str, Any]:
    """A CKAN harvest source pointing at our portal, as the federal portal has."""
    return helpers.call_action(
        "harvest_source_create", context={"user": sysadmin["name"]},
        name="prefeitura-de-mogi-das-cruzes", title="Prefeitura de Mogi das Cruzes",
        url=live_server + "/", source_type="ckan", owner_org=organization["id"],
        config=json.dumps({"remote_groups": "only_local"}))


def run_job(source: dict[str, Any], sysadmin: dict[str, Any],
            import_objects: bool = True) -> tuple[Any, list[Any]]:
    """One harvest job, its stages called in-process as the queue consumers would."""
    harvester = p.get_plugin("ckan_harvester")
    job_dict = helpers.call_action("harvest_job_create", context={"user": sysadmin["name"]},
                                   source_id=source["id"], run=False)
    job = harvest_model.HarvestJob.get(job_dict["id"])
    job.status = "Running"
    job.save()
    object_ids = queue.gather_stage(harvester, job) or []
    objects = [harvest_model.HarvestObject.get(object_id) for object_id in object_ids]
    if import_objects:
        for harvest_object in objects:
            queue.fetch_and_import_stages(harvester, harvest_object)
        job.status = "Finished"
        job.save()
    return job, objects


def fetched(objects: list[Any]) -> dict[str, dict[str, Any]]:
    """name -> the dataset dict the harvester read from our API."""
    contents = [json.loads(harvest_object.content) for harvest_object in objects]
    return {content["name"]: content for content in contents}


def cgu_extras(content: dict[str, Any]) -> dict[str, str]:
    keys = [extra["key"] for extra in content.get("extras", [])]
    assert len(keys) == len(set(keys)), f"repeated extras: {keys}"
    return {extra["key"]: extra["value"] for extra in content.get("extras", [])}


def test_federal_harvester_reads_public_datasets_with_the_cgu_extras(
        portal, harvest_source, sysadmin, dataset_data):
    job, objects = run_job(harvest_source, sysadmin)

    assert [error.message for error in job.gather_errors] == []
    read = fetched(objects)
    assert set(read) == set(PUBLIC)  # never the private dataset
    assert PRIVATE not in read

    for name, (changes, expected_extras) in PUBLIC.items():
        sent = dataset_data(name=name, **changes)
        content = read[name]
        assert content["private"] is False
        assert content["title"] == sent["title"]
        assert content["notes"] == sent["notes"]                       # descrição
        assert content["license_id"] == sent["license_id"]             # licença
        assert content["version"] == sent["version"]                   # versão
        assert content["maintainer"] == sent["maintainer"]             # área técnica
        assert content["maintainer_email"] == sent["maintainer_email"].lower()
        assert {tag["name"] for tag in content["tags"]} == {          # palavras-chave
            tag.strip() for tag in sent["tag_string"].split(",")}
        labels = {"saude": "Saúde", "economia-e-financas": "Economia e Finanças"}
        assert {group["title"] for group in content["groups"]} == {   # temas
            labels[theme] for theme in sent["temas"]}
        assert cgu_extras(content) == expected_extras, name

    # importing into the same CKAN finds the same datasets, unchanged
    assert {(o.state, o.report_status) for o in objects} == {("COMPLETE", "not modified")}
    for name, dataset in portal.items():
        shown = helpers.call_action("package_show", id=name)
        assert shown["metadata_modified"] == dataset["metadata_modified"]


def test_incremental_harvest_reads_changed_datasets(portal, harvest_source, sysadmin):
    """The second job asks only for datasets modified since the last one."""
    run_job(harvest_source, sysadmin)
    job, objects = run_job(harvest_source, sysadmin, import_objects=False)
    assert [error.message for error in job.gather_errors] == []
    # the harvester looks one hour back: both public datasets, still no private one
    assert set(fetched(objects)) == set(PUBLIC)


def test_another_ckan_imports_what_it_harvested_from_us(
        portal, harvest_source, sysadmin):
    """Our API output is importable by a CKAN harvester into a portal with our schema.

    The local copies are purged first, so that the import really creates the
    datasets (the harvester keeps the remote ids and names).
    """
    _job, objects = run_job(harvest_source, sysadmin, import_objects=False)
    originals = {name: helpers.call_action("package_show", id=name) for name in PUBLIC}
    for name in PUBLIC:
        helpers.call_action("dataset_purge", id=name)

    harvester = p.get_plugin("ckan_harvester")
    for harvest_object in objects:
        queue.fetch_and_import_stages(harvester, harvest_object)
        assert harvest_object.state == "COMPLETE", [e.message for e in harvest_object.errors]
        assert harvest_object.report_status == "added"

    for name, original in originals.items():
        model.Session.remove()
        imported = helpers.call_action("package_show", id=name)
        for field in ("title", "notes", "license_id", "version", "maintainer",
                      "maintainer_email", "temas", "periodicidade",
                      "cobertura_temporal_inicio", "cobertura_temporal_fim",
                      "cobertura_espacial", "valor_cobertura_espacial",
                      "observancia_legal", "ods", "dados_pessoais", "descontinuado"):
            assert imported.get(field) == original.get(field), (name, field)
        assert {g["title"] for g in imported["groups"]} == {
            g["title"] for g in original["groups"]}
        assert {key: value for key, value in cgu_extras(imported).items()
                if key in FEDERAL_KEYS} == cgu_extras(original)
        stored = model.Package.get(imported["id"]).extras or {}
        assert not {"coberturaTemporalInicio", "valorCoberturaEspacial",
                    "dadosAbertos"} & set(stored)
