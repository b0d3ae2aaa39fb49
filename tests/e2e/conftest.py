"""Browser tests: Debian's Chromium driven by pytest-playwright, against the portal
served on a real HTTP port (``live_server``) with the demo catalogue loaded.

Nothing downloads a browser: ``make test`` installs Debian's ``chromium`` package
(target ``browser-deps``) and the fixtures below point Playwright at it.
Screenshots land in ``test-artifacts/e2e/`` (git-ignored): one per journey step
and one for every test that fails.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from ckan import plugins
from ckan.common import config
from ckan.lib.i18n import build_js_translations
from ckan.tests import factories, helpers
from e2e_language import content_strings, schema_files
from e2e_portal import EDITOR_ORGANIZATION, PASSWORD
from e2e_walk import Site
from playwright.sync_api import BrowserContext, Page, Route

from ckanext.mogi.demo.loader import LoadSummary

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
#: Flags from tooling-recipes.md: without the background-networking ones Chromium
#: keeps trying to reach the internet.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: run `make browser-deps` "
                    "(apt-get install chromium); never `playwright install`")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM),
            "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "pt-BR", "accept_downloads": True,
            "viewport": {"width": 1280, "height": 900}}


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """``test-artifacts/e2e``, emptied once per session."""
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    return ARTIFACTS


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")[:120]


@pytest.fixture
def shot(request: pytest.FixtureRequest, page: Page, artifacts_dir: Path
         ) -> Iterator[Callable[[str], Path]]:
    """``shot("step")`` saves a full-page screenshot of the current page;
    a failing test gets one more, ``…-FAILED.png``."""
    steps = iter(range(1, 1000))
    prefix = _slug(request.node.name)

    def take(step: str) -> Path:
        path = artifacts_dir / f"{prefix}-{next(steps):02d}-{_slug(step)}.png"
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(path), full_page=True)
        return path

    yield take
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed and not page.is_closed():
        page.screenshot(path=str(artifacts_dir / f"{prefix}-FAILED.png"), full_page=True)


@pytest.fixture(scope="session")
def js_translations() -> None:
    """The translations CKAN's JavaScript modules fetch from /api/i18n/pt_BR.

    ``ckan run`` builds them at start-up; a WSGI server (gunicorn, these tests)
    does not, and the modules then speak English ("Edit", "Remove"...).
    """
    plugins.load_all()
    try:
        build_js_translations()
    finally:
        plugins.unload_all()


@pytest.fixture
def portal(live_server: str, context: BrowserContext, monkeypatch: pytest.MonkeyPatch,
           js_translations: None) -> str:
    """``live_server``'s URL, made the site URL too.

    Absolute links (downloads) are built from ``ckan.site_url``; those built
    while the demo catalogue was indexed hold test.ini's address, which the
    browser context maps to this server, as a hosts file entry would.
    """
    indexed_site = config["ckan.site_url"].rstrip("/")
    monkeypatch.setitem(config, "ckan.site_url", live_server)

    def to_live_server(route: Route) -> None:
        url = live_server + route.request.url[len(indexed_site):]
        route.fulfill(response=route.fetch(url=url))

    context.route(indexed_site + "/**", to_live_server)
    return live_server


@pytest.fixture(scope="module")
def demo_catalogue(load_demo_catalogue: Callable[[], LoadSummary]) -> LoadSummary:
    """The demo catalogue, loaded once per test module into a fresh database."""
    return load_demo_catalogue()


@pytest.fixture(scope="module")
def staff(demo_catalogue: LoadSummary) -> dict[str, dict[str, Any]]:
    """A sysadmin and an editor of the Secretaria de Saúde (password ``PASSWORD``)."""
    plugins.load_all()
    try:
        sysadmin = factories.Sysadmin(password=PASSWORD)
        editor = factories.User(password=PASSWORD)
        helpers.call_action(
            "organization_member_create", context={"user": sysadmin["name"]},
            id=EDITOR_ORGANIZATION, username=editor["name"], role="editor")
    finally:
        plugins.unload_all()
    return {"sysadmin": sysadmin, "editor": editor}


@pytest.fixture(scope="module")
def site(demo_catalogue, staff) -> Site:
    """What the walks visit, and the catalogue's own strings (content, not UI)."""
    plugins.load_all()
    try:
        found = helpers.call_action("package_search", q="saude", rows=1000,
                                    include_private=True,
                                    context={"user": staff["sysadmin"]["name"]})
        datasets = sorted(found["results"], key=lambda d: d["name"])
        chosen = next(d for d in datasets
                      if d.get("owner_org") and not d["private"]
                      and d["organization"]["name"] == EDITOR_ORGANIZATION
                      and any(r.get("format") == "CSV" for r in d["resources"]))
        csv = next(r for r in chosen["resources"] if r.get("format") == "CSV")
        # a finished validation report shows all its sections
        helpers.call_action("resource_validation_run", resource_id=csv["id"],
                            context={"user": staff["sysadmin"]["name"]}, **{"async": False})
        everything = helpers.call_action("package_search", rows=1000, include_private=True,
                                         context={"user": staff["sysadmin"]["name"]})
        organizations = helpers.call_action("organization_list", all_fields=True,
                                            include_extras=True)
        groups = helpers.call_action("group_list", all_fields=True, include_extras=True)
        return Site(
            dataset=chosen["name"], resource=csv["id"],
            organization=EDITOR_ORGANIZATION, group=min(g["name"] for g in chosen["groups"]),
            content=content_strings([everything["results"], organizations, groups]),
            schema=content_strings(schema_files()),
        )
    finally:
        plugins.unload_all()
