"""Every message of the bundle has a pt_BR translation (0 untranslated, 0 fuzzy)."""

from __future__ import annotations

from pathlib import Path

import polib
from babel.messages.extract import extract_from_dir

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "i18n" / "pt_BR" / "LC_MESSAGES" / "ckanext-mogi.po"
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ungettext": (1, 2), "ngettext": (1, 2)}


def source_messages() -> set[str]:
    # CKAN's template extractor, as babel.cfg: plain jinja2 extraction
    # silently skips every template that uses CKAN's own tags.
    method_map = [("ckanext/**.py", "python"),
                  ("ckanext/**/templates/**.html", "ckan.lib.extract:extract_ckan"),
                  ("ckanext/**/templates/**.txt", "ckan.lib.extract:extract_ckan")]
    found = extract_from_dir(str(ROOT), method_map=method_map, keywords=KEYWORDS)
    messages = set()
    for _filename, _lineno, message, _comments, _context in found:
        messages.update(message if isinstance(message, tuple) else (message,))
    return {m for m in messages if m}


def test_catalogue_translates_every_message():
    catalogue = polib.pofile(str(CATALOGUE))
    translated = set()
    for entry in catalogue:
        if "fuzzy" in entry.flags:
            continue
        if entry.msgstr:
            translated.add(entry.msgid)
        if entry.msgid_plural and all(entry.msgstr_plural.values()):
            translated.update((entry.msgid, entry.msgid_plural))
    missing = sorted(source_messages() - translated)
    assert not missing, f"msgids without a pt_BR translation: {missing}"
    assert catalogue.fuzzy_entries() == []
    assert catalogue.untranslated_entries() == []
