"""The mirror of test_portuguese_walk.py: the main pages, in the offered ``en``
locale (``/en/...``), seen in Chromium by a citizen and by staff, are English
and accessible: no Portuguese UI string, ``lang="en"``, no serious or critical
axe-core violation, a skip link first, a visible focus, labelled form fields.

What the catalogue holds (titles, descriptions, tags...) and the schema's
labels, help texts and choices (Portuguese by design, in schemas/*.yaml) are
content, not interface: they stay Portuguese.
"""

from __future__ import annotations

import pytest
from e2e_language import ui_strings
from e2e_portal import log_in
from e2e_walk import public_pages, staff_pages, walk


def test_citizen_sees_english_accessible_pages(page, portal, site, shot):
    urls = [*public_pages(site), "/user/login"]
    findings = walk(page, portal, urls, site, shot, language="en")
    assert not findings.report(), "\n" + findings.report()


@pytest.mark.parametrize("role", ["sysadmin", "editor"])
def test_staff_see_english_accessible_pages(page, portal, site, staff, role, shot):
    log_in(page, portal, staff[role])
    findings = walk(page, portal, staff_pages(site), site, shot, language="en")
    assert not findings.report(), "\n" + findings.report()


def test_detector_finds_portuguese_and_ignores_catalogue_content():
    texts = ["Search datasets\nAdicionar conjunto de dados\nLast updated",
             "Annual report da Secretaria", "License: Creative Commons"]
    found = ui_strings("pt_BR", texts, content=["Annual report da Secretaria"])
    assert found == ["Adicionar conjunto de dados"]
    assert ui_strings("pt_BR", ["Nenhuma descrição fornecida"]) == [
        "Nenhuma descrição fornecida"]
    # proper nouns, the schema's labels (content), code the page quotes
    assert ui_strings("pt_BR", ["Published by Prefeitura de Mogi das Cruzes",
                                "Periodicidade: Mensal", "see dados_pessoais"],
                      content=["Periodicidade", "Mensal", "dados_pessoais"]) == []
    # English words that look Portuguese are not flagged
    assert ui_strings("pt_BR", ["Data as CSV: no total, a table to do"]) == []
