"""The citizen's journey to the data itself, in headless Chromium, on a desktop
screen and on a 390 × 844 touch screen: from a dataset page to the preview of
its table, a search in the preview, and a number read as Portuguese writes it
(``3.037.272,48``); the data dictionary. Each page is checked with axe-core
(no serious or critical violation), the preview's frame too, and for English
interface words. On the phone nothing scrolls sideways, and the first screen
of the dataset page holds the title, the description, the seal, the
validation state and the download and "Ver os dados" buttons.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from ckan import plugins
from ckan.common import config
from ckan.tests import helpers
from e2e_language import code_strings, ui_strings, visible_strings
from e2e_walk import axe_problems
from playwright.sync_api import Frame, Page, expect
from sample_data import as_site

from ckanext.mogi.datastore import jobs
from ckanext.mogi.datastore.preview_search import prefix_query

#: The demo table the journey opens, and what the citizen searches in it.
DATASET = "compras-emergenciais-covid-19"
SEARCH = "ESTERILIZACAO"
#: A demo dataset given a description longer than a phone's screen.
FOLDED = "licitacoes-2022"
LONG_PARAGRAPH = ("Cada licitação traz o número do processo, a modalidade, o objeto, a "
                  "situação e as datas de abertura e de publicação, como a Prefeitura as "
                  "registra no sistema de compras.")

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
SCREENS = [
    pytest.param("desktop", id="desktop"),
    pytest.param("phone", id="phone-390x844-touch",
                 marks=pytest.mark.browser_context_args(**PHONE)),
]

#: The page is no wider than the screen, and what sticks out of it.
_SIDEWAYS_JS = """() => {
  const root = document.documentElement, width = root.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1) wide.push(el.tagName + '.' + el.className);
  }
  return {scroll: root.scrollWidth, width: width, wide: wide.slice(0, 10)};
}"""


@pytest.fixture(scope="module")
def table(demo_catalogue) -> dict[str, Any]:
    """The demo table, cleared by its validation and loaded by the typed loader;
    the row the search finds and the number the citizen reads in it, from the API."""
    plugins.load_all()
    try:
        dataset = helpers.call_action("package_show", id=DATASET)
        resource = next(r for r in dataset["resources"] if r["format"] == "CSV")
        assert resource["validation_status"] == "success"
        # the DataStore load its verdict queued, run here (as the worker would)
        loaded = jobs.load_resource(resource["id"])
        assert loaded["state"] == "loaded", loaded
        fields = helpers.call_action("datastore_info", id=resource["id"])["fields"]
        # what the preview asks the DataStore for a search (preview_search.py)
        found = helpers.call_action(
            "datastore_search", resource_id=resource["id"], q=prefix_query(SEARCH),
            plain=False, language=config.get("ckan.datastore.default_fts_lang"))
        assert found["records"], f"no row of {DATASET} has {SEARCH}"
        # a number with a thousands separator and decimals to read
        row, column = next(
            (row, field) for row in found["records"] for field in fields
            if field["type"] == "numeric" and row.get(field["id"]) is not None
            and Decimal(str(row[field["id"]])) >= 1000 and "." in str(row[field["id"]]))
        return {"dataset": dataset, "resource": resource, "rows": len(found["records"]),
                "row_id": row["_id"], "column": column,
                "label": (column.get("info") or {}).get("label") or column["id"],
                "value": Decimal(str(row[column["id"]]))}
    finally:
        plugins.unload_all()


def portuguese(number: Decimal) -> str:
    """``3037272.48`` as Portuguese writes it, built by hand: ``3.037.272,48``."""
    whole, _, fraction = format(number, "f").partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return grouped + ("," + fraction if fraction else "")


def assert_no_sideways_scroll(page: Page) -> None:
    found = page.evaluate(_SIDEWAYS_JS)
    assert found["scroll"] <= found["width"], f"{page.url} scrolls sideways: {found}"


def assert_in_first_screen(page: Page, selectors: dict[str, str]) -> None:
    height = page.viewport_size["height"]
    for what, selector in selectors.items():
        box = page.locator(selector).first.bounding_box()
        assert box is not None, f"{what} ({selector}) is not shown"
        assert box["y"] >= 0 and box["y"] + box["height"] <= height, (
            f"{what} is not on the first screen: {box}")


def assert_portuguese_and_accessible(target: Page | Frame) -> None:
    english = ui_strings("en", visible_strings(target), code_strings(target))
    assert not english, f"English on {target.url}: {english}"
    problems = axe_problems(target)
    assert not problems, f"axe on {target.url}: {problems}"


#: The preview asks nothing of the server and draws nothing.
_IDLE_JS = """() => !!window.jQuery && jQuery.active === 0
  && getComputedStyle(document.getElementById('dtprv_processing')).display === 'none'"""


def settle(frame: Frame) -> None:
    """Wait until the preview is still: after a search, CKAN's module refits
    the columns and draws the page once more (a tap meanwhile is lost)."""
    for _ in range(2):
        frame.wait_for_function(_IDLE_JS)
        frame.page.wait_for_timeout(300)
    frame.wait_for_function(_IDLE_JS)


def tab_to(page: Page, frame: Frame, selector: str, presses: int = 60) -> None:
    """Press Tab until the focus is on ``selector`` inside ``frame``."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if frame.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)",
                          selector):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


@pytest.mark.parametrize("screen", SCREENS)
def test_citizen_previews_a_table_searches_it_and_reads_a_portuguese_number(
        page: Page, portal: str, table: dict[str, Any], shot: Callable[[str], Path],
        screen: str):
    phone = screen != "desktop"
    dataset, resource = table["dataset"], table["resource"]
    tap = (lambda locator: locator.tap()) if phone else (lambda locator: locator.click())

    page.goto(f"{portal}/dataset/{dataset['name']}")
    shot("dataset")
    if phone:
        assert_no_sideways_scroll(page)
        assert_in_first_screen(page, {
            "title": "h1", "description": ".notes",
            "seal": ".mogi-selo-dcat-br .badge",
            "validation state": ".resource-item .mogi-validacao",
            "download button": "a.mogi-baixar",
            "preview button": "a.mogi-ver-dados",
        })
        # the Secretaria's box comes after the data
        secretaria = page.locator("aside.secondary").bounding_box()
        resources = page.locator("#dataset-resources").bounding_box()
        assert secretaria["y"] > resources["y"] + resources["height"]
    assert_portuguese_and_accessible(page)

    tap(page.locator(f"a.mogi-ver-dados[href*='{resource['id']}']"))
    expect(page).to_have_url(re.compile(r"#mogi-previa$"))
    expect(page.locator("#mogi-previa h2")).to_have_text("Prévia dos dados")
    frame_element = page.locator("#mogi-previa iframe")
    expect(frame_element).to_have_attribute("title", re.compile(r"^Prévia dos dados: "))
    preview = page.frame_locator("#mogi-previa iframe")
    expect(preview.locator("#dtprv tbody tr").first).to_be_visible()
    shot("preview")
    frame = frame_element.element_handle().content_frame()
    assert frame is not None
    if phone:
        assert_no_sideways_scroll(page)

    search = preview.locator(".dataTables_filter input")
    if phone:
        search.tap()
        search.fill(SEARCH)
        search.press("Enter")
    else:
        # by keyboard alone: to the search box, type, Enter
        page.locator("#mogi-previa h2").click()
        tab_to(page, frame, ".dataTables_filter input")
        page.keyboard.type(SEARCH)
        page.keyboard.press("Enter")
    expect(preview.locator("#dtprv_info")).to_contain_text("Filtrados de")
    rows = preview.locator("#dtprv tbody tr[id^='row']")
    expect(rows).to_have_count(table["rows"])
    row = preview.locator(f"#dtprv tbody tr#row{table['row_id']}")
    expected = portuguese(table["value"])
    assert re.fullmatch(r"\d{1,3}(\.\d{3})+,\d+", expected)
    settle(frame)
    if phone:
        # list mode: the row's hidden columns unfold under it at a tap
        tap(row.locator("td.dtr-control"))
        title = preview.locator(".dtr-title", has_text=re.compile(
            rf"^\s*{re.escape(table['label'])}\s*$"))
        detail = preview.locator("tr.child li", has=title)
        expect(detail.locator(".dtr-data")).to_have_text(expected)
    else:
        headers = preview.locator(".dataTables_scrollHead thead tr").first.locator("th")
        names = [name.strip() for name in headers.all_inner_texts()]
        position = names.index(table["label"])
        expect(row.locator("td").nth(position)).to_have_text(expected)
        # sorted by that column with the keyboard alone: Tab to its header, Enter
        header = f".dataTables_scrollHead thead tr:first-child th:nth-child({position + 1})"
        tab_to(page, frame, header)
        page.keyboard.press("Enter")
        expect(preview.locator(header)).to_have_attribute("aria-sort", "ascending")
        settle(frame)
        cells = rows.locator(f"td:nth-child({position + 1})").all_inner_texts()
        assert len(cells) == table["rows"]
        amounts = [float(c.replace(".", "").replace(",", ".")) for c in cells if c.strip()]
        assert amounts == sorted(amounts)
    shot("searched, the number read")
    assert_portuguese_and_accessible(frame)
    assert_portuguese_and_accessible(page)

    # the data dictionary, under the preview
    dictionary = page.locator(".mogi-dicionario-tabela")
    dictionary.scroll_into_view_if_needed()
    expect(dictionary).to_be_visible()
    expect(dictionary.locator("tbody tr", has_text=table["label"])).to_contain_text("Número")
    if phone:
        assert_no_sideways_scroll(page)
    shot("data dictionary")


@pytest.mark.browser_context_args(**PHONE)
def test_a_long_description_is_folded_on_a_phone(page: Page, portal: str, table: dict[str, Any],
                                                  shot: Callable[[str], Path]):
    """A dataset whose description fills more than a screen: folded to a few
    lines, the buttons stay on the first screen, a tap unfolds it."""
    dataset = helpers.call_action("package_show", id=FOLDED)
    helpers.call_action("package_patch", context=as_site(), id=FOLDED, notes="\n\n".join(
        [dataset["notes"]] + [LONG_PARAGRAPH] * 6))
    page.goto(f"{portal}/dataset/{FOLDED}")
    shot("long description folded")
    unfold = page.get_by_role("button", name="Ler a descrição completa")
    expect(unfold).to_have_attribute("aria-expanded", "false")
    assert_in_first_screen(page, {"title": "h1", "description": ".notes",
                                  "unfold button": ".mogi-dobra-botao",
                                  "download button": "a.mogi-baixar"})
    assert_no_sideways_scroll(page)
    unfold.tap()
    folded_back = page.get_by_role("button", name="Mostrar menos da descrição")
    expect(folded_back).to_have_attribute("aria-expanded", "true")
    expect(page.locator(".notes")).to_contain_text(LONG_PARAGRAPH[:40])
    shot("long description unfolded")
    assert_portuguese_and_accessible(page)
