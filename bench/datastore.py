"""DataStore benchmark: our typed load against xloader's all-text COPY, same
file, same run; then ``datastore_search`` on the loaded table.

    .venv/bin/python bench/datastore.py [--rows 100000 1000000] [--repeat 3]
    make bench BENCH=datastore                                   (from the repo root)

Files: pt-BR CSVs as the city's systems export them, generated once per size
(fixed seed) into ``.local/bench-datastore/``: Windows-1252, ``;``, CRLF,
8 columns: a unit code with leading zeros (``000123``), the unit's name, its
bairro, a date ``31/12/2024``, an amount ``1.234,56``, a count, a sentence of
Portuguese text (some with ``;`` inside quotes) and ``sim``/``não``.

Database ``ckan_mogi_bench_datastore`` and its DataStore
``ckan_mogi_bench_datastore_datastore`` (``bench/datastore.ini``; created
through the ``postgres`` role when missing, ``bench/datastore_db.py``), Redis
db 12. A private dataset holds one uploaded resource: the first 2,000 rows of
the file, validated by the portal's own validation (``resource_validation_run``,
synchronous), whose ``dialect`` and ``schema`` (``resource_validation_show``)
tell the typed load how to read and type the whole file, as the load job does.

Each load runs in a child process (this script, ``--child``), which loads
CKAN and times the load alone; its peak RSS is the child's ``ru_maxrss``
(``os.wait4``), CKAN included. Per size, ``--repeat`` times (once for 1M
rows), alternating:

- typed: ``ckanext.mogi.datastore.loader.load_file`` (see its module: COPY
  into a text staging table, one typed ``INSERT ... SELECT`` with the
  Portuguese full text, primary key, full-text index, ANALYZE, B-tree
  indexes on the few-valued columns of a large table, swap, VACUUM);
- text: what ckanext-xloader does by default, same work minus the typing: a
  table of ``text`` columns, ``COPY ... (FORMAT csv, HEADER, DELIMITER ';',
  ENCODING 'WIN1252')`` of the file itself (xloader first re-encodes it in
  Python: left out, so the baseline is flattered), ``UPDATE ... SET
  _full_text = to_tsvector('portuguese', concat_ws(' ', ...))``, the same
  full-text index (``ckan.datastore.default_fts_index_method``), ANALYZE,
  one transaction;
- bare (information only): the text table and the COPY, nothing else.

Then, on the largest table (loaded typed, last), ``--searches`` calls of CKAN's
``datastore_search`` each way, after 5 warm-up calls, as the site's
sysadmin (the resource is private; the gate's decision is not timed): a
filter on the bairro (one of 40, about 2.5 % of the rows) and a Portuguese
full-text ``q`` (one of 60 words, about 1 % of the rows), default ``limit``
(100) and ``total``.

Last line: ``datastore rows_per_s_1m=<x> vs_text_copy=<ratio>
search_p95_ms=<y> peak_rss_mb=<z>`` (rows per second of the typed load of
the largest file; typed seconds over text seconds, medians, at that size;
the worse of the two search p95; the typed load's largest peak RSS).
Targets: vs_text_copy <= 1.5, search p95 <= 100 ms, peak RSS flat as rows
grow (the 1M load's within 10 % of the 100k load's).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
DATA_DIR = ROOT / ".local" / "bench-datastore"
SEED = 20261205
SAMPLE_ROWS = 2_000
ORG_NAME = "datastore-bench"
DATASET_PREFIX = "datastore-bench-"
TARGET_RATIO = 1.5
TARGET_SEARCH_MS = 100.0
RSS_FLAT = 1.10
WARMUP_SEARCHES = 5
MILLION = 1_000_000
KINDS = ("typed", "text", "bare")

HEADER = ["codigo_unidade", "unidade", "bairro", "data_atendimento", "valor_pago",
          "quantidade", "descricao", "retorno"]
BAIRROS = [
    "Centro", "Mogilar", "Vila Oliveira", "Vila Industrial", "Brás Cubas", "César de Souza",
    "Jundiapeba", "Jardim Santista", "Alto Ipiranga", "Vila Natal", "Socorro", "Vila Rubens",
    "Parque Morumbi", "Jardim Universo", "Vila Suíssa", "Biritiba Ussu", "Taiaçupeba",
    "Sabaúna", "Cocuera", "Botujuru", "Conjunto Santo Ângelo", "Jardim Layr", "Vila da Prata",
    "Vila Jundiaí", "Jardim Aracy", "Chácara Jafet", "Parque Olímpico", "Nova Mogilar",
    "Vila Moraes", "Vila Lavínia", "Jardim Rodeio", "Ponte Grande", "Real Park",
    "Jardim Armênia", "Vila São Sebastião", "Jardim Maricá", "Vila Brasileira", "Vila Cintra",
    "Vila Caputera", "Alto da Boa Vista",
]
UNIT_KINDS = ["UBS", "Escola Municipal", "CRAS", "Centro Esportivo", "Biblioteca",
              "CEMPRE", "Pronto Atendimento", "Centro Cultural", "CAPS", "Farmácia Popular"]
ACTIONS = ["Atendimento", "Acompanhamento", "Orientação", "Encaminhamento", "Visita",
           "Campanha", "Consulta", "Oficina", "Inscrição", "Avaliação"]
#: The words of the full-text searches (each in about 1 % of the rows).
SUBJECTS = [
    "dengue", "vacinação", "hipertensão", "diabetes", "gestantes", "tuberculose", "saúde bucal",
    "alimentação", "matrícula", "merenda", "transporte escolar", "leitura", "reforço escolar",
    "natação", "futebol", "capoeira", "idosos", "adolescentes", "cadastro único",
    "bolsa família", "violência doméstica", "acolhimento", "fisioterapia", "curativos",
    "medicamentos", "exames laboratoriais", "pré-natal", "puericultura", "sarampo", "covid",
    "gripe", "zoonoses", "castração", "arborização", "coleta seletiva", "reciclagem",
    "iluminação", "pavimentação", "enchentes", "defesa civil", "horta comunitária", "teatro",
    "música", "dança", "artesanato", "biblioteca", "informática", "empregabilidade",
    "microempreendedor", "qualificação", "habitação", "regularização", "trânsito",
    "ciclovias", "acessibilidade", "autismo", "deficiência visual", "libras",
    "saúde mental", "dependência química",
]
PLACES = ["na unidade", "no bairro", "em domicílio", "na escola", "por telefone",
          "no mutirão de sábado", "na praça", "no centro comunitário"]


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", default=str(BENCH_DIR / "datastore.ini"), type=Path)
    parser.add_argument("--rows", default=[100_000, MILLION], type=int, nargs="+",
                        help="file sizes in rows (quick runs: --rows 100000)")
    parser.add_argument("--repeat", default=3, type=int,
                        help="loads of each kind per size below 1M rows (1M: once)")
    parser.add_argument("--searches", default=100, type=int,
                        help="timed datastore_search calls of each kind")
    parser.add_argument("--data-dir", default=DATA_DIR, type=Path)
    parser.add_argument("--admin-user", default="postgres",
                        help="PostgreSQL role allowed to create the bench databases")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # a JSON request file
    return parser.parse_args(argv)


def percentile(samples: Sequence[float], pct: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[pct - 1]


# -- files -----------------------------------------------------------------------

def _money(cents: int) -> str:
    """``1.234,56``: thousands with dots, decimal comma."""
    return f"{cents // 100:,}".replace(",", ".") + f",{cents % 100:02d}"


def generated_rows(count: int) -> Iterator[list[str]]:
    rng = random.Random(SEED)
    units = [(f"{code:06d}", f"{rng.choice(UNIT_KINDS)} {bairro}", bairro)
             for code, bairro in enumerate((b for b in BAIRROS for _ in range(10)), start=1)]
    first = date(2019, 1, 1)
    for _ in range(count):
        code, unit, bairro = rng.choice(units)
        day = first + timedelta(days=rng.randrange(6 * 365))
        subject = rng.choice(SUBJECTS)
        text = f"{rng.choice(ACTIONS)} sobre {subject} {rng.choice(PLACES)}"
        if rng.random() < 0.05:
            text += "; retorno agendado"
        yield [code, unit, bairro, day.strftime("%d/%m/%Y"),
               _money(rng.randrange(0, 5_000_000)), str(rng.randrange(1, 500)), text,
               "sim" if rng.random() < 0.3 else "não"]


def write_csv(path: Path, count: int) -> None:
    """The file the city publishes: cp1252, ``;``, CRLF, quotes only where needed."""
    partial = path.with_suffix(".partial")
    with partial.open("w", encoding="cp1252", newline="") as stream:
        writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
        writer.writerow(HEADER)
        writer.writerows(generated_rows(count))
    partial.replace(path)


def table_file(folder: Path, count: int) -> Path:
    """The generated CSV of ``count`` rows (written once, then reused)."""
    path = folder / f"atendimentos-{count}.csv"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        write_csv(path, count)
        print(f"Generated {path.name} ({path.stat().st_size / 2**20:.0f} MB) in "
              f"{time.perf_counter() - started:.1f} s.")
    return path


# -- database and the validated sample ---------------------------------------------

def prepare_database(config: Path, admin_user: str) -> None:
    """Create the bench database when missing; ``ckan db init`` (idempotent)."""
    from ckan.cli import load_config
    from datastore_db import ensure_datastore

    url = sa.make_url(load_config(str(config))["sqlalchemy.url"])
    admin = sa.create_engine(url.set(username=admin_user, password=None, database="postgres"),
                             isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    with admin.connect() as conn:
        if not conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :name"),
                            {"name": url.username}).scalar():
            conn.execute(sa.text(f'CREATE ROLE "{url.username}" LOGIN'))
        if not conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                            {"name": url.database}).scalar():
            print(f"Creating database {url.database}.")
            conn.execute(sa.text(f'CREATE DATABASE "{url.database}" OWNER "{url.username}"'))
    admin.dispose()
    # After the main database: the ckan command it runs connects to it.
    ensure_datastore(config, admin_user)
    subprocess.run([str(Path(sys.executable).with_name("ckan")), "-c", str(config), "db",
                    "init"], check=True, stdout=subprocess.DEVNULL, cwd=ROOT)


def purge_bench_datasets() -> None:
    """The datasets of earlier runs (and their DataStore tables) go."""
    from ckan import model
    from ckan.plugins import toolkit
    from limits import sysadmin_context

    packages = (model.Session.query(model.Package)
                .filter(model.Package.name.like(DATASET_PREFIX + "%")).all())
    for package in packages:
        for resource in package.resources:
            drop(resource.id)
        toolkit.get_action("dataset_purge")(sysadmin_context(), {"id": package.id})


def validated_sample(path: Path, folder: Path) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """A private dataset whose resource is the file's first rows, validated by the
    portal; the resource id, and the validation's dialect and schema."""
    from ckan.plugins import toolkit
    from limits import sysadmin_context
    from werkzeug.datastructures import FileStorage

    try:
        org = toolkit.get_action("organization_show")(sysadmin_context(), {"id": ORG_NAME})
    except toolkit.ObjectNotFound:
        org = toolkit.get_action("organization_create")(sysadmin_context(), {
            "name": ORG_NAME, "title": "Secretaria de Testes do DataStore", "sigla": "STD",
            "tipo": "secretaria"})
    name = DATASET_PREFIX + uuid.uuid4().hex[:8]
    dataset = toolkit.get_action("package_create")(sysadmin_context(), {
        "name": name, "title": f"Atendimentos (bench do DataStore) {name[-8:]}",
        "notes": "Tabela gerada do benchmark do DataStore.", "owner_org": org["id"],
        "private": True, "temas": ["saude"], "periodicidade": "MENSAL",
        "tag_string": "saúde,atendimento", "maintainer": "Departamento de Dados",
        "maintainer_email": "dados@mogidascruzes.sp.gov.br"})
    sample = folder / "amostra.csv"
    with path.open("rb") as source, sample.open("wb") as target:
        for _ in range(SAMPLE_ROWS + 1):
            target.write(source.readline())
    with sample.open("rb") as stream:
        resource = toolkit.get_action("resource_create")(sysadmin_context(), {
            "package_id": dataset["id"], "name": "atendimentos.csv", "format": "CSV",
            "upload": FileStorage(stream=stream, filename="atendimentos.csv")})
    toolkit.get_action("resource_validation_run")(sysadmin_context(), {"id": resource["id"],
                                                            "async": False})
    shown = toolkit.get_action("resource_validation_show")(sysadmin_context(),
                                                           {"resource_id": resource["id"]})
    schema = shown.get("schema") or shown.get("inferred_schema")
    if shown["status"] != "success" or not shown.get("dialect") or not schema:
        raise SystemExit(f"the sample did not validate: {json.dumps(shown)[:2000]}")
    return resource["id"], shown["dialect"], schema


# -- the loads (in a child process) ---------------------------------------------------

def _write_engine() -> Any:
    from ckanext.datastore.backend.postgres import get_write_engine

    return get_write_engine()


def drop(resource_id: str) -> None:
    """The resource's DataStore table goes (untimed, before each load)."""
    engine = _write_engine()
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP TABLE IF EXISTS "{resource_id}"'))


def typed_load(path: str, dialect: dict[str, Any], schema: dict[str, Any],
               resource_id: str) -> int:
    """Ours: core's loader (ckanext/mogi/datastore/loader.py)."""
    from ckanext.mogi.datastore.loader import load_file

    return load_file(path, dialect, schema, resource_id).rows


def text_load(path: str, resource_id: str, full_text: bool) -> int:
    """xloader's default: text columns, COPY of the file, full text, index (one
    transaction); ``full_text=False``: the bare COPY."""
    from ckan.plugins import toolkit
    from psycopg2 import sql

    with open(path, encoding="cp1252", newline="") as stream:
        columns = next(csv.reader(stream, delimiter=";"))
    names = [sql.Identifier(c) for c in columns]
    table = sql.Identifier(resource_id)
    language = str(toolkit.config.get("ckan.datastore.default_fts_lang") or "english")
    method = str(toolkit.config.get("ckan.datastore.default_fts_index_method") or "gist")
    raw = _write_engine().raw_connection()
    try:
        with raw.cursor() as cursor, open(path, "rb") as stream:
            cursor.execute(sql.SQL(
                "CREATE TABLE {} (_id serial PRIMARY KEY, _full_text tsvector, {})").format(
                table, sql.SQL(", ").join(sql.SQL("{} text").format(n) for n in names)))
            cursor.copy_expert(sql.SQL(
                "COPY {} ({}) FROM STDIN WITH (FORMAT csv, HEADER true, DELIMITER ';', "
                "ENCODING 'WIN1252')").format(table, sql.SQL(", ").join(names)).as_string(
                    cursor), stream, size=1024 * 1024)
            rows = cursor.rowcount
            if full_text:
                cursor.execute(sql.SQL(
                    "UPDATE {} SET _full_text = to_tsvector(%s::regconfig, concat_ws(' ', {}))"
                ).format(table, sql.SQL(", ").join(names)), [language])
                cursor.execute(sql.SQL("CREATE INDEX {} ON {} USING {} (_full_text)").format(
                    sql.Identifier(f"{resource_id}_fts"), table, sql.SQL(method)))
                cursor.execute(sql.SQL("ANALYZE {}").format(table))
        raw.commit()
    finally:
        raw.close()
    return rows


def child(request_path: str) -> int:
    """One load, timed, in this process; the result as JSON into the request's ``out``."""
    request = json.loads(Path(request_path).read_text(encoding="utf-8"))
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(request["config"]))
    with app._wsgi_app.test_request_context():
        drop(request["resource_id"])
        started = time.perf_counter()
        if request["kind"] == "typed":
            rows = typed_load(request["path"], request["dialect"], request["schema"],
                              request["resource_id"])
        else:
            rows = text_load(request["path"], request["resource_id"],
                             full_text=request["kind"] == "text")
        seconds = time.perf_counter() - started
    Path(request["out"]).write_text(json.dumps({"rows": rows, "seconds": seconds}),
                                    encoding="utf-8")
    return 0


def run_load(request: dict[str, Any], folder: Path) -> dict[str, float]:
    """A load in a child process: its rows, seconds and peak RSS (MB)."""
    request_path = folder / f"request-{uuid.uuid4().hex[:8]}.json"
    out = request_path.with_suffix(".out.json")
    request_path.write_text(json.dumps({**request, "out": str(out)}), encoding="utf-8")
    process = subprocess.Popen([sys.executable, str(Path(__file__).resolve()),
                                "--child", str(request_path)], cwd=ROOT)
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"the {request['kind']} load failed (exit {process.returncode})")
    result = json.loads(out.read_text(encoding="utf-8"))
    return {**result, "rss_mb": usage.ru_maxrss / 1024}  # ru_maxrss is in KiB on Linux


# -- searches ----------------------------------------------------------------------

def searches(resource_id: str, count: int) -> dict[str, list[float]]:
    """ms of ``datastore_search`` with a filter and with full text, alternating."""
    from ckan import model
    from ckan.plugins import toolkit

    # The site's sysadmin, through CKAN's auth (the dataset is private).
    user = toolkit.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    search = toolkit.get_action("datastore_search")
    rng = random.Random(SEED)
    calls = {
        "filter (bairro)": lambda: {"filters": {"bairro": rng.choice(BAIRROS)}},
        "full text (q)": lambda: {"q": rng.choice(SUBJECTS)},
    }
    samples: dict[str, list[float]] = {label: [] for label in calls}
    for index in range(WARMUP_SEARCHES + count):
        for label, params in calls.items():
            data_dict = {"resource_id": resource_id, **params()}
            started = time.perf_counter()
            answer = search({"user": user}, data_dict)
            elapsed = (time.perf_counter() - started) * 1000
            model.Session.remove()
            if not answer["records"]:
                raise SystemExit(f"no row for {data_dict}")
            if index >= WARMUP_SEARCHES:
                samples[label].append(elapsed)
    return samples


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        return child(args.child)
    sys.path.insert(0, str(BENCH_DIR))
    config = args.config.resolve()
    sizes = sorted(set(args.rows))
    files = {size: table_file(args.data_dir, size) for size in sizes}
    prepare_database(config, args.admin_user)

    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    from ckan.lib import jobs as ckan_jobs
    from ckan.plugins import toolkit
    from limits import sysadmin_context

    app = make_app(load_config(str(config)))
    loads: dict[int, dict[str, list[dict[str, float]]]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-datastore-") as scratch, \
            app._wsgi_app.test_request_context():
        folder = Path(scratch)
        queues = [toolkit.config.get(option) for option in (
            "ckanext.mogi.validation.queue", "ckanext.mogi.datastore.queue")]
        purge_bench_datasets()
        resource_id, dialect, schema = validated_sample(files[sizes[0]], folder)
        print(f"Validated sample ({SAMPLE_ROWS} rows): dialect "
              f"{json.dumps(dialect, ensure_ascii=False)}")
        print("Schema: " + ", ".join(f"{f.get('name')}={f.get('type')}"
                                     for f in schema.get("fields") or []))
        for size in sizes:
            repeat = 1 if size >= MILLION else max(args.repeat, 1)
            loads[size] = {kind: [] for kind in KINDS}
            for turn in range(repeat):
                # Alternating, the last round ending with typed: its table is searched.
                order = tuple(reversed(KINDS)) if (repeat - 1 - turn) % 2 == 0 else KINDS
                for kind in order:
                    result = run_load({"kind": kind, "config": str(config),
                                       "path": str(files[size]), "resource_id": resource_id,
                                       "dialect": dialect, "schema": schema}, folder)
                    if result["rows"] != size:
                        raise SystemExit(f"{kind} load of {size} rows loaded {result['rows']}")
                    loads[size][kind].append(result)
                    print(f"  {size:>9,} rows {kind:<6} {result['seconds']:8.2f} s "
                          f"peak RSS {result['rss_mb']:6.0f} MB")
        # The largest table, loaded typed last, for the searches.
        largest = sizes[-1]
        fields = toolkit.get_action("datastore_search")(
            sysadmin_context(), {"resource_id": resource_id, "limit": 1})["fields"]
        print("DataStore columns: " + ", ".join(f"{f['id']} {f['type']}" for f in fields
                                                if not f["id"].startswith("_")))
        search_ms = searches(resource_id, args.searches)
        purge_bench_datasets()
        for queue in queues:
            ckan_jobs.get_queue(queue).empty()

    def median(size: int, kind: str, key: str = "seconds") -> float:
        return statistics.median(r[key] for r in loads[size][kind])

    print(f"\n{'rows':>10}{'typed s':>10}{'text s':>10}{'bare s':>10}{'typed/text':>12}"
          f"{'rows/s typed':>14}{'RSS typed MB':>14}{'RSS text MB':>13}")
    for size in sizes:
        typed, text = median(size, "typed"), median(size, "text")
        print(f"{size:>10,}{typed:>10.2f}{text:>10.2f}{median(size, 'bare'):>10.2f}"
              f"{typed / text:>12.2f}{size / typed:>14,.0f}"
              f"{max(r['rss_mb'] for r in loads[size]['typed']):>14.0f}"
              f"{max(r['rss_mb'] for r in loads[size]['text']):>13.0f}")
    print(f"\n{'datastore_search on ' + f'{largest:,}' + ' rows':<36}{'p50 ms':>10}"
          f"{'p95 ms':>10}{'mean ms':>10}{'n':>6}")
    for label, samples in search_ms.items():
        print(f"{label:<36}{percentile(samples, 50):>10.1f}{percentile(samples, 95):>10.1f}"
              f"{statistics.fmean(samples):>10.1f}{len(samples):>6}")

    ratio = median(largest, "typed") / median(largest, "text")
    rows_per_s = largest / median(largest, "typed")
    search_p95 = max(percentile(samples, 95) for samples in search_ms.values())
    rss = {size: max(r["rss_mb"] for r in loads[size]["typed"]) for size in sizes}
    flat = rss[largest] <= rss[sizes[0]] * RSS_FLAT
    print(f"\nTargets: typed/text <= {TARGET_RATIO} ({ratio:.2f}), search p95 <= "
          f"{TARGET_SEARCH_MS:.0f} ms ({search_p95:.1f}), peak RSS flat as rows grow "
          f"({' -> '.join(f'{rss[s]:.0f} MB' for s in sizes)}: {'yes' if flat else 'no'}); "
          f"load average {os.getloadavg()[0]:.2f}.")
    label = "1m" if largest == MILLION else f"{largest // 1000}k"
    print(f"datastore rows_per_s_{label}={rows_per_s:.0f} vs_text_copy={ratio:.2f} "
          f"search_p95_ms={search_p95:.1f} peak_rss_mb={max(rss.values()):.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
