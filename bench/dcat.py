"""DCAT catalogue benchmark: the ``dcat_br`` catalogue (pages from cached
per-dataset fragments) against ckanext-dcat's stock action with its
``euro_dcat_ap_3`` profile, same data, same run.

    .venv/bin/python bench/dcat.py [--config bench/dcat.ini]     (from the repository root)

Database ``ckan_mogi_bench_dcat`` (created if missing): the catalogue of
``bench/generate.py`` (20,000 datasets by default, 10 % private) with every
field of the portal's dataset and resource schemas filled in
(:func:`fill_every_field`), as the demo's complete datasets, indexed by CKAN
(scheming included), so the pages are what a harvester gets. Each page
(100 datasets, Turtle, anonymous user) is timed three ways: stock
(ckanext-dcat's unchained ``dcat_catalog_show``, ``euro_dcat_ap_3``, same
``capacity:public`` filter), ours cold (``mogi_dcat``'s action after the
fragment cache is emptied: the page built whole, as ckanext-dcat builds it, and
a job queued to write its fragments) and ours warm (the same page again after a
real job worker has run that job, untimed: every fragment from Redis). Crawls: every page of
the first 1,000 and 10,000 datasets. The last output line is
``dcat page_p95_ms=<warm> vs_stock=<warm ratio> cold_vs_stock=<ratio>
crawl_10k_s=<warm crawl>`` (ratios = p95 over the stock page p95; targets
warm <= 0.3, cold <= 1.3, crawl <= 30 s).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
OURS = "dcat_br"
STOCK = "euro_dcat_ap_3"
COLD = "dcat_br cold"
WARM = "dcat_br warm"
PAGE_SIZE = 100
WARMUP_PAGES = 3
CRAWLS = (1_000, 10_000)
TARGET_WARM = 0.3
TARGET_COLD = 1.3
TARGET_CRAWL_S = 30.0


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", default=str(BENCH_DIR / "dcat.ini"), type=Path)
    parser.add_argument("--datasets", default=20_000, type=int,
                        help="bench datasets expected in the database (10%% private)")
    parser.add_argument("--crawls", default=list(CRAWLS), type=int, nargs="+",
                        help="crawl sizes in datasets (quick runs: --crawls 1000)")
    parser.add_argument("--admin-user", default="postgres",
                        help="PostgreSQL role allowed to create the bench database")
    return parser.parse_args(argv)


def percentile(samples: Sequence[float], pct: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[pct - 1]


def catalogue_page(profile: str, page: int) -> str:
    """One catalogue page as an anonymous client gets it (search + serialisation).

    ``dcat_br`` goes through ``mogi_dcat``'s chained action (cached fragments);
    the stock profile through ckanext-dcat's own action, unchained, with the
    same ``capacity:public`` filter.
    """
    from ckan.plugins import toolkit
    from ckanext.dcat import logic as dcat_logic

    context: dict[str, Any] = {"user": "", "ignore_auth": False}
    data_dict = {"page": page, "format": "turtle", "profiles": [profile]}
    if profile == STOCK:
        return dcat_logic.dcat_catalog_show(context, {**data_dict, "fq": "capacity:public"})
    return toolkit.get_action("dcat_catalog_show")(context, data_dict)


def timed_ms(run: Callable[[], object]) -> float:
    from ckan import model

    started = time.perf_counter()
    run()
    elapsed = (time.perf_counter() - started) * 1000
    model.Session.remove()
    return elapsed


def fill_fragments() -> None:
    """Run the fragment jobs the cold pages queued (a real CKAN worker, burst)."""
    from ckan.lib import jobs
    from ckan.plugins import toolkit

    from ckanext.mogi.dcat import fragments

    jobs.Worker([toolkit.config.get(fragments.QUEUE_OPTION)]).work(burst=True)


def crawl(datasets: int) -> dict[str, list[float]]:
    """Per-page ms over the pages holding the first ``datasets``: stock, ours cold
    (no fragment cached: the page built whole, a fill job queued) and ours warm
    (the same page again once the job ran, every fragment cached), the order of
    stock and ours alternating."""
    from ckanext.mogi.dcat import fragments

    samples: dict[str, list[float]] = {COLD: [], WARM: [], STOCK: []}

    def ours(n: int) -> None:
        fragments.clear()
        samples[COLD].append(timed_ms(lambda: catalogue_page(OURS, n)))
        fill_fragments()
        samples[WARM].append(timed_ms(lambda: catalogue_page(OURS, n)))

    for page in range(1, datasets // PAGE_SIZE + 1):
        if page % 2:
            ours(page)
        samples[STOCK].append(timed_ms(lambda n=page: catalogue_page(STOCK, n)))
        if not page % 2:
            ours(page)
    return samples


#: Library Table Schema URL of every tabular resource (``/validacao/esquemas/``).
SCHEMA_PATH = "/validacao/esquemas/{name}.json"
TABLE_FORMATS = frozenset({"CSV", "XLSX", "JSON"})


def fill_every_field(catalogue: Any, site_url: str, seed: int) -> None:
    """Fill every field of ``schemas/dataset.yaml`` on the generated rows, in the
    form CKAN stores them (extras as strings, lists as JSON), and the ``tipo`` of
    the organizations: demo-like values, as the demo's complete datasets have."""
    import json

    from ckanext.mogi.common import vocabularies as v

    rng = random.Random(seed)
    themes, frequencies, goals = v.values("temas"), v.values("periodicidade"), v.values("ods")
    spatial = [("MUNICIPAL", "3530607")] * 8 + [("ESTADUAL", "SP"), ("FEDERAL", "BR")]
    for group in catalogue.groups:
        if group["is_organization"]:
            group["extras"] = {"tipo": "secretaria", "sigla": group["name"][:10].upper(),
                               "email": "dados@mogidascruzes.sp.gov.br"}
    licences: dict[str, str] = {}
    for package in catalogue.packages:
        year = package["metadata_modified"].year
        coverage, value = rng.choice(spatial)
        licences[package["id"]] = package["license_id"]
        package["version"] = f"1.{rng.randint(0, 3)}"
        package["extras"] = {
            "temas": json.dumps(rng.sample(themes, 2)),
            "periodicidade": rng.choice(frequencies),
            "proxima_atualizacao": f"{year + 1}-01-31",
            "idioma": "pt-BR",
            "cobertura_temporal_inicio": f"{year - 1}-01-01",
            "cobertura_temporal_fim": f"{year - 1}-12-31",
            "cobertura_espacial": coverage,
            "valor_cobertura_espacial": value,
            "granularidade_espacial": coverage,
            "granularidade_municipal": "bairro",
            "observancia_legal": json.dumps(["1"]),
            "dados_pessoais": "sim_anonimizados",
            "base_legal_lgpd": json.dumps(["art7_iii"]),
            "anonimizacao": "CPF mascarado e endereços agregados por bairro.",
            "ponto_contato": "Ouvidoria Municipal e SIC, (11) 4798-5000",
            "fonte": "Sistemas de gestão da Prefeitura de Mogi das Cruzes.",
            "metodologia": "Exportação mensal dos sistemas, com datas em dd/mm/aaaa.",
            "documentacao": "https://www.mogidascruzes.sp.gov.br/pagina/dados-abertos",
            "relacao_ods": "true",
            "ods": json.dumps(rng.sample(goals, 2)),
            "dados_raca_etnia": rng.choice(("true", "false")),
            "dados_genero": rng.choice(("true", "false")),
            "atualizacao_versao": "true",
            "descontinuado": "false",
        }
    for resource in catalogue.resources:
        fmt = resource["format"]
        resource["hash"] = rng.randbytes(32).hex()  # SHA-256 digest, bare hex
        resource["extras"] = {
            "tipo_recurso": "DADOS", "idioma": "pt-BR",
            "licenca": licences[resource["package_id"]],
        }
        if fmt in TABLE_FORMATS:
            resource["extras"]["schema"] = site_url + SCHEMA_PATH.format(name="licitacoes")


def fill_database(datasets: int, site_url: str) -> float:
    """Generate the datasets with every field filled, insert and index them."""
    import generate
    import sqlalchemy as sa
    from ckan import model

    started = time.perf_counter()
    creator = model.User(name="bench-admin", email="bench@example.com", sysadmin=True)
    model.Session.add(creator)
    model.Session.commit()
    catalogue = generate.generate(datasets, generate.SEED, creator.id)
    fill_every_field(catalogue, site_url, generate.SEED)
    generate.insert(catalogue)
    print(f"Inserted {datasets} datasets with every schema field filled; indexing...")
    generate.index_all([p["id"] for p in catalogue.packages])
    model.Session.execute(sa.text("ANALYZE"))
    model.Session.commit()
    return time.perf_counter() - started


def search_only(pages: int) -> list[float]:
    """ms of the ``package_search`` each catalogue page makes, alone."""
    from ckan.plugins import toolkit

    return [timed_ms(lambda n=page: toolkit.get_action("package_search")(
        {"user": "", "ignore_auth": False},
        {"rows": PAGE_SIZE, "start": n * PAGE_SIZE, "sort": "metadata_modified desc",
         "q": "*:*", "fq": "capacity:public",
         "fq_list": ["-dataset_type:harvest", "-dataset_type:showcase"]}))
        for page in range(pages)]


def row(label: str, samples: Sequence[float]) -> str:
    return (f"{label:<44}{percentile(samples, 50):>10.1f}{percentile(samples, 95):>10.1f}"
            f"{statistics.fmean(samples):>10.1f}{len(samples):>6}")


def sanity(page: str) -> None:
    from rdflib import Graph
    from rdflib.namespace import DCAT, RDF

    graph = Graph().parse(data=page, format="turtle")
    count = len(set(graph.subjects(RDF.type, DCAT.Dataset)))
    print(f"  page 1: {len(graph)} triples, {count} dcat:Dataset")
    if count != PAGE_SIZE:
        raise SystemExit(f"expected {PAGE_SIZE} datasets per page, got {count}")


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    sys.path.insert(0, str(BENCH_DIR))
    import search

    fresh = search.prepare_database(args.config, args.datasets, False, args.admin_user)

    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    from ckan.plugins import toolkit

    config = load_config(str(args.config))
    per_page = int(config.get("ckanext.dcat.datasets_per_page", 0))
    if per_page != PAGE_SIZE:
        raise SystemExit(f"ckanext.dcat.datasets_per_page must be {PAGE_SIZE} (is {per_page})")
    app = make_app(config)
    with app._wsgi_app.test_request_context():
        if fresh:
            seconds = fill_database(args.datasets, config["ckan.site_url"].rstrip("/"))
            print(f"Generated and indexed {args.datasets} datasets in {seconds:.1f} s.")
        public = toolkit.get_action("package_search")(
            {"user": "", "ignore_auth": False}, {"rows": 0, "fq": "capacity:public"})["count"]
        if public < max(args.crawls):
            raise SystemExit(f"{public} public datasets, fewer than the largest crawl")
        for profile in (OURS, STOCK):
            print(f"{profile}:")
            sanity(catalogue_page(profile, 1))
        fill_fragments()
        print(f"{WARM}:")
        sanity(catalogue_page(OURS, 1))
        for page in range(1, WARMUP_PAGES + 1):
            for profile in (OURS, STOCK):
                catalogue_page(profile, page)
        fill_fragments()

        crawl_seconds: dict[int, dict[str, float]] = {}
        page_samples: dict[str, list[float]] = {}
        for datasets in args.crawls:
            print(f"Crawling the first {datasets} datasets with both profiles...")
            samples = crawl(datasets)
            crawl_seconds[datasets] = {p: sum(s) / 1000 for p, s in samples.items()}
            page_samples = samples  # the largest crawl's pages give the percentiles
        search_ms = search_only(args.crawls[-1] // PAGE_SIZE)

    print(f"\n{'per page (100 datasets, Turtle)':<44}{'p50 ms':>10}{'p95 ms':>10}"
          f"{'mean ms':>10}{'n':>6}")
    for label in (WARM, COLD, STOCK):
        print(row(f"catalogue page, {label}", page_samples[label]))
    print(row("  of which package_search alone", search_ms))
    print(f"\n{'crawl':<12}{WARM + ' s':>18}{COLD + ' s':>18}{STOCK + ' s':>18}")
    for datasets, seconds in crawl_seconds.items():
        print(f"{datasets:<12,}{seconds[WARM]:>18.1f}{seconds[COLD]:>18.1f}"
              f"{seconds[STOCK]:>18.1f}")

    stock_p95 = percentile(page_samples[STOCK], 95)
    warm_p95 = percentile(page_samples[WARM], 95)
    warm_ratio = warm_p95 / stock_p95
    cold_ratio = percentile(page_samples[COLD], 95) / stock_p95
    largest = args.crawls[-1]
    crawl_s = crawl_seconds[largest][WARM] * 10_000 / largest
    print(f"\nTargets: warm p95 ratio <= {TARGET_WARM} ({warm_ratio:.2f}), cold <= "
          f"{TARGET_COLD} ({cold_ratio:.2f}), warm crawl of 10k <= {TARGET_CRAWL_S} s "
          f"({crawl_s:.1f}{'' if largest == 10_000 else f', scaled from {largest:,}'}).")
    print(f"dcat page_p95_ms={warm_p95:.1f} vs_stock={warm_ratio:.2f} "
          f"cold_vs_stock={cold_ratio:.2f} crawl_10k_s={crawl_s:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
