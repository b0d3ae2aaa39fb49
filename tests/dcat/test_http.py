"""HTTP layer of the RDF endpoints (:mod:`ckanext.mogi.dcat.http`).

Conditional requests (``ETag``, ``Last-Modified``, 304), content negotiation
on ``/dataset/<id>`` and ``/catalog``, ``/dataset/new`` still the scheming
form, private datasets still absent.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from ckan import model
from ckan.lib import search
from ckan.tests import helpers

pytestmark = pytest.mark.usefixtures("clean_db")

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"



@pytest.fixture
def public(create_dataset) -> dict[str, Any]:
    return create_dataset("atendimentos-ubs-2022")


@pytest.fixture
def private(create_dataset) -> dict[str, Any]:
    return create_dataset("prontuarios-sigilosos", title="Prontuários sigilosos", private=True)


def _next_second() -> None:
    """Let the clock leave the second of the last change.

    ``Last-Modified`` is left out while it is the current second (HTTP dates
    have one-second resolution).
    """
    time.sleep(1.05)


def _update(sysadmin, dataset: dict[str, Any], **changes: Any) -> None:
    helpers.call_action("package_patch", context={"user": sysadmin["name"]},
                        id=dataset["id"], **changes)


@pytest.mark.parametrize("url", ["/catalog.ttl", "/dataset/atendimentos-ubs-2022.ttl"])
def test_rdf_responses_carry_validators_and_answer_304(app, public, url):
    _next_second()
    first = app.get(url, status=200)
    etag = first.headers["ETag"]
    assert etag.startswith('W/"') and len(etag) > 10
    assert first.headers["Last-Modified"].endswith("GMT")
    assert public["title"] in first.get_data(as_text=True)

    again = app.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag

    since = app.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304

    other = app.get(url, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200
    assert other.headers["ETag"] == etag


@pytest.mark.parametrize("url", ["/catalog.ttl", "/dataset/atendimentos-ubs-2022.ttl"])
def test_change_gives_new_content(app, sysadmin, public, url):
    _next_second()
    first = app.get(url, status=200)
    _update(sysadmin, public, title="Atendimentos nas UBS em 2022 (revisado)")
    changed = app.get(url, headers={"If-None-Match": first.headers["ETag"],
                                    "If-Modified-Since": first.headers["Last-Modified"]})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != first.headers["ETag"]
    assert "Atendimentos nas UBS em 2022 (revisado)" in changed.get_data(as_text=True)


def test_catalogue_changes_when_a_dataset_goes_private(app, sysadmin, public, create_dataset):
    other = create_dataset("obras-2023", title="Obras públicas 2023")
    _next_second()
    first = app.get("/catalog.ttl", status=200)
    assert other["title"] in first.get_data(as_text=True)
    _update(sysadmin, other, private=True)
    for headers in ({"If-None-Match": first.headers["ETag"]},
                    {"If-Modified-Since": first.headers["Last-Modified"]}):
        response = app.get("/catalog.ttl", headers=headers)
        assert response.status_code == 200
        assert other["title"] not in response.get_data(as_text=True)


def test_html_pages_are_untouched(app, public):
    response = app.get("/dataset/atendimentos-ubs-2022", status=200)
    assert "ETag" not in response.headers
    assert response.mimetype == "text/html"


@pytest.mark.parametrize("accept, mimetype, marker", [
    ("text/turtle", "text/turtle", "dcat:Dataset"),
    ("application/rdf+xml", "application/rdf+xml", "dcat:Dataset"),
    ("application/ld+json", "application/ld+json", "dcat:Dataset"),
])
def test_dataset_page_negotiates_rdf(app, public, accept, mimetype, marker):
    response = app.get("/dataset/atendimentos-ubs-2022", headers={"Accept": accept},
                       status=200)
    assert response.mimetype == mimetype
    body = response.get_data(as_text=True)
    assert marker in body and public["title"] in body
    assert "Accept" in response.headers["Vary"]
    assert response.headers["ETag"]
    again = app.get("/dataset/atendimentos-ubs-2022",
                    headers={"Accept": accept, "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_browsers_get_html(app, public):
    response = app.get("/dataset/atendimentos-ubs-2022", headers={"Accept": BROWSER},
                       status=200)
    assert response.mimetype == "text/html"
    assert "Accept" in response.headers["Vary"]
    catalog = app.get("/catalog", headers={"Accept": BROWSER}, follow_redirects=False)
    assert catalog.status_code == 302
    assert catalog.headers["Location"].endswith("/dataset/")


def test_catalog_negotiates_rdf(app, public):
    response = app.get("/catalog", headers={"Accept": "text/turtle"}, status=200)
    assert response.mimetype == "text/turtle"
    body = response.get_data(as_text=True)
    assert "dcat:Catalog" in body and public["title"] in body
    again = app.get("/catalog", headers={"Accept": "text/turtle",
                                         "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_dataset_new_is_still_the_scheming_form(app, sysadmin, organization):
    response = app.get("/dataset/new", headers={"Authorization": sysadmin["token"]},
                       status=200)
    assert response.mimetype == "text/html"
    assert "Identificação" in response.get_data(as_text=True)
    turtle = app.get("/dataset/new", headers={"Authorization": sysadmin["token"],
                                              "Accept": "text/turtle"}, status=200)
    assert "Identificação" in turtle.get_data(as_text=True)


def test_private_dataset_gets_no_validators(app, sysadmin, private):
    headers = {"Authorization": sysadmin["token"]}
    response = app.get("/dataset/prontuarios-sigilosos.ttl", headers=headers, status=200)
    assert private["title"] in response.get_data(as_text=True)
    assert "ETag" not in response.headers
    assert "Last-Modified" not in response.headers


def test_private_datasets_never_appear(app, sysadmin, public, private):
    for url, headers in (("/catalog.ttl", {}), ("/catalog", {"Accept": "text/turtle"}),
                         ("/catalog.ttl", {"Authorization": sysadmin["token"]})):
        body = app.get(url, headers=headers, status=200).get_data(as_text=True)
        assert public["title"] in body
        assert private["title"] not in body
    for url, headers in (("/dataset/prontuarios-sigilosos.ttl", {}),
                         ("/dataset/prontuarios-sigilosos", {"Accept": "text/turtle"})):
        response = app.get(url, headers=headers)
        assert response.status_code in (403, 404)
        assert private["title"] not in response.get_data(as_text=True)


def _validators(app) -> tuple[str, str]:
    response = app.get("/catalog.ttl", status=200)
    return response.headers["ETag"], response.headers["Last-Modified"]


def test_private_datasets_move_no_catalogue_validator(app, sysadmin, public, private,
                                                       create_dataset):
    _next_second()
    etag, last_modified = _validators(app)

    _update(sysadmin, private, title="Prontuários sigilosos (revisados)",
            tag_string="sigilo, revisado")
    create_dataset("outro-sigiloso", title="Outro conjunto sigiloso", private=True)
    helpers.call_action("package_delete", context={"user": sysadmin["name"]},
                        id=private["id"])
    _next_second()

    assert _validators(app) == (etag, last_modified)
    for headers in ({"If-None-Match": etag}, {"If-Modified-Since": last_modified}):
        assert app.get("/catalog.ttl", headers=headers).status_code == 304

    # Editing a public dataset moves both.
    _update(sysadmin, public, title="Atendimentos nas UBS em 2022 (revisado)")
    _next_second()
    new_etag, new_last_modified = _validators(app)
    assert new_etag != etag and new_last_modified != last_modified


def test_catalogue_changes_when_a_table_check_hides_a_dataset(app, public, create_dataset):
    """The blocking mode flips ``private`` without touching ``metadata_modified``,
    then reindexes the dataset (``validation.jobs``)."""
    other = create_dataset("obras-2023", title="Obras públicas 2023")
    _next_second()
    etag, last_modified = _validators(app)
    package = model.Package.get(other["id"])
    package.private = True
    model.Session.commit()
    search.rebuild(other["id"])
    for headers in ({"If-None-Match": etag}, {"If-Modified-Since": last_modified}):
        response = app.get("/catalog.ttl", headers=headers)
        assert response.status_code == 200
        assert other["title"] not in response.get_data(as_text=True)
