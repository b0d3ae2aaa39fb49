"""Production behaviour of `make run`'s set-up: the real web server, restarts
of PostgreSQL and Redis, and the sysadmin's API token file.

Everything here runs the real scripts (scripts/serve.sh, scripts/lib.sh) and
real servers (gunicorn, PostgreSQL, redis-server) on 127.0.0.1.
"""

from __future__ import annotations

import concurrent.futures
import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import requests
import rq
import sqlalchemy as sa
from ckan.plugins import toolkit

ROOT = Path(__file__).resolve().parent.parent
LIB = ROOT / "scripts" / "lib.sh"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _lib(command: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``command`` in bash after ``source scripts/lib.sh``, from the repository root."""
    return subprocess.run(["bash", "-c", f"source {LIB} && {command}"], cwd=ROOT,
                          env={**os.environ, **(env or {})}, capture_output=True, text=True,
                          timeout=120)


# --------------------------------------------------------------- web server


@pytest.fixture
def web_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`make run`'s web server (scripts/serve.sh) on test.ini, started from the
    repository root; yields its base URL and its log file."""
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(ROOT / "scripts" / "serve.sh"), "test.ini", "127.0.0.1", str(port)],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert process.poll() is None, log.read_text(encoding="utf-8")
            try:
                # The first answer waits until a worker has loaded CKAN.
                if requests.get(f"{url}/api/3/action/status_show", timeout=60).ok:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.5)
        else:
            pytest.fail("gunicorn did not answer in 120 s:\n" + log.read_text(encoding="utf-8"))
        yield url, log
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.mark.usefixtures("clean_db")
def test_make_run_serves_with_gunicorn_workers_and_threads(web_server, organization):
    url, log = web_server
    # Pages that need the wheel's schemas/ (scheming): the source tree's
    # ckanext/mogi of the repository root does not shadow the installed wheel.
    paths = ["/organization/", f"/organization/{organization['name']}", "/dataset/", "/"] * 4
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(lambda path: requests.get(url + path, timeout=60), paths))
    assert [r.status_code for r in responses] == [200] * len(paths)
    assert all("Secretaria Municipal de Saúde" in r.text for r in responses[1::4])
    text = log.read_text(encoding="utf-8")
    assert "Using worker: gthread" in text
    # scripts/gunicorn.conf.py: two worker processes per core.
    assert len(re.findall(r"Booting worker with pid", text)) == 2 * len(os.sched_getaffinity(0))


# ---------------------------------------------------------------- PostgreSQL


@pytest.mark.usefixtures("clean_db")
def test_requests_succeed_after_the_database_drops_the_pools_connections(app, organization):
    path = f"/api/3/action/organization_show?id={organization['name']}"
    for _ in range(3):
        assert app.get(path).status_code == 200
    others = sa.text("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                     "AND usename = current_user AND pid <> pg_backend_pid()")
    admin = sa.create_engine(toolkit.config["sqlalchemy.url"], poolclass=sa.NullPool,
                             isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            pooled = set(conn.execute(others).scalars())
            assert pooled, "the portal holds no pooled connection to terminate"
            # What a PostgreSQL restart does to the pool: every connection dies.
            conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                 "WHERE pid = ANY(:pids)"), {"pids": list(pooled)})
        statuses = [app.get(path).status_code for _ in range(20)]
        assert statuses == [200] * 20
        with admin.connect() as conn:
            assert not pooled & set(conn.execute(others).scalars()), "no new connection"
    finally:
        admin.dispose()


# --------------------------------------------------------------------- Redis


@pytest.fixture
def redis_port() -> Iterator[int]:
    """A free port for a Redis of this test only, shut down afterwards."""
    port = _free_port()
    yield port
    if _port_open(port):
        redis.Redis(port=port).shutdown(nosave=True, now=True, force=True)


def test_redis_started_by_make_run_keeps_queued_jobs_across_a_restart(tmp_path, redis_port):
    env = {"MOGI_REDIS_PORT": str(redis_port), "MOGI_REDIS_DIR": str(tmp_path / "redis")}
    started = _lib("ensure_redis", env)
    assert started.returncode == 0, started.stderr
    assert "appendonly yes" in started.stdout
    queue = rq.Queue("mogi-restart-test", connection=redis.Redis(port=redis_port))
    job = queue.enqueue("ckanext.mogi.validation.jobs.run_job", "resource-id")
    redis.Redis(port=redis_port).shutdown()
    assert not _port_open(redis_port)

    restarted = _lib("ensure_redis", env)
    assert restarted.returncode == 0, restarted.stderr
    connection = redis.Redis(port=redis_port)
    assert rq.Queue("mogi-restart-test", connection=connection).job_ids == [job.id]
    kept = rq.job.Job.fetch(job.id, connection=connection)
    assert kept.func_name == "ckanext.mogi.validation.jobs.run_job"
    assert kept.args == ("resource-id",)


def test_make_run_turns_on_persistence_of_a_running_redis_without_it(tmp_path, redis_port):
    subprocess.run(["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port",
                    str(redis_port), "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
                   check=True, timeout=30)
    for _ in range(50):
        if _port_open(redis_port):
            break
        time.sleep(0.1)
    result = _lib("ensure_redis", {"MOGI_REDIS_PORT": str(redis_port)})
    assert result.returncode == 0, result.stderr
    assert "CONFIG SET appendonly yes" in result.stdout
    assert redis.Redis(port=redis_port).config_get("appendonly") == {"appendonly": "yes"}


# ---------------------------------------------------------------- API token


@pytest.mark.usefixtures("clean_db")
def test_make_run_writes_the_api_token_alone_and_it_authenticates(sysadmin, live_server,
                                                                   tmp_path):
    token_file = tmp_path / "sysadmin.token"
    result = _lib(f'"$VENV/bin/ckan" -c test.ini user token add {sysadmin["name"]} make-run'
                  f" | save_token {token_file}")
    assert result.returncode == 0, result.stderr
    token = token_file.read_text(encoding="utf-8")
    assert re.fullmatch(r"[A-Za-z0-9._-]+", token), repr(token)
    assert oct(token_file.stat().st_mode & 0o777) == "0o600"
    # As a script would use it: the file's content as the header, untouched.
    response = requests.get(f"{live_server}/api/3/action/api_token_list",
                            params={"user_id": sysadmin["name"]},
                            headers={"Authorization": token_file.read_text()}, timeout=30)
    assert response.status_code == 200, response.text
    assert "make-run" in {t["name"] for t in response.json()["result"]}


def test_an_old_token_file_with_tab_and_newline_is_repaired(tmp_path):
    token_file = tmp_path / "sysadmin.token"
    token_file.write_text("\teyJhbGciOiJIUzI1NiJ9.eyJqdGkiOiJ4In0.c2ln\n", encoding="utf-8")
    result = _lib(f"save_token {token_file} < {token_file}")
    assert result.returncode == 0, result.stderr
    assert token_file.read_text(encoding="utf-8") == "eyJhbGciOiJIUzI1NiJ9.eyJqdGkiOiJ4In0.c2ln"
