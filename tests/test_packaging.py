"""Packaging: the Docker compose file, the rendered ckan.ini and the wheel.

No mocks: these run the real tools (docker-compose, scripts/render-ini.sh,
pip) on the real files of the repository.
"""

from __future__ import annotations

import configparser
import gettext
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from ckan.cli import load_config

ROOT = Path(__file__).resolve().parent.parent
DOCKER = ROOT / "docker"
# Plugins this wheel registers; the portal also enables scheming_organizations
# (ckanext-scheming), dcat (ckanext-dcat), and CKAN's datastore and datatables_view.
PLUGINS = {"mogi", "mogi_search", "mogi_schema", "mogi_theme", "mogi_dcat", "mogi_validation",
           "mogi_access", "mogi_demo", "mogi_datastore", "mogi_governance", "mogi_ocds"}
OTHER_PLUGINS = {"scheming_organizations", "dcat", "structured_data", "datastore", "activity",
                 "datatables_view"}
SOLR_IMAGE = "ckan/ckan-solr:2.12-solr9"


# ------------------------------------------------------------------ docker


@pytest.fixture(scope="module")
def compose() -> dict:
    """``docker-compose config`` output: the file as Compose itself reads it."""
    binary = shutil.which("docker-compose")
    if binary is None:
        pytest.fail("docker-compose is missing (`make test` installs Debian's docker-compose)")
    result = subprocess.run(
        [binary, "--env-file", str(DOCKER / ".env.example"),
         "-f", str(DOCKER / "docker-compose.yml"), "config"],
        capture_output=True, text=True, cwd=DOCKER, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_compose_file_is_valid_and_complete(compose):
    services = compose["services"]
    assert {"ckan", "worker", "db", "redis", "solr"} <= set(services)
    for name in ("ckan", "db", "redis", "solr"):
        assert "healthcheck" in services[name], f"{name} has no healthcheck"
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    assert " ".join(services["worker"]["command"]).endswith("mogi validation worker")
    assert services["worker"]["image"] == services["ckan"]["image"]
    assert {"ckan_storage", "pg_data", "solr_data"} <= set(compose["volumes"])


def test_compose_uses_solr_instead_of_mogi_search(compose):
    services = compose["services"]
    solr = [name for name, svc in services.items() if svc.get("image") == SOLR_IMAGE]
    assert solr == ["solr"]
    for name in ("ckan", "worker"):
        env = services[name]["environment"]
        plugins = env["CKAN__PLUGINS"].split()
        assert "mogi_search" not in plugins
        assert {"mogi", "mogi_schema", "mogi_theme", "dcat", "mogi_dcat"} <= set(plugins)
        assert plugins[-1] == "envvars", "envvars must be the last plugin"
        assert set(plugins) == PLUGINS - {"mogi_search"} | OTHER_PLUGINS | {"envvars"}
        assert env["CKAN_SOLR_URL"].startswith("http://solr:8983/solr/")
        assert env["CKAN_SQLALCHEMY_URL"].startswith("postgresql://")
        assert env["CKAN_REDIS_URL"].startswith("redis://redis:")


def test_compose_sets_up_the_datastore_with_a_read_only_role(compose):
    services = compose["services"]
    for name in ("ckan", "worker"):
        env = services[name]["environment"]
        write, read = env["CKAN_DATASTORE_WRITE_URL"], env["CKAN_DATASTORE_READ_URL"]
        assert re.fullmatch(r"postgresql://ckan_mogi:[^@]+@db:5432/ckan_mogi_datastore", write)
        assert re.fullmatch(r"postgresql://ckan_mogi_ro:[^@]+@db:5432/ckan_mogi_datastore", read)
    db = services["db"]
    assert db["environment"]["DATASTORE_READONLY_PASSWORD"]
    mounts = {(v["source"], v["target"]) if isinstance(v, dict) else tuple(v.split(":")[:2])
              for v in db["volumes"]}
    assert (str(DOCKER / "postgres" / "20-mogi-datastore.sh"),
            "/docker-entrypoint-initdb.d/20-mogi-datastore.sh") in mounts
    # The permissions are CKAN's own script, applied on every start of the image.
    entrypoint = (DOCKER / "entrypoint.d" / "30-mogi-datastore.sh").read_text(encoding="utf-8")
    assert "datastore set-permissions" in entrypoint


def test_compose_redis_keeps_queued_jobs_across_restarts(compose):
    redis = compose["services"]["redis"]
    command = redis["command"]
    assert command[:1] == ["redis-server"]
    assert command[command.index("--appendonly") + 1] == "yes"
    data_dir = command[command.index("--dir") + 1]
    # docker-compose v1 prints "source:target:mode", v2 a mapping.
    mounts = {(v["source"], v["target"]) if isinstance(v, dict) else tuple(v.split(":")[:2])
              for v in redis["volumes"]}
    assert ("redis_data", data_dir) in mounts, redis["volumes"]
    assert "redis_data" in compose["volumes"]


@pytest.mark.parametrize("path", ["ckan.ini.template", "test.ini", "bench/bench.ini",
                                  "bench/dcat.ini", "bench/web.ini", "bench/datastore.ini"])
def test_every_configuration_pings_pooled_connections(path: str):
    """A connection PostgreSQL dropped (restart) is replaced before use."""
    text = (ROOT / path).read_text(encoding="utf-8")
    assert "\nsqlalchemy.url = " in text
    assert "\nsqlalchemy.pool_pre_ping = true\n" in text


def test_docker_image_config_pings_pooled_connections():
    text = (DOCKER / "Dockerfile").read_text(encoding="utf-8")
    assert '"sqlalchemy.pool_pre_ping = true"' in text


def test_dockerfile_builds_from_ckan_base_2_12_without_mogi_search():
    text = (DOCKER / "Dockerfile").read_text(encoding="utf-8")
    assert '"ckan.datastore.default_fts_lang = portuguese"' in text
    assert '"ckan.datastore.sqlsearch.enabled = true"' in text
    assert "ARG CKAN_BASE_IMAGE=ckan/ckan-base:2.12\n" in text
    assert "FROM ${CKAN_BASE_IMAGE}" in text
    assert "requirements.txt" in text and "constraints" in text
    plugins_line = next(line for line in text.splitlines() if "CKAN__PLUGINS=" in line)
    assert "mogi_search" not in plugins_line


# ---------------------------------------------------------------- ckan.ini


@pytest.fixture
def rendered_ini(tmp_path: Path) -> Path:
    """ckan.ini.template rendered by the same script as `make run`."""
    target = tmp_path / "ckan.ini"
    env = {**os.environ, "MOGI_SECRET_KEY": "dummy-secret", "MOGI_JWT_SECRET": "dummy-jwt"}
    subprocess.run([str(ROOT / "scripts" / "render-ini.sh"), str(target)],
                   check=True, env=env, capture_output=True, timeout=60)
    return target


def test_rendered_ini_loads_with_ckan(rendered_ini: Path):
    config = load_config(str(rendered_ini))
    assert set(config["ckan.plugins"].split()) == PLUGINS | OTHER_PLUGINS
    assert config["ckan.datastore.write_url"] == (
        "postgresql://ckan_mogi@127.0.0.1:5432/ckan_mogi_datastore")
    assert config["ckan.datastore.read_url"] == (
        "postgresql://ckan_mogi_ro@127.0.0.1:5432/ckan_mogi_datastore")
    assert config["ckan.datastore.default_fts_lang"] == "portuguese"
    assert config["ckan.datastore.sqlsearch.enabled"] == "true"
    assert config["ckanext.dcat.rdf.profiles"] == "dcat_br"
    assert config["ckanext.dcat.structured_data.profiles"] == "schemaorg_br"
    assert config["scheming.dataset_schemas"] == "ckanext.mogi.schemas:dataset.yaml"
    assert config["ckan.locale_default"] == "pt_BR"
    assert config["ckan.locales_offered"].split() == ["pt_BR", "en"]
    assert config["ckan.display_timezone"] == "America/Sao_Paulo"
    assert config["ckan.site_title"] == "Dados Abertos de Mogi das Cruzes"
    assert config["sqlalchemy.url"] == "postgresql://ckan_mogi@127.0.0.1:5432/ckan_mogi"
    assert config["ckan.redis.url"] == "redis://127.0.0.1:6379/0"
    assert config["SECRET_KEY"] == "dummy-secret"
    assert config["api_token.jwt.encode.secret"] == "string:dummy-jwt"
    assert config["api_token.jwt.decode.secret"] == "string:dummy-jwt"
    assert config["ckan.storage_path"] == f"{rendered_ini.parent}/.local/storage"
    text = rendered_ini.read_text(encoding="utf-8")
    assert "__SECRET_KEY__" not in text and "__JWT_SECRET__" not in text


def test_render_never_overwrites_and_generates_secrets(tmp_path: Path):
    target = tmp_path / "ckan.ini"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOGI_")}
    script = str(ROOT / "scripts" / "render-ini.sh")
    subprocess.run([script, str(target)], check=True, env=env, capture_output=True, timeout=60)
    first = target.read_text(encoding="utf-8")
    assert "__SECRET_KEY__" not in first and "__JWT_SECRET__" not in first
    secret = load_config(str(target))["SECRET_KEY"]
    assert len(secret) >= 32
    subprocess.run([script, str(target)], check=True, env=env, capture_output=True, timeout=60)
    assert target.read_text(encoding="utf-8") == first
    assert oct(target.stat().st_mode & 0o777) == "0o600"


# ------------------------------------------------------------------- wheel


def _source_files() -> list[str]:
    """Files that would be committed: tracked plus new, not ignored ones."""
    out = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "--cached", "--others", "--exclude-standard"],
        check=True, capture_output=True, text=True,
    ).stdout
    return [name for name in out.splitlines() if (ROOT / name).is_file()]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    """The wheel pip builds from a clean copy of the sources (no stale build/)."""
    base = tmp_path_factory.mktemp("wheel")
    src = base / "src"
    for name in _source_files():
        target = src / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    dist = base / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(src)],
        check=True, timeout=600,
    )
    (path,) = dist.glob("ckanext_mogi-*.whl")
    with zipfile.ZipFile(path) as archive:
        yield archive


def test_wheel_ships_the_compiled_pt_br_catalogue(wheel: zipfile.ZipFile):
    name = "ckanext/mogi/i18n/pt_BR/LC_MESSAGES/ckanext-mogi.mo"
    assert name in wheel.namelist()
    with wheel.open(name) as mo:
        catalogue = gettext.GNUTranslations(mo)
    assert catalogue.info().get("language", "").lower().replace("-", "_") == "pt_br"


def test_wheel_ships_data_files_and_migrations(wheel: zipfile.ZipFile):
    names = set(wheel.namelist())
    assert "ckanext/mogi/config_declaration.yaml" in names
    assert any(n.startswith("ckanext/mogi/schemas/") for n in names)
    # The validation schemas library (ckanext.mogi.validation.library).
    library = {n for n in names if n.startswith("ckanext/mogi/schemas/tables/")}
    assert {f"ckanext/mogi/schemas/tables/{name}.json" for name in (
        "licitacoes", "contratos", "despesas", "receitas", "remuneracao-servidores",
        "unidades-saude", "escolas", "obras")} <= library
    migration = "ckanext/mogi/migration/mogi_search/"
    for part in ("alembic.ini", "env.py", "script.py.mako"):
        assert migration + part in names
    assert any(n.startswith(migration + "versions/") and n.endswith(".py") for n in names)


def test_wheel_ships_every_source_file_of_the_package(wheel: zipfile.ZipFile):
    """What works from the checkout works installed: nothing is left behind."""
    names = set(wheel.namelist())
    prefixes = {"ckanext/mogi/": "ckanext/mogi/", "schemas/": "ckanext/mogi/schemas/",
                "i18n/": "ckanext/mogi/i18n/"}
    missing = []
    for name in _source_files():
        for prefix, target in prefixes.items():
            if name.startswith(prefix):
                if target + name[len(prefix):] not in names:
                    missing.append(name)
                break
    assert not missing, f"not in the wheel: {missing}"


def test_wheel_ships_no_demo_data(wheel: zipfile.ZipFile):
    """The demo catalogue (the repository's demo/ folder) stays out of production."""
    names = wheel.namelist()
    demo_files = [path for path in (ROOT / "demo").rglob("*") if path.is_file()]
    assert {path.name for path in demo_files} >= {
        "organizations.yaml", "themes.yaml", "datasets.yaml"}
    demo_contents = {path.read_bytes() for path in demo_files}

    assert not [n for n in names if n.startswith("demo/")]
    # The demo package holds only its code (the loader, its plugin) and the
    # plugin's option declarations, no data file.
    assert [n for n in names if n.startswith("ckanext/mogi/demo/")
            and not n.endswith((".py", "/config_declaration.yaml"))] == []
    assert not [n for n in names if not n.endswith("/") and wheel.read(n) in demo_contents]


def test_wheel_declares_the_plugin_entry_points(wheel: zipfile.ZipFile):
    (entry_points,) = [n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt")]
    parser = configparser.ConfigParser()
    parser.read_string(wheel.read(entry_points).decode("utf-8"))
    plugins = dict(parser["ckan.plugins"])
    assert set(plugins) >= PLUGINS
    for target in plugins.values():
        module = target.split(":")[0].strip()
        assert module.replace(".", "/") + ".py" in wheel.namelist(), target


def test_pt_br_catalogue_parses_as_ckan_translation_js_reads_it():
    """`ckan translation js` (make run, the Docker entrypoint) reads every
    plugin catalogue with polib, which is stricter than Babel."""
    import polib

    catalogue = polib.pofile(str(ROOT / "i18n" / "pt_BR" / "LC_MESSAGES" / "ckanext-mogi.po"))
    assert len(catalogue) > 100
