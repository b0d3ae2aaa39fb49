"""What citizens see of a loaded table on its pages, through the real
application (CKAN's test client, pt_BR): the data dictionary (name, type in
words, description, example values in Portuguese formats), the line with when
the rows were loaded and how many there are, the preview's frame and its page
and search, without English; and nothing of a table whose file they may not
download.

Tables take the real way: upload, validation and typed load by a real job
worker (``validation_worker``).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from babel import Locale
from bs4 import BeautifulSoup
from ckan import model
from ckan.tests import helpers
from werkzeug.datastructures import FileStorage

from ckanext.mogi.datastore import model as dmodel
from ckanext.mogi.datastore import presentation

pytestmark = pytest.mark.usefixtures("clean_db")

#: A sound table with no personal data (validation: success), its schema
#: giving each column a title and a description.
TABLE = "\n".join([
    "unidade;atendimentos;custo;data;aberta;servicos",
    "UBS Jundiapeba;1204;1.234,56;31/12/2024;sim;Vacinação e consultas médicas",
    "UBS Braz Cubas;987;98.765,43;30/11/2024;não;Curativos",
    "UBS César de Souza;1530;0,5;31/10/2024;sim;Consultas de saúde bucal",
]) + "\n"
SCHEMA = {"fields": [
    {"name": "unidade", "type": "string", "title": "Unidade de saúde",
     "description": "Nome da UBS."},
    {"name": "atendimentos", "type": "integer", "title": "Atendimentos",
     "description": "Atendimentos no mês."},
    {"name": "custo", "type": "number", "decimalChar": ",", "groupChar": ".",
     "title": "Custo (R$)", "description": "Custo total do mês, em reais."},
    {"name": "data", "type": "date", "format": "%d/%m/%Y", "title": "Data",
     "description": "Fim do mês."},
    {"name": "aberta", "type": "boolean", "trueValues": ["sim"], "falseValues": ["não"],
     "title": "Aberta"},
    {"name": "servicos", "type": "string", "title": "Serviços"},
]}

#: English that CKAN's DataStore pages and preview show and ours must not.
ENGLISH = ["Data viewer", "Close modal", "yyyy-mm-dd", "list of downloadable formats",
           "Data Dictionary", "Refit", "(text)", "(numeric)", "(int8)", "(date)",
           "Details:", "There are no views created"]


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", BeautifulSoup(html, "html.parser").get_text(" ")).strip()


def csv_upload(content: str, filename: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(content.encode("utf-8")), filename=filename,
                       content_type="text/csv")


@pytest.fixture
def published_table(new_dataset, sysadmin, validation_worker
                    ) -> Callable[[str], tuple[dict[str, Any], dict[str, Any], dict[str, Any]]]:
    """``published_table(name)``: a public dataset whose uploaded table went
    through validation and the typed load; its preview."""

    def publish(name: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        dataset = new_dataset(name, private=False, title=f"Tabela {name}")
        created = helpers.call_action(
            "resource_create", context={"user": sysadmin["name"]}, package_id=dataset["id"],
            upload=csv_upload(TABLE, f"{name}.csv"), name="Atendimentos por UBS",
            format="CSV", schema=json.dumps(SCHEMA))
        validation_worker()
        resource = helpers.call_action("resource_show", id=created["id"])
        assert resource["datastore_active"], helpers.call_action(
            "mogi_datastore_status", resource_id=resource["id"])
        (view,) = helpers.call_action("resource_view_list", id=resource["id"])
        return dataset, resource, view

    return publish


def resource_path(dataset: dict[str, Any], resource: dict[str, Any]) -> str:
    return f"/dataset/{dataset['name']}/resource/{resource['id']}"


def test_the_dictionary_names_types_describes_and_shows_examples_in_portuguese(
        app, published_table):
    dataset, resource, _view = published_table("ubs-dicionario")
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


def test_the_preview_says_how_many_rows_the_table_has(app, published_table):
    dataset, resource, _view = published_table("ubs-linhas")
    page = BeautifulSoup(app.get(resource_path(dataset, resource), status=200).body,
                         "html.parser")
    preview = page.find(id="mogi-previa")
    assert preview.find("h2").get_text(strip=True) == "Prévia dos dados"
    status = helpers.call_action("mogi_datastore_status", resource_id=resource["id"])
    line = " ".join(preview.find(class_="mogi-carregado").get_text(" ").split())
    assert re.fullmatch(r"Dados carregados em \d{2}/\d{2}/\d{4} às \d{2}:\d{2} · 3 linhas",
                        line), line
    assert status["loaded_at"] and status["rows"] == 3
    frame = preview.find("iframe")
    assert frame["title"] == "Prévia dos dados: Atendimentos por UBS"


def test_the_rows_line_says_when_a_new_version_loads_and_when_a_load_failed(
        app, published_table, sysadmin, validation_worker, ckan_config, monkeypatch):
    dataset, resource, _view = published_table("ubs-recarga")
    path = resource_path(dataset, resource)

    def line() -> str:
        preview = BeautifulSoup(app.get(path, status=200).body, "html.parser").find(
            id="mogi-previa")
        return " ".join(preview.find(class_=re.compile("^mogi-carreg|^mogi-carga")).find_parent(
            "section").get_text(" ").split())

    # a new file: checked by the worker, its load waiting in another queue
    monkeypatch.setitem(ckan_config, "ckanext.mogi.datastore.queue", "mogi-datastore-later")
    helpers.call_action("resource_patch", context={"user": sysadmin["name"]},
                        id=resource["id"], upload=csv_upload(TABLE, "nova-versao.csv"))
    validation_worker()
    status = helpers.call_action("mogi_datastore_status", resource_id=resource["id"])
    assert status["state"] == "queued" and status["rows"] == 3
    assert "3 linhas" in line()
    assert ("Uma nova versão dos dados está sendo carregada: até ela ficar pronta, "
            "estas são as linhas da anterior.") in line()

    # the load failed: the old rows stay, and the page says so, with why
    dmodel.save(resource["id"], state=dmodel.FAILED, error="O arquivo não pôde ser lido.")
    model.Session.commit()
    assert "3 linhas" in line()
    assert ("A última carga desta tabela falhou; estas são as linhas carregadas antes. "
            "O arquivo não pôde ser lido.") in line()


def test_no_english_on_the_resource_page_nor_in_the_preview(app, published_table):
    dataset, resource, view = published_table("ubs-portugues")
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
    names = [field["name"] for field in SCHEMA["fields"]]
    form = {"draw": "1", "start": "0", "length": "20", "search[value]": search,
            "order[0][column]": "0", "order[0][dir]": "asc"}
    for index, name in enumerate(["_id", *names]):
        form[f"columns[{index}][name]"] = name
        form[f"columns[{index}][search][value]"] = (columns or {}).get(name, "")
    answer = app.post(f"/datatables/ajax/{view['id']}", data=form, status=200).json
    return [row["unidade"] for row in answer["data"]]


def test_the_preview_search_finds_portuguese_words(app, published_table):
    """Whole words in any inflection, accents, several words, and column
    filters on decimals and dates as the DataStore stores them."""
    _dataset, _resource, view = published_table("ubs-busca")
    assert search_rows(app, view, "consulta") == ["UBS Jundiapeba", "UBS César de Souza"]
    assert search_rows(app, view, "Saúde") == ["UBS César de Souza"]
    assert search_rows(app, view, "vacinação médicas") == ["UBS Jundiapeba"]
    assert search_rows(app, view, "jundia") == ["UBS Jundiapeba"]
    assert search_rows(app, view, "xyz') or 1=1 --") == []
    # a number, a date, yes/no: that value (the script sends them as stored)
    assert search_rows(app, view, columns={"custo": "98765.43"}) == ["UBS Braz Cubas"]
    assert search_rows(app, view, columns={"data": "2024-10-31"}) == ["UBS César de Souza"]
    assert search_rows(app, view, columns={"aberta": "false"}) == ["UBS Braz Cubas"]
    assert search_rows(app, view, columns={"atendimentos": "1204"}) == ["UBS Jundiapeba"]
    assert search_rows(app, view, columns={"unidade": "césar"}) == ["UBS César de Souza"]
    assert search_rows(app, view, columns={"unidade": "ubs", "aberta": "true"}) == [
        "UBS Jundiapeba", "UBS César de Souza"]


def test_the_dataset_page_leads_to_the_data(app, published_table):
    dataset, resource, _view = published_table("ubs-botao")
    page = BeautifulSoup(app.get(f"/dataset/{dataset['name']}", status=200).body,
                         "html.parser")
    link = page.find("a", class_="mogi-ver-dados")
    assert link.get_text(" ", strip=True).startswith("Ver os dados")
    assert link["href"] == f"{resource_path(dataset, resource)}#mogi-previa"


def test_nothing_of_a_held_table_reaches_a_visitor(app, published_table, sysadmin):
    """A loaded table whose new file is not checked yet: its file is held, so a
    visitor sees no column, no example, no row count and no preview (its page
    nor the preview's own); the staff see them."""
    dataset, resource, view = published_table("ubs-retida")
    helpers.call_action("resource_patch", context={"user": sysadmin["name"]},
                        id=resource["id"], upload=csv_upload(TABLE, "nova-versao.csv"))
    path = resource_path(dataset, resource)
    page = BeautifulSoup(app.get(path, status=200).body, "html.parser")
    # (the column names are in the resource's public metadata, its schema:
    # no dictionary, no row, no example, no count is shown)
    assert page.find(class_="mogi-dicionario") is None
    preview = page.find(id="mogi-previa")
    assert "poderão ser vistos aqui assim que o arquivo puder ser baixado" in text_of(
        str(preview))
    assert preview.find("iframe") is None
    text = text_of(str(page))
    for secret in ("UBS Jundiapeba", "1.234,56", "3 linhas", "Vacinação"):
        assert secret not in text, secret
    frame = text_of(app.get(f"{path}/view/{view['id']}", status=200).body)
    assert "poderão ser vistos aqui assim que o arquivo puder ser baixado" in frame
    for secret in ("Unidade de saúde", "unidade", "UBS Jundiapeba"):
        assert secret not in frame, secret
    assert "UBS" not in app.post(f"/datatables/ajax/{view['id']}", data={
        "draw": "1", "start": "0", "length": "20", "search[value]": ""}, status=404).body
    dataset_page = BeautifulSoup(app.get(f"/dataset/{dataset['name']}").body, "html.parser")
    assert dataset_page.find("a", class_="mogi-ver-dados") is None
    # the staff see the dictionary and the rows line
    staff = {"Authorization": sysadmin["token"]}
    text = text_of(app.get(path, headers=staff, status=200).body)
    assert "Unidade de saúde" in text and "3 linhas" in text


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
