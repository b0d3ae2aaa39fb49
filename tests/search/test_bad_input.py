"""Bad search input gets a Portuguese message (400/409, or the message on the
page), never a server error; concurrent searches give the serial answers.

Every case of the portal's measured 500s (5,000 generated requests) has a
regression test below, on the API (GET and POST) and on the dataset,
organization and group pages; a hypothesis test generates more.
"""

from __future__ import annotations

import random
import threading
from typing import Any

import pytest
import requests
from ckan.tests import factories
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = [pytest.mark.usefixtures("clean_db"),
              pytest.mark.ckan_config("ckan.plugins", "mogi mogi_search mogi_theme")]

API = "/api/3/action/package_search"


@pytest.fixture
def portal() -> dict[str, Any]:
    org = factories.Organization(name="secretaria-de-saude", title="Secretaria de Saúde")
    group = factories.Group(name="saude", title="Saúde")
    csv = {"url": "http://example.com/a.csv", "format": "CSV"}
    for n, title in enumerate(["Licitações 2022", "Unidades Básicas de Saúde",
                               "Campanhas de vacinação", "Escolas municipais"]):
        factories.Dataset(name=f"conjunto-{n}", title=title, owner_org=org["id"],
                          groups=[{"name": "saude"}] if n % 2 else [],
                          tags=[{"name": "saúde" if n % 2 else "compras"}],
                          resources=[csv] * n)
    return {"org": org["name"], "group": group["name"]}


def pages(portal: dict[str, Any]) -> list[str]:
    return ["/dataset/", f"/organization/{portal['org']}", f"/group/{portal['group']}"]


# (parameters, status of the API, words of the Portuguese message)
CASES = [
    ({"include_private": "x"}, 409, "deve ser verdadeiro ou falso"),
    ({"include_drafts": "talvez"}, 409, "deve ser verdadeiro ou falso"),
    ({"q": "a" * 2100}, 409, "longa demais"),
    ({"q": "tags:" + "a" * 2100}, 409, "longa demais"),
    ({"fq": "tags:" + "a" * 2100}, 409, "longa demais"),
    ({"q": "tags:/[/"}, 400, "não é válida"),
    ({"q": "tags:/a{999}/"}, 400, "não é válida"),
    ({"q": "tags:/a~b/"}, 400, "não é aceito em expressões regulares"),
    ({"start": "9223372036854775808"}, 409, "grande demais"),
    ({"q": "num_resources:[1e999999 TO *]"}, 400, "fora do intervalo"),
    ({"q": "metadata_modified:[2024-13-45 TO *]"}, 400, "não é uma data válida"),
    ({"q": 'metadata_modified:"2024-02-30"'}, 400, "não é uma data válida"),
    ({"q": "metadata_modified:[0000-01-01 TO *]"}, 400, "não é uma data válida"),
    ({"q": "metadata_modified:[NOW+9999999YEARS TO *]"}, 400, "fora do intervalo"),
    ({"q": "saude\x00"}, 409, "caractere inválido (NUL)"),
    ({"fq": "tags:saude\x00"}, 409, "caractere inválido (NUL)"),
]


def api_message(response: Any) -> str:
    error = response.json["error"]
    return str(error.get("message") or [v for k, v in error.items() if k != "__type"])


@pytest.mark.parametrize(("params", "status", "message"), CASES)
def test_api_get_and_post_answer_a_portuguese_error(app, portal, params, status, message):
    for response in (app.get(API, query_string=params), app.post(API, json=params)):
        assert response.status_code == status, response.get_data(as_text=True)[:300]
        assert message in api_message(response)


# Page inputs (only ``q`` and ``page`` come from the visitor) and the message.
PAGE_CASES = [
    ({"q": 'title:"abc'}, "Não foi possível entender a busca"),
    ({"q": "a" * 2100}, "longa demais"),
    ({"q": "tags:/[/"}, "não é válida"),
    ({"q": "metadata_modified:[2024-13-45 TO *]"}, "não é uma data válida"),
    ({"q": "metadata_modified:[NOW+9999999YEARS TO *]"}, "fora do intervalo"),
    ({"q": "num_resources:[1e999999 TO *]"}, "fora do intervalo"),
    ({"q": "saude\x00"}, "caractere inválido (NUL)"),
    ({"page": "99999999999999999999"}, "grande demais"),
]


@pytest.mark.parametrize(("params", "message"), PAGE_CASES)
def test_pages_show_the_message_instead_of_results(app, portal, params, message):
    for url in pages(portal):
        response = app.get(url, query_string=params)
        assert response.status_code in (200, 400), url
        assert message in response.get_data(as_text=True), url


def test_valid_edge_cases_still_search(app, portal):
    """Solr accepts these: a negative range bound, open bounds, long words."""
    def count(**params: Any) -> int:
        response = app.get(API, query_string=params)
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        return response.json["result"]["count"]

    assert count(q="num_resources:[-1 TO 1]") == 2
    assert count(q="num_resources:[2 TO *]") == 2
    assert count(q="metadata_modified:[NOW-1YEAR TO NOW+1DAY]") == 4
    assert count(q="tags:/sa.de/") == 2
    assert count(q="b" * 1900) == 0
    assert count(q="licitacoes " + "c" * 300) == 0


# -- property-based: nothing a client sends gets a 5xx --------------------

FRAGMENTS = st.sampled_from([
    "*:*", "tags:", "title:", "name:", "res_format:", "num_resources:", "metadata_modified:",
    "data_date:", "AND", "OR", "NOT", "+", "-", "(", ")", '"', "[", "]", "{", "}", " TO ",
    "*", "?", "~", "^2", "/", "/[/", "/a.*/", "\\", ":", "NOW", "NOW-1DAY/DAY",
    "NOW+9999999YEARS", "2024-02-30", "2024-13-45", "0000-01-01T00:00:00Z",
    "2024-01-31T00:00:00Z", "1e999999", "-1", "9223372036854775808", "NaN", "Infinity",
    "saúde", "licitações", "\x00", "a" * 300, "💾", "ç", " ", "{!lucene}", "_val_:1",
])
QUERY = st.one_of(
    st.lists(FRAGMENTS, max_size=8).map("".join),
    st.lists(st.one_of(FRAGMENTS, st.text(max_size=6)), max_size=6).map(" ".join),
    st.text(max_size=40),
)
NUMBER = st.one_of(st.integers(min_value=-10, max_value=50).map(str),
                   st.sampled_from(["9223372036854775808", "99999999999999999999", "-1",
                                    "1e3", "x", "", "2147483648", "1.5"]))
BOOLEAN = st.sampled_from(["true", "false", "True", "0", "1", "x", "", "yes", "on"])
SORT = st.sampled_from(["score desc", "name asc", "title_string desc", "metadata_modified asc",
                        "num_resources desc", "x y", "name asc, score desc", "", "\x00",
                        "a" * 80 + " asc"])
FACETS = st.lists(st.sampled_from(["tags", "organization", "res_format", "groups", "x" * 70,
                                   "num_resources", "title", "a b", ""]), max_size=3)
API_PARAMS = st.fixed_dictionaries({}, optional={
    "q": QUERY, "fq": QUERY, "sort": SORT, "start": NUMBER, "rows": NUMBER,
    "facet.field": FACETS.map(lambda f: str(f).replace("'", '"')),
    "facet.limit": NUMBER, "facet.mincount": NUMBER,
    "include_private": BOOLEAN, "include_drafts": BOOLEAN,
})
PAGE_PARAMS = st.fixed_dictionaries({}, optional={
    "q": QUERY, "page": NUMBER, "sort": SORT, "tags": QUERY, "res_format": QUERY,
})
SETTINGS = settings(max_examples=120, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


@SETTINGS
@given(params=API_PARAMS, post=st.booleans())
def test_generated_api_searches_never_answer_5xx(app, portal, params, post):
    response = app.post(API, json=params) if post else app.get(API, query_string=params)
    assert response.status_code < 500, (params, response.get_data(as_text=True)[:300])


@SETTINGS
@given(params=PAGE_PARAMS, which=st.integers(min_value=0, max_value=2))
def test_generated_page_searches_never_answer_5xx(app, portal, params, which):
    response = app.get(pages(portal)[which], query_string=params)
    assert response.status_code < 500, params


# -- concurrency: a threaded server answers each query as when alone -----

DISTINCT_QUERIES = [
    {"q": "licitacoes"}, {"q": "saude"}, {"q": "tags:compras"}, {"q": "tags:saúde"},
    {"q": "num_resources:[2 TO *]"}, {"q": "title:escolas OR title:campanhas"},
    {"q": "-tags:compras", "sort": "name asc"}, {"q": 'title:"unidades basicas"'},
    {"q": "name:conjunto-0 OR name:conjunto-3", "sort": "name desc"},
    {"q": "tags:/sa.de/"},
]


def test_concurrent_distinct_queries_match_the_serial_answers(live_server, portal):
    def answer(params: dict[str, str]) -> list[str]:
        response = requests.get(live_server + API, params=dict(params, rows="10"), timeout=30)
        response.raise_for_status()
        return [d["name"] for d in response.json()["result"]["results"]]

    serial = [answer(params) for params in DISTINCT_QUERIES]
    assert len({tuple(names) for names in serial}) > 5  # the queries really differ
    wrong: list[Any] = []

    def client(seed: int) -> None:
        order = list(range(len(DISTINCT_QUERIES))) * 3
        random.Random(seed).shuffle(order)
        for i in order:
            try:
                got = answer(DISTINCT_QUERIES[i])
            except Exception as error:  # any failure is a wrong answer
                wrong.append((DISTINCT_QUERIES[i], repr(error)))
                continue
            if got != serial[i]:
                wrong.append((DISTINCT_QUERIES[i], got, serial[i]))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert wrong == []
