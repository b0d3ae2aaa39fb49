"""A portal with no dataset yet still shows its pages, and says so."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

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
