"""Shared fixtures: CKAN's pytest plugin against real PostgreSQL and Redis."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from ckan import plugins
from ckan.lib import jobs
from ckan.tests import factories, helpers
from local_servers import LinkServer
from sample_data import DATASET, ORGANIZATION
from werkzeug.serving import make_server

from ckanext.mogi.demo.loader import LoadSummary, load_demo, resolve_source
from ckanext.mogi.validation import cli as validation_cli
from ckanext.mogi.validation import jobs as validation_jobs


@pytest.fixture(autouse=True)
def load_standard_plugins(with_plugins):
    """Every test runs with the plugins of ``test.ini`` loaded, as CKAN advises."""


@pytest.fixture
def clean_db(reset_db, migrate_db_for, with_plugins):
    """CKAN's ``clean_db``, plus this bundle's migrations (search, validation)."""
    reset_db()
    migrate_db_for("mogi_search")
    # Some tests load their own plugin list: migrate what is there to migrate.
    if plugins.plugin_loaded("mogi_validation"):
        migrate_db_for("mogi_validation")
        # Validation jobs that earlier tests queued and no worker ran.
        queue = plugins.toolkit.config.get("ckanext.mogi.validation.queue")
        jobs.get_queue(queue or jobs.DEFAULT_QUEUE_NAME).empty()


@pytest.fixture
def validation_worker(ckan_config, monkeypatch) -> Iterator[Callable[[], None]]:
    """Validation jobs go to a queue of this test only; calling the fixture's
    value runs a real CKAN job worker in burst mode on it (each job in its
    own forked work horse, as ``ckan jobs worker`` does)."""
    queue = f"mogi-validation-test-{uuid.uuid4().hex[:12]}"
    monkeypatch.setitem(ckan_config, "ckanext.mogi.validation.queue", queue)

    def run() -> None:
        from ckanext.mogi.validation import sandbox

        # As `ckan mogi validation worker` does: the horses share one fork server.
        sandbox.start_fork_server()
        jobs.Worker([queue]).work(burst=True)

    yield run
    jobs.get_queue(queue).delete(delete_jobs=True)


@pytest.fixture
def sysadmin() -> dict[str, Any]:
    """A sysadmin with an API token (``sysadmin["token"]``)."""
    return factories.SysadminWithToken()


@pytest.fixture
def organization(sysadmin) -> dict[str, Any]:
    """The Secretaria de Saúde, with every field of schemas/organization.yaml."""
    return helpers.call_action("organization_create", context={"user": sysadmin["name"]},
                               **ORGANIZATION)


@pytest.fixture
def create_dataset(sysadmin, organization) -> Callable[..., dict[str, Any]]:
    """``create_dataset(name, **changes)``: sample_data's DATASET, changed,
    created in the Secretaria de Saúde by the sysadmin."""

    def build(name: str, **changes: Any) -> dict[str, Any]:
        data = {**DATASET, "name": name, "owner_org": organization["id"], **changes}
        return helpers.call_action("package_create", context={"user": sysadmin["name"]},
                                   **data)

    return build


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """The portal (the ``app`` fixture's WSGI application) on a real HTTP port.

    Yields the base URL, e.g. ``http://127.0.0.1:54321``.
    """
    server = make_server("127.0.0.1", 0, app.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture(scope="session")
def load_demo_catalogue(reset_db, migrate_db_for) -> Callable[[], LoadSummary]:
    """For module-scoped fixtures: a fresh database holding the demo catalogue.

    ``with_plugins`` is function-scoped, so the plugins of test.ini are loaded
    for the duration of the load, which goes through the schema's validation.
    """

    def load() -> LoadSummary:
        plugins.load_all()
        try:
            reset_db()
            migrate_db_for("mogi_search")
            migrate_db_for("mogi_validation")
            summary = load_demo(resolve_source())
            # What `make run`'s job worker does next: every table validated.
            for _pkg, res in validation_cli.tables():
                validation_jobs.validate_resource(res.id)
            return summary
        finally:
            plugins.unload_all()

    return load


@pytest.fixture
def link_server() -> Iterator[Callable[..., LinkServer]]:
    """``link_server(host="127.0.0.1")``: a real HTTP server on that loopback
    address (``::1`` for IPv6) serving what the test tells it to, stopped after
    the test."""
    servers: list[LinkServer] = []

    def start(host: str = "127.0.0.1") -> LinkServer:
        servers.append(LinkServer(host))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()
