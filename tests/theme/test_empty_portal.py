"""A portal with no dataset yet still shows its pages, and says so."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from ckan.tests import helpers
from sample_data import dataset_fields

pytestmark = pytest.mark.usefixtures("clean_db")


def _text(node) -> str:
    return " ".join(node.get_text(" ").split())


def test_home_page_of_an_empty_catalogue(app):
    page = BeautifulSoup(app.get("/", status=200).body, "html.parser")
    figures = {div["data-figure"]: _text(div.find("dd")) for div in page.select("[data-figure]")}
    recent = page.find(id="mogi-recent-title").find_parent("section")

    assert figures == {"datasets": "0", "resources": "0", "organizations": "0", "themes": "26"}
    assert "Nenhum conjunto de dados publicado ainda." in _text(recent)
    assert page.find("form", role="search") is not None


def test_api_page_of_an_empty_catalogue_keeps_the_catalogue_wide_examples(app):
    page = BeautifulSoup(app.get("/sobre/api", status=200).body, "html.parser")
    urls = [section["data-url"] for section in page.select("section.mogi-example")]

    assert "ainda não tem conjuntos de dados públicos" in _text(page.select_one(".mogi-prose"))
    assert "http://test.ckan.net/catalog.ttl?page=1" in urls
    assert not any("package_show" in url for url in urls)


def test_home_page_figures_follow_each_publication_at_once(app, organization, sysadmin):
    """The home page's searches are cached until the index changes: a visitor
    sees a new public dataset on the next page view, never a private one."""
    def shown() -> tuple[dict[str, str], str]:
        page = BeautifulSoup(app.get("/", status=200).body, "html.parser")
        figures = {div["data-figure"]: _text(div.find("dd"))
                   for div in page.select("[data-figure]")}
        recent = page.find(id="mogi-recent-title").find_parent("section")
        return figures, _text(recent)

    assert shown()[0]["datasets"] == "0"
    context = {"user": sysadmin["name"]}
    helpers.call_action("package_create", context=context, **dataset_fields(
        organization, "ubs-publicas", title="Unidades básicas de saúde", private=False))
    figures, recent = shown()
    assert figures["datasets"] == "1"
    assert "Unidades básicas de saúde" in recent

    helpers.call_action("package_create", context=context, **dataset_fields(
        organization, "folha-privada", title="Folha de pagamento interna", private=True))
    figures, recent = shown()
    assert figures["datasets"] == "1"
    assert "Folha de pagamento interna" not in recent
