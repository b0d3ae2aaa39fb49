"""The DataStore examples of "Como usar a API" (``/sobre/api``), run as shown.

A real table (uploaded, validated and loaded by the real worker: its rows
typed in CKAN's DataStore) feeds the page; every DataStore example the page
shows is run, from the very command a citizen copies, and its answer is
checked against the table's own rows: filters, Portuguese full text, sort,
paging and SQL. Private tables answer 403 and never reach the page.
"""

from __future__ import annotations

import io
import json
import shlex
from collections import Counter
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from bs4 import BeautifulSoup
from ckan.tests import factories, helpers
from werkzeug.datastructures import FileStorage

pytestmark = [
    pytest.mark.usefixtures("clean_db"),
    # The dataset is public while its table is checked (never held by blocking mode).
    pytest.mark.ckan_config("ckanext.mogi.validation.blocking", "false"),
]

SITE_URL = "http://test.ckan.net"
BAIRROS = ["Jundiapeba", "Braz Cubas", "César de Souza", "Centro", "Jundiapeba"]
UNIDADES = ["Posto de atendimento {n}", "Atendimentos domiciliares {n}", "UBS {bairro}"]


def rows() -> list[dict[str, Any]]:
    """The table: 30 rows of health-unit visits, as typed values."""
    found = []
    for n in range(30):
        bairro = BAIRROS[n % len(BAIRROS)]
        unidade = ("Posto de atendimento Jundiapeba" if n == 0
                   else UNIDADES[n % len(UNIDADES)].format(n=n, bairro=bairro))
        found.append({"bairro": bairro, "unidade": unidade, "atendimentos": 100 + 37 * n % 250,
                      "custo": Decimal(f"{1000 + 13 * n}.{n:02d}"),
                      "data": date(2024, 1 + n % 12, 1 + n % 28)})
    return found


def csv_text(table: list[dict[str, Any]]) -> str:
    """The same rows as the city publishes them: ``;``, decimal comma, dd/mm/aaaa."""
    lines = ["bairro;unidade;atendimentos;custo;data"]
    for row in table:
        custo = f"{row['custo']:,}".replace(",", "X").replace(".", ",").replace("X", ".")
        lines.append(f"{row['bairro']};{row['unidade']};{row['atendimentos']};{custo};"
                     f"{row['data']:%d/%m/%Y}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def table(create_dataset, sysadmin, validation_worker) -> Iterator[dict[str, Any]]:
    """A public dataset's table, uploaded, validated and loaded into the DataStore
    by the real worker (the validation job, then the typed load it queues)."""
    dataset = create_dataset("atendimentos-por-bairro", private=False)
    data = rows()
    storage = FileStorage(stream=io.BytesIO(csv_text(data).encode("cp1252")),
                          filename="atendimentos.csv", content_type="text/csv")
    resource = helpers.call_action(
        "resource_create", context={"user": sysadmin["name"]}, package_id=dataset["id"],
        upload=storage, name="Atendimentos por bairro", format="CSV")
    validation_worker()
    assert helpers.call_action("resource_show", id=resource["id"])["datastore_active"]
    yield {"dataset": dataset, "resource": resource, "rows": data}


def datastore_examples(app, **kwargs: Any) -> list[dict[str, Any]]:
    """Each DataStore example of the page: title, URL, and the command's request."""
    page = BeautifulSoup(app.get("/sobre/api", status=200, **kwargs).body, "html.parser")
    found = []
    for section in page.select("section.mogi-example"):
        if "/api/3/action/datastore_" not in section["data-url"]:
            continue
        # As a shell reads it: a backslash at the end of a line continues it.
        words = shlex.split(section.find("code").get_text().replace("\\\n", " "))
        found.append({
            "title": " ".join(section.find("h3").get_text().split()),
            "url": section["data-url"],
            "command": words,
        })
    return found


def run(app, example: dict[str, Any]) -> tuple[str, dict[str, str], dict[str, Any]]:
    """The example's request, from its curl command as a citizen copies it."""
    words = example["command"]
    assert words[:2] == ["curl", "-G"], words
    base = words[2]
    params = dict(value.split("=", 1) for flag, value in zip(words[3::2], words[4::2],
                                                              strict=True)
                  if flag == "--data-urlencode")
    # The link of the page ("Abrir no navegador") is the same request.
    address = urlsplit(example["url"])
    assert f"{address.scheme}://{address.netloc}{address.path}" == base
    assert dict(parse_qsl(address.query)) == params
    answer = app.get(address.path, query_string=params, status=200).json
    assert answer["success"] is True
    return address.path.rsplit("/", 1)[-1], params, answer["result"]


def _number(value: Any) -> Decimal:
    return Decimal(str(value))


def test_every_datastore_example_answers_from_the_table(app, table):
    data = table["rows"]
    examples = datastore_examples(app)
    titles = [e["title"] for e in examples]

    assert titles == ["Ler as linhas de uma tabela", "Filtrar as linhas",
                      "Buscar no texto, em português", "Ordenar as linhas",
                      "Paginar as linhas", "Consultar com SQL"]
    answers = {title: run(app, example) for title, example in zip(titles, examples,
                                                                   strict=True)}
    for action, params, _result in answers.values():
        if action == "datastore_search":
            assert params["resource_id"] == table["resource"]["id"]

    _, _, first = answers["Ler as linhas de uma tabela"]
    types = {f["id"]: f["type"] for f in first["fields"]}
    assert types == {"_id": "int", "bairro": "text", "unidade": "text",
                     "atendimentos": "int8", "custo": "numeric", "data": "date"}
    assert first["total"] == len(data) and len(first["records"]) == 5

    _, params, filtered = answers["Filtrar as linhas"]
    assert json.loads(params["filters"]) == {"bairro": "Jundiapeba"}
    assert filtered["total"] == sum(row["bairro"] == "Jundiapeba" for row in data) == 12
    assert {r["bairro"] for r in filtered["records"]} == {"Jundiapeba"}

    # Portuguese full text: "atendimento" finds "Atendimentos domiciliares" too.
    _, params, searched = answers["Buscar no texto, em português"]
    assert params["q"] == "atendimento"
    expected = [row["unidade"] for row in data if "atendiment" in row["unidade"].lower()]
    assert searched["total"] == len(expected)
    assert sorted(r["unidade"] for r in searched["records"]) == sorted(expected)
    assert any(r["unidade"].startswith("Atendimentos domiciliares")
               for r in searched["records"])

    _, params, ordered = answers["Ordenar as linhas"]
    assert params["sort"] == "atendimentos desc nulls last"
    shown = [r["atendimentos"] for r in ordered["records"]]
    assert shown == sorted((row["atendimentos"] for row in data), reverse=True)[:5]

    _, params, paged = answers["Paginar as linhas"]
    assert (params["sort"], params["limit"], params["offset"]) == ("_id", "5", "5")
    assert [r["unidade"] for r in paged["records"]] == [row["unidade"] for row in data[5:10]]
    assert paged["total"] == len(data)

    _, params, summed = answers["Consultar com SQL"]
    assert params["sql"] == (
        f'SELECT "bairro", COUNT(*) AS total, SUM("atendimentos") AS "atendimentos" '
        f'FROM "{table["resource"]["id"]}" GROUP BY "bairro" ORDER BY total DESC, "bairro" '
        f"LIMIT 5")
    counts = Counter(row["bairro"] for row in data)
    sums = {b: sum(row["atendimentos"] for row in data if row["bairro"] == b) for b in counts}
    assert [(r["bairro"], int(r["total"]), _number(r["atendimentos"]))
            for r in summed["records"]] == sorted(
        ((b, n, Decimal(sums[b])) for b, n in counts.items()), key=lambda t: (-t[1], t[0]))


def test_the_examples_explain_in_portuguese(app, table):
    page = BeautifulSoup(app.get("/sobre/api", status=200).body, "html.parser")
    heading = page.find(id="dados-das-tabelas")
    text = " ".join(page.select_one(".mogi-prose").get_text(" ").split())

    assert heading.get_text() == "As linhas das tabelas (DataStore)"
    assert 'Aqui: as linhas cujo "bairro" é "Jundiapeba".' in text
    assert "no máximo 32.000" in text
    assert "qualquer outra tabela responde 403" in text


def test_a_private_table_answers_403_and_never_reaches_the_page(app, table, sysadmin):
    resource_id = table["resource"]["id"]
    sql = f'SELECT COUNT(*) FROM "{resource_id}"'
    helpers.call_action("package_patch", context={"user": sysadmin["name"]},
                        id=table["dataset"]["id"], private=True)
    outsider = factories.UserWithToken()

    for headers in ({}, {"Authorization": outsider["token"]}):
        for action, params in (("datastore_search", {"resource_id": resource_id}),
                               ("datastore_search_sql", {"sql": sql})):
            refused = app.get(f"/api/3/action/{action}", query_string=params,
                              headers=headers, status=403).json
            assert refused["success"] is False
            assert "Jundiapeba" not in json.dumps(refused)
    # The dataset's staff still query it.
    staff = app.get("/api/3/action/datastore_search", query_string={"resource_id": resource_id},
                    headers={"Authorization": sysadmin["token"]}, status=200).json
    assert staff["result"]["total"] == len(table["rows"])
    # The page shows no example of it, whoever looks.
    for headers in ({}, {"Authorization": sysadmin["token"]}):
        html = app.get("/sobre/api", status=200, headers=headers).body
        assert resource_id not in html
        assert "Nenhuma tabela de conjunto de dados público tem ainda" in html


def test_without_a_table_the_page_says_when_examples_will_come(app, create_dataset):
    create_dataset("sem-tabelas", private=False)

    assert datastore_examples(app) == []
    page = BeautifulSoup(app.get("/sobre/api", status=200).body, "html.parser")
    assert "os exemplos aparecerão quando a primeira for carregada" in page.get_text()
