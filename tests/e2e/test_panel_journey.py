"""Journey in headless Chromium: the Secretaria's editor opens its quality
panel from the organization page, follows an overdue dataset to its form and
updates it; the panel then counts it as up to date."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from aging import age_dataset, days_ago
from ckan.tests import helpers
from e2e_language import code_strings, ui_strings, visible_strings
from e2e_portal import EDITOR_ORGANIZATION, log_in
from e2e_walk import axe_problems
from playwright.sync_api import Page, expect
from sample_data import dataset_fields

NAME = "boletim-mensal-de-vacinacao"


def overdue_dataset(staff) -> dict:
    """A monthly dataset of the editor's Secretaria last updated 40 days ago."""
    org = helpers.call_action("organization_show", id=EDITOR_ORGANIZATION)
    dataset = helpers.call_action(
        "package_create", context={"user": staff["sysadmin"]["name"]},
        **dataset_fields(org, NAME, title="Boletim mensal de vacinação",
                         periodicidade="MENSAL", private=False))
    age_dataset(dataset["id"], days_ago(40))
    return dataset


def test_staff_follow_an_overdue_dataset_from_the_panel_to_its_form(
        page: Page, portal: str, staff, shot: Callable[[str], Path], tmp_path: Path):
    overdue_dataset(staff)
    log_in(page, portal, staff["editor"])
    page.goto(f"{portal}/organization/{EDITOR_ORGANIZATION}")
    page.get_by_role("link", name="Painel de qualidade").click()
    expect(page.locator("h1")).to_contain_text("Painel de qualidade")
    page.wait_for_load_state("networkidle")
    shot("panel")
    english = ui_strings("en", visible_strings(page), code_strings(page))
    assert not english, f"English on the panel: {english}"
    assert not axe_problems(page)
    charts = page.locator("svg[role=img]")
    expect(charts).to_have_count(2)
    for index in range(2):
        assert charts.nth(index).locator("title").text_content()
        assert charts.nth(index).locator("desc").text_content()

    overdue = page.locator("#lista-atualizacao tr", has_text="Boletim mensal de vacinação")
    expect(overdue).to_contain_text("Atrasado")
    overdue.get_by_role("link", name="Publicar os dados novos").click()
    expect(page).to_have_url(re.compile(rf"/dataset/{NAME}/resource/new$"))
    new_month = tmp_path / "vacinacao-novembro.csv"
    new_month.write_text("unidade;doses\nUBS Jundiapeba;1240\n", encoding="utf-8")
    with page.expect_file_chooser() as chooser:
        page.locator("#resource-upload-button").click()
    chooser.value.set_files(new_month)
    page.locator("#field-name").fill("Doses aplicadas em novembro")
    page.locator("button.btn-primary[name=save]").click()
    page.wait_for_load_state("networkidle")
    shot("after the update")
    shown = helpers.call_action("package_show", id=NAME)
    assert [r["name"] for r in shown["resources"]] == ["Doses aplicadas em novembro"]

    page.goto(f"{portal}/organization/{EDITOR_ORGANIZATION}/painel")
    expect(page.locator("#lista-atualizacao")).not_to_contain_text(
        "Boletim mensal de vacinação")
