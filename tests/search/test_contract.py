"""Search behaviour as users and API clients see it.

This is a contract suite: it only uses CKAN's actions, pages and factories,
never ckanext-mogi's modules, so the same file can run against a CKAN
backed by real Solr (enable Solr in a test.ini and drop ``mogi_search``).
"""

from __future__ import annotations

import datetime as dt

import pytest
from ckan.tests import factories, helpers
from sample_data import as_site

# The search contract holds for any dataset schema: plain CKAN datasets here.
pytestmark = [pytest.mark.usefixtures("clean_db"),
              pytest.mark.ckan_config("ckan.plugins", "mogi mogi_search mogi_theme")]

FACETS = ["organization", "groups", "tags", "res_format", "license_id"]


def search(**params):
    """``package_search`` as an anonymous visitor (permission labels apply)."""
    context = {"user": "", "ignore_auth": False}
    return helpers.call_action("package_search", context=context, **params)


def titles(result) -> list[str]:
    return [d["title"] for d in result["results"]]


@pytest.fixture
def catalogue():
    saude = factories.Organization(name="secretaria-de-saude", title="Secretaria de Saúde")
    compras = factories.Organization(name="gestao-e-contratacoes",
                                     title="Gestão e Contratações Públicas")
    tema = factories.Group(name="saude", title="Saúde")
    csv = [{"url": "http://example.com/a.csv", "format": "CSV", "name": "Tabela"}]
    datasets = {
        "lic22": factories.Dataset(
            name="licitacoes-2022", title="Licitações 2022", owner_org=compras["id"],
            notes="Processos licitatórios da Prefeitura em 2022.",
            tags=[{"name": "compras"}, {"name": "licitação"}], resources=csv),
        "lic18": factories.Dataset(
            name="licitacoes-2018", title="Licitações 2018", owner_org=compras["id"],
            notes="Processos de 2018.", tags=[{"name": "compras"}],
            resources=[{"url": "http://example.com/a.json", "format": "JSON"}]),
        "ubs": factories.Dataset(
            name="unidades-basicas-de-saude", title="Unidades Básicas de Saúde",
            owner_org=saude["id"], groups=[{"name": tema["name"]}],
            notes="Endereços e horários das UBS.", tags=[{"name": "saúde"}], resources=csv),
        "vacinas": factories.Dataset(
            name="campanhas-de-vacinacao", title="Campanhas de vacinação",
            owner_org=saude["id"], groups=[{"name": tema["name"]}],
            notes="Doses aplicadas por campanha; inclui contratos de licitação de vacinas.",
            tags=[{"name": "saúde"}]),
        "escolas": factories.Dataset(
            name="escolas-municipais", title="Escolas municipais", owner_org=saude["id"],
            notes="Cadastro das escolas.", extras=[{"key": "fonte", "value": "Secretaria"}]),
        "privado": factories.Dataset(
            name="folha-detalhada-saude", title="Folha de pagamento da Saúde (detalhada)",
            owner_org=saude["id"], private=True, groups=[{"name": tema["name"]}],
            tags=[{"name": "saúde"}, {"name": "sigiloso"}], resources=csv),
    }
    return {"orgs": {"saude": saude, "compras": compras}, "group": tema, **datasets}


class TestPortugueseText:
    @pytest.mark.parametrize("q", ["licitacoes", "LICITAÇÕES", "licitação", "licitacao",
                                   "Licitacões"])
    def test_accents_case_and_plurals_find_licitacoes_first(self, catalogue, q):
        found = titles(search(q=q))
        assert set(found[:2]) == {"Licitações 2022", "Licitações 2018"}
        # the vaccination dataset only mentions it in its notes: it ranks after
        assert found.index("Campanhas de vacinação") > 1

    def test_saude_without_accent_finds_saude(self, catalogue):
        found = titles(search(q="saude"))
        assert "Unidades Básicas de Saúde" in found
        assert "Campanhas de vacinação" in found

    @pytest.mark.parametrize("q", ["escola municipal", "ESCOLAS", "municipais"])
    def test_singular_and_plural_agree(self, catalogue, q):
        assert "Escolas municipais" in titles(search(q=q))

    def test_phrase_must_be_adjacent(self, catalogue):
        assert titles(search(q='"unidades basicas"')) == ["Unidades Básicas de Saúde"]
        assert titles(search(q='"basicas unidades"')) == []

    def test_excluded_term(self, catalogue):
        found = titles(search(q="licitações -2018"))
        assert "Licitações 2022" in found
        assert "Licitações 2018" not in found

    def test_title_ranks_over_notes(self, catalogue):
        found = titles(search(q="vacinas"))
        assert found[0] == "Campanhas de vacinação"

    def test_no_match(self, catalogue):
        result = search(q="inexistente xyzzy")
        assert result["count"] == 0 and result["results"] == []


class TestLuceneSyntax:
    def count(self, **params) -> int:
        return search(**params)["count"]

    def test_match_all_counts_public_active(self, catalogue):
        assert self.count(q="*:*") == 5

    def test_fielded_value_and_phrase(self, catalogue):
        assert titles(search(q="name:licitacoes-2022")) == ["Licitações 2022"]
        assert self.count(q='tags:"saúde"') == 2
        assert titles(search(q="title:licitacoes AND tags:compras", sort="name asc")) == [
            "Licitações 2018", "Licitações 2022"]

    def test_boolean_operators(self, catalogue):
        assert self.count(q="tags:compras OR tags:saúde") == 4
        assert self.count(q="tags:compras AND NOT name:licitacoes-2018") == 1
        assert self.count(q="+tags:compras -res_format:JSON") == 1
        assert self.count(q="(tags:compras OR tags:saúde) AND res_format:CSV") == 2

    def test_fq_organization_and_format(self, catalogue):
        result = search(fq="organization:gestao-e-contratacoes +res_format:CSV")
        assert titles(result) == ["Licitações 2022"]
        result = search(fq_list=["organization:secretaria-de-saude", "res_format:CSV"])
        assert titles(result) == ["Unidades Básicas de Saúde"]

    def test_date_ranges_and_date_math(self, catalogue):
        assert self.count(q="metadata_modified:[2000-01-01T00:00:00Z TO *]") == 5
        assert self.count(q="metadata_modified:[NOW-1DAY TO NOW+1DAY]") == 5
        assert self.count(fq="metadata_created:[* TO NOW-1YEAR/DAY]") == 0
        tomorrow = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert self.count(q=f"metadata_modified:[{tomorrow} TO *]") == 0

    def test_wildcards_on_string_fields(self, catalogue):
        assert self.count(q="name:licitacoes-*") == 2
        assert self.count(q="res_format:CS?") == 2
        assert self.count(q="tags:*") == 4

    def test_text_field_prefix(self, catalogue):
        assert set(titles(search(q="title:licit*"))) == {"Licitações 2022", "Licitações 2018"}

    def test_dynamic_extras_field(self, catalogue):
        assert titles(search(q="extras_fonte:secretaria")) == ["Escolas municipais"]

    def test_vocabulary_tags_are_vocab_fields(self, catalogue):
        vocab = helpers.call_action("vocabulary_create", name="temas_dcat",
                                    tags=[{"name": "saude"}, {"name": "educacao"}])
        helpers.call_action("package_patch", context=as_site(), id=catalogue["escolas"]["id"],
                            tags=[{"name": "educacao", "vocabulary_id": vocab["id"]}])
        assert titles(search(q="vocab_temas_dcat:educacao")) == ["Escolas municipais"]
        facets = search(**{"facet.field": ["vocab_temas_dcat"]})["facets"]
        assert facets["vocab_temas_dcat"] == {"educacao": 1}


class TestFacetsSortAndPaging:
    def test_facet_counts_match_visible_results(self, catalogue):
        result = search(**{"facet.field": FACETS, "facet.limit": -1})
        for field, counts in result["facets"].items():
            for value, count in counts.items():
                hits = search(fq=f'{field}:"{value}"', rows=0)["count"]
                assert hits == count, (field, value)
        assert result["facets"]["organization"] == {
            "secretaria-de-saude": 3, "gestao-e-contratacoes": 2}
        assert result["facets"]["tags"]["saúde"] == 2  # the private third is not counted

    def test_facets_count_datasets_not_resources(self, catalogue):
        two_csvs = [{"url": f"http://example.com/{n}.csv", "format": "CSV"} for n in "ab"]
        factories.Dataset(name="obras", title="Obras públicas", resources=two_csvs,
                          owner_org=catalogue["orgs"]["saude"]["id"])
        result = search(**{"facet.field": ["res_format"]})
        assert result["facets"]["res_format"]["CSV"] == 3

    def test_facet_of_a_field_some_datasets_lack_counts_only_real_values(self, catalogue):
        # Only "Escolas municipais" has the extra "fonte": the others add no value
        # (Solr counts nothing for a missing field, never a "null" value).
        result = search(**{"facet.field": ["extras_fonte", "extras_nenhum"]})
        assert result["facets"]["extras_fonte"] == {"Secretaria": 1}
        assert result["facets"]["extras_nenhum"] == {}

    def test_facet_limit_and_mincount(self, catalogue):
        result = search(**{"facet.field": ["tags"], "facet.limit": 1})
        assert len(result["facets"]["tags"]) == 1
        result = search(**{"facet.field": ["tags"], "facet.limit": 0})
        assert result["facets"]["tags"] == {}
        result = search(**{"facet.field": ["tags"], "facet.mincount": 2})
        assert result["facets"]["tags"] == {"compras": 2, "saúde": 2}

    def test_search_facets_carry_display_names(self, catalogue):
        items = search(**{"facet.field": ["organization"]})["search_facets"]["organization"]
        assert {i["display_name"] for i in items["items"]} == {
            "Secretaria de Saúde", "Gestão e Contratações Públicas"}

    def test_sorts(self, catalogue):
        assert titles(search(sort="title_string asc"))[:2] == [
            "Campanhas de vacinação", "Escolas municipais"]
        assert titles(search(sort="name desc"))[0] == "Unidades Básicas de Saúde"
        newest = helpers.call_action("package_patch", context=as_site(),
                                     id=catalogue["lic18"]["id"], notes="nova")
        assert search(sort="metadata_modified desc")["results"][0]["id"] == newest["id"]
        assert titles(search(sort="metadata_created asc"))[0] == "Licitações 2022"

    def test_rows_start_and_fl(self, catalogue):
        page1 = search(sort="name asc", rows=2)
        page2 = search(sort="name asc", rows=2, start=2)
        assert page1["count"] == page2["count"] == 5
        assert not {d["id"] for d in page1["results"]} & {d["id"] for d in page2["results"]}
        light = search(q="name:escolas-municipais", fl="name,extras_fonte")
        assert light["results"] == [{"name": "escolas-municipais", "fonte": "Secretaria"}]

    def test_invalid_sort_is_a_clear_400(self, app, catalogue):
        response = app.get("/api/3/action/package_search", query_string={"sort": "x y z"},
                           status=400)
        assert response.json["success"] is False


class TestPrivacy:
    def test_anonymous_never_sees_counts_or_facets_of_private(self, app, catalogue):
        body = app.get("/api/3/action/package_search", query_string={
            "q": "folha", "facet.field": '["tags","organization"]',
            "include_private": "true"}).json["result"]
        assert body["count"] == 0
        assert "sigiloso" not in body["facets"].get("tags", {})
        body = app.get("/api/3/action/package_search",
                       query_string={"facet.field": '["tags"]'}).json["result"]
        assert "sigiloso" not in body["facets"]["tags"]

    def test_member_sees_private_with_include_private(self, catalogue):
        user = factories.User()
        helpers.call_action("member_create", id=catalogue["orgs"]["saude"]["id"],
                            object=user["name"], object_type="user", capacity="member")
        context = {"user": user["name"], "ignore_auth": False}
        result = helpers.call_action("package_search", context=context, q="folha",
                                     include_private=True)
        assert titles(result) == ["Folha de pagamento da Saúde (detalhada)"]
        other = factories.User()
        result = helpers.call_action("package_search",
                                     context={"user": other["name"], "ignore_auth": False},
                                     q="folha", include_private=True)
        assert result["count"] == 0

    def test_organization_and_group_pages_hide_private(self, app, catalogue):
        page = app.get("/organization/secretaria-de-saude").body
        assert "Unidades Básicas de Saúde" in page
        assert "Folha de pagamento" not in page
        page = app.get("/group/saude").body
        assert "Campanhas de vacinação" in page
        assert "Folha de pagamento" not in page
        app.get("/dataset/folha-detalhada-saude", status=404)

    def test_dataset_counts_of_organizations_exclude_private(self, app, catalogue):
        orgs = app.get("/api/3/action/organization_list",
                       query_string={"all_fields": "true"}).json["result"]
        counts = {o["name"]: o["package_count"] for o in orgs}
        assert counts == {"secretaria-de-saude": 3, "gestao-e-contratacoes": 2}


class TestCkanFeaturesOnTopOfSearch:
    def test_pages_answer(self, app, catalogue):
        for url in ("/", "/dataset/", "/dataset/?q=saude&res_format=CSV", "/organization/",
                    "/group/", "/dataset/licitacoes-2022",
                    "/api/3/action/package_search?q=licitacoes"):
            app.get(url, status=200)

    def test_dataset_search_page_lists_results(self, app, catalogue):
        page = app.get("/dataset/", query_string={"q": "LICITAÇÕES"}).body
        assert "Licitações 2022" in page and "Licitações 2018" in page
        assert "Escolas municipais" not in page

    def test_package_show_follows_updates(self, catalogue):
        helpers.call_action("package_patch", context=as_site(), id=catalogue["lic22"]["id"],
                            title="Licitações e contratos 2022")
        shown = helpers.call_action("package_show", id="licitacoes-2022")
        assert shown["title"] == "Licitações e contratos 2022"
        assert titles(search(q="contratos"))[0] == "Licitações e contratos 2022"

    def test_deleted_dataset_leaves_search(self, catalogue):
        helpers.call_action("package_delete", context=as_site(), id=catalogue["lic18"]["id"])
        assert "Licitações 2018" not in titles(search(q="licitacoes"))

    def test_tag_show_lists_datasets(self, catalogue):
        tag = helpers.call_action("tag_show", id="compras", include_datasets=True)
        assert {d["name"] for d in tag["packages"]} == {"licitacoes-2022", "licitacoes-2018"}

    def test_group_membership_change_reindexes(self, catalogue):
        helpers.call_action("member_create", id=catalogue["group"]["id"],
                            object=catalogue["escolas"]["id"], object_type="package",
                            capacity="public")
        assert "Escolas municipais" in titles(search(fq="groups:saude"))

    def test_malformed_query_is_a_clear_error_not_500(self, app, catalogue):
        for q in ("title:(licit", "metadata_modified:[ontem TO *]", 'tags:"aberto'):
            response = app.get("/api/3/action/package_search", query_string={"q": q},
                               status=400)
            assert response.json["success"] is False
        app.get("/dataset/", query_string={"q": "title:(licit"}, status=400)

    @pytest.mark.parametrize("q", ["{!lucene}title:x", "_val_:1", "_query_:x"])
    def test_local_params_and_magic_fields_refused(self, app, catalogue, q):
        response = app.get("/api/3/action/package_search", query_string={"q": q}, status=409)
        assert response.json["success"] is False
