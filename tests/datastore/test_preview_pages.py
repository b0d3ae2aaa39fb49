"""What citizens see of a loaded table on its pages, through the real
application (CKAN's test client, pt_BR): the data dictionary (name, type in
words, description, example values in Portuguese formats), the line with the
number of rows, the preview's frame and its page, without English; and
nothing of a table whose file they may not download.

The rows are put into the DataStore with ``datastore_create`` (as the site
user) for a table the real validation pipeline has judged: these tests are
about the pages, the typed load has its own tests.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from babel import Locale
from bs4 import BeautifulSoup
from ckan.tests import helpers
from sample_data import dataset_fields

from ckanext.mogi.datastore import presentation

pytestmark = pytest.mark.usefixtures("clean_db")

#: A sound table with no personal data (validation: success).
TABLE = "\n".join([
    "unidade;atendimentos;custo;data;aberta;servicos",
    "UBS Jundiapeba;1204;1234,56;31/12/2024;sim;Vacinação e consultas médicas",
    "UBS Braz Cubas;987;98765,43;30/11/2024;não;Curativos",
    "UBS César de Souza;1530;0,5;31/10/2024;sim;Consultas de saúde bucal",
]) + "\n"

#: The same rows, typed, with each column's label and description.
FIELDS = [
    {"id": "unidade", "type": "text",
     "info": {"label": "Unidade de saúde", "notes": "Nome da UBS."}},
    {"id": "atendimentos", "type": "int8",
     "info": {"label": "Atendimentos", "notes": "Atendimentos no mês."}},
    {"id": "custo", "type": "numeric",
     "info": {"label": "Custo (R$)", "notes": "Custo total do mês, em reais."}},
    {"id": "data", "type": "date", "info": {"label": "Data", "notes": "Fim do mês."}},
    {"id": "aberta", "type": "bool", "info": {"label": "Aberta", "notes": ""}},
    {"id": "servicos", "type": "text", "info": {"label": "Serviços", "notes": ""}},
]
RECORDS = [
    {"unidade": "UBS Jundiapeba", "atendimentos": 1204, "custo": "1234.56",
     "data": "2024-12-31", "aberta": True, "servicos": "Vacinação e consultas médicas"},
    {"unidade": "UBS Braz Cubas", "atendimentos": 987, "custo": "98765.43",
     "data": "2024-11-30", "aberta": False, "servicos": "Curativos"},
    {"unidade": "UBS César de Souza", "atendimentos": 1530, "custo": "0.5",
     "data": "2024-10-31", "aberta": True, "servicos": "Consultas de saúde bucal"},
]

#: English that CKAN's DataStore pages and preview show and ours must not.
ENGLISH = ["Data viewer", "Close modal", "yyyy-mm-dd", "list of downloadable formats",
           "Data Dictionary", "Refit", "(text)", "(numeric)", "(int8)", "(date)",
           "Details:", "There are no views created"]


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", BeautifulSoup(html, "html.parser").get_text(" ")).strip()


@pytest.fixture
def site_context() -> Callable[[], dict[str, Any]]:
    def context() -> dict[str, Any]:
        user = helpers.call_action("get_site_user")
        return {"user": user["name"], "ignore_auth": True}

    return context


@pytest.fixture
def loaded_table(organization, create_with_upload, validation_worker, site_context):
    """``loaded_table(name, validate=True, private=False)``: a dataset with an
    uploaded table, validated by the real pipeline (or left pending), whose
    rows are in the DataStore with a table preview."""

    def load(name: str, validate: bool = True, private: bool = False
             ) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        dataset = helpers.call_action("package_create", **dataset_fields(
            organization, name, title=f"Tabela {name}", private=private))
        resource = create_with_upload(TABLE, f"{name}.csv", package_id=dataset["id"],
                                      name="Atendimentos por UBS", format="CSV")
        if validate:
            helpers.call_action("resource_validation_run", id=resource["id"],
                                **{"async": False})
        helpers.call_action("datastore_create", context=site_context(),
                            resource_id=resource["id"], force=True,
                            fields=FIELDS, records=RECORDS)
        views = helpers.call_action("resource_view_list", context=site_context(),
                                    id=resource["id"])
        view = next((v for v in views if v["view_type"] == "datatables_view"), None)
        if view is None:
            view = helpers.call_action("resource_view_create", context=site_context(),
                                       resource_id=resource["id"],
                                       view_type="datatables_view", title="Tabela")
        return dataset, helpers.call_action("resource_show", id=resource["id"]), view

    return load


def resource_path(dataset: dict[str, Any], resource: dict[str, Any]) -> str:
    return f"/dataset/{dataset['name']}/resource/{resource['id']}"


def test_the_dictionary_names_types_describes_and_shows_examples_in_portuguese(
        app, loaded_table):
    dataset, resource, _view = loaded_table("ubs-dicionario")
    page = BeautifulSoup(app.get(resource_path(dataset, resource), status=200).body,
                         "html.parser")
    dictionary = page.find("table", class_="mogi-dicionario-tabela")
    assert dictionary is not None
    assert page.find(id="mogi-dicionario-titulo").get_text(strip=True) == "Dicionário de dados"
    rows = {row.th.find(class_="mogi-coluna-rotulo").get_text(strip=True): row
            for row in dictionary.tbody.find_all("tr")}
    assert list(rows) == ["Unidade de saúde", "Atendimentos", "Custo (R$)", "Data", "Aberta",
                          "Serviços"]

    def cells(label: str) -> list[str]:
        return [td.get_text(" ", strip=True) for td in rows[label].find_all("td")]

    # the type in words, the description, examples as people write them
    assert cells("Custo (R$)")[:2] == ["Número", "Custo total do mês, em reais."]
    assert [li.get_text() for li in rows["Custo (R$)"].find_all("li")] == [
        "1.234,56", "98.765,43", "0,5"]
    assert cells("Data")[0] == "Data"
    assert [li.get_text() for li in rows["Data"].find_all("li")] == [
        "31/12/2024", "30/11/2024", "31/10/2024"]
    assert cells("Atendimentos")[0] == "Número inteiro"
    assert [li.get_text() for li in rows["Atendimentos"].find_all("li")] == [
        "1204", "987", "1530"]
    assert cells("Aberta")[0] == "Sim ou não"
    assert [li.get_text() for li in rows["Aberta"].find_all("li")] == ["Sim", "Não"]
    assert cells("Unidade de saúde")[:2] == ["Texto", "Nome da UBS."]
    # the column's technical name, as the API knows it
    assert rows["Custo (R$)"].th.find("code").get_text() == "custo"


def test_the_preview_says_how_many_rows_the_table_has(app, loaded_table):
    dataset, resource, _view = loaded_table("ubs-linhas")
    page = BeautifulSoup(app.get(resource_path(dataset, resource), status=200).body,
                         "html.parser")
    preview = page.find(id="mogi-previa")
    assert preview.find("h2").get_text(strip=True) == "Prévia dos dados"
    assert re.search(r"\b3 linhas\b", preview.find(class_="mogi-carregado").get_text(" "))
    frame = preview.find("iframe")
    assert frame["title"] == "Prévia dos dados: Atendimentos por UBS"


def test_no_english_on_the_resource_page_nor_in_the_preview(app, loaded_table):
    dataset, resource, view = loaded_table("ubs-portugues")
    page = app.get(resource_path(dataset, resource), status=200).body
    frame = app.get(f"{resource_path(dataset, resource)}/view/{view['id']}", status=200).body
    for html in (page, frame):
        for english in ENGLISH:
            assert english not in html
    soup = BeautifulSoup(frame, "html.parser")
    table = soup.find("table", id="dtprv")
    headers = [th.get_text(strip=True) for th in table.thead.find("tr").find_all("th")]
    assert headers[:6] == ["Linha", "Unidade de saúde", "Atendimentos", "Custo (R$)",
                           "Data", "Aberta"]
    # the labels and hints the preview's script gives its controls, translated
    assert table["data-module-date-placeholder"] == "dd/mm/aaaa"
    assert table["data-module-filter-label"] == "Filtrar a coluna {column}"
    assert (table["data-module-yes"], table["data-module-no"]) == ("Sim", "Não")
    assert table["data-date-format"] == "NONE"
    assert soup.find(id="refit-button")["aria-label"] == "Ajustar as colunas ao conteúdo"
    embed = BeautifulSoup(page, "html.parser").find(attrs={"data-module": "mogi-embed"})
    assert embed["data-module-title"] == "Prévia dos dados: Atendimentos por UBS"


def search_rows(app, view: dict[str, Any], search: str = "",
                columns: dict[str, str] | None = None) -> list[str]:
    """The preview's request for rows (as DataTables posts it): the units found."""
    names = [field["id"] for field in FIELDS]
    form = {"draw": "1", "start": "0", "length": "20", "search[value]": search,
            "order[0][column]": "0", "order[0][dir]": "asc"}
    for index, name in enumerate(["_id", *names]):
        form[f"columns[{index}][name]"] = name
        form[f"columns[{index}][search][value]"] = (columns or {}).get(name, "")
    answer = app.post(f"/datatables/ajax/{view['id']}", data=form, status=200).json
    return [row["unidade"] for row in answer["data"]]


def test_the_preview_search_finds_portuguese_words(app, loaded_table):
    """Whole words in any inflection, accents, several words, and column
    filters on decimals and dates as the DataStore stores them."""
    _dataset, _resource, view = loaded_table("ubs-busca")
    assert search_rows(app, view, "consulta") == ["UBS Jundiapeba", "UBS César de Souza"]
    assert search_rows(app, view, "Saúde") == ["UBS César de Souza"]
    assert search_rows(app, view, "vacinação médicas") == ["UBS Jundiapeba"]
    assert search_rows(app, view, "jundia") == ["UBS Jundiapeba"]
    assert search_rows(app, view, "xyz') or 1=1 --") == []
    assert search_rows(app, view, columns={"custo": "98765.43"}) == ["UBS Braz Cubas"]
    assert search_rows(app, view, columns={"data": "2024-10-31"}) == ["UBS César de Souza"]
    assert search_rows(app, view, columns={"unidade": "césar"}) == ["UBS César de Souza"]


def test_the_dataset_page_leads_to_the_data(app, loaded_table):
    dataset, resource, _view = loaded_table("ubs-botao")
    page = BeautifulSoup(app.get(f"/dataset/{dataset['name']}", status=200).body,
                         "html.parser")
    link = page.find("a", class_="mogi-ver-dados")
    assert link.get_text(" ", strip=True).startswith("Ver os dados")
    assert link["href"] == f"{resource_path(dataset, resource)}#mogi-previa"


def test_nothing_of_a_held_table_reaches_a_visitor(app, loaded_table, sysadmin):
    """A table not cleared yet (its validation never ran): the visitor sees no
    column, no example, no row count, no preview; the staff see it all."""
    dataset, resource, view = loaded_table("ubs-retida", validate=False)
    path = resource_path(dataset, resource)
    page = app.get(path, status=200).body
    text = text_of(page)
    assert "poderão ser vistos aqui assim que o arquivo puder ser baixado" in text
    for secret in ("Unidade de saúde", "Custo (R$)", "UBS Jundiapeba", "1.234,56",
                   "3 linhas", "custo"):
        assert secret not in text, secret
    frame = text_of(app.get(f"{path}/view/{view['id']}", status=200).body)
    for secret in ("Unidade de saúde", "unidade", "UBS Jundiapeba"):
        assert secret not in frame, secret
    dataset_page = BeautifulSoup(app.get(f"/dataset/{dataset['name']}").body, "html.parser")
    assert dataset_page.find("a", class_="mogi-ver-dados") is None
    # the staff see the dictionary
    staff = {"Authorization": sysadmin["token"]}
    assert "Unidade de saúde" in text_of(app.get(path, headers=staff, status=200).body)


def test_values_read_as_people_write_them():
    where = Locale.parse("pt_BR")
    assert presentation.display_value(1234.56, "numeric", where) == "1.234,56"
    assert presentation.display_value("1234567.891", "numeric", where) == "1.234.567,891"
    assert presentation.display_value(0.1, "numeric", where) == "0,1"
    assert presentation.display_value("2024-12-31", "date", where) == "31/12/2024"
    assert presentation.display_value("2024-12-31T14:30:00", "timestamp", where) == (
        "31/12/2024 14:30")
    assert presentation.display_value(2024, "int8", where) == "2024"
    assert presentation.display_value("00123", "text", where) == "00123"
    assert presentation.display_value(None, "numeric", where) == ""
    assert presentation.display_value("n/d", "date", where) == "n/d"
