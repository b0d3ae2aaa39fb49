"""Shared fixtures: CKAN's pytest plugin against real PostgreSQL and Redis."""

from __future__ import annotations

import configparser
import io
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from ckan import plugins
from ckan.lib import jobs
from ckan.tests import factories, helpers
from local_servers import LinkServer
from sample_data import DATASET, ORGANIZATION, dataset_fields
from werkzeug.datastructures import FileStorage
from werkzeug.serving import make_server

from ckanext.mogi.demo.loader import LoadSummary, load_demo, resolve_source
from ckanext.mogi.ocds import imports as ocds_imports
from ckanext.mogi.ocds import model as ocds_model
from ckanext.mogi.validation import cli as validation_cli
from ckanext.mogi.validation import jobs as validation_jobs

# Parallel runs (pytest-xdist, ``make test`` runs two workers): each worker
# gets its own databases, Redis database and storage folder, so that one
# worker's ``clean_db`` or ``reset_redis`` never touches the other's data.
# scripts/test.sh copies the databases for each worker before pytest starts.
_WORKER_URLS = {
    "sqlalchemy.url": "CKAN_SQLALCHEMY_URL",
    "ckan.datastore.write_url": "CKAN_DATASTORE_WRITE_URL",
    "ckan.datastore.read_url": "CKAN_DATASTORE_READ_URL",
}


def pytest_configure(config: pytest.Config) -> None:
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return
    number = int(worker.removeprefix("gw"))
    ini = configparser.ConfigParser(interpolation=None)
    ini_path = Path(config.rootpath, config.getoption("ckan_ini"))
    ini.read(ini_path)
    main = ini["app:main"]
    for option, variable in _WORKER_URLS.items():
        url = os.environ.get(variable) or main[option]
        base, _, database = url.rpartition("/")
        # The DataStore of database X stays X_datastore (X_gw0_datastore).
        stem, datastore, _ = database.partition("_datastore")
        os.environ[variable] = f"{base}/{stem}_{worker}{datastore}"
    redis_url = os.environ.get("CKAN_REDIS_URL") or main["ckan.redis.url"]
    base, _, database = redis_url.rpartition("/")
    # Worker k uses the Redis database after the run's own by k (test.ini: 1, 2).
    os.environ["CKAN_REDIS_URL"] = f"{base}/{int(database) + number}"
    os.environ["CKAN_STORAGE_PATH"] = str(ini_path.parent / ".local" / f"test-storage-{worker}")


@pytest.fixture(autouse=True)
def load_standard_plugins(with_plugins):
    """Every test runs with the plugins of ``test.ini`` loaded, as CKAN advises."""


@pytest.fixture
def clean_db(reset_db, migrate_db_for, with_plugins):
    """CKAN's ``clean_db``, plus the migrations of the plugins loaded (this
    bundle's search, validation, DataStore loads and governance; CKAN's activity)."""
    reset_db()
    migrate_db_for("mogi_search")
    # Some tests load their own plugin list: migrate what is there to migrate.
    if plugins.plugin_loaded("mogi_validation"):
        migrate_db_for("mogi_validation")
        # Validation jobs that earlier tests queued and no worker ran.
        queue = plugins.toolkit.config.get("ckanext.mogi.validation.queue")
        jobs.get_queue(queue or jobs.DEFAULT_QUEUE_NAME).empty()
    if plugins.plugin_loaded("mogi_datastore"):
        migrate_db_for("mogi_datastore")
        queue = plugins.toolkit.config.get("ckanext.mogi.datastore.queue")
        jobs.get_queue(queue or jobs.DEFAULT_QUEUE_NAME).empty()
    if plugins.plugin_loaded("mogi_governance"):
        migrate_db_for("mogi_governance")
    if plugins.plugin_loaded("mogi_ocds"):
        migrate_db_for("mogi_ocds")
        queue = plugins.toolkit.config.get("ckanext.mogi.ocds.queue")
        jobs.get_queue(queue or jobs.DEFAULT_QUEUE_NAME).empty()
    if plugins.plugin_loaded("activity"):
        migrate_db_for("activity")


@pytest.fixture
def validation_worker(ckan_config, monkeypatch) -> Iterator[Callable[[], None]]:
    """Validation jobs (and the DataStore loads their verdicts queue) go to a
    queue of this test only; calling the fixture's value runs a real CKAN job
    worker in burst mode on it (each job in its own forked work horse, as
    ``ckan jobs worker`` does)."""
    queue = f"mogi-validation-test-{uuid.uuid4().hex[:12]}"
    monkeypatch.setitem(ckan_config, "ckanext.mogi.validation.queue", queue)
    # The DataStore loads that verdicts queue run in the same burst.
    monkeypatch.setitem(ckan_config, "ckanext.mogi.datastore.queue", queue)
    # And the OCDS imports that saved dumps and loaded tables queue.
    monkeypatch.setitem(ckan_config, "ckanext.mogi.ocds.queue", queue)

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
def editor(organization) -> dict[str, Any]:
    """An editor of the Secretaria, with an API token."""
    user = factories.UserWithToken()
    helpers.call_action("organization_member_create", id=organization["id"],
                        username=user["name"], role="editor")
    return user


@pytest.fixture
def new_dataset(organization, sysadmin) -> Callable[..., dict[str, Any]]:
    """``new_dataset(name, private=True, **fields)``."""

    def create(name: str, private: bool = True, **fields: Any) -> dict[str, Any]:
        return helpers.call_action(
            "package_create", context={"user": sysadmin["name"]},
            **dataset_fields(organization, name, private=private, **fields))

    return create


@pytest.fixture
def upload_table(sysadmin) -> Callable[..., dict[str, Any]]:
    """``upload_table(dataset, content, filename, **resource)``: resource_create
    with a real uploaded file (as the API's multipart upload hands it over)."""

    def upload(dataset: dict[str, Any], content: str | bytes, filename: str,
               **resource: Any) -> dict[str, Any]:
        data = content.encode("utf-8") if isinstance(content, str) else content
        storage = FileStorage(stream=io.BytesIO(data), filename=filename,
                              content_type="text/csv")
        fields = {"name": filename, "format": filename.rsplit(".", 1)[-1].upper(),
                  **resource}
        return helpers.call_action("resource_create", context={"user": sysadmin["name"]},
                                   package_id=dataset["id"], upload=storage, **fields)

    return upload


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
            migrate_db_for("mogi_datastore")
            migrate_db_for("mogi_governance")
            migrate_db_for("mogi_ocds")
            migrate_db_for("activity")
            summary = load_demo(resolve_source())
            # What `make run`'s job worker does next: every table validated.
            for _pkg, res in validation_cli.tables():
                validation_jobs.validate_resource(res.id)
            # And the OCDS imports its saved tender dumps queued.
            for row in ocds_model.all_imports():
                if row["state"] == ocds_model.QUEUED:
                    ocds_imports.import_resource(row["resource_id"], row["source"])
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
