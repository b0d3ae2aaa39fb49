"""Journeys in headless Chromium: a citizen finds and downloads health data; a
staff member publishes a dataset through the Portuguese form and uploads a CSV."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ckan.lib.uploader import get_resource_uploader
from ckan.tests import helpers
from e2e_language import code_strings, ui_strings, visible_strings
from e2e_portal import EDITOR_ORGANIZATION, log_in
from playwright.sync_api import Page, expect

from ckanext.mogi.demo.loader import resolve_source

#: A table of ../shared/data/tables (its first 30 rows): what staff upload.
SOURCE_TABLE = "bh_equipamentos_esportivos_datastore_dump_bom.csv"
UPLOAD_ROWS = 30


def assert_portuguese(page: Page) -> None:
    """No English UI string on the page (tests/e2e/e2e_language.py)."""
    page.wait_for_load_state("networkidle")
    english = ui_strings("en", visible_strings(page), code_strings(page))
    assert not english, f"English on {page.url}: {english}"


def stored_file(resource: dict[str, Any]) -> bytes:
    """The bytes CKAN keeps for an uploaded resource."""
    return Path(get_resource_uploader(resource).get_path(resource["id"])).read_bytes()


def show(action: str, **data: Any) -> dict[str, Any]:
    return helpers.call_action(action, **data)


def test_citizen_searches_filters_by_theme_and_downloads_a_csv(
        page: Page, portal: str, demo_catalogue, shot: Callable[[str], Path],
        tmp_path: Path):
    page.goto(portal + "/")
    shot("home")
    search = page.locator("#content input[name=q]").first
    search.fill("saude")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"/dataset/?\?q=saude"))
    expect(page.get_by_text(re.compile(r'conjuntos? de dados encontrados? para "saude"'))
           ).to_be_visible()
    shot("search saude")

    page.locator("a[href*='groups=saude']").filter(has_text="Saúde").first.click()
    expect(page).to_have_url(re.compile(r"groups=saude"))
    results = page.locator("ul.dataset-list > li")
    expect(results.first).to_be_visible()
    shot("filtered by theme Saude")

    # every dataset listed now belongs to the theme
    names = [href.rstrip("/").rsplit("/", 1)[-1] for href in
             results.locator("h3 a, .dataset-heading a").evaluate_all(
                 "(links) => links.map((a) => a.getAttribute('href'))")]
    assert names
    for name in names:
        assert "saude" in show("package_show", id=name)["temas"], name

    dataset = next(show("package_show", id=name) for name in names
                   if any(r["format"] == "CSV" and r["url_type"] == "upload"
                          for r in show("package_show", id=name)["resources"]))
    page.get_by_role("link", name=dataset["title"]).first.click()
    expect(page.locator("h1")).to_contain_text(dataset["title"])
    shot("dataset")

    csv = next(r for r in dataset["resources"]
               if r["format"] == "CSV" and r["url_type"] == "upload")
    page.get_by_role("link", name=re.compile(re.escape(csv["name"][:20]))).first.click()
    expect(page.locator("h1")).to_contain_text(csv["name"][:20])
    shot("resource")

    with page.expect_download() as arrival:
        page.locator("a.resource-url-analytics").first.click()
    download = arrival.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.suffix == ".csv"
    assert saved.read_bytes() == stored_file(csv)
    header = saved.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.count(",") + header.count(";") >= 2, header


@pytest.fixture
def upload_csv(tmp_path: Path) -> Path:
    source = resolve_source() / "tables" / SOURCE_TABLE
    lines = source.read_bytes().splitlines(keepends=True)[: UPLOAD_ROWS + 1]
    path = tmp_path / "equipamentos-esportivos.csv"
    path.write_bytes(b"".join(lines))
    return path


def test_staff_publish_a_dataset_through_the_portuguese_form(
        page: Page, portal: str, staff, shot: Callable[[str], Path], upload_csv: Path,
        validation_worker: Callable[[], None]):
    page.goto(portal + "/user/login")
    shot("login form")
    log_in(page, portal, staff["editor"])
    shot("logged in")

    page.goto(portal + "/dataset/new")
    expect(page.locator(".stages .active")).to_contain_text("Identificação")
    # CKAN's slug modules have started (they add the URL preview): only then
    # does typing the title fill the address in.
    expect(page.locator(".slug-preview")).to_be_attached()
    page.locator("#field-title").fill("Equipamentos esportivos municipais")
    expect(page.locator("#field-name")).to_have_value("equipamentos-esportivos-municipais")
    shot("page 1 without description")
    next_page(page)

    # the description is required: the page comes back, in Portuguese
    error = page.locator(".error-explanation")
    expect(error).to_be_visible()
    expect(error).to_contain_text("Descrição: Faltando valor")
    expect(page.locator("#field-title")).to_have_value("Equipamentos esportivos municipais")
    shot("page 1 error in Portuguese")
    assert_portuguese(page)
    page.locator("#field-notes").fill("Campos, quadras e ginásios esportivos da cidade.")
    next_page(page)

    expect(page.locator(".stages .active")).to_contain_text("Temas e palavras-chave")
    shot("page 2")
    page.get_by_label("Esporte e Lazer").check()
    # the keywords box (select2): typing a comma makes a tag
    keywords = page.locator("#field-tag_string + .select2 .select2-search__field")
    keywords.press_sequentially("esporte,equipamentos,")
    expect(page.locator("#field-tag_string + .select2 .select2-selection__choice")
           ).to_have_count(2)
    next_page(page)

    expect(page.locator(".stages .active")).to_contain_text("Cobertura")
    page.locator("#field-periodicidade").select_option("ANUAL")
    page.locator("#field-cobertura_temporal_inicio").fill("01/01/2024")
    page.locator("#field-cobertura_temporal_fim").fill("31/12/2024")
    shot("page 3")
    next_page(page)

    expect(page.locator(".stages .active")).to_contain_text("Acesso e LGPD")
    page.locator("#field-dados_pessoais").select_option("nao")
    shot("page 4")
    next_page(page)

    expect(page.locator(".stages .active")).to_contain_text("Responsáveis")
    page.locator("#field-maintainer").fill("Secretaria de Esporte e Lazer")
    page.locator("#field-maintainer_email").fill("esportes@mogidascruzes.sp.gov.br")
    shot("page 5")
    next_page(page)

    # the last step: the data itself, uploaded from the computer
    expect(page.locator(".stages .active")).to_contain_text("Adicionar")
    with page.expect_file_chooser() as chooser:
        page.locator("#resource-upload-button").click()
    chooser.value.set_files(upload_csv)
    page.locator("#field-name").fill("Equipamentos esportivos (amostra)")
    shot("resource form with the file")
    assert_portuguese(page)
    page.locator("button[name=save][value=go-metadata]").click()

    expect(page).to_have_url(re.compile(r"/dataset/equipamentos-esportivos-municipais$"))
    expect(page.locator("h1")).to_contain_text("Equipamentos esportivos municipais")
    shot("dataset published")
    dataset = show("package_show", id="equipamentos-esportivos-municipais")
    assert dataset["state"] == "active"
    assert dataset["temas"] == ["esporte-e-lazer"]
    assert sorted(tag["name"] for tag in dataset["tags"]) == ["equipamentos", "esporte"]
    assert dataset["organization"]["name"] == EDITOR_ORGANIZATION
    (resource,) = dataset["resources"]
    assert resource["url_type"] == "upload"
    assert stored_file(resource) == upload_csv.read_bytes()

    page.get_by_role("link", name=re.compile("Equipamentos esportivos \\(amostra")).first.click()
    expect(page.locator("h1")).to_contain_text("Equipamentos esportivos (amostra)")
    shot("resource page, validation waiting")

    # the upload queued its validation: a real job worker runs it
    validation_worker()
    page.reload()
    page.get_by_role("link", name="Ver o relatório de validação").click()
    expect(page.locator("h1")).to_have_text(
        "Validação da tabela: Equipamentos esportivos (amostra)")
    shot("validation report")
    expect(page.locator(".mogi-validacao-situacao")).to_contain_text("Válido")
    expect(page.get_by_text("Nenhum problema foi encontrado na tabela.")).to_be_visible()
    assert_portuguese(page)


def next_page(page: Page) -> None:
    """The form's "Próximo" button (the last one: "Concluir" on the last page)."""
    page.locator("button[name=save]").last.click()
