"""The main pages, seen in Chromium by a citizen and by staff, are Portuguese and
accessible: no English UI string, no serious or critical axe-core violation,
``lang="pt-BR"``, a skip link first in the tab order, a visible focus and a
label on every form field."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from ckan import plugins
from ckan.tests import helpers
from e2e_english import code_strings, content_strings, english_ui_strings, visible_strings
from e2e_portal import EDITOR_ORGANIZATION, log_in
from playwright.sync_api import Page

BLOCKING_IMPACTS = frozenset({"serious", "critical"})

#: The first focusable element is a link to the main content; focus is drawn.
_FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const href = el.getAttribute('href') || '';
  return {
    tag: el.tagName.toLowerCase(), href: href, text: (el.innerText || '').trim(),
    target: href.startsWith('#') && href.length > 1 && !!document.getElementById(href.slice(1)),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== 'none',
  };
}"""

#: Visible form controls without an accessible name.
_UNLABELLED_JS = """() => {
  const out = [];
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (['hidden', 'submit', 'button', 'reset', 'image'].includes(el.type)) continue;
    if (!visible(el)) continue;
    const named = (el.labels && el.labels.length) || el.getAttribute('aria-label')
      || el.getAttribute('aria-labelledby') || el.getAttribute('title');
    if (!named) out.push(el.outerHTML.slice(0, 120));
  }
  return out;
}"""


@dataclass
class Site:
    """What the walk visits, found in the demo catalogue."""

    dataset: str
    resource: str
    organization: str
    group: str
    content: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def site(demo_catalogue, staff) -> Site:
    plugins.load_all()
    try:
        found = helpers.call_action("package_search", q="saude", rows=1000,
                                    include_private=True,
                                    context={"user": staff["sysadmin"]["name"]})
        datasets = sorted(found["results"], key=lambda d: d["name"])
        chosen = next(d for d in datasets
                      if d.get("owner_org") and not d["private"]
                      and d["organization"]["name"] == EDITOR_ORGANIZATION
                      and any(r.get("format") == "CSV" for r in d["resources"]))
        csv = next(r for r in chosen["resources"] if r.get("format") == "CSV")
        # a finished validation report shows all its sections
        helpers.call_action("resource_validation_run", resource_id=csv["id"],
                            context={"user": staff["sysadmin"]["name"]}, **{"async": False})
        everything = helpers.call_action("package_search", rows=1000, include_private=True,
                                         context={"user": staff["sysadmin"]["name"]})
        organizations = helpers.call_action("organization_list", all_fields=True,
                                            include_extras=True)
        groups = helpers.call_action("group_list", all_fields=True, include_extras=True)
        return Site(
            dataset=chosen["name"], resource=csv["id"],
            organization=EDITOR_ORGANIZATION, group=min(g["name"] for g in chosen["groups"]),
            content=content_strings([everything["results"], organizations, groups]),
        )
    finally:
        plugins.unload_all()


def public_pages(site: Site) -> list[str]:
    return [
        "/", "/dataset/?q=saude", f"/dataset/?q=saude&groups={site.group}",
        f"/dataset/{site.dataset}", f"/dataset/{site.dataset}/resource/{site.resource}",
        "/organization/", f"/organization/{site.organization}",
        "/group/", f"/group/{site.group}", "/about", "/sobre/api",
        f"/dataset/{site.dataset}/resource/{site.resource}/validacao", "/validacao/esquemas",
    ]


def staff_pages(site: Site) -> list[str]:
    edit = [f"/dataset/edit/{site.dataset}/{page}" for page in range(1, 6)]
    return public_pages(site) + ["/dashboard/datasets", "/dataset/new", *edit,
                                 f"/dataset/{site.dataset}/resource/new",
                                 f"/dataset/{site.dataset}/resource/{site.resource}/edit"]


@dataclass
class Findings:
    english: dict[str, list[str]] = field(default_factory=dict)
    axe: dict[str, list[str]] = field(default_factory=dict)
    other: dict[str, list[str]] = field(default_factory=dict)

    def add(self, kind: str, url: str, problems: list[str]) -> None:
        if problems:
            getattr(self, kind).setdefault(url, []).extend(problems)

    def report(self) -> str:
        lines = []
        for kind, title in (("english", "English UI strings"), ("axe",
                            "axe-core serious/critical"), ("other", "accessibility")):
            for url, problems in getattr(self, kind).items():
                lines.append(f"[{title}] {url}")
                lines.extend(f"    {p}" for p in problems)
        return "\n".join(lines)


def axe_problems(page: Page) -> list[str]:
    violations = Axe().run(page).response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['help']} -> "
            + "; ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:5])
            for v in violations if v.get("impact") in BLOCKING_IMPACTS]


def keyboard_problems(page: Page) -> list[str]:
    problems = []
    # Tab from the very start of the document, whatever a script focused.
    page.evaluate("""() => {
      const start = document.createElement('span');
      start.tabIndex = -1;
      document.body.prepend(start);
      start.focus();
      start.remove();
    }""")
    page.keyboard.press("Tab")
    first = page.evaluate(_FOCUS_JS)
    if not first or not first["target"]:
        problems.append(f"first focusable element is not a skip link: {first}")
    for _ in range(3):
        focused = page.evaluate(_FOCUS_JS)
        if focused and not (focused["outline"] or focused["shadow"]):
            problems.append(f"focus not visible on <{focused['tag']}> {focused['text']!r}")
        page.keyboard.press("Tab")
    return problems


def walk(page: Page, base_url: str, urls: list[str], site: Site,
         shot: Callable[[str], Path]) -> Findings:
    findings = Findings()
    for url in urls:
        response = page.goto(base_url + url)
        assert response is not None
        # JavaScript modules render part of the page (with /api/i18n's strings)
        page.wait_for_load_state("networkidle")
        shot(url)
        if response.status != 200:
            findings.add("other", url, [f"HTTP {response.status}"])
            continue
        if page.locator("html").get_attribute("lang") != "pt-BR":
            findings.add("other", url, ['<html> is not lang="pt-BR"'])
        findings.add("english", url, english_ui_strings(
            visible_strings(page), [*code_strings(page), *site.content]))
        findings.add("axe", url, axe_problems(page))
        unlabelled = page.evaluate(_UNLABELLED_JS)
        findings.add("other", url, [f"form field without a label: {h}" for h in unlabelled])
        findings.add("other", url, keyboard_problems(page))
    return findings


def test_citizen_sees_portuguese_accessible_pages(page, portal, site, shot):
    urls = [*public_pages(site), "/user/login"]
    findings = walk(page, portal, urls, site, shot)
    assert not findings.report(), "\n" + findings.report()


@pytest.mark.parametrize("role", ["sysadmin", "editor"])
def test_staff_see_portuguese_accessible_pages(page, portal, site, staff, role, shot):
    log_in(page, portal, staff[role])
    findings = walk(page, portal, staff_pages(site), site, shot)
    assert not findings.report(), "\n" + findings.report()


def test_detector_finds_english_and_ignores_catalogue_content():
    texts = ["Buscar conjuntos de dados\nAdd Dataset\nÚltima atualização",
             "Relatório anual of the Secretaria", "Licença: Creative Commons"]
    found = english_ui_strings(texts, content=["Relatório anual of the Secretaria"])
    assert found == ["Add Dataset"]
    assert english_ui_strings(["No description provided"]) == ["No description provided"]
    # proper nouns, code the page quotes, adms:version-like names are not UI text
    assert english_ui_strings(["Certificada pela What Works Cities",
                               "Versão (adms:version)", "com success e result"],
                              content=["success", "result"]) == []
    assert not re.search("Link", " ".join(english_ui_strings(["Link para o arquivo"])))
