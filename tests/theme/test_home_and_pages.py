"""The portal's own pages, as a citizen sees them: home, header, footer, about, API help.

The demo catalogue is loaded once for the module (13 Secretarias and
autarchies, the 26 themes, public and private datasets).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from bs4 import BeautifulSoup
from ckan import model, plugins
from ckan.common import aslist
from ckan.lib import search
from ckan.tests import helpers
from ckanext.tracking.model import TrackingSummary

from ckanext.mogi.common import vocabularies
from ckanext.mogi.demo.loader import LoadSummary

SITE_URL = "http://test.ckan.net"
FOCUSABLE = ["a", "button", "input", "select", "textarea"]


@pytest.fixture(scope="module")
def catalogue(load_demo_catalogue) -> LoadSummary:
    return load_demo_catalogue()


def _page(app, url: str) -> BeautifulSoup:
    return BeautifulSoup(app.get(url, status=200).body, "html.parser")


def _text(node: Any) -> str:
    return " ".join(node.get_text(" ").split())


def _public(**params: Any) -> dict[str, Any]:
    """What an anonymous API client finds (the truth the pages must match)."""
    return helpers.call_action("package_search", context={"user": ""},
                               include_private=False, **params)


def _private_titles() -> list[str]:
    found = helpers.call_action("package_search", context={"ignore_auth": True},
                                fq='capacity:"private"', include_private=True, rows=1000)
    return [d["title"] for d in found["results"]]


# ------------------------------------------------------------------ every page


def test_skip_link_is_the_first_focusable_element(app, catalogue):
    for url in ["/", "/dataset/", "/about", "/sobre/api", "/group/", "/organization/"]:
        page = _page(app, url)
        first = page.body.find(FOCUSABLE)

        assert first.name == "a" and first["href"] == "#content", url
        assert _text(first) == "Pular para o conteúdo", url
        assert page.find(id="content") is not None, url


def test_header_shows_the_portal_identity_and_portuguese_navigation(app, catalogue):
    page = _page(app, "/")
    brand = page.select_one("header.masthead .mogi-brand")

    assert _text(brand) == "Dados Abertos — Prefeitura de Mogi das Cruzes"
    assert brand["href"] == "/"
    assert brand.find("svg")["aria-hidden"] == "true"
    nav = [_text(a) for a in page.select("header.masthead .navbar-nav a")]
    assert nav == ["Conjuntos de dados", "Secretarias", "Temas", "Sobre", "API"]
    assert page.html["lang"] == "pt-BR"


def test_identity_assets_are_served_locally(app, catalogue):
    page = _page(app, "/")
    stylesheets = [link["href"] for link in page.find_all("link", rel="stylesheet")]
    ours = [href for href in stylesheets if "mogi" in href]

    assert ours, stylesheets
    assert all(not urlsplit(href).netloc for href in stylesheets), stylesheets
    css = app.get(ours[0], status=200).body
    assert "--mogi-primary" in css and ":focus-visible" in css
    icon = page.find("link", rel="icon")["href"]
    assert "<svg" in app.get(icon, status=200).body


# ------------------------------------------------------------------ home page


def test_home_has_a_labelled_search_box(app, catalogue):
    page = _page(app, "/")
    form = page.find("form", role="search")
    field = form.find("input", attrs={"name": "q"})

    assert form["action"] == "/dataset/"
    assert _text(page.find("label", attrs={"for": field["id"]})) == "Buscar no catálogo"
    assert _text(form.find("button")) == "Pesquisar"


def test_home_shows_the_26_themes_with_public_counts(app, catalogue):
    page = _page(app, "/")
    links = page.select("a[data-theme]")
    counts = _public(rows=0, **{"facet.field": ["groups"], "facet.limit": -1})
    expected = {i["name"]: i["count"] for i in counts["search_facets"]["groups"]["items"]}

    assert [a["data-theme"] for a in links] == vocabularies.values("temas")
    assert len(links) == 26
    for link in links:
        name = link["data-theme"]
        count = expected.get(name, 0)
        noun = "conjuntos de dados" if count > 1 else "conjunto de dados"  # pt_BR: 0 is singular
        assert _text(link) == f"{vocabularies.label('temas', name)} {count} {noun}", name
        assert link.find("i", class_="fa")["aria-hidden"] == "true"
        assert link["href"] == f"/dataset/?groups={name}"
    assert sum(expected.values()) > 0
    assert expected.get("saude", 0) > 0


def test_home_figures_count_public_datasets_and_resources(app, catalogue):
    page = _page(app, "/")
    public = _public(rows=1000)
    figures = {div["data-figure"]: _text(div.find("dd"))
               for div in page.select("[data-figure]")}

    assert catalogue.private_datasets > 0
    assert figures == {
        "datasets": str(public["count"]),
        "resources": str(sum(len(d["resources"]) for d in public["results"])),
        "organizations": "13",
        "themes": "26",
    }
    labels = [_text(div.find("dt")) for div in page.select("[data-figure]")]
    assert labels == ["conjuntos de dados", "recursos (arquivos e links)",
                      "secretarias e autarquias", "temas"]


def test_home_lists_the_secretarias_with_their_counts(app, catalogue):
    page = _page(app, "/")
    items = {li["data-organization"]: _text(li) for li in page.select("li[data-organization]")}
    counts = _public(rows=0, **{"facet.field": ["organization"], "facet.limit": -1})
    expected = {i["name"]: i["count"] for i in counts["search_facets"]["organization"]["items"]}

    assert len(items) == 13
    assert items["secretaria-de-saude"].startswith("Secretaria de Saúde (SMS)")
    for name, text in items.items():
        assert re.search(rf"\b{expected.get(name, 0)} conjuntos? de dados$", text), text


def test_home_lists_recent_and_highlighted_datasets_never_private_ones(app, catalogue):
    body = app.get("/", status=200).body
    page = BeautifulSoup(body, "html.parser")
    recent = page.find(id="mogi-recent-title").find_parent("section")
    popular = page.find(id="mogi-popular-title").find_parent("section")
    last = _public(rows=5, sort="metadata_modified desc")["results"]
    gold = _public(fq="selo_dcat_br:ouro", rows=1000, sort="metadata_modified desc")["results"]
    highlighted = [d["title"] for d in gold if d not in last][:5]

    assert _text(recent.find("h2")) == "Atualizados recentemente"
    assert [_text(a) for a in recent.select(".mogi-datasets a")] == [d["title"] for d in last]
    # Tracking is off in test.ini: the page says which criterion it uses instead.
    assert popular["data-criterion"] == "seal"
    assert _text(popular.find("h2")) == "Destaques: selo DCAT-BR Ouro"
    assert "não contabiliza acessos" in _text(popular)
    assert [_text(a) for a in popular.select(".mogi-datasets a")] == highlighted
    assert len(highlighted) == 5
    for title in _private_titles():
        assert title not in body


@pytest.fixture
def tracking_app(ckan_config, monkeypatch, make_app, migrate_db_for) -> Any:
    """The portal with CKAN's ``tracking`` plugin counting views."""
    monkeypatch.setitem(ckan_config, "ckan.plugins",
                        [*aslist(ckan_config["ckan.plugins"]), "tracking"])
    app = make_app()
    migrate_db_for("tracking")
    return app


def test_home_lists_the_most_viewed_when_views_are_counted(tracking_app, catalogue):
    oldest = _public(rows=2, sort="metadata_modified asc")["results"]
    for views, dataset in zip((20, 50), oldest, strict=True):
        model.Session.add(TrackingSummary(
            url=f"/dataset/{dataset['name']}", package_id=dataset["id"], tracking_type="page",
            count=views, running_total=views, recent_views=views, tracking_date=dt.date.today()))
    model.Session.commit()
    for dataset in oldest:
        search.rebuild(dataset["id"])

    popular = _page(tracking_app, "/").find(id="mogi-popular-title").find_parent("section")

    assert plugins.plugin_loaded("tracking")
    assert popular["data-criterion"] == "views"
    assert _text(popular.find("h2")) == "Mais acessados"
    titles = [_text(a) for a in popular.select(".mogi-datasets a")]
    assert titles[:2] == [oldest[1]["title"], oldest[0]["title"]]


# ------------------------------------------------------------------ footer


def test_footer_carries_the_transparency_links(app, catalogue):
    footer = _page(app, "/").find("footer")
    links = {_text(a): a["href"] for a in footer.find_all("a")}

    assert links["Pedidos de acesso à informação (LAI): e-SIC"] == (
        "https://www.mogidascruzes.sp.gov.br/")
    assert links["Lei de Acesso à Informação (Lei nº 12.527/2011)"].startswith(
        "https://www.planalto.gov.br/")
    assert "Ouvidoria" in links
    assert "Portal da Transparência" in links
    assert links["Política municipal de dados"] == "/about#politica-de-dados"
    assert links["Como usar a API"] == "/sobre/api"
    assert links["Catálogo DCAT-BR (Turtle)"] == "/catalog.ttl"
    assert links["Creative Commons Atribuição 4.0 (CC BY 4.0)"].startswith(
        "https://creativecommons.org/licenses/by/4.0/")
    assert "Sobre o portal" in links


@pytest.mark.ckan_config("ckanext.mogi.city.esic_url", "https://esic.example.gov.br/mogi")
@pytest.mark.ckan_config("ckanext.mogi.city.data_policy_url", "https://leis.example/decreto")
def test_footer_links_follow_the_configuration(app, catalogue):
    footer = _page(app, "/about").find("footer")
    links = {_text(a): a["href"] for a in footer.find_all("a")}

    assert links["Pedidos de acesso à informação (LAI): e-SIC"] == (
        "https://esic.example.gov.br/mogi")
    assert links["Política municipal de dados"] == "https://leis.example/decreto"


def test_footer_dcat_catalogue_link_answers(app, catalogue):
    response = app.get("/catalog.ttl", status=200)
    assert "dcat:Catalog" in response.body


# ------------------------------------------------------------------ about and API


def test_about_page_is_the_portals_own_in_portuguese(app, catalogue):
    page = _page(app, "/about")
    headings = [_text(h) for h in page.select(".mogi-prose h2")]
    text = _text(page.select_one(".mogi-prose"))

    assert _text(page.find("h1")) == "Sobre o portal"
    assert headings == ["Finalidade", "Governança", "Estratégia de dados",
                        "Política municipal de dados", "Dados pessoais e a LGPD",
                        "Como solicitar dados", "Reúso e licenças"]
    assert "Secretaria de Transparência e Dados Abertos" in text
    assert "Lei nº 13.709/2018" in text
    assert "CKAN is" not in text


def test_api_page_is_portuguese_with_the_portals_address(app, catalogue):
    page = _page(app, "/sobre/api")
    examples = page.select("section.mogi-example")

    assert _text(page.find("h1")) == "Como usar a API"
    assert page.title.string.startswith("Como usar a API")
    assert len(examples) >= 10
    for example in examples:
        assert _text(example.find("code")).startswith("curl ")
        assert example["data-url"].startswith(f"{SITE_URL}/")
        command = _text(example.find("code"))
        # A URL, or (JSON and SQL parameters) its address and one line per parameter.
        assert example["data-url"] in command or (
            example["data-url"].split("?")[0] in command and "--data-urlencode" in command)
    titles = [_text(e.find("h3")) for e in examples]
    assert "As chaves federais (extras da CGU)" in titles
    assert "Negociação de conteúdo" in titles


def test_every_api_example_works_against_the_running_portal(app, catalogue, live_server):
    page = _page(app, "/sobre/api")
    examples = page.select("section.mogi-example")

    assert examples
    for example in examples:
        url = live_server + example["data-url"].removeprefix(SITE_URL)
        headers = {"Accept": example["data-accept"]} if example["data-accept"] else {}
        response = requests.get(url, headers=headers, timeout=60)
        assert response.status_code == 200, (url, response.text[:500])
        assert response.headers["Content-Type"].startswith(example["data-content-type"]), url
        assert example["data-expect"] in response.text, (url, example["data-expect"])
