"""The dataset web form (ckanext-scheming form pages), driven like a browser.

Every submission starts from the page CKAN renders: the form's own fields and
values are collected (as a browser would send them), the test changes some and
posts them back with the staff member's API token, as CKAN's own controller
tests do. The portal runs in pt_BR.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest
from bs4 import BeautifulSoup
from ckan import model
from ckan.lib.helpers import url_for
from ckan.tests import helpers
from sample_data import as_site

pytestmark = pytest.mark.usefixtures("clean_db")

NAME = "atendimentos-ubs-2022"

#: Page number -> the values a staff member types on it (a valid dataset).
PAGES: dict[int, dict[str, Any]] = {
    1: {"title": "Atendimentos nas UBS 2022", "name": NAME,
        "notes": "Atendimentos mensais por UBS.", "private": "False", "version": "1.0"},
    2: {"temas": ["saude", "economia-e-financas"], "tag_string": "saúde,atendimentos",
        "license_id": "cc-by", "idioma": "pt-BR"},
    3: {"periodicidade": "MENSAL", "cobertura_temporal_inicio": "01/01/2022",
        "cobertura_temporal_fim": "31/12/2022", "cobertura_espacial": "MUNICIPAL",
        "valor_cobertura_espacial": "3530607", "granularidade_espacial": "MUNICIPAL"},
    4: {"observancia_legal": ["1"], "dados_pessoais": "nao"},
    5: {"maintainer": "Departamento de Atenção Básica",
        "maintainer_email": "atencao.basica@mogidascruzes.sp.gov.br",
        "relacao_ods": "true", "ods": ["3"]},
}

PAGE_TITLES = ["Identificação", "Temas e palavras-chave", "Cobertura", "Acesso e LGPD",
               "Responsáveis"]


# ----------------------------------------------------------------- a tiny browser


def parse(body: str) -> BeautifulSoup:
    return BeautifulSoup(body, "html.parser")


def dataset_form(soup: BeautifulSoup):
    form = soup.find("form", id="dataset-edit") or soup.find("form", id="resource-edit")
    assert form is not None, "no dataset form on the page"
    return form


def form_values(form) -> dict[str, Any]:
    """What a browser sends for ``form`` untouched (buttons excluded)."""
    values: dict[str, Any] = {}

    def add(name: str, value: str, multiple: bool = False) -> None:
        if multiple:
            values.setdefault(name, []).append(value)
        else:
            values.setdefault(name, value)

    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.get("disabled") is not None:
            continue
        if field.name == "textarea":
            add(name, field.text)
        elif field.name == "select":
            multiple = field.get("multiple") is not None
            options = field.find_all("option")
            chosen = [o for o in options if o.get("selected") is not None]
            if not chosen and not multiple and options:
                chosen = options[:1]
            if multiple:
                values.setdefault(name, [])
            for option in chosen:
                add(name, option.get("value", option.text), multiple)
        elif field.get("type") in ("checkbox", "radio"):
            if field.get("checked") is not None:
                add(name, field.get("value", "on"), field.get("type") == "checkbox")
        elif field.get("type") not in ("submit", "button", "file", "image", "reset"):
            add(name, field.get("value", ""))
    return values


def submit(app, url: str, token: str, changes: dict[str, Any], save: str = ""):
    """GET the form at ``url``, apply ``changes``, POST it (``save`` = the button)."""
    form = dataset_form(parse(app.get(url, headers={"Authorization": token}).body))
    data = form_values(form)
    data.update(changes)
    data["save"] = save
    return app.post(url, data=data, headers={"Authorization": token},
                    follow_redirects=False)


def error_summary(soup: BeautifulSoup) -> list[str]:
    """Fields listed in the form's error summary box."""
    box = soup.find("div", class_="error-explanation")
    return [li["data-field-label"] for li in box.find_all("li")] if box else []


def form_group(soup: BeautifulSoup, field: str):
    control = soup.find(attrs={"name": field}, id=True)
    assert control is not None, f"{field} is not on the page"
    return control.find_parent("div", class_="form-group")


def shown_value(soup: BeautifulSoup, field: str) -> Any:
    """The value the re-rendered form holds for ``field``."""
    form = dataset_form(soup)
    return form_values(form).get(field)


def redirect_path(response) -> str:
    return urlparse(response.headers.get("Location", "")).path


# ------------------------------------------------------------------------ fixtures


@pytest.fixture
def draft(sysadmin, dataset_data) -> dict[str, Any]:
    """A dataset being created through the form, its first page done (state draft)."""
    return helpers.call_action("package_create", context={"user": sysadmin["name"]},
                               **dataset_data(state="draft"))


@pytest.fixture
def published(sysadmin, dataset_data) -> dict[str, Any]:
    return helpers.call_action("package_create", context={"user": sysadmin["name"]},
                               **dataset_data())


# --------------------------------------------------------------------------- tests


def test_form_is_split_in_the_five_pages_of_the_schema(app, sysadmin, organization):
    soup = parse(app.get(url_for("dataset.new"),
                         headers={"Authorization": sysadmin["token"]}).body)
    stages = [li.get_text(" ", strip=True) for li in soup.select("ol.stages li")]
    assert stages[:5] == PAGE_TITLES
    fields = set(form_values(dataset_form(soup)))
    assert {"title", "name", "notes", "owner_org", "private", "version"} <= fields
    assert not {"periodicidade", "temas", "maintainer_email"} & fields


def test_form_buttons_are_portuguese(app, sysadmin, draft):
    """Buttons whose msgids come from ckanext-scheming and CKAN 2.12 templates."""
    headers = {"Authorization": sysadmin["token"]}

    def buttons(url: str) -> dict[str, str]:
        form = dataset_form(parse(app.get(url, headers=headers).body))
        return {" ".join(b.get("class", [])): b.get_text(strip=True)
                for b in form.find_all("button", attrs={"name": "save"})}

    assert buttons(url_for("dataset.scheming_new_page", id=NAME, page=2))[
        "btn btn-primary"] == "Próximo"
    helpers.call_action("package_patch", context=as_site(), id=NAME, state="active",
                        tag_string="saúde,atendimentos")
    edit = buttons(url_for("dataset.scheming_edit_page", id=NAME, page=5))
    assert edit["btn btn-primary"] == "Atualizar Responsáveis"
    assert edit["btn btn-warning"] == "Despublicar"
    helpers.call_action("package_patch", context=as_site(), id=NAME, state="draft",
                        tag_string="saúde,atendimentos")
    resource = buttons(url_for("dataset_resource.new", id=NAME))
    assert "Publish" not in resource.values()
    assert "Publicar" in resource.values()


def test_first_page_creates_a_draft_and_moves_to_the_second(app, sysadmin, organization):
    response = submit(app, url_for("dataset.new"), sysadmin["token"],
                      {**PAGES[1], "owner_org": organization["id"]})
    assert response.status_code == 302, error_summary(parse(response.body))
    assert redirect_path(response) == url_for("dataset.scheming_new_page", id=NAME, page=2)
    model.Session.remove()
    assert model.Package.get(NAME).state == "draft"


def test_valid_submission_of_every_page_creates_the_dataset(app, sysadmin, organization):
    token = sysadmin["token"]
    response = submit(app, url_for("dataset.new"), token,
                      {**PAGES[1], "owner_org": organization["id"]})
    assert response.status_code == 302, error_summary(parse(response.body))
    for page in range(2, 6):
        response = submit(app, url_for("dataset.scheming_new_page", id=NAME, page=page),
                          token, PAGES[page])
        assert response.status_code == 302, (page, error_summary(parse(response.body)))
    assert redirect_path(response) == url_for("dataset_resource.new", id=NAME)

    # "Concluir" on the resource page without a resource: the dataset goes public
    response = app.post(url_for("dataset_resource.new", id=NAME),
                        data={"id": "", "url": "", "name": "", "save": "go-metadata"},
                        headers={"Authorization": token}, follow_redirects=False)
    assert response.status_code == 302, error_summary(parse(response.body))

    shown = helpers.call_action("package_show", id=NAME)
    assert shown["state"] == "active"
    assert shown["temas"] == ["economia-e-financas", "saude"]
    assert shown["cobertura_temporal_inicio"] == "2022-01-01"
    assert shown["maintainer_email"] == "atencao.basica@mogidascruzes.sp.gov.br"
    assert {g["title"] for g in shown["groups"]} == {"Saúde", "Economia e Finanças"}


#: case -> (page, typed values, field in error, its message); the typed values
#: must come back in the re-rendered form.
INVALID = {
    "inicio-after-fim": (
        3, {"cobertura_temporal_inicio": "01/07/2023", "cobertura_temporal_fim": "31/12/2022"},
        "cobertura_temporal_fim",
        "O fim da cobertura temporal (31/12/2022) é anterior ao início (01/07/2023).",
    ),
    "bad-date": (
        3, {"cobertura_temporal_inicio": "1º de janeiro de 2022"}, "cobertura_temporal_inicio",
        'Data inválida "1º de janeiro de 2022": use dd/mm/aaaa (ex.: 31/12/2024).',
    ),
    # the select has no blank choice, so only a crafted post (or a future
    # "Selecione..." option) sends it empty -- and an empty choice cannot be
    # shown again: the other typed value is checked instead
    "periodicidade-empty": (
        3, {"periodicidade": "", "cobertura_temporal_fim": "30/06/2022"}, "periodicidade",
        "Faltando valor",
    ),
    "ibge-check-digit": (
        3, {"valor_cobertura_espacial": "3530608"}, "valor_cobertura_espacial",
        'Código de município IBGE inválido "3530608": o dígito verificador deveria ser 7.',
    ),
    "restricted-observancia-public": (
        4, {"observancia_legal": ["1", "31"]}, "observancia_legal",
        "Os códigos de observância legal 31 restringem o acesso: este conjunto de dados "
        "só pode ser publicado como privado.",
    ),
    "maintainer-email": (
        5, {"maintainer_email": "atencao.basica@mogidascruzes", "fonte": "Prontuário"},
        "maintainer_email",
        '"atencao.basica@mogidascruzes" não é um endereço de e-mail válido.',
    ),
}


#: A field of each page that the invalid submissions leave as it was.
UNTOUCHED = {3: "granularidade_espacial", 4: "dados_pessoais", 5: "maintainer"}


@pytest.mark.parametrize("flow", ["new", "edit"])
@pytest.mark.parametrize("case", list(INVALID))
def test_invalid_submission_is_shown_on_its_field_in_portuguese(
        app, request, sysadmin, flow, case):
    """``new``: a page of the creation of a draft; ``edit``: a published dataset."""
    page, changes, field, message = INVALID[case]
    if flow == "new":
        request.getfixturevalue("draft")
        url = url_for("dataset.scheming_new_page", id=NAME, page=page)
    else:
        request.getfixturevalue("published")
        url = url_for("dataset.scheming_edit_page", id=NAME, page=page)
    before = helpers.call_action("package_show", id=NAME)

    response = submit(app, url, sysadmin["token"], changes)

    assert response.status_code == 200  # the form again, not a crash nor a redirect
    soup = parse(response.body)
    group = form_group(soup, field)
    assert "error" in group["class"]
    assert group.find(class_="error-block").get_text(strip=True) == message
    for name, value in changes.items():  # what was typed is still there
        if value != "":
            assert shown_value(soup, name) == value, name
    assert shown_value(soup, UNTOUCHED[page]) == before[UNTOUCHED[page]]
    # the summary names this field only: nothing unrelated to what was typed
    assert error_summary(soup) == [field]

    model.Session.remove()
    after = helpers.call_action("package_show", id=NAME)
    assert after[field] == before[field]
    assert after["state"] == before["state"]


def test_valid_edit_of_one_page_is_saved(app, sysadmin, published):
    response = submit(app, url_for("dataset.scheming_edit_page", id=NAME, page=3),
                      sysadmin["token"], {"periodicidade": "ANUAL"})
    assert response.status_code == 302, error_summary(parse(response.body))
    shown = helpers.call_action("package_show", id=NAME)
    assert shown["periodicidade"] == "ANUAL"
    assert shown["temas"] == published["temas"]
    assert {t["name"] for t in shown["tags"]} == {t["name"] for t in published["tags"]}
