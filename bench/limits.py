"""Hard-limits benchmark: hostile tables through upload and the real job worker.

    .venv/bin/python bench/limits.py [--config bench/limits.ini] [--worker mogi|ckan]
    make bench BENCH=limits                                       (from the repo root)

Three files that stalled the unguarded portal are built in a temporary
directory (the bomb streamed, so building it stays cheap):

- grid: a 2-5 KB XLSX whose sheet declares ``<dimension ref="A1:XFD1048576"/>``;
- bomb: a ~3 MB XLSX whose sheet holds ~900 MB of cell XML (zip bomb);
- line: a 53 MB CSV of one line, 3.8 million cells, no line break.

They are uploaded with ``resource_create`` (sysadmin, in-process) to a new
private dataset of database ``ckan_mogi_limits`` (created through the
``postgres`` role when missing, ``ckan db init`` on every run); the upload
queues one validation job each. Then the project's worker
(``ckan mogi validation worker --burst <queue>``; ``--worker ckan``: CKAN's
``ckan jobs worker --burst``) runs as a subprocess, and the RSS of its whole
process tree (the worker, its work horses, the fork server and its checks) is summed
from ``/proc`` every ``--interval`` seconds (PSS too, see ``tree_rss``). The
worker starts after the three uploads and takes the jobs one after another,
so each time includes the worker's start-up and the files queued before it:
it is what a user who uploads the three at once would wait.

Before the uploads, ``--checks`` checks of a 3-row CSV are timed in this
process (CKAN loaded, as a web process or work horse): each one started as a
fresh interpreter (``python -m ckanext.mogi.validation.runner``, the fallback)
and through ``sandbox.validate`` (a child of this process's fork server; the
first one includes the server's start). Line ``checks fresh_s=<median>
forkserver_s=<median> forkserver_first_s=<x>``.

Per file: seconds from the start of its upload to its verdict (the record's
``finished``), the verdict status and the start of its message. Last line:
``limits grid_s=<x> bomb_s=<y> line_s=<z> peak_rss_mb=<m> targets_met=yes|no``
(targets: each verdict within 120 s, peak RSS of the tree under 1024 MB, every
verdict ``error``, never ``success``). The dataset is purged afterwards and
the uploads live in the temporary directory (``CKAN_STORAGE_PATH``).
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import psutil
import sqlalchemy as sa

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
ORG_NAME = "limites-bench"
DATASET_PREFIX = "limites-bench-"
TARGET_SECONDS = 120.0
TARGET_RSS_MB = 1024.0
WORKER_TIMEOUT = 900.0
FILES = ("grid", "bomb", "line")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", default=str(BENCH_DIR / "limits.ini"), type=Path)
    parser.add_argument("--worker", choices=("mogi", "ckan"), default="mogi",
                        help="mogi: ckan mogi validation worker; ckan: ckan jobs worker")
    parser.add_argument("--interval", default=0.02, type=float,
                        help="seconds between two RSS samples of the worker's process tree")
    parser.add_argument("--bomb-mb", default=900, type=int,
                        help="MB of sheet XML inside the zip bomb")
    parser.add_argument("--checks", default=20, type=int,
                        help="small checks timed each way before the uploads (0: none)")
    parser.add_argument("--admin-user", default="postgres",
                        help="PostgreSQL role allowed to create the bench database")
    return parser.parse_args(argv)


# -- files ---------------------------------------------------------------------

def small_xlsx() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["unidade", "atendimentos"])
    sheet.append(["UBS Centro", 120])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_grid(path: Path) -> None:
    """A two-row workbook whose sheet declares the whole grid (16,384 x 1,048,576)."""
    with zipfile.ZipFile(io.BytesIO(small_xlsx())) as source, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data, count = re.subn(rb'<dimension ref="[^"]*"\s*/>',
                                      b'<dimension ref="A1:XFD1048576"/>', data)
                assert count == 1
            target.writestr(info, data)


def write_bomb(path: Path, megabytes: int) -> None:
    """A workbook whose sheet holds ``megabytes`` MB of cells, written in 1 MB blocks."""
    row = b'<row><c t="n"><v>1</v></c><c t="n"><v>2</v></c><c t="n"><v>3</v></c></row>'
    block = row * (1024 * 1024 // len(row))
    with zipfile.ZipFile(io.BytesIO(small_xlsx())) as source, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info, data)
                continue
            head, rest = data.split(b"<sheetData>", 1)
            tail = rest.split(b"</sheetData>", 1)[1]
            with target.open(info.filename, "w", force_zip64=True) as part:
                part.write(head + b"<sheetData>")
                for _ in range(megabytes):
                    part.write(block)
                part.write(b"</sheetData>" + tail)


def write_line(path: Path) -> None:
    """3.8 million cells on a single line (~53 MB, no line break)."""
    cells = b"1234567890123;" * 100_000
    with path.open("wb") as out:
        for _ in range(38):
            out.write(cells)


def build_files(folder: Path, bomb_mb: int) -> dict[str, Path]:
    paths = {"grid": folder / "grade.xlsx", "bomb": folder / "bomba.xlsx",
             "line": folder / "linha.csv"}
    started = time.perf_counter()
    write_grid(paths["grid"])
    write_bomb(paths["bomb"], bomb_mb)
    write_line(paths["line"])
    with zipfile.ZipFile(paths["bomb"]) as bomb:
        expanded = sum(info.file_size for info in bomb.infolist())
    print(f"Built in {time.perf_counter() - started:.1f} s: "
          f"grid {paths['grid'].stat().st_size / 1024:.1f} KB, "
          f"bomb {paths['bomb'].stat().st_size / 2**20:.1f} MB "
          f"({expanded / 2**20:.0f} MB expanded), "
          f"line {paths['line'].stat().st_size / 2**20:.1f} MB.")
    return paths


# -- start-up cost of a check ---------------------------------------------------

def time_checks(count: int, folder: Path) -> None:
    """Time ``count`` checks of a small CSV each way; print the ``checks`` line."""
    from ckanext.mogi.validation import limits, sandbox

    path = folder / "pequena.csv"
    path.write_text("unidade;atendimentos\nUBS Centro;120\nUBS Leste;80\n", encoding="utf-8")
    structure = limits.StructureLimits()
    request = folder / "request.json"
    request.write_text(json.dumps({
        "path": str(path), "fmt": "csv", "schema": None, "options": None, "memory_mb": 2048,
        "cpu_seconds": 60, "structure": asdict(structure), "locale": "pt_BR"}), encoding="utf-8")
    fresh = []
    for _ in range(count):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", sandbox.RUNNER, str(request),
                        str(folder / "result.json")], check=True, cwd=folder)
        fresh.append(time.perf_counter() - started)
    forked = []
    for _ in range(count):
        started = time.perf_counter()
        values = sandbox.validate(str(path), fmt="csv", schema=None, options=None,
                                  deadline=time.monotonic() + 60,
                                  limits=sandbox.Limits(2048, 60, structure))
        forked.append(time.perf_counter() - started)
        assert values["status"] == "success", values
    print(f"checks fresh_s={statistics.median(fresh):.3f} "
          f"forkserver_s={statistics.median(forked[1:] or forked):.3f} "
          f"forkserver_first_s={forked[0]:.3f} (n={count}, load average "
          f"{os.getloadavg()[0]:.2f})")


# -- database ------------------------------------------------------------------

def _ckan(config: Path, *args: str) -> None:
    ckan_cli = Path(sys.executable).with_name("ckan")
    subprocess.run([str(ckan_cli), "-c", str(config), *args], check=True,
                   stdout=subprocess.DEVNULL, cwd=ROOT)


def prepare_database(config: Path, admin_user: str) -> None:
    """Create the bench database when missing; ``ckan db init`` (idempotent)."""
    from ckan.cli import load_config
    from datastore_db import ensure_datastore

    ensure_datastore(config, admin_user)
    url = sa.make_url(load_config(str(config))["sqlalchemy.url"])
    admin = sa.create_engine(url.set(username=admin_user, password=None, database="postgres"),
                             isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    with admin.connect() as conn:
        exists = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                              {"name": url.database}).scalar()
        if not exists:
            print(f"Creating database {url.database}.")
            conn.execute(sa.text(f'CREATE DATABASE "{url.database}" OWNER "{url.username}"'))
    admin.dispose()
    _ckan(config, "db", "init")


# -- uploads -------------------------------------------------------------------

def sysadmin_context() -> dict[str, Any]:
    from ckan.plugins import toolkit

    user = toolkit.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    return {"user": user, "ignore_auth": True}


def purge_bench_datasets() -> None:
    """Purge the datasets of earlier runs (an interrupted run leaves its own)."""
    from ckan import model
    from ckan.plugins import toolkit

    names = [name for (name,) in model.Session.query(model.Package.name)
             .filter(model.Package.name.like(DATASET_PREFIX + "%"))]
    for name in names:
        toolkit.get_action("dataset_purge")(sysadmin_context(), {"id": name})


def bench_dataset() -> dict[str, Any]:
    """A new private dataset of the bench's Secretaria (created once)."""
    from ckan.plugins import toolkit

    try:
        org = toolkit.get_action("organization_show")(sysadmin_context(), {"id": ORG_NAME})
    except toolkit.ObjectNotFound:
        org = toolkit.get_action("organization_create")(sysadmin_context(), {
            "name": ORG_NAME, "title": "Secretaria de Testes de Limites", "sigla": "STL",
            "description": "Organização do benchmark de limites da validação.",
            "tipo": "secretaria", "cnpj": "11.222.333/0001-81",
            "email": "dados@mogidascruzes.sp.gov.br", "telefone": "(11) 4798-5000",
            "endereco": "Av. Ver. Narciso Yague Guimarães, 277 - Centro Cívico",
            "responsavel": "Departamento de Dados", "site": "https://www.mogidascruzes.sp.gov.br"})
    name = DATASET_PREFIX + uuid.uuid4().hex[:8]
    return toolkit.get_action("package_create")(sysadmin_context(), {
        "name": name, "title": f"Limites da validação {name[-8:]}",
        "notes": "Tabelas hostis do benchmark de limites.", "owner_org": org["id"],
        "private": True, "temas": ["saude"], "periodicidade": "MENSAL",
        "tag_string": "saúde,atendimento", "maintainer": "Departamento de Dados",
        "maintainer_email": "dados@mogidascruzes.sp.gov.br"})


@dataclass
class Upload:
    resource_id: str
    started: datetime.datetime  # UTC, naive, as the validation records
    seconds: float


def upload(dataset: dict[str, Any], path: Path) -> Upload:
    from ckan.plugins import toolkit
    from werkzeug.datastructures import FileStorage

    started = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    clock = time.perf_counter()
    with path.open("rb") as stream:
        resource = toolkit.get_action("resource_create")(sysadmin_context(), {
            "package_id": dataset["id"], "name": path.name,
            "format": path.suffix.lstrip(".").upper(),
            "upload": FileStorage(stream=stream, filename=path.name)})
    return Upload(resource["id"], started, time.perf_counter() - clock)


# -- worker --------------------------------------------------------------------

@dataclass
class TreeSample:
    peak_bytes: int = 0
    peak_pss_bytes: int = 0
    peak_processes: int = 0
    largest_process_bytes: int = 0
    samples: int = 0


def tree_rss(root: psutil.Process, sample: TreeSample) -> None:
    """Add one sample of the summed RSS of ``root`` and its descendants.

    The sum counts the pages a work horse shares with the worker it was forked
    from twice: it is an upper bound. PSS (each shared page split between its
    sharers) is summed too, as the memory the tree really holds.
    """
    try:
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return
    total = pss = 0
    for process in processes:
        try:
            memory = process.memory_full_info()
        except psutil.NoSuchProcess:  # ended between the listing and the read
            continue
        total += memory.rss
        pss += memory.pss
        sample.largest_process_bytes = max(sample.largest_process_bytes, memory.rss)
    sample.peak_bytes = max(sample.peak_bytes, total)
    sample.peak_pss_bytes = max(sample.peak_pss_bytes, pss)
    sample.peak_processes = max(sample.peak_processes, len(processes))
    sample.samples += 1


def run_worker(config: Path, kind: str, queue: str, interval: float,
               log_path: Path) -> tuple[float, TreeSample]:
    """Run the worker in burst mode until the queue is empty; wall seconds, RSS samples."""
    ckan_cli = str(Path(sys.executable).with_name("ckan"))
    command = [ckan_cli, "-c", str(config),
               *(("mogi", "validation", "worker") if kind == "mogi" else ("jobs", "worker")),
               "--burst", queue]
    print("Worker: " + " ".join(command[1:]))
    sample = TreeSample()
    started = time.perf_counter()
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        root = psutil.Process(process.pid)
        while process.poll() is None:
            tree_rss(root, sample)
            if time.perf_counter() - started > WORKER_TIMEOUT:
                process.kill()
                process.wait()
                raise SystemExit(f"the worker ran over {WORKER_TIMEOUT:.0f} s; log: "
                                 f"{log_path.read_text(errors='replace')[-2000:]}")
            time.sleep(interval)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"the worker failed ({process.returncode}): "
                         f"{log_path.read_text(errors='replace')[-2000:]}")
    return seconds, sample


# -- main ----------------------------------------------------------------------

def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    config = args.config.resolve()
    prepare_database(config, args.admin_user)
    with tempfile.TemporaryDirectory(prefix="bench-limits-") as scratch:
        folder = Path(scratch)
        paths = build_files(folder, args.bomb_mb)
        sizes_mb = {name: path.stat().st_size / 2**20 for name, path in paths.items()}
        # The uploads go to the temporary directory, for this process and the worker.
        os.environ["CKAN_STORAGE_PATH"] = str(folder / "storage")

        from ckan import model
        from ckan.cli import load_config
        from ckan.config.middleware import make_app
        from ckan.lib import jobs as ckan_jobs
        from ckan.plugins import toolkit

        app = make_app(load_config(str(config)))
        with app._wsgi_app.test_request_context():
            queue = toolkit.config.get("ckanext.mogi.validation.queue")
            # The bench's own Redis db: jobs left by an interrupted run go.
            ckan_jobs.get_queue(queue).empty()
            if args.checks > 0:
                time_checks(args.checks, folder)
            purge_bench_datasets()
            dataset = bench_dataset()
            uploads = {name: upload(dataset, paths[name]) for name in FILES}
            print("Uploaded to " + dataset["name"] + ": " + ", ".join(
                f"{name} {done.seconds:.1f} s" for name, done in uploads.items()))
            print(f"{ckan_jobs.get_queue(queue).count} job(s) queued on {queue!r}; "
                  f"load average {os.getloadavg()[0]:.2f}.")
            model.Session.remove()

            worker_s, sample = run_worker(config, args.worker, queue, args.interval,
                                          folder / "worker.log")

            from ckanext.mogi.validation import model as vmodel

            verdicts = {name: vmodel.latest(done.resource_id) for name, done in uploads.items()}
            model.Session.remove()
            toolkit.get_action("dataset_purge")(sysadmin_context(), {"id": dataset["id"]})

    peak_mb = sample.peak_bytes / 2**20
    print(f"\nWorker wall {worker_s:.1f} s; {sample.samples} samples every "
          f"{args.interval * 1000:.0f} ms; up to {sample.peak_processes} processes in the tree "
          "(worker, work horse, fork server, check); "
          f"peak RSS of the tree {peak_mb:.0f} MB (PSS {sample.peak_pss_bytes / 2**20:.0f} MB; "
          f"largest single process {sample.largest_process_bytes / 2**20:.0f} MB).\n")
    print(f"{'file':6} {'size MB':>8} {'upload s':>9} {'verdict s':>10} {'status':8} message")
    seconds: dict[str, float] = {}
    ok = peak_mb < TARGET_RSS_MB
    for name in FILES:
        record = verdicts[name] or {}
        status = record.get("status") or "(none)"
        finished = record.get("finished")
        seconds[name] = ((finished - uploads[name].started).total_seconds()
                         if finished and status not in ("created", "running") else float("inf"))
        message = ((record.get("error") or {}).get("message") or "")[:80]
        ok = ok and status == "error" and seconds[name] <= TARGET_SECONDS
        print(f"{name:6} {sizes_mb[name]:>8.2f} {uploads[name].seconds:>9.1f}"
              f" {seconds[name]:>10.1f} {status:8} {message}")
    print(f"\nTargets: every verdict `error` within {TARGET_SECONDS:.0f} s of its upload, peak "
          f"RSS < {TARGET_RSS_MB:.0f} MB: {'met' if ok else 'NOT met'} (load average "
          f"{os.getloadavg()[0]:.2f}).")
    print(f"limits grid_s={seconds['grid']:.1f} bomb_s={seconds['bomb']:.1f} "
          f"line_s={seconds['line']:.1f} peak_rss_mb={peak_mb:.0f} "
          f"targets_met={'yes' if ok else 'no'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
