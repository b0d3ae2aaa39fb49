"""Finds English UI words in what a page shows (text, tooltips, labels, <title>).

The detector matches a list of English interface words and phrases as whole
words, case-insensitively. What the catalogue itself holds (dataset, resource,
organization and theme titles, descriptions, tags...) is removed from the text
first: English in the data is the publisher's, not the portal's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from playwright.sync_api import Page

#: Words and phrases CKAN, ckanext-scheming and ckanext-dcat show in English.
#: None of them is a Portuguese word (no "no", "a", "for", "site", "e-mail").
ENGLISH_UI = (
    # navigation and actions
    "Search", "Home", "About", "Dashboard", "Log in", "Login", "Log out", "Logout",
    "Sign up", "Register", "Add", "Edit", "Delete", "Remove", "Update", "Save",
    "Cancel", "Submit", "Close", "Download", "Upload", "Explore", "Preview",
    "Manage", "Follow", "Unfollow", "Followers", "Activity", "Activity Stream",
    "Show more", "Show less", "Read more", "More information", "Next", "Previous",
    "Finish", "Clear", "Clear all", "Filter", "Filters", "Go to resource",
    "Go to", "Back", "Embed", "Share", "Sort by", "Order by", "Relevance",
    "Ascending", "Descending", "Last Modified", "Popular", "Recently",
    # catalogue nouns
    "Dataset", "Datasets", "Resource", "Resources", "Organization",
    "Organizations", "Group", "Groups", "Tag", "Tags", "License", "Licence",
    "Format", "Formats", "Members", "Member", "Views", "Data Explorer",
    "Additional Info", "Field", "Value", "Source", "Author", "Maintainer",
    "Version", "State", "Private", "Public", "Draft", "Deleted", "Created",
    "Last updated", "Metadata last updated", "Data last updated", "Description",
    "Title", "Name", "Username", "Password", "Remember me", "Forgot",
    "Visibility", "Required field", "Image URL", "Language",
    # messages
    "No description", "No results", "not found", "found", "results", "Please",
    "Error", "Warning", "Loading", "Missing value", "You", "Your", "the", "and",
    "this", "with", "have", "has", "been", "are", "is", "of", "was", "will",
    "there", "which", "what", "when", "should", "must", "cannot", "can't",
    "don't", "here", "more", "Unknown",
)

#: Names that are English but proper nouns (programmes, licences, organisations).
PROPER_NOUNS = (
    "What Works Cities", "City Data Alliance", "Open Database License",
    "Open Data Commons", "Creative Commons", "GitHub",
)

_PATTERN = re.compile(
    r"(?<![\w:/.-])(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+")
                                  for w in sorted(ENGLISH_UI, key=len, reverse=True))
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
            # markdown is shown rendered: its lines are seen one by one
            found.update(line.strip(" #*-_>") for line in value.splitlines()
                         if len(line.strip(" #*-_>")) > 2)

    for record in records:
        walk(record)
    return sorted(found, key=len, reverse=True)


def english_ui_strings(texts: Iterable[str], content: Iterable[str] = ()) -> list[str]:
    """The lines of ``texts`` holding English UI words, once each.

    ``content`` (the catalogue's own strings, code the page quotes) and the
    proper nouns are cut out of each text first; URLs, e-mail addresses and file
    names are ignored too.
    """
    content = [c for c in (*content, *PROPER_NOUNS) if c]
    offending: dict[str, None] = {}
    for text in texts:
        for line in text.splitlines():
            line = line.strip()
            if not line:
                continue
            cleaned = line
            for piece in content:
                if piece in cleaned:
                    cleaned = cleaned.replace(piece, " ")
            cleaned = re.sub(r"\S+://\S+|\S+@\S+|\S+\.(?:csv|json|xlsx?|xml|ttl|rdf|jsonld)\b",
                             " ", cleaned, flags=re.IGNORECASE)
            if _PATTERN.search(cleaned):
                offending[line] = None
    return list(offending)
