"""The walk of the browser tests: the main pages, seen in Chromium by a citizen
and by staff, in one language, with no interface word of the other, accessible
(no serious or critical axe-core violation, ``lang`` set, a skip link first in
the tab order, a visible focus and a label on every form field)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from e2e_language import code_strings, ui_strings, visible_strings
from playwright.sync_api import Page

#: The walk's language -> the other, whose interface words must not show, the
#: URL prefix and ``<html lang>`` of its pages, and whether the schema's texts
#: (Portuguese by design, in YAML) count as content rather than interface.
LANGUAGES: dict[str, dict[str, Any]] = {
    "pt_BR": {"other": "en", "prefix": "", "lang": "pt-BR", "schema_is_content": False},
    "en": {"other": "pt_BR", "prefix": "/en", "lang": "en", "schema_is_content": True},
}

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
    #: the catalogue's strings (datasets, organizations, groups)
    content: list[str] = field(default_factory=list)
    #: the labels, help texts and choices of the schemas (schemas/*.yaml, tables)
    schema: list[str] = field(default_factory=list)


def public_pages(site: Site) -> list[str]:
    return [
        "/", "/dataset/?q=saude", f"/dataset/?q=saude&groups={site.group}",
        f"/dataset/{site.dataset}", f"/dataset/{site.dataset}/resource/{site.resource}",
        "/organization/", f"/organization/{site.organization}",
        "/group/", f"/group/{site.group}", "/about", "/sobre/api",
        f"/dataset/{site.dataset}/resource/{site.resource}/validacao", "/validacao/esquemas",
        "/transparencia/qualidade",
    ]


def staff_pages(site: Site) -> list[str]:
    edit = [f"/dataset/edit/{site.dataset}/{page}" for page in range(1, 6)]
    return public_pages(site) + ["/dashboard/datasets", "/dataset/new", *edit,
                                 f"/dataset/{site.dataset}/resource/new",
                                 f"/dataset/{site.dataset}/resource/{site.resource}/edit",
                                 f"/organization/{site.organization}/painel"]


@dataclass
class Findings:
    #: the language whose interface words must not show
    other_language: str
    words: dict[str, list[str]] = field(default_factory=dict)
    axe: dict[str, list[str]] = field(default_factory=dict)
    other: dict[str, list[str]] = field(default_factory=dict)

    def add(self, kind: str, url: str, problems: list[str]) -> None:
        if problems:
            getattr(self, kind).setdefault(url, []).extend(problems)

    def report(self) -> str:
        lines = []
        for kind, title in (("words", f"{self.other_language} UI strings"),
                            ("axe", "axe-core serious/critical"), ("other", "accessibility")):
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
         shot: Callable[[str], Path], language: str = "pt_BR") -> Findings:
    """Every page of ``urls`` in ``language`` (its URL prefix added), checked."""
    spec = LANGUAGES[language]
    findings = Findings(spec["other"])
    for url in urls:
        response = page.goto(base_url + spec["prefix"] + url)
        assert response is not None
        # JavaScript modules render part of the page (with /api/i18n's strings)
        page.wait_for_load_state("networkidle")
        shot(url)
        if response.status != 200:
            findings.add("other", url, [f"HTTP {response.status}"])
            continue
        if page.locator("html").get_attribute("lang") != spec["lang"]:
            findings.add("other", url, [f'<html> is not lang="{spec["lang"]}"'])
        content = [*code_strings(page), *site.content,
                   *(site.schema if spec["schema_is_content"] else ())]
        findings.add("words", url, ui_strings(spec["other"], visible_strings(page), content))
        findings.add("axe", url, axe_problems(page))
        unlabelled = page.evaluate(_UNLABELLED_JS)
        findings.add("other", url, [f"form field without a label: {h}" for h in unlabelled])
        findings.add("other", url, keyboard_problems(page))
    return findings


