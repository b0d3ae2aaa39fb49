"""Hostile tables end in a bounded Portuguese verdict, through upload and worker.

Each attack was reproduced against the unguarded portal (minutes of CPU, up
to 1.35 GB of memory, a stalled web process); here each one goes through the
API upload and the real job worker, whose check runs in a sandboxed child.
"""

from __future__ import annotations

import io
import os
import re
import resource
import signal
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import openpyxl
import psutil
import pytest
from ckan.lib import jobs as ckan_jobs
from ckan.plugins import toolkit
from ckan.tests import helpers

pytestmark = pytest.mark.usefixtures("clean_db")

TOO_BIG = "Tabela grande ou complexa demais para verificar: "
#: The worker's verdict comes long before this (no benchmark: a loose bound).
VERDICT_WITHIN = 120


def api_upload(app, user: dict[str, Any], dataset: dict[str, Any], stream: Any,
               filename: str, **fields: Any) -> dict[str, Any]:
    """resource_create with a multipart file upload, as a browser or script sends it."""
    data = {"package_id": dataset["id"], "name": filename,
            "format": filename.rsplit(".", 1)[-1].upper(), **fields,
            "upload": (stream, filename)}
    response = app.post("/api/3/action/resource_create", data=data,
                        headers={"Authorization": user["token"]},
                        content_type="multipart/form-data", status=200)
    return response.json["result"]


def verdict_after_worker(resource: dict[str, Any], worker: Any) -> dict[str, Any]:
    started = time.monotonic()
    worker()
    assert time.monotonic() - started < VERDICT_WITHIN
    shown = helpers.call_action("resource_validation_show", resource_id=resource["id"])
    assert helpers.call_action("resource_show", id=resource["id"])["validation_status"] \
        == shown["status"]
    return shown


def small_xlsx() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["unidade", "atendimentos"])
    sheet.append(["UBS Centro", 120])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rewrite_sheet(xlsx: bytes, target: zipfile.ZipFile, write_sheet: Any) -> None:
    """Copy ``xlsx`` into ``target``, the first sheet written by ``write_sheet``."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source:
        for info in source.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                write_sheet(source.read(info).decode("utf-8"))
            else:
                target.writestr(info, source.read(info))


def test_a_sheet_declaring_the_whole_grid_is_refused(app, new_dataset, editor,
                                                     validation_worker):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        def whole_grid(xml: str) -> None:
            patched, count = re.subn(r'<dimension ref="[^"]*"\s*/>',
                                     '<dimension ref="A1:XFD1048576"/>', xml)
            assert count == 1
            target.writestr("xl/worksheets/sheet1.xml", patched)

        rewrite_sheet(small_xlsx(), target, whole_grid)
    content = buffer.getvalue()
    assert len(content) < 8 * 1024  # a few KB, as the reproduced attack (2.2 KB)

    dataset = new_dataset("grade-inteira")
    resource = api_upload(app, editor, dataset, io.BytesIO(content), "grade.xlsx")
    shown = verdict_after_worker(resource, validation_worker)

    assert shown["status"] == "error"
    assert shown["error"]["message"] == TOO_BIG + (
        'a aba "sheet1" declara 16.384 colunas, acima do limite de 10.000. Apague as '
        "colunas vazias depois dos dados e salve-a novamente, ou envie a tabela em CSV.")


def test_a_zip_bomb_spreadsheet_is_refused_before_it_is_expanded(
        app, new_dataset, editor, validation_worker, tmp_path):
    path = tmp_path / "bomba.xlsx"
    row = b'<row><c t="n"><v>1</v></c><c t="n"><v>2</v></c><c t="n"><v>3</v></c></row>'
    block = row * (1024 * 1024 // len(row))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        def bomb(xml: str) -> None:
            head, _rows, tail = re.split(r"(?s)(?<=<sheetData>)(.*)(?=</sheetData>)", xml)[:3]
            with target.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
                part.write(head.encode("utf-8"))
                for _ in range(300):  # ~300 MB of cells, streamed
                    part.write(block)
                part.write(tail.encode("utf-8"))

        rewrite_sheet(small_xlsx(), target, bomb)
    assert path.stat().st_size < 5 * 1024 * 1024
    with zipfile.ZipFile(path) as check:
        assert sum(info.file_size for info in check.infolist()) > 250 * 1024 * 1024

    dataset = new_dataset("bomba")
    with path.open("rb") as stream:
        resource = api_upload(app, editor, dataset, stream, "bomba.xlsx")
    shown = verdict_after_worker(resource, validation_worker)

    assert shown["status"] == "error"
    message = shown["error"]["message"]
    assert message.startswith(TOO_BIG + "uma parte da planilha está comprimida "), message
    assert message.endswith(" vezes, acima do limite de 100 vezes. Salve-a novamente no "
                            "programa de planilhas ou envie-a em CSV.")


def test_a_single_line_of_millions_of_cells_is_refused(app, new_dataset, editor,
                                                       validation_worker, tmp_path):
    path = tmp_path / "linha.csv"
    cells = b"1234567890123;" * 100_000
    with path.open("wb") as out:
        for _ in range(38):  # 3.8 million cells, ~53 MB, no line break
            out.write(cells)
    assert path.stat().st_size > 50_000_000

    dataset = new_dataset("linha-unica")
    with path.open("rb") as stream:
        resource = api_upload(app, editor, dataset, stream, "linha.csv")
    shown = verdict_after_worker(resource, validation_worker)

    assert shown["status"] == "error"
    assert shown["error"]["message"] == TOO_BIG + (
        "a linha 1 tem mais de 10.000 colunas. Confira se o arquivo é uma tabela com um "
        "registro por linha e se o separador está correto.")


def slow_table(rows: int) -> bytes:
    lines = ["unidade;bairro;atendimentos;data"]
    lines += [f"UBS {i};Centro;{i},5;01/02/2024" for i in range(rows)]
    return "\n".join(lines).encode("utf-8")


@pytest.mark.ckan_config("ckanext.mogi.validation.sync_wait", "1")
@pytest.mark.ckan_config("ckanext.mogi.validation.timeout", "2")
def test_a_slow_sync_run_hands_the_table_to_the_queue(app, new_dataset, editor,
                                                      validation_worker):
    dataset = new_dataset("lenta-sync")
    # Over 4 s of checking even on a quiet machine (200,000 rows took 1–2 s
    # there): well over the 1 s wait and the 2 s limit.
    resource = api_upload(app, editor, dataset, io.BytesIO(slow_table(600_000)), "lenta.csv")
    queue = ckan_jobs.get_queue(toolkit.config["ckanext.mogi.validation.queue"])
    before = queue.count

    started = time.monotonic()
    response = app.post("/api/3/action/resource_validation_run",
                        json={"id": resource["id"], "async": False},
                        headers={"Authorization": editor["token"]}, status=200)
    answered = time.monotonic() - started

    assert answered < 10  # the wait plus the child's start and kill, not the 5 s check
    assert response.json["result"]["status"] == "created"
    assert queue.count == before + 1
    shown = helpers.call_action("resource_validation_show", resource_id=resource["id"])
    assert shown["status"] == "created"

    final = verdict_after_worker(resource, validation_worker)
    assert final["status"] == "error"
    assert final["error"]["message"] == (
        "A validação excedeu o tempo limite de 2 segundos. Divida a tabela em arquivos "
        "menores ou peça à equipe do portal para aumentar o limite.")


def run_sandboxed(path: Path, memory_mb: int, cpu_seconds: int) -> dict[str, Any]:
    from ckanext.mogi.validation import limits, sandbox

    return sandbox.validate(
        str(path), fmt="csv", schema=None, options=None,
        deadline=time.monotonic() + VERDICT_WITHIN,
        limits=sandbox.Limits(memory_mb=memory_mb, cpu_seconds=cpu_seconds,
                              structure=limits.StructureLimits()))


def test_the_child_s_memory_limit_is_enforced_by_the_kernel(tmp_path):
    path = tmp_path / "tabela.csv"
    path.write_bytes(slow_table(1000))

    values = run_sandboxed(path, memory_mb=40, cpu_seconds=0)

    assert values == {"status": "error", "error": {"message": TOO_BIG + (
        "ela precisou de mais de 40 MB de memória. Divida-a em arquivos menores ou "
        "peça à equipe do portal para aumentar o limite.")}}


def test_the_child_s_cpu_limit_is_enforced_by_the_kernel(tmp_path):
    path = tmp_path / "tabela.csv"
    path.write_bytes(slow_table(600_000))  # several seconds of CPU, even on a quiet machine

    started = time.monotonic()
    values = run_sandboxed(path, memory_mb=0, cpu_seconds=1)

    assert time.monotonic() - started < 10
    assert values == {"status": "error", "error": {"message": TOO_BIG + (
        "ela precisou de mais de 1 segundos de processamento. Divida-a em arquivos "
        "menores ou peça à equipe do portal para aumentar o limite.")}}


STOPPED = TOO_BIG + (
    "a verificação foi interrompida inesperadamente. Divida-a em arquivos menores; se o "
    "erro persistir, avise a equipe do portal.")


def fork_server() -> psutil.Process:
    """This process's fork server (started if needed), as ``ps`` shows it."""
    from ckanext.mogi.validation import sandbox

    sandbox.start_fork_server()
    servers = [child for child in psutil.Process().children()
               if "ckanext.mogi.validation.forkserver" in " ".join(child.cmdline())]
    assert len(servers) == 1, servers
    return servers[0]


def running_check(server: psutil.Process, earlier: set[int]) -> psutil.Process:
    """The check the server forks next, after those of pid ``earlier``."""
    for _ in range(1000):
        for child in server.children():
            if child.pid not in earlier and child.status() != psutil.STATUS_ZOMBIE:
                return child
        time.sleep(0.01)
    raise AssertionError("no check started")


def pids(server: psutil.Process) -> set[int]:
    return {child.pid for child in server.children()}


def ended(process: psutil.Process, within: float = 2.0) -> bool:
    """Whether ``process`` is gone (or only a zombie left to reap) within ``within`` s."""
    stop = time.monotonic() + within
    while time.monotonic() < stop:
        try:
            if process.status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.02)
    return False


def test_the_fork_server_s_death_during_a_check_ends_in_an_error_verdict(tmp_path):
    path = tmp_path / "lenta.csv"
    path.write_bytes(slow_table(400_000))  # about 10 s of checking
    server = fork_server()

    earlier = pids(server)
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(run_sandboxed, path, 0, 0)
        check = running_check(server, earlier)
        killed = time.monotonic()
        server.kill()
        values = pending.result(timeout=VERDICT_WITHIN)

    assert time.monotonic() - killed < 3  # at once, not at the end of the check
    assert values == {"status": "error", "error": {"message": STOPPED}}
    assert ended(check)


def test_a_check_after_the_fork_server_died_still_works(tmp_path):
    path = tmp_path / "tabela.csv"
    path.write_bytes(slow_table(100))
    dead = fork_server()
    dead.kill()
    dead.wait(5)

    values = run_sandboxed(path, memory_mb=0, cpu_seconds=0)

    assert values["status"] == "success", values
    assert fork_server().pid != dead.pid


def test_a_check_s_memory_limit_reaches_neither_the_next_check_nor_the_server(tmp_path):
    path = tmp_path / "tabela.csv"
    path.write_bytes(slow_table(1000))
    server = fork_server()

    assert run_sandboxed(path, memory_mb=40, cpu_seconds=1)["error"]["message"].startswith(
        TOO_BIG + "ela precisou de mais de 40 MB de memória.")
    values = run_sandboxed(path, memory_mb=0, cpu_seconds=0)

    assert values["status"] == "success", values
    assert fork_server().pid == server.pid  # the same server forked both
    unlimited = (resource.RLIM_INFINITY, resource.RLIM_INFINITY)
    assert server.rlimit(psutil.RLIMIT_AS) == unlimited
    assert server.rlimit(psutil.RLIMIT_CPU) == unlimited


def test_past_the_deadline_the_check_is_killed(tmp_path):
    from ckanext.mogi.validation import limits, sandbox

    path = tmp_path / "lenta.csv"
    path.write_bytes(slow_table(400_000))  # about 10 s of checking
    server = fork_server()
    earlier = pids(server)

    started = time.monotonic()
    with pytest.raises(sandbox.Timeout):
        sandbox.validate(
            str(path), fmt="csv", schema=None, options=None,
            deadline=time.monotonic() + 1,
            limits=sandbox.Limits(memory_mb=0, cpu_seconds=0,
                                  structure=limits.StructureLimits()))

    assert time.monotonic() - started < 4
    assert all(ended(child) for child in server.children() if child.pid not in earlier)


def test_a_killed_job_leaves_no_check_running(tmp_path):
    path = tmp_path / "lenta.csv"
    path.write_bytes(slow_table(400_000))  # about 10 s of checking
    server = fork_server()  # shared by the processes forked from here, as rq's horses
    earlier = pids(server)

    horse = os.fork()
    if horse == 0:  # the work horse: checks the table, SIGKILLed mid-check
        try:
            run_sandboxed(path, memory_mb=0, cpu_seconds=0)
        finally:
            os._exit(0)
    try:
        check = running_check(server, earlier)
    finally:
        os.kill(horse, signal.SIGKILL)
        os.waitpid(horse, 0)

    assert ended(check)
    assert server.is_running()


def test_the_fork_server_runs_one_thread_and_holds_no_connection(tmp_path):
    path = tmp_path / "tabela.csv"
    path.write_bytes(slow_table(100))
    server = fork_server()
    assert run_sandboxed(path, memory_mb=0, cpu_seconds=0)["status"] == "success"

    assert server.num_threads() == 1
    assert server.net_connections(kind="inet") == []  # not the database's, not Redis'
