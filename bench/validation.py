"""Table validation benchmark: our pipeline against the ``frictionless validate``
CLI on the same generated files, same run.

    cd /work/main && .venv/bin/python bench/validation.py [--sizes 10000,100000,1000000]

For each size, a municipal payroll export as staff's systems write it
(Windows-1252, ``;``, decimal comma with thousands dot, dd/mm/aaaa dates, CPFs
masked ``***.456.789-**``) is generated into a temporary directory and
validated against the library's ``remuneracao-servidores`` schema without its
primary key (frictionless keeps every key of a primary key in memory, which
would hide whether the reading streams), each in its own subprocess:

- ours: ``pipeline.validate_file`` (sniff, frictionless, LGPD pass);
- cli: ``.venv/bin/frictionless validate`` with the same schema, encoding
  and delimiter;
- lgpd: the LGPD pass alone (``engine.iter_rows`` + ``lgpd.scan``), and the
  same reading without the scan.

Times are those of the whole subprocess (interpreter start and imports
included, for both), as CPU time (user + system, from ``os.wait4``): every
measured process is single-threaded, and CPU time does not depend on what
else the shared machine is running; wall-clock is printed too. Peak RSS is
the subprocess's own ``ru_maxrss``. The last output line is
``validation rows_per_s_1m=<x> vs_cli=<ratio> peak_rss_mb=<y> lgpd_overhead=<ratio>``
for the largest size run (1M rows by default): our rows per CPU second, our
rows/s over the CLI's (higher is better, target >= 0.9), our peak RSS, and
the LGPD pass (second reading + scan) over the rest of our pipeline's time.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
VENV_BIN = Path(sys.executable).parent
SIZES = (10_000, 100_000, 1_000_000)
TARGET_RATIO = 0.9
SEED = 20261124
ENCODING = "cp1252"

OURS = """
import json, sys
from ckanext.mogi.validation import pipeline
path, schema_path = sys.argv[1:3]
with open(schema_path, encoding="utf-8") as handle:
    schema = json.load(handle)
outcome = pipeline.validate_file(path, fmt="csv", schema=schema)
task = outcome.report["tasks"][0]
print(json.dumps({"status": outcome.status, "rows": task["stats"]["rows"],
                  "errors": task["stats"]["errors"], "findings": outcome.lgpd["findings"]}))
"""

LGPD = """
import json, sys, time
from ckanext.mogi.validation import engine, lgpd
from ckanext.mogi.validation.dialect import sniff
path = sys.argv[1]
dialect = sniff(path, "csv")
started = time.process_time()
header, rows = engine.iter_rows(path, dialect)
count = sum(1 for _ in rows)
read = time.process_time() - started
started = time.process_time()
header, rows = engine.iter_rows(path, dialect)
result = lgpd.scan(header, rows)
scan = time.process_time() - started
print(json.dumps({"rows": count, "read_s": read, "pass_s": scan,
                  "findings": result["findings"]}))
"""

FIRST = ("MARIA", "JOSÉ", "ANA", "JOÃO", "ANTÔNIO", "FRANCISCA", "CARLOS", "JULIANA", "PAULO",
         "MÁRCIA", "LUIZ", "FERNANDA", "MARCOS", "PATRÍCIA", "RAFAEL", "ALINE", "SEBASTIÃO",
         "CONCEIÇÃO", "ROBERTO", "VALÉRIA")
LAST = ("SILVA", "SANTOS", "OLIVEIRA", "SOUZA", "RODRIGUES", "FERREIRA", "ALVES", "PEREIRA",
        "LIMA", "GOMES", "COSTA", "RIBEIRO", "MARTINS", "CARVALHO", "ALMEIDA", "NASCIMENTO",
        "ARAÚJO", "MELO", "BARBOSA", "CARDOSO")
CARGOS = ("PROFESSOR DE EDUCAÇÃO BÁSICA I", "ENFERMEIRO", "AGENTE ADMINISTRATIVO",
          "AUXILIAR DE SERVIÇOS GERAIS", "MÉDICO CLÍNICO GERAL", "GUARDA CIVIL MUNICIPAL",
          "ASSISTENTE SOCIAL", "ENGENHEIRO CIVIL", "MOTORISTA", "ASSESSOR TÉCNICO")
VINCULOS = ("Efetivo", "Efetivo", "Efetivo", "Comissionado", "Temporário", "Aposentado",
            "Pensionista")
LOTACOES = ("Secretaria de Educação", "Secretaria de Saúde", "Secretaria de Governo e "
            "Transparência", "Secretaria de Assistência Social", "Secretaria de Mobilidade "
            "Urbana", "Secretaria de Meio Ambiente", "Secretaria de Fazenda",
            "Secretaria de Longevidade", "SEMAE", "IPREM")


@dataclass
class Run:
    seconds: float  # wall clock
    cpu_seconds: float  # user + system
    peak_rss_mb: float
    output: dict[str, Any]


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES),
                        help="comma-separated row counts (quick runs: --sizes 10000,100000)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of each measurement; the one with least CPU time is kept")
    parser.add_argument("--keep", type=Path, default=None,
                        help="generate into (and reuse files from) this directory")
    args = parser.parse_args(argv)
    args.sizes = [int(size) for size in args.sizes.split(",")]
    return args


def masked_cpfs(count: int, rng: random.Random) -> list[str]:
    from validate_docbr import CPF

    from ckanext.mogi.validation.lgpd import mask_cpf

    cpf = CPF()
    return [mask_cpf(cpf.generate()) for _ in range(count)]


def generate(path: Path, rows: int) -> None:
    """A payroll export of ``rows`` rows, cp1252, ``;``, CRLF."""
    rng = random.Random(SEED)
    cpfs = masked_cpfs(min(rows, 50_000), rng)
    header = ("matricula;competencia;nome;cpf;cargo;vinculo;lotacao;data_admissao;"
              "carga_horaria;remuneracao_bruta;descontos;remuneracao_liquida")
    with path.open("w", encoding=ENCODING, newline="") as handle:
        handle.write(header + "\r\n")
        lines = []
        for index in range(rows):
            gross = rng.randint(1_800, 32_000)
            cut = gross // rng.randint(4, 6)
            lines.append(";".join((
                str(100_000 + index),
                f"{rng.randint(1, 12):02d}/2024",
                f"{rng.choice(FIRST)} {rng.choice(LAST)} {rng.choice(LAST)}",
                cpfs[index % len(cpfs)] if index % 50 else "",
                rng.choice(CARGOS),
                rng.choice(VINCULOS),
                rng.choice(LOTACOES),
                f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1985, 2024)}",
                rng.choice(("20", "30", "40")),
                f"{gross:,}".replace(",", ".") + f",{rng.randint(0, 99):02d}",
                f"{cut:,}".replace(",", ".") + f",{rng.randint(0, 99):02d}",
                f"{gross - cut:,}".replace(",", ".") + f",{rng.randint(0, 99):02d}",
            )))
            if len(lines) == 10_000:
                handle.write("\r\n".join(lines) + "\r\n")
                lines = []
        if lines:
            handle.write("\r\n".join(lines) + "\r\n")


def bench_schema() -> dict[str, Any]:
    from ckanext.mogi.validation import library

    schema = library.load("remuneracao-servidores")
    schema.pop("primaryKey")
    return schema


def measure(command: Sequence[str], cwd: Path) -> Run:
    """Wall-clock seconds, and the child's own peak RSS (``ru_maxrss`` from
    ``os.wait4``, not ``RUSAGE_CHILDREN``, which is the maximum over every child)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            raise RuntimeError(f"{command[:3]} failed ({process.returncode}): "
                               f"{err.read()[-2000:]}{out.read()[-2000:]}")
        return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
                   json.loads(out.read()))


def run_size(rows: int, folder: Path, schema_path: Path, repeat: int) -> dict[str, Any]:
    path = folder / f"folha_{rows}.csv"
    if not path.exists():
        started = time.perf_counter()
        generate(path, rows)
        print(f"  generated {path.name} ({path.stat().st_size / 2**20:.1f} MiB) in "
              f"{time.perf_counter() - started:.1f} s")
    commands = {
        "ours": [sys.executable, "-c", OURS, path.name, schema_path.name],
        "cli": [str(VENV_BIN / "frictionless"), "validate", "--json",
                "--schema", schema_path.name, "--encoding", ENCODING,
                "--dialect", json.dumps({"delimiter": ";"}), path.name],
        "lgpd": [sys.executable, "-c", LGPD, path.name],
    }
    runs: dict[str, list[Run]] = {name: [] for name in commands}
    for attempt in range(repeat):
        order = list(commands) if attempt % 2 == 0 else list(reversed(commands))
        for name in order:
            runs[name].append(measure(commands[name], folder))
    best = {name: min(found, key=lambda run: run.cpu_seconds) for name, found in runs.items()}
    ours, cli, scan = best["ours"], best["cli"], best["lgpd"]
    assert ours.output["status"] == "success", ours.output
    assert ours.output["rows"] == rows, ours.output
    assert cli.output["valid"], cli.output["tasks"][0]["errors"][:3]
    assert cli.output["tasks"][0]["stats"]["rows"] == rows
    assert scan.output["findings"] == ours.output["findings"]
    lgpd_s = scan.output["pass_s"]
    return {"rows": rows, "ours": ours, "cli": cli, "lgpd": scan,
            "ratio": cli.cpu_seconds / ours.cpu_seconds,
            "wall_ratio": cli.seconds / ours.seconds,
            "overhead": lgpd_s / max(ours.cpu_seconds - lgpd_s, 1e-9)}


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-validation-") as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        schema_path = folder / "remuneracao-servidores.schema.json"
        schema_path.write_text(json.dumps(bench_schema(), ensure_ascii=False), "utf-8")
        results = []
        for rows in args.sizes:
            print(f"{rows:,} rows...")
            results.append(run_size(rows, folder, schema_path, args.repeat))

    print(f"\n{'rows':>10} {'ours cpu s':>11} {'cli cpu s':>10} {'ours wall':>10}"
          f" {'cli wall':>9} {'ours rows/s':>12} {'cli rows/s':>11} {'vs cli':>7}"
          f" {'ours MB':>8} {'cli MB':>7} {'lgpd s':>7} {'read s':>7} {'lgpd ovh':>9}")
    for result in results:
        rows, ours, cli, scan = result["rows"], result["ours"], result["cli"], result["lgpd"]
        print(f"{rows:>10,} {ours.cpu_seconds:>11.1f} {cli.cpu_seconds:>10.1f}"
              f" {ours.seconds:>10.1f} {cli.seconds:>9.1f}"
              f" {rows / ours.cpu_seconds:>12,.0f} {rows / cli.cpu_seconds:>11,.0f}"
              f" {result['ratio']:>7.2f} {ours.peak_rss_mb:>8.0f} {cli.peak_rss_mb:>7.0f}"
              f" {scan.output['pass_s']:>7.1f} {scan.output['read_s']:>7.1f}"
              f" {result['overhead']:>9.2f}")
    last = results[-1]
    print(f"\nLGPD findings (largest file): {last['ours'].output['findings']}")
    print(f"Wall-clock ratio (cli s / ours s) at {last['rows']:,} rows: "
          f"{last['wall_ratio']:.2f}")
    print(f"Peak RSS growth from {results[0]['rows']:,} to {last['rows']:,} rows: "
          f"{last['ours'].peak_rss_mb - results[0]['ours'].peak_rss_mb:+.0f} MB (ours), "
          f"{last['cli'].peak_rss_mb - results[0]['cli'].peak_rss_mb:+.0f} MB (cli)")
    print(f"Target: throughput ratio >= {TARGET_RATIO}: "
          f"{'met' if last['ratio'] >= TARGET_RATIO else 'NOT met'}")
    print(f"validation rows_per_s_1m={last['rows'] / last['ours'].cpu_seconds:.0f} "
          f"vs_cli={last['ratio']:.2f} peak_rss_mb={last['ours'].peak_rss_mb:.0f} "
          f"lgpd_overhead={last['overhead']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
