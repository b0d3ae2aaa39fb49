"""The OCDS endpoints: paged packages with their metadata, one record per
process, bulk downloads per year and per dataset; and a private dataset never
publishes anything, anywhere."""

from __future__ import annotations

import json

import pytest
from ckan.tests import helpers
from ocds_paths import SHARED

from ckanext.mogi.ocds import check

SITE = "http://test.ckan.net"
STANDARD = check.standard(str(SHARED / "standards" / "ocds" / "1.1.5"))


def errors(package) -> list[str]:
    """The schema and codelist errors of a package (OCDS 1.1.5, local files)."""
    return [f.line() for f in check.validate_package(package, STANDARD) if f.level == "error"]


def _ocid_of(app) -> str:
    return app.get("/ocds/releases.json").json["releases"][0]["ocid"]


def test_release_pages_follow_links_next_through_every_release(published, app, ckan_config,
                                                               monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.mogi.ocds.page_size", 300)
    seen, url, pages = [], "/ocds/releases.json", 0
    while url:
        body = app.get(url, status=200).json
        pages += 1
        assert body["version"] == "1.1"
        assert body["publisher"]["name"]
        assert body["publishedDate"].endswith("Z")
        assert body["uri"] == SITE + url
        assert not errors(body)
        seen.extend(release["id"] for release in body["releases"])
        nxt = body.get("links", {}).get("next")
        url = nxt[len(SITE):] if nxt else None
    assert pages == 3
    assert len(seen) == len(set(seen)) == 884


def test_records_one_per_process_with_compiled_release(published, app):
    body = app.get("/ocds/records.json?page=2", status=200).json
    assert body["links"]["prev"] == SITE + "/ocds/records.json?page=1"
    assert len(body["records"]) == 100
    record = body["records"][0]
    assert record["compiledRelease"]["ocid"] == record["ocid"]
    assert not errors(body)
    one = app.get(f"/ocds/{record['ocid']}.json", status=200).json
    assert [r["ocid"] for r in one["records"]] == [record["ocid"]]


def test_bulk_download_per_year_and_per_dataset(published, app):
    year = app.get("/ocds/2018/releases.json", status=200)
    assert "attachment" in year.headers["Content-Disposition"]
    body = json.loads(year.get_data(as_text=True))
    assert len(body["releases"]) == 453
    assert not errors(body)
    name = published["dataset"]["name"]
    both = json.loads(app.get(f"/ocds/dataset/{name}/releases.json").get_data(as_text=True))
    assert len(both["releases"]) == 884
    app.get("/ocds/1999/releases.json", status=404)


@pytest.mark.parametrize("url", ["/ocds/releases.json?page=0", "/ocds/records.json?page=x",
                                 "/licitacoes?page=-1", "/licitacoes?ano=20x2"])
def test_bad_parameters_are_a_portuguese_400(published, app, url):
    response = app.get(url, status=400)
    assert "ágina" in response.get_data(as_text=True) or "ano" in response.get_data(
        as_text=True)


def test_a_private_dataset_publishes_nothing_anywhere(published, app, sysadmin):
    ocid = _ocid_of(app)
    unknown = app.get("/ocds/ocds-xxxxxx-PMMC-999999999.json", status=404).json
    helpers.call_action("package_patch", context={"user": sysadmin["name"]},
                        id=published["dataset"]["id"], private=True)
    releases = app.get("/ocds/releases.json").json
    assert releases["releases"] == [] and "links" not in releases
    assert app.get("/ocds/records.json").json["records"] == []
    hidden = app.get(f"/ocds/{ocid}.json", status=404).json
    assert hidden == unknown  # the same answer as for an ocid that never existed
    app.get("/ocds/2018/releases.json", status=404)
    app.get(f"/ocds/dataset/{published['dataset']['name']}/releases.json", status=404)
    page = app.get("/licitacoes").get_data(as_text=True)
    assert "0 processo encontrado" in page
    assert "PMMC" not in page  # not even in the filters
    unknown_page = app.get("/licitacoes/ocds-xxxxxx-PMMC-999999999", status=404)
    hidden_page = app.get(f"/licitacoes/{ocid}", status=404)
    assert _main_text(hidden_page) == _main_text(unknown_page)
    indicators = app.get("/licitacoes/indicadores").get_data(as_text=True)
    assert "SEMAE" not in indicators
    # Public again: everything is back, at once.
    helpers.call_action("package_patch", context={"user": sysadmin["name"]},
                        id=published["dataset"]["id"], private=False)
    assert app.get(f"/ocds/{ocid}.json", status=200)


def _main_text(response) -> str:
    text = response.get_data(as_text=True)
    return text[text.find("<main"):text.find("</main>")]


def test_a_deleted_dataset_publishes_nothing(published, app, sysadmin):
    helpers.call_action("package_delete", context={"user": sysadmin["name"]},
                        id=published["dataset"]["id"])
    assert app.get("/ocds/releases.json").json["releases"] == []


def test_the_same_dump_in_two_datasets_is_published_once(published, tender_dataset,
                                                          upload_json, ocds_worker, app):
    from ocds_paths import DUMP_2022

    again = tender_dataset("copia-2022")
    upload_json(again, DUMP_2022.read_bytes(), "copia.json")
    ocds_worker()
    body = app.get("/ocds/releases.json?page=1").json
    assert body["links"]["next"].endswith("page=2")
    records = app.get("/ocds/records.json?page=9").json  # the last page: 801 to 884
    assert len(records["records"]) == 84
    assert not errors(records)
    year = json.loads(app.get("/ocds/2022/releases.json").get_data(as_text=True))
    assert len(year["releases"]) == 431
