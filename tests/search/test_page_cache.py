"""Anonymous home and search pages kept per index generation: served again
while nothing they show can have changed, never to anyone with a session or
credentials, never stale after a dataset changes.

Through a real HTTP server (``live_server``): the cache is WSGI middleware,
which CKAN's test client (it calls the inner Flask application) skips.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests
from ckan.tests import helpers

from ckanext.mogi.search import pagecache

HIT = "X-Mogi-Page-Cache"

pytestmark = [pytest.mark.usefixtures("clean_db"),
              pytest.mark.ckan_config(pagecache.TTL_OPTION, 60)]


@pytest.fixture
def get(live_server):
    def fetch(url: str, status: int = 200, **kwargs: Any) -> requests.Response:
        response = requests.get(live_server + url, timeout=30, allow_redirects=False,
                                **kwargs)
        assert response.status_code == status, (url, response.status_code)
        return response
    return fetch


def _page(get, url: str, **kwargs: Any) -> tuple[str, bool]:
    response = get(url, **kwargs)
    return response.text, response.headers.get(HIT) == "hit"


@pytest.mark.parametrize("url", ["/", "/dataset/", "/dataset/?q=saude&page=1", "/en/dataset/",
                                 "/dataset/atendimentos"])
def test_an_anonymous_page_is_served_again_unchanged(get, create_dataset, url):
    create_dataset("atendimentos", title="Atendimentos nas unidades de saúde")
    first = get(url)
    second = get(url)
    assert (first.headers.get(HIT), second.headers.get(HIT)) == (None, "hit")
    assert second.text == first.text
    for header in ("Content-Type", "Cache-Control", "Vary"):
        assert second.headers.get(header) == first.headers.get(header), header
    assert "Atendimentos nas unidades" in second.text or url.endswith("saude&page=1")
    # A visitor gets no cookie (and the kept page carries no one's CSRF token).
    assert "Set-Cookie" not in first.headers and "Set-Cookie" not in second.headers
    assert "_csrf_token" not in second.text


def test_a_new_or_edited_dataset_shows_at_once(get, sysadmin, create_dataset):
    create_dataset("atendimentos", title="Atendimentos nas unidades de saúde")
    _page(get, "/dataset/")
    body, hit = _page(get, "/dataset/")
    assert hit and "Atendimentos nas unidades" in body

    dataset = create_dataset("obras", title="Obras públicas em andamento")
    body, hit = _page(get, "/dataset/")
    assert not hit and "Obras públicas em andamento" in body

    helpers.call_action("package_patch", context={"user": sysadmin["name"]},
                        id=dataset["id"], title="Obras públicas concluídas")
    body, hit = _page(get, "/dataset/")
    assert not hit and "Obras públicas concluídas" in body
    assert "Obras públicas em andamento" not in body


def test_a_dataset_made_private_leaves_the_kept_pages_at_once(get, sysadmin, create_dataset):
    dataset = create_dataset("obras", title="Obras públicas em andamento")
    for _ in range(2):
        body, _hit = _page(get, "/dataset/")
        assert "Obras públicas em andamento" in get("/dataset/obras").text
    assert "Obras públicas em andamento" in body
    helpers.call_action("package_patch", context={"user": sysadmin["name"]},
                        id=dataset["id"], private=True)
    body, hit = _page(get, "/dataset/")
    assert not hit and "Obras públicas em andamento" not in body
    assert "Obras públicas em andamento" not in get("/dataset/obras", status=404).text


def test_staff_never_get_or_leave_a_kept_page(get, sysadmin, create_dataset):
    create_dataset("obras", title="Obras públicas em andamento")
    create_dataset("sigiloso", title="Relatório sigiloso", private=True)
    staff = {"Authorization": sysadmin["token"]}

    body, hit = _page(get, "/dataset/", headers=staff)
    assert not hit and "Relatório sigiloso" in body
    assert "_csrf_token" in body  # staff pages keep CKAN's token for their forms
    body, hit = _page(get, "/dataset/")  # rendered for the visitor, not the staff page
    assert not hit and "Relatório sigiloso" not in body
    body, hit = _page(get, "/dataset/", headers=staff)
    assert not hit and "Relatório sigiloso" in body
    body, hit = _page(get, "/dataset/", headers={"Cookie": "ckan=any-session"})
    assert not hit


def test_errors_and_other_pages_are_not_kept(get, create_dataset):
    create_dataset("obras", title="Obras públicas em andamento")
    for _ in range(2):
        assert get('/dataset/?q=title:"abc', status=400).headers.get(HIT) is None
        assert get("/dataset/inexistente", status=404).headers.get(HIT) is None
        assert get("/dataset/obras.ttl").headers.get(HIT) is None
        assert get("/dataset/new", status=403).headers.get(HIT) is None


def test_english_and_portuguese_pages_are_kept_apart(get, create_dataset):
    create_dataset("obras", title="Obras públicas em andamento")
    for _ in range(2):
        portuguese, _hit = _page(get, "/dataset/")
        english, _hit = _page(get, "/en/dataset/")
    assert 'lang="pt' in portuguese.replace("'", '"')
    assert 'lang="en' in english.replace("'", '"')


def test_the_cache_can_be_turned_off(get, create_dataset, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, pagecache.TTL_OPTION, 0)
    create_dataset("obras", title="Obras públicas em andamento")
    assert [_page(get, "/dataset/")[1] for _ in range(2)] == [False, False]
