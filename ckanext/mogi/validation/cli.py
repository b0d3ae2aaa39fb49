"""``ckan mogi validation ...``: run validations, summarise them per Secretaria."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

import click
from ckan import model

from ckanext.mogi.validation import jobs
from ckanext.mogi.validation import model as vmodel

STATUS_LABELS = {
    "success": "válida",
    "failure": "com erros",
    "error": "erro na validação",
    "created": "na fila",
    "running": "em validação",
}
#: The same, after a count other than one ("3 válidas").
STATUS_PLURALS = {
    "success": "válidas",
    "failure": "com erros",
    "error": "com erro na validação",
    "created": "na fila",
    "running": "em validação",
}
REPORT_COLUMNS = (
    "organizacao",
    "sigla",
    "conjuntos",
    "tabelas",
    "validas",
    "com_erros",
    "erros",
    "pendentes",
    "lgpd_sinalizadas",
    "lgpd_justificadas",
)


class SelectionError(Exception):
    """An unknown --dataset or --org (message in Portuguese)."""


def tables(
    datasets: Iterable[str] = (),
    org: str | None = None,
) -> list[tuple[model.Package, model.Resource]]:
    """Active tables of active datasets, by dataset (ids/names), organization, or all."""
    query = model.Session.query(model.Package).filter(model.Package.state == "active")
    wanted = list(datasets)
    if wanted:
        packages = []
        for ref in wanted:
            pkg = model.Package.get(ref)
            if pkg is None or pkg.state != "active":
                raise SelectionError(f"conjunto de dados não encontrado: {ref}")
            packages.append(pkg)
    elif org:
        group = model.Group.get(org)
        if group is None or not group.is_organization:
            raise SelectionError(f"organização não encontrada: {org}")
        packages = (
            query.filter(model.Package.owner_org == group.id).order_by(model.Package.name).all()
        )
    else:
        packages = query.order_by(model.Package.name).all()
    return [
        (pkg, res)
        for pkg in packages
        for res in pkg.resources
        if res.state == "active" and jobs.table_format(jobs.resource_dict(res))
    ]


@click.group(short_help="Validação de tabelas (Frictionless e LGPD).")
def validation() -> None:
    """Table validation of the portal."""


@validation.command(
    "run",
    short_help="Valida as tabelas de um conjunto, de uma organização ou de todo o portal.",
    help=(
        "Valida de novo as tabelas (CSV, TSV, XLSX, XLS, ODS) dos conjuntos de dados "
        "escolhidos. Por padrão enfileira as validações para o worker "
        "(`ckan jobs worker`); com --sync valida aqui mesmo, uma tabela após a outra, "
        "com os mesmos limites de tempo e memória do worker."
    ),
)
@click.option(
    "--dataset",
    "datasets",
    multiple=True,
    metavar="ID",
    help="Conjunto de dados (id ou nome); pode ser repetido.",
)
@click.option("--org", metavar="ID", help="Organização (id ou nome).")
@click.option("--all", "all_", is_flag=True, help="Todas as tabelas do portal.")
@click.option("--sync", is_flag=True, help="Valida agora, sem o worker.")
def run(datasets: tuple[str, ...], org: str | None, all_: bool, sync: bool) -> None:
    if sum((bool(datasets), bool(org), all_)) != 1:
        raise click.UsageError("Escolha exatamente uma opção: --dataset, --org ou --all.")
    try:
        selected = tables(datasets, org)
    except SelectionError as exc:
        raise click.ClickException(str(exc)) from exc
    if not selected:
        click.echo("Nenhuma tabela para validar.")
        return
    counts: dict[str, int] = {}
    for pkg, res in selected:
        status = _run_one(res.id, sync)
        counts[status] = counts.get(status, 0) + 1
        click.echo(f"{pkg.name} / {res.name or res.id}: {STATUS_LABELS.get(status, status)}")
    summary = ", ".join(
        f"{count} {(STATUS_LABELS if count == 1 else STATUS_PLURALS).get(status, status)}"
        for status, count in sorted(counts.items())
    )
    click.echo(f"{len(selected)} tabela(s): {summary}.")


def _run_one(resource_id: str, sync: bool) -> str:
    res = model.Resource.get(resource_id)
    assert res is not None
    data = jobs.resource_dict(res)
    if not sync:
        vmodel.start(res.id, jobs.fingerprint(data), jobs.options_of(data))
        jobs.set_status(res, "created")
        model.Session.commit()
        jobs.enqueue(res.id)
        return "created"
    return jobs.run_job(res.id) or "error"


@validation.command(
    "reconcile",
    short_help="Reenfileira validações perdidas (job morto, worker parado, Redis reiniciado).",
    help=(
        "Procura tabelas com validação pendente cujo job não existe mais na fila "
        "(worker ou processo morto, Redis reiniciado) e as reenfileira; depois de "
        "ckanext.mogi.validation.max_attempts tentativas, registra erro e o arquivo "
        "continua retido. O worker (`ckan mogi validation worker`) faz isso sozinho "
        "ao iniciar e periodicamente."
    ),
)
def reconcile_command() -> None:
    from ckanext.mogi.validation import reconcile

    result = reconcile.reconcile()
    click.echo(
        f"{len(result.requeued)} validação(ões) reenfileirada(s), "
        f"{len(result.failed)} encerrada(s) com erro."
    )


@validation.command(
    "worker",
    short_help="Worker de jobs do CKAN com o reconciliador de validações.",
    help=(
        "O mesmo que `ckan jobs worker [FILAS]...`, e além disso reenfileira as "
        "validações perdidas ao iniciar e a cada "
        "ckanext.mogi.validation.reconcile_interval segundos."
    ),
)
@click.argument("queues", nargs=-1)
@click.option("--burst", is_flag=True, help="Para quando as filas estiverem vazias.")
def worker_command(queues: tuple[str, ...], burst: bool) -> None:
    from ckanext.mogi.validation.worker import ReconcilingWorker

    ReconcilingWorker(list(queues) or None).work(burst=burst)


@validation.command(
    "report",
    short_help="Resumo das validações por Secretaria (CSV ou JSON).",
    help=(
        "Para cada organização: conjuntos de dados com tabelas, tabelas, válidas, com "
        "erros, com erro na validação, pendentes (na fila, em validação ou nunca "
        "validadas), sinalizadas pela verificação de dados pessoais (LGPD) e, "
        "destas, com justificativa registrada. Conjuntos privados incluídos."
    ),
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json"]),
    default="csv",
    show_default=True,
    help="Formato da saída.",
)
def report(fmt: str) -> None:
    rows = summary()
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=REPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    click.echo(out.getvalue(), nl=False)


def summary() -> list[dict[str, Any]]:
    """One row per organization with tables, sorted by name; then a total row."""
    from ckanext.mogi.validation import lgpd

    selected = tables()
    records = vmodel.latest_for([res.id for _pkg, res in selected])
    rows: dict[str, dict[str, Any]] = {}
    datasets: dict[str, set[str]] = {}
    for pkg, res in selected:
        group = model.Group.get(pkg.owner_org) if pkg.owner_org else None
        key = group.id if group else ""
        row = rows.setdefault(
            key,
            {
                "organizacao": group.title if group else "(sem organização)",
                "sigla": (group.extras or {}).get("sigla", "") if group else "",
                **{column: 0 for column in REPORT_COLUMNS[2:]},
            },
        )
        datasets.setdefault(key, set()).add(pkg.id)
        row["tabelas"] += 1
        record = records.get(res.id)
        status = record["status"] if record else "created"
        column = {"success": "validas", "failure": "com_erros", "error": "erros"}.get(
            status, "pendentes"
        )
        row[column] += 1
        if record and lgpd.blocks_publication(record.get("lgpd")):
            row["lgpd_sinalizadas"] += 1
            if vmodel.justification(res.id, record.get("fingerprint")):
                row["lgpd_justificadas"] += 1
    for key, row in rows.items():
        row["conjuntos"] = len(datasets[key])
    ordered = sorted(rows.values(), key=lambda r: r["organizacao"])
    total = {
        "organizacao": "Total",
        "sigla": "",
        **{c: sum(r[c] for r in ordered) for c in REPORT_COLUMNS[2:]},
    }
    return [*ordered, total] if ordered else []
