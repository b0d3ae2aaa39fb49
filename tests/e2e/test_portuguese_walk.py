"""The main pages, seen in Chromium by a citizen and by staff, are Portuguese and
accessible: no English UI string, no serious or critical axe-core violation,
``lang="pt-BR"``, a skip link first in the tab order, a visible focus and a
label on every form field."""

from __future__ import annotations

import re

import pytest
from e2e_language import ui_strings
from e2e_portal import log_in
from e2e_walk import public_pages, staff_pages, walk


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
    found = ui_strings("en", texts, content=["Relatório anual of the Secretaria"])
    assert found == ["Add Dataset"]
    assert ui_strings("en", ["No description provided"]) == ["No description provided"]
    # proper nouns, code the page quotes, adms:version-like names are not UI text
    assert ui_strings("en", ["Certificada pela What Works Cities",
                             "Versão (adms:version)", "com success e result"],
                      content=["success", "result"]) == []
    assert not re.search("Link", " ".join(ui_strings("en", ["Link para o arquivo"])))
