"""Web benchmark: the portal's pages under load, our theme against CKAN's
default templates, same data, same run.

    .venv/bin/python bench/web.py [--duration 60] [--clients 8]     (from the repo root)

``make run``'s own web server (gunicorn with ``scripts/gunicorn.conf.py``:
two processes per core, ``gthread`` threads, ``ckanext.mogi.wsgi:create_app()``,
started outside the repository so that the installed wheel is what runs)
serves database ``ckan_mogi_web``: the demo
catalogue (``ckan mogi demo load``) plus ``--datasets`` generated datasets
made through ``package_create`` from the demo's public datasets (so every
schema field is filled). ``--clients`` closed-loop clients (one persistent
HTTP connection each) request, for ``--duration`` seconds, the home page,
``/dataset`` (first pages, with and without a query) and dataset pages, in
equal shares. The run is done twice: with the plugins of ``bench/web.ini``
(our theme) and with ``mogi_theme`` left out (CKAN's default templates); the
ratio is our p95 over the stock p95. Our variant is also run with one client:
``concurrency_gain`` is its throughput with ``--clients`` clients over that.

Last output line:
``web p95_ms=<x> rps=<y> errors=<n> vs_stock=<ratio> concurrency_gain=<ratio>``
(targets: p95 <= 300 ms on a 2-core machine, 0 errors, gain >= 2).
"""

from __future__ import annotations

import argparse
import copy
import http.client
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
NAME_PREFIX = "web-bench-"
THEME_PLUGIN = "mogi_theme"
TARGET_P95_MS = 300.0
TARGET_GAIN = 2.0
GUNICORN_CONF = ROOT / "scripts" / "gunicorn.conf.py"
WARMUP_REQUESTS = 30


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", default=str(BENCH_DIR / "web.ini"), type=Path)
    parser.add_argument("--datasets", default=2_000, type=int,
                        help="generated datasets on top of the demo catalogue")
    parser.add_argument("--duration", default=60.0, type=float, help="seconds per variant")
    parser.add_argument("--clients", default=8, type=int, help="concurrent clients")
    parser.add_argument("--workers", type=int,
                        help="gunicorn worker processes (default: make run's, two per core)")
    parser.add_argument("--threads", type=int,
                        help="threads per worker (default: make run's)")
    parser.add_argument("--port", default=5080, type=int)
    parser.add_argument("--rebuild", action="store_true",
                        help="drop the bench database and load the data again")
    parser.add_argument("--admin-user", default="postgres",
                        help="PostgreSQL role allowed to create the bench database")
    return parser.parse_args(argv)


# -- data ----------------------------------------------------------------------

def _ckan(config: Path, *args: str) -> None:
    ckan_cli = Path(sys.executable).with_name("ckan")
    subprocess.run([str(ckan_cli), "-c", str(config), *args], check=True,
                   stdout=subprocess.DEVNULL, cwd=ROOT)


def _generated_count(url: sa.URL) -> int | None:
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(
                "SELECT count(*) FROM package WHERE name LIKE :prefix AND state = 'active'"),
                {"prefix": NAME_PREFIX + "%"}).scalar_one()
    except (sa.exc.OperationalError, sa.exc.ProgrammingError):
        return None
    finally:
        engine.dispose()


def prepare_database(config: Path, datasets: int, rebuild: bool, admin_user: str) -> bool:
    """Make sure the bench database holds the demo + generated datasets.

    Returns True when the generated datasets must still be created.
    """
    from ckan.cli import load_config
    from datastore_db import ensure_datastore

    url = sa.make_url(load_config(str(config))["sqlalchemy.url"])
    count = None if rebuild else _generated_count(url)
    if count == datasets:
        ensure_datastore(config, admin_user)
        print(f"Reusing database {url.database} (demo + {datasets} generated datasets; "
              "--rebuild to load them again).")
        return False
    admin = sa.create_engine(url.set(username=admin_user, password=None, database="postgres"),
                             isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{url.database}" OWNER "{url.username}"'))
    admin.dispose()
    # CKAN's set-permissions builds the app, which needs the main database.
    ensure_datastore(config, admin_user)
    print(f"Database {url.database}: ckan db init, ckan mogi demo load...")
    _ckan(config, "db", "init")
    _ckan(config, "mogi", "demo", "load")
    return True


def _templates(site_user: str) -> list[dict[str, Any]]:
    from ckan.plugins import toolkit

    result = toolkit.get_action("package_search")(
        {"user": site_user}, {"rows": 1000, "fq": "capacity:public", "include_private": False})
    return [toolkit.get_action("package_show")({"user": site_user}, {"id": d["id"]})
            for d in result["results"]]


def generate(datasets: int) -> float:
    """``datasets`` public datasets made by ``package_create`` from demo datasets."""
    from ckan.plugins import toolkit

    started = time.perf_counter()
    site_user = toolkit.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    templates = _templates(site_user)
    rng = random.Random(2026)
    drop = {"id", "name", "revision_id", "metadata_created", "metadata_modified",
            "num_resources", "num_tags", "groups", "relationships_as_object",
            "relationships_as_subject", "tracking_summary", "state", "creator_user_id"}
    for number in range(datasets):
        base = copy.deepcopy(rng.choice(templates))
        data = {k: v for k, v in base.items() if k not in drop and not k.startswith("selo")}
        data.pop("extras", None)
        data["name"] = f"{NAME_PREFIX}{number:05d}"
        data["title"] = f"{base['title']} ({2000 + number % 26}, lote {number})"
        data["owner_org"] = base["owner_org"]
        data["private"] = False
        # Links, not uploads: the generated datasets point at public pages.
        data["resources"] = [
            {k: v for k, v in r.items()
             if k in {"name", "description", "format", "tipo_recurso", "idioma"}}
            | {"url": f"https://dados.mogidascruzes.sp.gov.br/arquivos/{number}/{i}.pdf",
               "format": "PDF"}
            for i, r in enumerate(base.get("resources") or [])]
        toolkit.get_action("package_create")({"user": site_user}, data)
        if (number + 1) % 250 == 0:
            print(f"  {number + 1} datasets created")
    return time.perf_counter() - started


def dataset_names(config: Path) -> list[str]:
    from ckan.cli import load_config

    engine = sa.create_engine(sa.make_url(load_config(str(config))["sqlalchemy.url"]),
                              poolclass=sa.NullPool)
    with engine.connect() as conn:
        names = list(conn.execute(sa.text(
            "SELECT name FROM package WHERE state = 'active' AND NOT private "
            "AND type = 'dataset' ORDER BY name")).scalars())
    engine.dispose()
    return names


# -- server --------------------------------------------------------------------

def variant_config(config: Path, with_theme: bool, directory: Path) -> Path:
    """``config`` itself, or a copy whose ``ckan.plugins`` leaves the theme out."""
    if with_theme:
        return config
    lines = []
    for line in config.read_text(encoding="utf-8").splitlines():
        if line.startswith("ckan.plugins"):
            key, _, value = line.partition("=")
            line = f"{key}= " + " ".join(p for p in value.split() if p != THEME_PLUGIN)
        elif line.startswith("ckan.storage_path") or line.startswith("ckanext.mogi.demo"):
            line = line.replace("%(here)s", str(config.parent))
        lines.append(line)
    stock = directory / "web-stock.ini"
    stock.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return stock


class Server:
    """gunicorn serving CKAN's WSGI app for one configuration, as ``make run`` does.

    It starts in a temporary directory: gunicorn puts its start-up directory on
    sys.path, and the repository root would shadow the installed wheel with the
    source tree's ``ckanext/mogi`` (which has no ``schemas/``).
    """

    def __init__(self, config: Path, port: int, directory: Path,
                 workers: int | None = None, threads: int | None = None) -> None:
        self.port = port
        env = {**os.environ, "CKAN_INI": str(config)}
        if workers:
            env["MOGI_WEB_WORKERS"] = str(workers)
        if threads:
            env["MOGI_WEB_THREADS"] = str(threads)
        self.process = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "-c", str(GUNICORN_CONF),
             "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
             "ckanext.mogi.wsgi:create_app()"],
            env=env, cwd=directory, start_new_session=True)

    def wait_ready(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped (exit status {self.process.returncode})")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/api/3/action/status_show")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise SystemExit("gunicorn did not answer in time")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


# -- load ----------------------------------------------------------------------

@dataclass
class Result:
    label: str
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    by_kind: dict[str, list[float]] = field(default_factory=dict)

    def pct(self, value: int, samples: Sequence[float] | None = None) -> float:
        data = self.latencies_ms if samples is None else samples
        return statistics.quantiles(data, n=100, method="inclusive")[value - 1]

    @property
    def rps(self) -> float:
        return len(self.latencies_ms) / self.seconds


def paths(rng: random.Random, names: Sequence[str]) -> tuple[str, str]:
    kind = rng.choice(("home", "search", "dataset"))
    if kind == "home":
        return kind, "/"
    if kind == "search":
        return kind, rng.choice(("/dataset/", "/dataset/?page=2", "/dataset/?q=saude",
                                 "/dataset/?q=licitacoes", "/dataset/?q=escolas&page=2"))
    return kind, f"/dataset/{rng.choice(names)}"


Pick = Callable[[random.Random, Sequence[str]], tuple[str, str]]


def client(port: int, names: Sequence[str], seed: int, deadline: float,
           result: Result, lock: threading.Lock, pick: Pick = paths,
           headers: dict[str, str] | None = None) -> None:
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while time.monotonic() < deadline:
        kind, path = pick(rng, names)
        started = time.perf_counter()
        try:
            conn.request("GET", path, headers={"Accept-Language": "pt-BR", **(headers or {})})
            response = conn.getresponse()
            response.read()
            ok = response.status == 200
            error = f"HTTP {response.status} {path}"
        except (OSError, http.client.HTTPException) as exc:
            ok = False
            error = f"{type(exc).__name__} {path}"
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            if ok:
                result.latencies_ms.append(elapsed)
                result.by_kind.setdefault(kind, []).append(elapsed)
            else:
                result.errors += 1
                result.error_kinds[error] = result.error_kinds.get(error, 0) + 1
    conn.close()


def load(label: str, port: int, names: Sequence[str], clients: int, duration: float,
         pick: Pick = paths, headers: dict[str, str] | None = None) -> Result:
    """``clients`` closed-loop clients for ``duration`` seconds, each request's
    page chosen by ``pick`` (the default: home, search and dataset pages)."""
    rng = random.Random(0)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for _ in range(WARMUP_REQUESTS):  # every worker imports and compiles its templates
        conn.request("GET", pick(rng, names)[1], headers=headers or {})
        conn.getresponse().read()
    conn.close()
    lock = threading.Lock()
    result = Result(label)
    deadline = time.monotonic() + duration
    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(port, names, 1000 + n, deadline, result,
                                                      lock, pick, headers))
               for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.monotonic() - started
    return result


def print_result(result: Result) -> None:
    print(f"\n{result.label}: {len(result.latencies_ms)} requests in {result.seconds:.0f} s, "
          f"{result.rps:.1f} req/s, errors {result.errors}")
    for error, count in sorted(result.error_kinds.items()):
        print(f"  error: {error} ({count}x)")
    print(f"  all      p50 {result.pct(50):7.1f} ms   p95 {result.pct(95):7.1f} ms")
    for kind, samples in sorted(result.by_kind.items()):
        if len(samples) >= 2:
            print(f"  {kind:8s} p50 {result.pct(50, samples):7.1f} ms   "
                  f"p95 {result.pct(95, samples):7.1f} ms   ({len(samples)} requests)")


def free_port(preferred: int) -> int:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", preferred))
            return preferred
        except OSError:
            sock.bind(("127.0.0.1", 0))
            return sock.getsockname()[1]


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    config = args.config.resolve()
    fresh = prepare_database(config, args.datasets, args.rebuild, args.admin_user)
    if fresh:
        from ckan.cli import load_config
        from ckan.config.middleware import make_app

        app = make_app(load_config(str(config)))
        with app._wsgi_app.test_request_context():
            seconds = generate(args.datasets)
        print(f"Created {args.datasets} datasets in {seconds:.0f} s.")
    # Only `ckan run` builds the JavaScript translations; gunicorn does not.
    _ckan(config, "translation", "js")
    names = dataset_names(config)
    workers = args.workers or 2 * len(os.sched_getaffinity(0))
    print(f"{len(names)} public datasets; {args.clients} clients x {args.duration:.0f} s per "
          f"variant; gunicorn ({GUNICORN_CONF.name}) with {workers} workers x "
          f"{args.threads or 'default'} threads; {os.cpu_count()} CPU cores; "
          f"load average {os.getloadavg()[0]:.2f}.")

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, with_theme in (("stock (CKAN templates)", False), ("ours (mogi_theme)", True)):
            port = free_port(args.port)
            server = Server(variant_config(config, with_theme, Path(tmp)), port, Path(tmp),
                            args.workers, args.threads)
            try:
                server.wait_ready()
                if with_theme:
                    results.append(load(f"{label}, 1 client", port, names, 1, args.duration))
                    print_result(results[-1])
                results.append(load(label, port, names, args.clients, args.duration))
            finally:
                server.stop()
            print_result(results[-1])

    stock, single, ours = results
    ratio = ours.pct(95) / stock.pct(95)
    gain = ours.rps / single.rps
    met = ours.pct(95) <= TARGET_P95_MS and ours.errors == 0 and gain >= TARGET_GAIN
    print(f"\nTargets p95 <= {TARGET_P95_MS:.0f} ms, 0 errors, concurrency gain >= "
          f"{TARGET_GAIN:.0f}: {'met' if met else 'MISSED'} (load average "
          f"{os.getloadavg()[0]:.2f}).")
    print(f"web p95_ms={ours.pct(95):.1f} rps={ours.rps:.1f} errors={ours.errors} "
          f"vs_stock={ratio:.2f} concurrency_gain={gain:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
