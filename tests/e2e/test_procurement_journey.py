"""Journey in headless Chromium: a citizen searches the city's procurement
processes (the demo's two real dumps, published as OCDS), narrows by buyer
and opens a process page from the results: buyer, modality, status, a
timeline and the documents, in Portuguese, with no serious axe-core
violation on either page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from e2e_language import code_strings, ui_strings, visible_strings
from e2e_walk import axe_problems
from playwright.sync_api import Page, expect


def _checked(page: Page, where: str) -> None:
    english = ui_strings("en", visible_strings(page), code_strings(page))
    assert not english, f"English on {where}: {english}"
    problems = axe_problems(page)
    assert not problems, f"axe-core on {where}: {problems}"


def test_a_citizen_opens_a_process_from_the_search(page: Page, portal: str, demo_catalogue,
                                                    shot: Callable[[str], Path]):
    page.goto(f"{portal}/licitacoes")
    expect(page.locator("h1")).to_have_text("Licitações")
    expect(page.locator("#resultados")).to_contain_text("884 processos encontrados")
    page.get_by_label("Texto (objeto, descrição, órgão)").fill("remoção e guarda de veículos")
    page.get_by_label("Ano").select_option("2018")
    page.locator("form.mogi-licitacoes-busca button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    shot("search results")
    _checked(page, "the search")
    first = page.locator(".mogi-licitacoes-lista h3 a").first
    title = first.text_content()
    first.click()
    page.wait_for_load_state("networkidle")
    shot("process page")
    expect(page.locator("h1")).to_have_text(title or "")
    for heading in ("Linha do tempo", "Documentos", "Contratos e valores"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.locator("dl.mogi-licitacao-dados")).to_contain_text("Concorrência")
    expect(page.get_by_role("link", name="Licitações 2018")).to_be_visible()
    _checked(page, "the process page")
