"""Template helpers of the portal's pages (home page, footer, API help).

Plain functions over CKAN's actions. Everything listed is public: every
search is pinned to ``capacity:public`` whoever is logged in, so a private
dataset never shows up in a count, a list or a figure of these pages.

The home page costs three searches besides CKAN's own: one with facets (the
figures, theme and Secretaria counts; facet counts are cached per index
generation by ``mogi_search``) and two small pages of results.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib.resources import files
from typing import Any
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

import ckan.plugins as p
import yaml
from ckan import model
from ckan.plugins import toolkit

from ckanext.mogi.common import vocabularies
from ckanext.mogi.common.cache import through_redis
from ckanext.mogi.common.city import city

PUBLIC = 'capacity:"public"'
#: Redis keys of the page data cached per index generation.
PAGE_DATA_PREFIX = "ckanext-mogi:search:page-data"

#: Font Awesome 6 (shipped with CKAN's own CSS) icon of each DCAT-BR theme.
THEME_ICONS: dict[str, str] = {
    "abastecimento": "fa-basket-shopping",
    "administracao": "fa-building-columns",
    "agropecuaria-pesca-e-extrativismo": "fa-wheat-awn",
    "comunicacoes": "fa-tower-broadcast",
    "comercio-e-servicos": "fa-store",
    "cultura": "fa-masks-theater",
    "defesa-nacional": "fa-shield-halved",
    "economia-e-financas": "fa-coins",
    "educacao": "fa-graduation-cap",
    "energia": "fa-bolt",
    "esporte-e-lazer": "fa-futbol",
    "habitacao": "fa-house",
    "industria": "fa-industry",
    "infraestrutura-e-fomento": "fa-road",
    "meio-ambiente": "fa-leaf",
    "pesquisa-e-desenvolvimento": "fa-flask",
    "planejamento-e-gestao": "fa-chart-line",
    "previdencia-social": "fa-person-cane",
    "protecao-social": "fa-hand-holding-heart",
    "relacoes-internacionais": "fa-globe",
    "saneamento": "fa-faucet-drip",
    "saude": "fa-heart-pulse",
    "seguranca-e-ordem-publica": "fa-shield",
    "trabalho": "fa-briefcase",
    "transportes": "fa-bus",
    "urbanismo": "fa-city",
}
DEFAULT_ICON = "fa-tag"


def _search(**params: Any) -> dict[str, Any]:
    """``package_search`` over public datasets only, as the current user."""
    params["fq"] = f"{PUBLIC} AND ({params['fq']})" if params.get("fq") else PUBLIC
    return toolkit.get_action("package_search")(
        {"user": toolkit.current_user.name if toolkit.current_user else ""},
        {"include_private": False, **params})


def _facet_counts(result: Mapping[str, Any], field: str) -> dict[str, int]:
    items = (result.get("search_facets") or {}).get(field, {}).get("items", [])
    return {item["name"]: int(item["count"]) for item in items}


def _organizations() -> list[dict[str, Any]]:
    """Every active organization (name, title, sigla), by title.

    Read from the model in one query: ``organization_list`` with
    ``all_fields`` dictizes each organization in full (about 60 ms for the
    13 of the demo), too slow for the home page.
    """
    rows = (model.Session.query(model.Group.name, model.Group.title, model.Group.extras)
            .filter(model.Group.is_organization.is_(True),
                    model.Group.state == model.State.ACTIVE)
            .order_by(model.Group.title, model.Group.name))
    return [{"name": name, "title": title or name, "sigla": (extras or {}).get("sigla", "")}
            for name, title, extras in rows]


def _cached(name: str, compute: Callable[[], Any]) -> Any:
    """``compute()`` cached until the search index changes (``mogi_search``
    only, whose helper ``mogi_search_generation`` tells the index generation:
    with Solr every call computes). For results of searches of public
    datasets alone, the same for every visitor: recomputed exactly when the
    index changes."""
    if not p.plugin_loaded("mogi_search"):
        return compute()
    token = toolkit.h.mogi_search_generation()
    if not token:
        return compute()
    site = toolkit.config.get("ckan.site_id")
    return through_redis(f"{PAGE_DATA_PREFIX}:{site}:{token}:{name}", compute)


def _public_counts() -> dict[str, Any]:
    result = _search(q="*:*", rows=0, **{
        "facet.field": ["groups", "organization", "num_resources"], "facet.limit": -1})
    return {
        "datasets": int(result["count"]),
        "per_theme": _facet_counts(result, "groups"),
        "per_org": _facet_counts(result, "organization"),
        "resources": sum(int(n) * count
                         for n, count in _facet_counts(result, "num_resources").items()
                         if n.isdigit()),
    }


def catalogue_summary() -> dict[str, Any]:
    """Figures, the 26 themes and the Secretarias, with public dataset counts.

    One search with facets (cached until the index changes): datasets per
    theme group and per organization, and datasets per number of resources
    (which adds up to the resources). Labels and organizations are read
    for each page (translated; an organization may have no dataset yet).
    """
    counts = _cached("public-counts", _public_counts)
    themes = [{
        "name": entry["value"],
        "title": str(entry["label"]),
        "icon": THEME_ICONS.get(entry["value"], DEFAULT_ICON),
        "count": counts["per_theme"].get(entry["value"], 0),
    } for entry in vocabularies.entries("temas")]
    organizations = [{**org, "count": counts["per_org"].get(org["name"], 0)}
                     for org in _organizations()]
    return {
        "figures": {
            "datasets": counts["datasets"],
            "resources": counts["resources"],
            "organizations": len(organizations),
            "themes": len(themes),
        },
        "themes": themes,
        "organizations": organizations,
    }


def recent_datasets(limit: int = 5) -> list[dict[str, Any]]:
    """The public datasets updated last (cached until the index changes)."""
    return _cached(f"recent:{limit}", lambda: _search(
        q="*:*", rows=limit, sort="metadata_modified desc", facet="false")["results"])


def popular_datasets(limit: int = 5, exclude: list[str] | None = None) -> dict[str, Any]:
    """Most viewed datasets when CKAN's ``tracking`` plugin counts views.

    Without it no view is counted, and the page says so: it lists instead
    datasets with the DCAT-BR Ouro seal (the most complete metadata), updated
    last, leaving out ``exclude`` (the names the page already lists).
    ``criterion`` is ``"views"`` or ``"seal"``. Cached until the index
    changes (view counts reach the index with CKAN's tracking update).
    """
    if p.plugin_loaded("tracking"):
        found = _cached(f"popular-views:{limit}", lambda: _search(
            q="*:*", rows=limit, sort="views_recent desc, metadata_modified desc",
            facet="false")["results"])
        return {"criterion": "views", "datasets": found}
    skip = set(exclude or [])
    found = _cached(f"gold:{limit + len(skip)}", lambda: _search(
        q="*:*", fq="selo_dcat_br:ouro", rows=limit + len(skip),
        sort="metadata_modified desc", facet="false")["results"])
    datasets = [d for d in found if d["name"] not in skip]
    return {"criterion": "seal", "datasets": datasets[:limit]}


def number(value: int) -> str:
    """``value`` with Brazilian digit grouping (12.345)."""
    return f"{int(value):,}".replace(",", ".")


def _option(key: str) -> str:
    return str(toolkit.config.get(key) or "")


def footer_links() -> dict[str, str]:
    """The addresses of the footer: the city's (``ckanext.mogi.city.*``) and
    the content licence's (``ckanext.mogi.theme.*``)."""
    here = city()
    policy = here.data_policy_url or (toolkit.url_for("home.about") + "#politica-de-dados")
    return {
        "city": here.url,
        "esic": here.esic_url,
        "ouvidoria": here.ouvidoria_url,
        "transparency": here.transparency_url,
        "data_policy": policy,
        "licence": _option("ckanext.mogi.theme.content_licence_url"),
        "licence_title": _option("ckanext.mogi.theme.content_licence_title"),
        "lai": "https://www.planalto.gov.br/ccivil_03/_ato2011-2014/2011/lei/l12527.htm",
        "lgpd": "https://www.planalto.gov.br/ccivil_03/_ato2015-2018/2018/lei/l13709.htm",
    }


@dataclass(frozen=True)
class ApiExample:
    """One request of the API help page, and what it answers.

    ``params`` are query parameters shown one per line in the command
    (``curl -G ... --data-urlencode``), for values such as JSON or SQL that
    are unreadable once percent-encoded; ``url()`` carries them encoded.
    """

    title: str
    description: str
    path: str
    content_type: str
    expect: str
    accept: str = ""
    params: tuple[tuple[str, str], ...] = ()

    def base_url(self) -> str:
        return toolkit.config.get("ckan.site_url").rstrip("/") + self.path

    def url(self) -> str:
        query = urlencode(self.params, quote_via=quote)
        return f"{self.base_url()}?{query}" if query else self.base_url()

    def command(self) -> str:
        header = f'-H "Accept: {self.accept}" ' if self.accept else ""
        if not self.params:
            return f'curl {header}"{self.url()}"'
        lines = [f'curl -G {header}"{self.base_url()}"']
        lines += [f"  --data-urlencode {shlex.quote(f'{name}={value}')}"
                  for name, value in self.params]
        return " \\\n".join(lines)


def _example_dataset() -> str | None:
    """A public dataset the examples can show (the one updated last)."""
    found = recent_datasets(limit=1)
    return found[0]["name"] if found else None


def api_examples() -> dict[str, Any]:
    """The examples of the API help page, built on this portal's own address.

    ``dataset`` is the public dataset the per-dataset examples use (``None``
    on an empty catalogue, when only the catalogue-wide examples are given).
    """
    _ = toolkit._
    facets = quote('["groups","organization","res_format"]')
    examples = [
        ApiExample(
            _("Search by words"),
            _("Datasets whose title, description, tags or resources mention "
              "\"saude\" (accents are optional), five per page."),
            "/api/3/action/package_search?q=saude&rows=5",
            "application/json", '"success": true'),
        ApiExample(
            _("Filter by theme and Secretaria"),
            _("fq takes the same filters as the search page: here, datasets of the "
              "Saúde theme (groups) published by the Secretaria de Saúde (organization)."),
            "/api/3/action/package_search?fq=groups:saude%20AND%20"
            "organization:secretaria-de-saude&rows=5",
            "application/json", '"success": true'),
        ApiExample(
            _("Count datasets by theme, Secretaria and format"),
            _("rows=0 returns no dataset, only the counts (search_facets) of each "
              "theme, Secretaria and file format; facet.limit=-1 returns every value."),
            f"/api/3/action/package_search?rows=0&facet.field={facets}&facet.limit=-1",
            "application/json", '"search_facets"'),
        ApiExample(
            _("List the Secretarias"),
            _("Every organization (Secretaria or autarchy) that publishes data."),
            "/api/3/action/organization_list?all_fields=true",
            "application/json", '"success": true'),
        ApiExample(
            _("List the themes"),
            _("The 26 themes of DCAT-BR, the same the federal portal uses."),
            "/api/3/action/group_list?all_fields=true",
            "application/json", '"success": true'),
        ApiExample(
            _("The whole catalogue in DCAT-BR (Turtle)"),
            _("The catalogue as RDF, paged: follow hydra:next for the next page. "
              "Also as .rdf (RDF/XML) and .jsonld (JSON-LD)."),
            "/catalog.ttl?page=1",
            "text/turtle", "dcat:Catalog"),
    ]
    dataset = _example_dataset()
    if dataset:
        examples[3:3] = [
            ApiExample(
                _("One dataset with its resources"),
                _("package_show takes the dataset's name (as in its address) or id."),
                f"/api/3/action/package_show?id={dataset}",
                "application/json", f'"name": "{dataset}"'),
            ApiExample(
                _("The federal keys (CGU extras)"),
                _("Public datasets carry in extras the keys the Portal Brasileiro de Dados "
                  "Abertos harvests (periodicidade, coberturaTemporalInicio, "
                  "valorCoberturaEspacial, observanciaLegal, dadosAbertos...), in the "
                  "formats of CGU's guide."),
                f"/api/3/action/package_show?id={dataset}",
                "application/json", '"key": "coberturaTemporalInicio"'),
        ]
        examples += [
            ApiExample(
                _("One dataset in DCAT-BR (JSON-LD)"),
                _("Add .jsonld, .ttl or .rdf to a dataset's address."),
                f"/dataset/{dataset}.jsonld",
                "application/ld+json", "dcat:Dataset"),
            ApiExample(
                _("Content negotiation"),
                _("The dataset's own address answers RDF to clients that ask for it "
                  "in the Accept header; browsers still get the page."),
                f"/dataset/{dataset}",
                "text/turtle", "dcat:Dataset", accept="text/turtle"),
        ]
    return {"dataset": dataset, "examples": examples}


# ------------------------------------------------------------------- citation

#: The citation's template and ABNT month abbreviations (data).
CITATION_FILE = "citation.yaml"
CITY_TIMEZONE = ZoneInfo("America/Sao_Paulo")


def organization_info(org_id: str) -> dict[str, Any]:
    """The organization box of a dataset page, without what the box never shows.

    CKAN's ``h.get_organization`` runs a full ``organization_show``: dataset
    count (a search), users, followers and member groups, about a third of a
    dataset page's time; the box (``show_nums=false``) needs only the name,
    title, description and logo.
    """
    try:
        return toolkit.get_action("organization_show")({}, {
            "id": org_id, "include_datasets": False, "include_dataset_count": False,
            "include_users": False, "include_followers": False, "include_groups": False,
            "include_tags": False, "include_extras": False})
    except (toolkit.ObjectNotFound, toolkit.NotAuthorized):
        return {}


@cache
def _citation_format() -> dict[str, Any]:
    text = files(__package__).joinpath(CITATION_FILE).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def abnt_date(day: date) -> str:
    """A date as ABNT writes it in "Acesso em": ``5 maio 2026``, ``25 nov. 2026``."""
    return f"{day.day} {_citation_format()['months'][day.month - 1]} {day.year}"


def citation(pkg: Mapping[str, Any], url: str, accessed: date | None = None) -> str:
    """How to cite a dataset, ABNT-like (NBR 6023, online document).

    ``ORGANIZAÇÃO. Título. Mogi das Cruzes: Prefeitura Municipal de Mogi das
    Cruzes, ano. Disponível em: <URL>. Acesso em: d mmm. aaaa.`` (the city's
    name and government: ``ckanext.mogi.city.*``). The author is the
    responsible Secretaria (the Prefeitura when there is none), the year
    that of the dataset's last update, the access date today in Mogi das Cruzes
    unless given. Always Portuguese: it is a Brazilian citation format.
    """
    here = city()
    organization = pkg.get("organization") or {}
    author = (organization.get("title") or organization.get("name") or here.government).upper()
    title = str(pkg.get("title") or pkg.get("name") or "").strip().rstrip(".")
    when = accessed or datetime.now(CITY_TIMEZONE).date()
    stamp = str(pkg.get("metadata_modified") or pkg.get("metadata_created") or "")
    year = stamp[:4] if stamp[:4].isdigit() else str(when.year)
    return _citation_format()["template"].format(
        author=author, title=title, city=here.name, publisher=here.government, year=year,
        url=url, accessed=abnt_date(when))


def get_helpers() -> dict[str, Any]:
    return {
        "mogi_catalogue_summary": catalogue_summary,
        "mogi_recent_datasets": recent_datasets,
        "mogi_popular_datasets": popular_datasets,
        "mogi_number": number,
        "mogi_footer_links": footer_links,
        "mogi_city": city,
        "mogi_citation": citation,
        "mogi_organization_info": organization_info,
    }
