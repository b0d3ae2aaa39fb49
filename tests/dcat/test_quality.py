"""DQV quality measurements in the DCAT-BR output: the seal, the tables'
validation and the freshness of each dataset (``dqv:hasQualityMeasurement``).

Freshness is made by setting the stored dates (the dataset's creation, its
files' upload) and indexing again; the clock is never touched.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator

import pytest
from ckan import model
from ckan.lib import jobs, search
from ckan.tests import helpers
from dateutil.relativedelta import relativedelta
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD
from sample_data import BROKEN, UNITS
from sqlalchemy import text

from ckanext.mogi.dcat import fragments, quality
from ckanext.mogi.dcat.mappings import DQV

pytestmark = pytest.mark.usefixtures("clean_db")

SITE = "http://test.ckan.net"
PAGE = f"{SITE}/transparencia/qualidade"
METRICS = {"selo": f"{PAGE}#selo-dcat-br", "validacao": f"{PAGE}#validacao-das-tabelas",
           "atualizacao": f"{PAGE}#atualizacao"}


@pytest.fixture
def fragment_worker(ckan_config, monkeypatch) -> Iterator[Callable[[], None]]:
    queue = f"mogi-dcat-test-{uuid.uuid4().hex[:12]}"
    monkeypatch.setitem(ckan_config, fragments.QUEUE_OPTION, queue)
    yield lambda: jobs.Worker([queue]).work(burst=True)
    jobs.get_queue(queue).delete(delete_jobs=True)


def _graph(app, url: str) -> Graph:
    return Graph().parse(data=app.get(url, status=200).get_data(as_text=True), format="turtle")


def _measured(graph: Graph, name: str) -> dict[str, str]:
    """Metric key -> value of the dataset ``name`` in ``graph``."""
    dataset = URIRef(f"{SITE}/dataset/{helpers.call_action('package_show', id=name)['id']}")
    found = {}
    for measurement in graph.objects(dataset, DQV.hasQualityMeasurement):
        assert (measurement, RDF.type, DQV.QualityMeasurement) in graph
        assert (measurement, DQV.computedOn, dataset) in graph
        metric = graph.value(measurement, DQV.isMeasurementOf)
        value = graph.value(measurement, DQV.value)
        assert isinstance(value, Literal) and value.datatype == XSD.string
        key = next(k for k, iri in METRICS.items() if str(metric) == iri)
        found[key] = str(value)
    return found


def _aged(package_id: str, created: dt.date, files: dt.date | None = None) -> None:
    """The dataset created on ``created`` (its files uploaded on ``files``),
    ``metadata_modified`` left as it is."""
    model.Session.execute(text("UPDATE package SET metadata_created = :m WHERE id = :id"),
                          {"m": dt.datetime.combine(created, dt.time(15)), "id": package_id})
    if files:
        model.Session.execute(text(
            "UPDATE resource SET last_modified = :m, created = :m WHERE package_id = :id"),
            {"m": dt.datetime.combine(files, dt.time(15)), "id": package_id})
    model.Session.commit()
    model.Session.expire_all()
    search.rebuild(package_id)


def test_each_dataset_carries_its_seal_validation_and_freshness(app, create_dataset,
                                                                 new_dataset):
    today = quality.today()
    overdue = create_dataset("atrasado")
    _aged(overdue["id"], today - relativedelta(months=3))
    current = new_dataset("em-dia", private=False)
    on_demand = new_dataset("sob-demanda", private=False, periodicidade="SOB_DEMANDA")
    _aged(on_demand["id"], today - relativedelta(years=3))
    seal = helpers.call_action("package_show", id="atrasado")["selo_dcat_br"]["nivel"]
    assert seal != "nenhum"

    for url in ("/catalog.ttl", "/dataset/atrasado.ttl"):
        assert _measured(_graph(app, url), "atrasado") == {
            "selo": seal, "validacao": "sem_tabelas", "atualizacao": "atrasada"}
    page = _graph(app, "/catalog.ttl")
    assert _measured(page, "em-dia")["atualizacao"] == "em_dia"
    assert _measured(page, "sob-demanda")["atualizacao"] == "sem_previsao"
    assert current["id"] and on_demand["id"]

    # the metrics are described once, in Portuguese, with their dimension
    metric = URIRef(METRICS["atualizacao"])
    assert (metric, RDF.type, DQV.Metric) in page
    assert page.value(metric, SKOS.prefLabel) == Literal("Atualização em dia", lang="pt-BR")
    dimension = page.value(metric, DQV.inDimension)
    assert (dimension, RDF.type, DQV.Dimension) in page
    assert page.value(dimension, SKOS.prefLabel) == Literal("Atualidade", lang="pt-BR")


def test_the_tables_verdicts_are_measured(app, sysadmin, organization, create_dataset,
                                          upload_table, validation_worker):
    # not blocking: a table with errors leaves its dataset public
    helpers.call_action("organization_patch", context={"user": sysadmin["name"]},
                        id=organization["id"], validacao_bloqueante="nao")
    sound = create_dataset("tabela-valida")
    upload_table(sound, UNITS, "unidades.csv")
    broken = create_dataset("tabela-quebrada")
    upload_table(broken, UNITS, "unidades.csv")
    upload_table(broken, BROKEN, "quebrada.csv")
    assert _measured(_graph(app, "/catalog.ttl"), "tabela-valida")["validacao"] == "em_validacao"

    validation_worker()

    page = _graph(app, "/catalog.ttl")
    assert _measured(page, "tabela-valida")["validacao"] == "valida"
    assert _measured(page, "tabela-quebrada")["validacao"] == "com_erros"


def test_cached_fragments_follow_the_calendar_and_the_verdicts(
        app, create_dataset, upload_table, fragment_worker, validation_worker):
    """Neither a due date passing nor a verdict moves ``metadata_modified``:
    the cached fragment must not keep the old measurement."""
    fragments.clear()
    dataset = create_dataset("mensal")
    upload_table(dataset, UNITS, "unidades.csv")
    _graph(app, "/catalog.ttl")
    fragment_worker()
    warm = _graph(app, "/catalog.ttl")
    assert _measured(warm, "mensal") == {
        "selo": helpers.call_action("package_show", id="mensal")["selo_dcat_br"]["nivel"],
        "validacao": "em_validacao", "atualizacao": "em_dia"}
    modified = helpers.call_action("package_show", id="mensal")["metadata_modified"]
    etag = app.get("/dataset/mensal.ttl").headers["ETag"]
    catalogue_etag = app.get("/catalog.ttl").headers["ETag"]

    # the table's verdict: new measurement, new validators
    validation_worker()
    assert helpers.call_action("package_show", id="mensal")["metadata_modified"] == modified
    assert _measured(_graph(app, "/catalog.ttl"), "mensal")["validacao"] == "valida"
    assert app.get("/dataset/mensal.ttl", headers={"If-None-Match": etag}).status_code == 200
    assert app.get("/catalog.ttl",
                   headers={"If-None-Match": catalogue_etag}).status_code == 200

    # two months on: the file is as old as that, nothing else changed
    today = quality.today()
    _aged(dataset["id"], today - relativedelta(months=2), files=today - relativedelta(months=2))
    assert helpers.call_action("package_show", id="mensal")["metadata_modified"] == modified
    assert _measured(_graph(app, "/catalog.ttl"), "mensal")["atualizacao"] == "atrasada"


def test_freshness_of_a_dict_on_a_given_day():
    dataset = {"proxima_atualizacao": "2026-12-05"}
    assert quality.freshness_value(dataset, dt.date(2026, 12, 5)) == "em_dia"
    assert quality.freshness_value(dataset, dt.date(2026, 12, 6)) == "atrasada"
    assert quality.freshness_value({**dataset, "descontinuado": "true"},
                                   dt.date(2027, 1, 1)) == "sem_previsao"
    assert quality.state(dataset, dt.date(2026, 12, 5)) != quality.state(
        dataset, dt.date(2026, 12, 6))
