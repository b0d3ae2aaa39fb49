"""schema.org ``Dataset`` markup on dataset pages, as Google Dataset Search reads it.

The JSON-LD is taken from the HTML page and parsed as a crawler would (JSON,
and rdflib's JSON-LD parser for the triples); what Google requires and
recommends is asserted, in Portuguese. Private datasets never carry it, for
anonymous visitors (404) nor for their own staff; a table the file gate holds
back is never advertised as a download.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from bs4 import BeautifulSoup
from ckan.tests import factories, helpers
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF
from sample_data import DATASET, UNITS, payroll
from werkzeug.datastructures import FileStorage

from ckanext.mogi.search import pagecache

pytestmark = [
    pytest.mark.usefixtures("clean_db"),
    # A public dataset keeps a table that is not cleared yet (its file held).
    pytest.mark.ckan_config("ckanext.mogi.validation.blocking", "false"),
]

SITE_URL = "http://test.ckan.net"
SCHEMA = Namespace("http://schema.org/")
LD_JSON = "application/ld+json"


def upload(sysadmin: dict[str, Any], dataset: dict[str, Any], content: str,
           filename: str, **resource: Any) -> dict[str, Any]:
    storage = FileStorage(stream=io.BytesIO(content.encode("utf-8")), filename=filename,
                          content_type="text/csv")
    return helpers.call_action(
        "resource_create", context={"user": sysadmin["name"]}, package_id=dataset["id"],
        upload=storage, **{"name": filename, "format": "CSV", **resource})


def validate(resource: dict[str, Any]) -> None:
    helpers.call_action("resource_validation_run", id=resource["id"], **{"async": False})


def markup_of(html: str) -> list[str]:
    """The text of every JSON-LD script of a page."""
    page = BeautifulSoup(html, "html.parser")
    return [script.string or "" for script in page.find_all("script", type=LD_JSON)]


def dataset_markup(app, url: str, **kwargs: Any) -> dict[str, Any]:
    """The page's one schema.org Dataset, checked to be valid JSON-LD."""
    (text,) = markup_of(app.get(url, status=200, **kwargs).body)
    document = json.loads(text)
    graph = Graph().parse(data=text, format="json-ld")
    dataset = URIRef(document["@id"])
    assert (dataset, RDF.type, SCHEMA.Dataset) in graph
    assert graph.value(dataset, SCHEMA.name) == Literal(document["name"])
    return document


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def strings(node: Any) -> Iterator[str]:
    """Every string value of a JSON document, keys left out."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            if key not in ("@id", "@type", "@context"):
                yield from strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from strings(item)


@pytest.fixture
def public_dataset(create_dataset, sysadmin) -> dict[str, Any]:
    """The sample dataset, public, with a cleared table and a linked PDF."""
    dataset = create_dataset("atendimentos-ubs", private=False, resources=[
        {"url": "https://example.org/relatorio.pdf", "format": "PDF",
         "name": "Relatório anual", "description": "Relatório anual dos atendimentos."}])
    table = upload(sysadmin, dataset, UNITS, "atendimentos.csv", name="Atendimentos por UBS")
    validate(table)
    return helpers.call_action("package_show", id=dataset["id"])


# ------------------------------------------------------------ what Google reads


def test_a_public_dataset_page_describes_the_dataset_in_portuguese(app, public_dataset,
                                                                   organization):
    markup = dataset_markup(app, "/dataset/atendimentos-ubs")

    assert markup["@context"] == {"@vocab": "http://schema.org/"}
    assert markup["@type"] == "Dataset"
    # Google's required properties, then its recommended ones.
    assert markup["name"] == DATASET["title"]
    assert markup["description"].startswith(DATASET["notes"])
    assert 50 <= len(markup["description"]) <= 5000
    assert markup["url"] == f"{SITE_URL}/dataset/atendimentos-ubs"
    assert markup["identifier"] == public_dataset["id"]
    assert markup["inLanguage"] == "pt-BR"
    assert markup["isAccessibleForFree"] is True
    assert markup["version"] == "1.2"
    assert markup["temporalCoverage"] == "2022-01-01/2022-12-31"
    assert set(as_list(markup["keywords"])) == {"saúde", "atendimentos"}
    assert markup["license"] == {
        "@id": "https://creativecommons.org/licenses/by/4.0/", "@type": "CreativeWork",
        "name": "Creative Commons Atribuição",
        "url": "https://creativecommons.org/licenses/by/4.0/"}
    (theme,) = as_list(markup["about"])
    assert theme["@type"] == "DefinedTerm" and theme["name"] == "Saúde"
    assert theme["inDefinedTermSet"]["name"] == "Temas (DCAT-BR)"

    place = markup["spatialCoverage"]
    assert place["@type"] == "Place" and place["name"] == "Mogi das Cruzes (SP)"
    south, west, north, east = (float(n) for n in place["geo"]["box"].split())
    assert south < -23.52 < north and west < -46.19 < east  # the city's seat inside

    # Publisher and creator: the Secretaria, part of the city's government.
    secretaria = markup["publisher"]
    assert markup["creator"] == secretaria
    assert secretaria["@type"] == "GovernmentOrganization"
    assert secretaria["name"] == organization["title"]
    assert secretaria["url"] == f"{SITE_URL}/organization/{organization['name']}"
    government = secretaria["parentOrganization"]
    assert government["name"] == "Prefeitura Municipal de Mogi das Cruzes"
    assert government["url"] == "https://www.mogidascruzes.sp.gov.br/"
    assert government["areaServed"] == {"@type": "City", "name": "Mogi das Cruzes (SP)"}
    contact = secretaria["contactPoint"]
    assert contact["contactType"] == "Área técnica responsável pelos dados"
    assert contact["email"] == DATASET["maintainer_email"]
    assert contact["name"] == DATASET["maintainer"]
    catalogue = markup["includedInDataCatalog"]
    assert catalogue["@type"] == "DataCatalog"
    assert catalogue["name"] == "Dados Abertos Mogi das Cruzes"
    assert catalogue["url"] == SITE_URL
    assert catalogue["publisher"]["name"] == "Prefeitura Municipal de Mogi das Cruzes"

    # No English left from ckanext-dcat's stock profile, no group slugs.
    assert "customer service" not in json.dumps(markup)
    assert "saude" not in set(strings(markup))


def test_every_advertised_file_downloads(app, public_dataset):
    markup = dataset_markup(app, "/dataset/atendimentos-ubs")

    downloads = {d["name"]: d for d in as_list(markup["distribution"])}
    assert set(downloads) == {"Atendimentos por UBS", "Relatório anual"}
    table = downloads["Atendimentos por UBS"]
    assert table["@type"] == "DataDownload"
    assert table["encodingFormat"] == "text/csv"
    assert table["inLanguage"] == "pt-BR"
    assert downloads["Relatório anual"]["encodingFormat"] == "application/pdf"
    assert downloads["Relatório anual"]["contentUrl"] == "https://example.org/relatorio.pdf"
    # The table's contentUrl is the portal's download, which a visitor gets.
    address = urlsplit(table["contentUrl"])
    assert f"{address.scheme}://{address.netloc}" == SITE_URL
    body = app.get(address.path, status=200).body
    assert body.splitlines()[0] == UNITS.splitlines()[0]


def test_a_short_or_markdown_description_becomes_plain_text_of_50_characters(
        app, create_dataset, organization):
    create_dataset("curta", private=False, notes="Lista **curta**.")
    create_dataset("markdown", private=False,
                   notes="## Atendimentos\n\nDados [da rede](https://example.org) "
                         "municipal de saúde, por *unidade* e por mês, desde 2022.")

    short = dataset_markup(app, "/dataset/curta")["description"]
    assert short == (f"Lista curta. Conjunto de dados “{DATASET['title']}”, publicado por "
                     f"{organization['title']} (Prefeitura Municipal de Mogi das Cruzes).")
    assert dataset_markup(app, "/dataset/markdown")["description"] == (
        "Atendimentos Dados da rede municipal de saúde, por unidade e por mês, desde 2022.")


def test_the_markup_is_portuguese_on_the_english_page_too(app, public_dataset):
    portuguese = dataset_markup(app, "/dataset/atendimentos-ubs")
    english = dataset_markup(app, "/en/dataset/atendimentos-ubs")

    assert english["url"] == portuguese["url"] == f"{SITE_URL}/dataset/atendimentos-ubs"
    assert english["about"]["name"] == "Saúde"
    assert english["publisher"]["contactPoint"]["contactType"] == \
        portuguese["publisher"]["contactPoint"]["contactType"]


def test_the_markup_cannot_break_out_of_its_script(app, create_dataset):
    title = 'Obras </script><script>alert("x")</script> & reformas'
    create_dataset("obras", private=False, title=title)

    html = app.get("/dataset/obras", status=200).body
    assert '<script>alert("x")' not in html
    (text,) = markup_of(html)
    assert json.loads(text)["name"] == title


def test_only_the_dataset_page_carries_the_markup(app, public_dataset):
    assert len(markup_of(app.get("/dataset/atendimentos-ubs", status=200).body)) == 1
    for url in ("/dataset/groups/atendimentos-ubs",
                f"/dataset/atendimentos-ubs/resource/{public_dataset['resources'][0]['id']}"):
        assert markup_of(app.get(url, status=200).body) == [], url


# -------------------------------------------------------------- what never shows


def test_a_private_dataset_has_no_markup_for_anyone(app, create_dataset, organization,
                                                    sysadmin):
    dataset = create_dataset("privado", private=True)
    editor = factories.UserWithToken()
    helpers.call_action("organization_member_create", id=organization["id"],
                        username=editor["name"], role="editor")

    app.get("/dataset/privado", status=404)
    for user in (editor, sysadmin):
        html = app.get("/dataset/privado", status=200,
                       headers={"Authorization": user["token"]}).body
        assert "Atendimentos nas Unidades" in html  # the page itself is there
        assert markup_of(html) == []
        robots = BeautifulSoup(html, "html.parser").find("meta", attrs={"name": "robots"})
        assert robots is not None and "noindex" in robots["content"]
    # Whoever asks the helper for it.
    from ckan.lib.helpers import helper_functions

    assert helper_functions["structured_data"](dataset) == ""
    assert helper_functions["structured_data"]({**dataset, "private": False}) == ""


def test_a_dataset_made_private_loses_its_markup(app, public_dataset, sysadmin):
    assert markup_of(app.get("/dataset/atendimentos-ubs", status=200).body)

    helpers.call_action("package_patch", context={"user": sysadmin["name"]},
                        id=public_dataset["id"], private=True)

    app.get("/dataset/atendimentos-ubs", status=404)
    html = app.get("/dataset/atendimentos-ubs", status=200,
                   headers={"Authorization": sysadmin["token"]}).body
    assert markup_of(html) == []


def test_a_held_table_is_not_advertised_until_cleared(app, create_dataset, sysadmin):
    dataset = create_dataset("pendente", private=False)
    table = upload(sysadmin, dataset, UNITS, "pendente.csv", name="Tabela pendente")

    markup = dataset_markup(app, "/dataset/pendente")
    assert "distribution" not in markup
    assert "pendente.csv" not in json.dumps(markup)
    app.get(urlsplit(table["url"]).path, status=403)  # what the gate says

    validate(table)
    (download,) = as_list(dataset_markup(app, "/dataset/pendente")["distribution"])
    assert download["name"] == "Tabela pendente"
    app.get(urlsplit(download["contentUrl"]).path, status=200)


def test_a_table_with_personal_data_is_never_advertised(app, create_dataset, sysadmin):
    dataset = create_dataset("folha", private=False)
    table = upload(sysadmin, dataset, payroll(), "folha.csv")
    validate(table)

    # The LGPD check made the dataset private: no page, no markup.
    app.get("/dataset/folha", status=404)
    html = app.get("/dataset/folha", status=200,
                   headers={"Authorization": sysadmin["token"]}).body
    assert markup_of(html) == []


# ------------------------------------------------------------------- page cache


@pytest.mark.ckan_config(pagecache.TTL_OPTION, 60)
def test_a_kept_page_never_outlives_what_its_markup_says(live_server, create_dataset,
                                                         sysadmin):
    """The page cache keeps only anonymous public pages, and forgets them when
    a table is cleared or the dataset is made private."""
    dataset = create_dataset("mantida", private=False)
    table = upload(sysadmin, dataset, UNITS, "mantida.csv", name="Tabela mantida")

    def anonymous(status: int = 200) -> requests.Response:
        response = requests.get(f"{live_server}/dataset/mantida", timeout=30)
        assert response.status_code == status
        return response

    anonymous()
    kept = anonymous()
    assert kept.headers.get("X-Mogi-Page-Cache") == "hit"
    assert "distribution" not in json.loads(markup_of(kept.text)[0])

    validate(table)
    cleared = anonymous()
    assert cleared.headers.get("X-Mogi-Page-Cache") is None
    (download,) = as_list(json.loads(markup_of(cleared.text)[0])["distribution"])
    assert download["name"] == "Tabela mantida"

    helpers.call_action("package_patch", context={"user": sysadmin["name"]},
                        id=dataset["id"], private=True)
    assert "ld+json" not in anonymous(404).text
    # Staff are never served a kept page, and their page has no markup.
    staff = requests.get(f"{live_server}/dataset/mantida", timeout=30,
                         headers={"Authorization": sysadmin["token"]})
    assert staff.status_code == 200 and staff.headers.get("X-Mogi-Page-Cache") is None
    assert markup_of(staff.text) == []


def test_the_start_up_check_names_a_profile_that_is_not_installed(ckan_config, monkeypatch):
    from ckanext.mogi.dcat import structured

    monkeypatch.setitem(ckan_config, structured.PROFILES_OPTION, "schemaorg_br esquema_inexistente")
    with pytest.raises(structured.UnknownProfile, match="esquema_inexistente"):
        structured.check_profiles()
