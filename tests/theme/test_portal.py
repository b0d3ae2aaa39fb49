"""The portal speaks Portuguese from the first page."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.usefixtures("clean_db")


@pytest.mark.parametrize(("url", "title"), [
    ("/", "Bem-vindo"),
    ("/dataset/", "Conjunto de dados"),
    ("/organization/", "Organizações"),
    ("/group/", "Grupos"),
    ("/about", "Sobre"),
])
def test_main_pages_are_portuguese(app, url, title):
    body = app.get(url, status=200).body
    assert '<html lang="pt-BR"' in body
    page_title = re.search(r"<title>([^<]*)</title>", body).group(1)
    assert page_title.startswith(title)
