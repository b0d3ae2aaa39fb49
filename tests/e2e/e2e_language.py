"""Finds interface words of a language in what a page shows (text, tooltips,
labels, <title>): English on the Portuguese pages, Portuguese on the English ones.

The detector matches the language's list of interface words and phrases
(``ui_words.yaml``) as whole words, case-insensitively. What the catalogue
itself holds (dataset, resource, organization and theme titles, descriptions,
tags, the schema's Portuguese labels...) is removed from the text first: its
language is the publisher's, not the portal's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from playwright.sync_api import Page

WORDS_FILE = Path(__file__).with_name("ui_words.yaml")


@cache
def _words() -> dict[str, list[str]]:
    return yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))


@cache
def _pattern(language: str) -> re.Pattern[str]:
    """``language``'s interface words (ui_words.yaml), as whole words."""
    words = sorted(_words()[language], key=len, reverse=True)
    return re.compile(
        r"(?<![\w:/.-])(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
        + r")(?![\w-])",
        re.IGNORECASE,
    )


#: Everything a person perceives on the page, as separate strings.
_VISIBLE_TEXT_JS = """() => {
  const out = [document.title, document.body.innerText];
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  for (const el of document.querySelectorAll('[placeholder],[title],[aria-label],img[alt],'
      + 'input[type=submit][value],input[type=button][value],button[value]')) {
    for (const name of ['placeholder', 'title', 'aria-label', 'alt']) {
      const value = el.getAttribute(name);
      if (value) out.push(value);
    }
    if (el.matches('input[type=submit],input[type=button]') && visible(el)) out.push(el.value);
  }
  return out;
}"""


#: Code the page quotes (API field names, commands): not UI text.
_CODE_TEXT_JS = """() => Array.from(document.querySelectorAll('code, pre, kbd, samp'),
                                  (el) => el.innerText.trim()).filter((t) => t)"""


def visible_strings(page: Page) -> list[str]:
    return [s for s in page.evaluate(_VISIBLE_TEXT_JS) if s and s.strip()]


def code_strings(page: Page) -> list[str]:
    """What the page shows as code, longest first (to cut out of its text)."""
    return sorted(set(page.evaluate(_CODE_TEXT_JS)), key=len, reverse=True)


def content_strings(records: Iterable[Any]) -> list[str]:
    """Every string held in ``records`` (API dicts and lists), longest first."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)
        elif isinstance(value, str) and len(value.strip()) > 2:
            found.add(value.strip())
            # HTML (help texts) is shown as its text
            if "<" in value:
                found.add(" ".join(re.sub(r"<[^>]+>", "", value).split()))
            # markdown is shown rendered: its lines are seen one by one
            found.update(line.strip(" #*-_>") for line in value.splitlines()
                         if len(line.strip(" #*-_>")) > 2)

    for record in records:
        walk(record)
    return sorted(found, key=len, reverse=True)


def schema_files() -> list[Any]:
    """The portal's schemas (``ckanext.mogi.schemas``: dataset, organization,
    vocabularies, the tables' Table Schemas), parsed."""
    root = resources.files("ckanext.mogi.schemas")
    files = [*root.iterdir(), *(root / "tables").iterdir()]
    return [yaml.safe_load(f.read_text(encoding="utf-8")) for f in files
            if f.name.endswith((".yaml", ".json"))]


def _truncated(line: str, content: list[str]) -> bool:
    """``line`` is the start of a content string, cut with an ellipsis (as
    CKAN shortens descriptions in lists and breadcrumbs)."""
    if not line.endswith(("...", "…")):
        return False
    start = " ".join(line.rstrip(".… ").split())
    return len(start) > 10 and any(" ".join(c.split()).startswith(start) for c in content)


def ui_strings(language: str, texts: Iterable[str], content: Iterable[str] = ()) -> list[str]:
    """The lines of ``texts`` holding UI words of ``language`` (``en``,
    ``pt_BR``), once each.

    ``content`` (the catalogue's own strings, code the page quotes) and the
    proper nouns are cut out of each text first, longest first; a line that is
    the start of a content string cut with an ellipsis is content too. URLs,
    e-mail addresses and file names are ignored.
    """
    content = sorted({c for c in (*content, *_words()["proper_nouns"]) if c},
                     key=len, reverse=True)
    pattern = _pattern(language)
    offending: dict[str, None] = {}
    for text in texts:
        for line in text.splitlines():
            line = line.strip()
            if not line or _truncated(line, content):
                continue
            cleaned = line
            for piece in content:
                if piece in cleaned:
                    cleaned = cleaned.replace(piece, " ")
            cleaned = re.sub(r"\S+://\S+|\S+@\S+|\S+\.(?:csv|json|xlsx?|xml|ttl|rdf|jsonld)\b",
                             " ", cleaned, flags=re.IGNORECASE)
            if pattern.search(cleaned):
                offending[line] = None
    return list(offending)
