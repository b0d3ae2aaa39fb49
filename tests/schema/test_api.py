"""Acceptance of the metadata schema through CKAN's real action API.

Requests go through the HTTP API (``/api/3/action/...``, locale pt_BR, so the
validation errors are the Portuguese texts of the ckanext-mogi catalogue);
``helpers.call_action`` is used where the HTTP layer adds nothing. Nothing is
mocked: CKAN, our plugins, PostgreSQL and the search backend are real.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from cgu_expectations import COMPLETE_CGU_EXTRAS
from ckan import model
from ckan.tests import factories, helpers
from dateutil.relativedelta import relativedelta
from sample_data import FULL_DATASET

from ckanext.mogi.common import vocabularies
from ckanext.mogi.schema.federal import FEDERAL_KEYS

pytestmark = pytest.mark.usefixtures("clean_db")

API = "/api/3/action/"



def api_post(app, action: str, data: dict[str, Any], token: str | None = None,
             status: int = 200) -> dict[str, Any]:
    headers = {"Authorization": token} if token else {}
    return app.post(API + action, json=data, headers=headers, status=status).json


def api_get(app, action: str, token: str | None = None, status: int = 200,
            **params: Any) -> dict[str, Any]:
    headers = {"Authorization": token} if token else {}
    return app.get(API + action, query_string=params, headers=headers, status=status).json


def extras_of(pkg: dict[str, Any]) -> dict[str, str]:
    """``extras`` as a dict, after checking that no key is repeated."""
    extras = pkg.get("extras") or []
    keys = Counter(extra["key"] for extra in extras)
    repeated = {key: n for key, n in keys.items() if n > 1}
    assert not repeated, f"extras repeated: {repeated}"
    return {extra["key"]: extra["value"] for extra in extras}


def stored_extras(package_id: str) -> dict[str, str]:
    """A dataset's extras as stored in the database (``package.extras``)."""
    model.Session.remove()
    return dict(model.Package.get(package_id).extras or {})


def assert_only_our_fields_are_stored(package_id: str) -> None:
    """The database holds our scheming fields, never the CGU spelling of them."""
    schema = helpers.call_action("scheming_dataset_schema_show", type="dataset")
    our_fields = {field["field_name"] for field in schema["dataset_fields"]}
    stored = stored_extras(package_id)
    assert set(stored) <= our_fields, set(stored) - our_fields
    # "periodicidade" and "ods" are both CGU keys and our field names: our format
    assert stored.get("ods", "[]").startswith("[")


def theme_members(group_name: str) -> set[str]:
    """Ids of the datasets that are active members of a theme group (none if no group)."""
    if model.Group.get(group_name) is None:
        return set()
    return {
        package_id for package_id, _type, _capacity in helpers.call_action(
            "member_list", id=group_name, object_type="package")
    }


def group_titles(pkg: dict[str, Any]) -> set[str]:
    return {group["title"] for group in pkg["groups"]}


# --------------------------------------------------------------- complete dataset


def test_complete_dataset_is_created_and_shown_with_fields_and_cgu_extras(
        app, sysadmin, organization, dataset_data):
    created = api_post(app, "package_create", dataset_data(), sysadmin["token"])
    assert created["success"] is True

    # what anyone (the federal harvester included) reads, anonymously
    shown = api_get(app, "package_show", id="atendimentos-ubs-2022")["result"]

    # what was typed (FULL_DATASET, whose e-mail is in lower case), as stored:
    # dates in ISO 8601, themes sorted
    expected_fields = {
        **{key: value for key, value in FULL_DATASET.items() if key != "tag_string"},
        "owner_org": organization["id"],
        "private": False,
        "temas": ["economia-e-financas", "saude"],
        "cobertura_temporal_inicio": "2022-01-01",
        "cobertura_temporal_fim": "2022-12-31",
    }
    assert {key: shown.get(key) for key in expected_fields} == expected_fields
    assert {tag["name"] for tag in shown["tags"]} == {"saúde", "atendimentos", "custos"}
    assert group_titles(shown) == {"Saúde", "Economia e Finanças"}

    # the 15 CGU extras, each once, in the guide's formats, and nothing else
    assert extras_of(shown) == COMPLETE_CGU_EXTRAS
    assert set(COMPLETE_CGU_EXTRAS) == FEDERAL_KEYS

    # derived, never typed: MENSAL -> one calendar month after the last update
    # of the data (no resources yet: the dataset's creation)
    created = (dt.datetime.fromisoformat(shown["metadata_created"])
               .replace(tzinfo=dt.UTC).astimezone(ZoneInfo("America/Sao_Paulo")).date())
    next_update = dt.date.fromisoformat(shown["proxima_atualizacao"])
    assert next_update == created + relativedelta(months=1)
    assert 28 <= (next_update - created).days <= 31

    # the database holds our fields; the CGU keys exist only in the API output
    assert_only_our_fields_are_stored(shown["id"])


def test_organization_fields_and_alphanumeric_cnpj(app, sysadmin):
    org = api_post(app, "organization_create", {
        "name": "secretaria-de-financas", "title": "Secretaria de Finanças",
        "sigla": "SF", "cnpj": "12.abc.345/01de-35", "email": "financas@MOGIDASCRUZES.SP.GOV.BR",
        "site": "https://www.mogidascruzes.sp.gov.br/financas",
    }, sysadmin["token"])["result"]
    assert org["cnpj"] == "12ABC34501DE35"
    assert org["tipo"] == "secretaria"
    assert org["email"] == "financas@mogidascruzes.sp.gov.br"
    shown = api_get(app, "organization_show", id="secretaria-de-financas")["result"]
    assert (shown["sigla"], shown["cnpj"]) == ("SF", "12ABC34501DE35")


# ------------------------------------------------------------------- bad inputs


@pytest.mark.parametrize(("cnpj", "message"), [
    ("11.222.333/0001-82",
     'CNPJ inválido "11.222.333/0001-82": os dígitos verificadores não conferem.'),
    ("11.222.333/0001",
     'CNPJ inválido "11.222.333/0001": deve ter 14 caracteres, 12 letras ou números '
     "seguidos de 2 dígitos verificadores (ex.: 11.222.333/0001-81 ou 12.ABC.345/01DE-35)."),
], ids=["check-digits", "format"])
def test_invalid_cnpj_is_refused_in_portuguese(app, sysadmin, cnpj, message):
    response = api_post(app, "organization_create", {
        "name": "secretaria-de-obras", "title": "Secretaria de Obras", "cnpj": cnpj,
    }, sysadmin["token"], status=409)
    assert response["success"] is False
    assert response["error"] == {"cnpj": [message], "__type": "Validation Error"}
    assert model.Group.get("secretaria-de-obras") is None


BAD_DATASETS = {
    "ibge-check-digit": (
        {"valor_cobertura_espacial": "3530608"},
        "valor_cobertura_espacial",
        'Código de município IBGE inválido "3530608": o dígito verificador deveria ser 7.',
    ),
    "ibge-state": (
        {"valor_cobertura_espacial": "993060"},
        "valor_cobertura_espacial",
        'Código de município IBGE inválido "993060": "99" não é código de UF.',
    ),
    "inicio-after-fim": (
        {"cobertura_temporal_inicio": "01/07/2023", "cobertura_temporal_fim": "31/12/2022"},
        "cobertura_temporal_fim",
        "O fim da cobertura temporal (31/12/2022) é anterior ao início (01/07/2023).",
    ),
    "bad-date": (
        {"cobertura_temporal_inicio": "2022/01/01"},
        "cobertura_temporal_inicio",
        'Data inválida "2022/01/01": use dd/mm/aaaa (ex.: 31/12/2024).',
    ),
    "missing-periodicidade": (
        {"periodicidade": None},
        "periodicidade",
        "Faltando valor",
    ),
    "empty-periodicidade": (
        {"periodicidade": ""},
        "periodicidade",
        "Faltando valor",
    ),
    "unknown-periodicidade": (
        {"periodicidade": "MONTHLY"},
        "periodicidade",
        '"MONTHLY" não é um valor aceito para este campo.',
    ),
    "restricted-observancia-public": (
        {"observancia_legal": ["31"], "private": False},
        "observancia_legal",
        "Os códigos de observância legal 31 restringem o acesso: este conjunto de dados "
        "só pode ser publicado como privado.",
    ),
    "restricted-observancia-default-public": (
        {"observancia_legal": "1,3"},
        "observancia_legal",
        "Os códigos de observância legal 3 restringem o acesso: este conjunto de dados "
        "só pode ser publicado como privado.",
    ),
    "unknown-observancia": (
        {"observancia_legal": ["1", "35"]},
        "observancia_legal",
        "Códigos de observância legal desconhecidos: 35. Use códigos de 1 a 34.",
    ),
    "personal-data-public": (
        {"dados_pessoais": "sim", "private": False},
        "dados_pessoais",
        "Este conjunto de dados contém dados pessoais não anonimizados: só pode ser "
        "publicado como privado.",
    ),
    "maintainer-email": (
        {"maintainer_email": "atencao.basica@mogidascruzes"},
        "maintainer_email",
        '"atencao.basica@mogidascruzes" não é um endereço de e-mail válido.',
    ),
    "documentacao-url": (
        {"documentacao": "dados.mogidascruzes.sp.gov.br/dicionario"},
        "documentacao",
        '"dados.mogidascruzes.sp.gov.br/dicionario" não é um endereço válido: use um link '
        "que comece com https:// ou http://.",
    ),
}


@pytest.mark.parametrize("case", list(BAD_DATASETS))
def test_bad_dataset_is_refused_on_its_field_in_portuguese_and_not_saved(
        app, sysadmin, dataset_data, case):
    changes, field, message = BAD_DATASETS[case]
    response = api_post(app, "package_create", dataset_data(**changes),
                        sysadmin["token"], status=409)
    assert response["success"] is False
    assert response["error"] == {field: [message], "__type": "Validation Error"}

    model.Session.remove()
    assert model.Package.get("atendimentos-ubs-2022") is None
    assert helpers.call_action("package_search", q="*:*", include_private=True)["count"] == 0
    assert theme_members("saude") == set()
    api_get(app, "package_show", sysadmin["token"], status=404, id="atendimentos-ubs-2022")


def test_restricted_dataset_is_accepted_as_private_and_cannot_be_made_public(
        app, sysadmin, dataset_data):
    restricted = dataset_data(private=True, observancia_legal=["3", "31"], dados_pessoais="sim")
    created = api_post(app, "package_create", restricted, sysadmin["token"])["result"]
    assert created["private"] is True
    assert created["observancia_legal"] == ["3", "31"]
    assert created["dados_pessoais"] == "sim"

    response = api_post(app, "package_update", {**restricted, "id": created["id"],
                                                "private": False},
                        sysadmin["token"], status=409)
    assert response["error"] == {
        "observancia_legal": [
            "Os códigos de observância legal 3, 31 restringem o acesso: este conjunto de "
            "dados só pode ser publicado como privado."],
        "dados_pessoais": [
            "Este conjunto de dados contém dados pessoais não anonimizados: só pode ser "
            "publicado como privado."],
        "__type": "Validation Error",
    }
    model.Session.remove()
    assert model.Package.get(created["id"]).private is True


# --------------------------------------------------------------- private datasets


def test_private_dataset_has_no_federal_extras_and_is_hidden_from_anonymous(
        app, sysadmin, dataset_data):
    created = api_post(app, "package_create",
                       dataset_data(private=True, observancia_legal=["31"]),
                       sysadmin["token"])["result"]

    shown = api_get(app, "package_show", sysadmin["token"], id=created["id"])["result"]
    assert shown["periodicidade"] == "MENSAL"  # our fields are there for the staff
    assert not set(extras_of(shown)) & FEDERAL_KEYS

    api_get(app, "package_show", status=403, id=created["id"])
    assert api_get(app, "package_search", q="*:*")["result"]["count"] == 0
    staff = api_get(app, "package_search", sysadmin["token"], q="*:*",
                    include_private="true")["result"]
    assert [d["name"] for d in staff["results"]] == ["atendimentos-ubs-2022"]
    assert not set(extras_of(staff["results"][0])) & FEDERAL_KEYS


# --------------------------------------------------------- CGU extras as input


CGU_ONLY_EXTRAS = [
    {"key": "periodicidade", "value": "MENSAL"},
    {"key": "coberturaTemporalInicio", "value": "01/01/2020"},
    {"key": "coberturaTemporalFim", "value": "31/12/2023"},
    {"key": "coberturaEspacial", "value": "MUNICIPAL"},
    {"key": "valorCoberturaEspacial", "value": "353060"},
    {"key": "granularidadeEspacial", "value": "MUNICIPAL"},
    {"key": "atualizacaoVersao", "value": "false"},
    {"key": "descontinuado", "value": "false"},
    {"key": "dataDescontinuacao", "value": ""},
    {"key": "observanciaLegal", "value": "1"},
    {"key": "dadosAbertos", "value": "true"},
    {"key": "relacaoOds", "value": "true"},
    {"key": "ods", "value": "3,4"},
    {"key": "dadosRacaEtnia", "value": "false"},
    {"key": "dadosGenero", "value": "true"},
]


@pytest.mark.parametrize("tags_as", ["tags", "tag_string"])
def test_dataset_with_only_cgu_extras_is_mapped_into_our_fields(
        app, sysadmin, organization, tags_as):
    """How other Brazilian portals (plain CKAN) send a dataset: extras + groups.

    ``tags`` (a list of dicts) is what CKAN API clients and harvesters send;
    ``tag_string`` is the web form's way.
    """
    payload: dict[str, Any] = {
        "name": "vacinacao-2020-2023",
        "title": "Vacinação 2020-2023",
        "notes": "Doses aplicadas por vacina e mês.",
        "owner_org": organization["id"],
        "license_id": "cc-by",
        "maintainer": "Vigilância Epidemiológica",
        "maintainer_email": "vigilancia@mogidascruzes.sp.gov.br",
        "groups": [{"name": "saude"}],
        "extras": CGU_ONLY_EXTRAS,
    }
    if tags_as == "tags":
        payload["tags"] = [{"name": "vacinação"}, {"name": "imunização"}]
    else:
        payload["tag_string"] = "vacinação,imunização"

    response = api_post(app, "package_create", payload, sysadmin["token"], status=None)
    assert response["success"] is True, response["error"]
    shown = api_get(app, "package_show", id="vacinacao-2020-2023")["result"]

    mapped = {
        "periodicidade": "MENSAL",
        "cobertura_temporal_inicio": "2020-01-01",
        "cobertura_temporal_fim": "2023-12-31",
        "cobertura_espacial": "MUNICIPAL",
        "valor_cobertura_espacial": "3530607",
        "granularidade_espacial": "MUNICIPAL",
        "observancia_legal": ["1"],
        "relacao_ods": "true",
        "ods": ["3", "4"],
        "dados_raca_etnia": "false",
        "dados_genero": "true",
        "temas": ["saude"],
    }
    assert {key: shown.get(key) for key in mapped} == mapped
    assert {tag["name"] for tag in shown["tags"]} == {"vacinação", "imunização"}
    assert group_titles(shown) == {"Saúde"}
    assert extras_of(shown) == {extra["key"]: extra["value"] for extra in CGU_ONLY_EXTRAS}
    assert_only_our_fields_are_stored(shown["id"])


@pytest.mark.parametrize(("coverage", "typed", "stored"), [
    ("MUNICIPAL", "353060", "3530607"),
    ("ESTADUAL", "sp", "SP"),
    ("FEDERAL", "br", "BR"),
])
def test_territory_is_stored_normalised(app, sysadmin, dataset_data, coverage, typed, stored):
    """The docstring of ``mogi_spatial_value``: 6-digit IBGE codes get their check digit."""
    api_post(app, "package_create", dataset_data(
        cobertura_espacial=coverage, valor_cobertura_espacial=typed), sysadmin["token"])
    shown = api_get(app, "package_show", id="atendimentos-ubs-2022")["result"]
    assert shown["valor_cobertura_espacial"] == stored


# -------------------------------------------------------------- update round trip


@pytest.mark.parametrize("client", ["package_show_output", "package_patch",
                                    "package_show_output_with_tag_string"])
def test_update_round_trip_keeps_one_copy_of_each_cgu_extra(
        app, sysadmin, dataset_data, client):
    created = api_post(app, "package_create", dataset_data(), sysadmin["token"])["result"]
    before = api_get(app, "package_show", sysadmin["token"], id=created["id"])["result"]

    if client == "package_patch":
        action, sent = "package_patch", {"id": created["id"], "title": "Atendimentos nas UBS"}
    else:
        action, sent = "package_update", {**before, "title": "Atendimentos nas UBS"}
        if client == "package_show_output_with_tag_string":
            sent["tag_string"] = ",".join(tag["name"] for tag in before["tags"])
    response = api_post(app, action, sent, sysadmin["token"], status=None)
    assert response["success"] is True, response["error"]

    after = api_get(app, "package_show", sysadmin["token"], id=created["id"])["result"]
    assert after["title"] == "Atendimentos nas UBS"
    assert extras_of(after) == extras_of(before) == COMPLETE_CGU_EXTRAS
    assert len(after["extras"]) == len(FEDERAL_KEYS)
    assert_only_our_fields_are_stored(created["id"])

    # editing the description is no update of the data: proxima_atualizacao stays
    unchanged = set(before) - {"title", "metadata_modified"}
    assert {key: after[key] for key in unchanged} == {key: before[key] for key in unchanged}


def test_a_field_cleared_in_an_update_stays_cleared(app, sysadmin, dataset_data):
    """Emptying a field must not be undone by the CGU extras of ``package_show``.

    ``tag_string`` is sent as the web form sends it, so that this test does not
    depend on how ``tags`` alone are handled (see the round-trip test).
    """
    created = api_post(app, "package_create", dataset_data(), sysadmin["token"])["result"]
    shown = api_get(app, "package_show", sysadmin["token"], id=created["id"])["result"]
    tag_string = ",".join(tag["name"] for tag in shown["tags"])

    api_post(app, "package_update", {**shown, "tag_string": tag_string,
                                      "cobertura_temporal_fim": "", "ods": [],
                                      "relacao_ods": "false"}, sysadmin["token"])
    after = api_get(app, "package_show", id=created["id"])["result"]
    assert after.get("cobertura_temporal_fim") in (None, "")
    assert after.get("ods") in (None, "", [])
    assert extras_of(after)["coberturaTemporalFim"] == ""
    assert extras_of(after)["ods"] == ""

    response = api_post(app, "package_patch", {"id": created["id"], "tag_string": tag_string,
                                               "periodicidade": ""},
                        sysadmin["token"], status=409)
    assert response["error"] == {"periodicidade": ["Faltando valor"],
                                 "__type": "Validation Error"}


# ------------------------------------------------------------------ theme groups


def test_theme_groups_carry_the_exact_dcat_br_labels(app, sysadmin, dataset_data):
    created = api_post(app, "package_create", dataset_data(), sysadmin["token"])["result"]

    assert helpers.call_action("group_show", id="saude")["title"] == "Saúde"
    assert helpers.call_action("group_show", id="economia-e-financas")["title"] == (
        "Economia e Finanças")
    groups = model.Session.query(model.Group).filter(
        model.Group.is_organization.is_(False), model.Group.state == "active")
    assert {g.name: g.title for g in groups} == {
        entry["value"]: entry["label"] for entry in vocabularies.entries("temas")}

    assert theme_members("saude") == {created["id"]}
    assert theme_members("economia-e-financas") == {created["id"]}
    assert theme_members("educacao") == set()
    found = api_get(app, "package_search", fq="groups:economia-e-financas")["result"]
    assert [d["name"] for d in found["results"]] == ["atendimentos-ubs-2022"]


def test_removing_a_theme_removes_the_group_membership(app, sysadmin, dataset_data):
    created = api_post(app, "package_create", dataset_data(), sysadmin["token"])["result"]
    api_post(app, "package_update", dataset_data(id=created["id"], temas=["saude"]),
             sysadmin["token"])

    assert theme_members("saude") == {created["id"]}
    assert theme_members("economia-e-financas") == set()
    shown = api_get(app, "package_show", id=created["id"])["result"]
    assert shown["temas"] == ["saude"]
    assert group_titles(shown) == {"Saúde"}
    found = api_get(app, "package_search", fq="groups:economia-e-financas")["result"]
    assert found["count"] == 0

    # and back again
    api_post(app, "package_update", dataset_data(id=created["id"], temas=["educacao"]),
             sysadmin["token"])
    assert theme_members("saude") == set()
    assert theme_members("educacao") == {created["id"]}


def test_organization_editor_can_set_and_change_themes(sysadmin, organization, dataset_data):
    editor = factories.User(name="editora-saude")
    helpers.call_action("organization_member_create", context={"user": sysadmin["name"]},
                        id=organization["id"], username=editor["name"], role="editor")

    def as_editor() -> dict[str, Any]:
        return {"user": editor["name"], "ignore_auth": False}

    created = helpers.call_action("package_create", context=as_editor(), **dataset_data())
    assert theme_members("saude") == {created["id"]}
    assert theme_members("economia-e-financas") == {created["id"]}

    helpers.call_action("package_update", context=as_editor(),
                        **dataset_data(id=created["id"], temas=["economia-e-financas",
                                                                "educacao"]))
    assert theme_members("saude") == set()
    assert theme_members("economia-e-financas") == {created["id"]}
    assert theme_members("educacao") == {created["id"]}
