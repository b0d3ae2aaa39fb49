"""What is specific to the PostgreSQL backend: transactions, CLI, start-up."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from ckan import model
from ckan.cli.cli import ckan as ckan_cli
from ckan.lib import search as ckan_search
from ckan.tests import factories, helpers
from sample_data import as_site

from ckanext.mogi.search import ckan_patch

ROOT = Path(__file__).resolve().parents[2]

# Plain CKAN datasets: the backend must not depend on our metadata schema.
pytestmark = pytest.mark.ckan_config("ckan.plugins", "mogi mogi_search mogi_theme")


def public_names(**params) -> set[str]:
    result = helpers.call_action("package_search", context={"user": "", "ignore_auth": False},
                                 **params)
    return {d["name"] for d in result["results"]}


@pytest.fixture
def org():
    return factories.Organization(name="mobilidade-urbana")


@pytest.mark.usefixtures("clean_db")
class TestIndexTransaction:
    def test_failed_change_leaves_no_trace_in_search(self, org):
        dataset = factories.Dataset(name="obras-publicas", title="Obras públicas",
                                    owner_org=org["id"])
        with pytest.raises(helpers.logic.ValidationError):
            helpers.call_action("package_patch", context=as_site(),
                                id=dataset["id"], name="x")  # too short
        assert public_names(q="obras") == {"obras-publicas"}

    def test_index_write_is_rolled_back_with_its_transaction(self, org):
        dataset = factories.Dataset(name="feiras-livres", title="Feiras livres",
                                    owner_org=org["id"])
        helpers.call_action("package_patch", id=dataset["id"], title="Feiras livres 2026",
                            context={"defer_commit": True})
        ckan_search.rebuild(dataset["id"], defer_commit=True)
        model.Session.rollback()
        assert public_names(q="2026") == set()
        assert public_names(q="feiras") == {"feiras-livres"}


@pytest.mark.usefixtures("clean_db")
class TestFacetCache:
    def formats(self) -> dict[str, int]:
        result = helpers.call_action("package_search", context={"user": "", "ignore_auth": False},
                                     **{"facet.field": ["res_format"]})
        return result["facets"].get("res_format", {})

    def test_counts_follow_every_change(self, org):
        csv = [{"url": "http://example.com/a.csv", "format": "CSV"}]
        dataset = factories.Dataset(owner_org=org["id"], resources=csv)
        assert self.formats() == {"CSV": 1}
        assert self.formats() == {"CSV": 1}  # now served from the cache
        factories.Dataset(owner_org=org["id"], resources=csv)
        assert self.formats() == {"CSV": 2}
        helpers.call_action("package_patch", context=as_site(), id=dataset["id"], private=True)
        assert self.formats() == {"CSV": 1}
        helpers.call_action("package_delete", context=as_site(), id=dataset["id"])
        assert self.formats() == {"CSV": 1}

    def test_rolled_back_write_keeps_counts(self, org):
        dataset = factories.Dataset(owner_org=org["id"],
                                    resources=[{"url": "http://x/a.csv", "format": "CSV"}])
        assert self.formats() == {"CSV": 1}
        helpers.call_action("package_patch", id=dataset["id"], resources=[],
                            context={"defer_commit": True})
        ckan_search.rebuild(dataset["id"], defer_commit=True)
        model.Session.rollback()
        assert self.formats() == {"CSV": 1}


@pytest.mark.usefixtures("clean_db")
class TestSearchIndexCommands:
    def test_clear_rebuild_show_and_check(self, cli, org):
        factories.Dataset(name="linhas-de-onibus", title="Linhas de ônibus", owner_org=org["id"])
        factories.Dataset(name="pontos-de-onibus", title="Pontos de ônibus", private=True,
                          owner_org=org["id"])

        assert cli.invoke(ckan_cli, ["search-index", "clear"]).exit_code == 0
        assert public_names(q="onibus") == set()

        result = cli.invoke(ckan_cli, ["search-index", "rebuild"])
        assert result.exit_code == 0, result.output
        assert public_names(q="ônibus") == {"linhas-de-onibus"}

        result = cli.invoke(ckan_cli, ["search-index", "show", "linhas-de-onibus"])
        assert result.exit_code == 0 and "Linhas de ônibus" in result.output

        result = cli.invoke(ckan_cli, ["search-index", "check"])
        assert "Packages not indexed = 0 out of 2" in result.output

    def test_rebuild_only_missing(self, cli, org):
        factories.Dataset(name="parques", title="Parques", owner_org=org["id"])
        ckan_search.clear("parques")
        model.Session.commit()
        assert public_names(q="parques") == set()
        result = cli.invoke(ckan_cli, ["search-index", "rebuild", "--only-missing"])
        assert result.exit_code == 0, result.output
        assert public_names(q="parques") == {"parques"}


@pytest.mark.usefixtures("clean_db")
class TestMessages:
    def test_malformed_query_explained_in_portuguese(self, app):
        response = app.get("/api/3/action/package_search", query_string={"q": "title:(licit"},
                           status=400)
        assert "Não foi possível entender a busca" in response.json["error"]["message"]
        page = app.get("/dataset/", query_string={"q": "tags:\"aberto"}, status=400).body
        assert "confira aspas, parênteses e operadores" in page

    def test_bad_date_explained_in_portuguese(self, app):
        response = app.get("/api/3/action/package_search",
                           query_string={"fq": "metadata_modified:[ontem TO *]"}, status=400)
        assert '"ontem" não é uma data' in response.json["error"]["message"]


class TestStartup:
    def test_ckan_starts_without_solr_noise(self):
        command = [str(Path(sys.executable).parent / "ckan"), "-c", str(ROOT / "test.ini"),
                   "search-index", "check"]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=ROOT)
        assert done.returncode == 0, done.stderr
        assert "solr" not in (done.stdout + done.stderr).lower()

    def test_guard_refuses_a_ckan_without_the_seam(self, monkeypatch):
        # Simulates a future CKAN whose indexer no longer calls make_connection():
        # the backend must refuse to start rather than silently index nothing.
        ckan_patch.verify()

        def index_package(self, pkg_dict, defer_commit=False):
            return None

        monkeypatch.setattr(ckan_search.index.PackageSearchIndex, "index_package", index_package)
        with pytest.raises(ckan_patch.IncompatibleCKAN, match="make_connection"):
            ckan_patch.verify()
