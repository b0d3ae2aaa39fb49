"""DCAT catalogue benchmark: the ``dcat_br`` profile against ckanext-dcat's stock
``euro_dcat_ap_3`` profile, same data, same run.

    cd /work/main && .venv/bin/python bench/dcat.py [--config bench/dcat.ini]

Reuses the generated datasets of ``bench/search.py`` (database
``ckan_mogi_bench``; generated first if missing). Each catalogue page is one
call of ckanext-dcat's ``dcat_catalog_show`` action (100 datasets, Turtle,
anonymous user, ``package_search`` through ``mogi_search`` + serialisation),
once with ``profiles=['dcat_br']`` and once with ``profiles=['euro_dcat_ap_3']``,
alternating which goes first, so both profiles serialise exactly the same
dataset dicts. Crawls: every page of the first 1,000 and 10,000 datasets.
A variant serialises the same dicts enriched with the demo-like scheming fields
(``RDFSerializer`` directly, no search). The last output line is
``dcat page_p95_ms=<x> vs_stock=<ratio> crawl_10k_s=<y>`` (ratio = our page p95
over the stock page p95: lower is better, target <= 1.3).
"""

from __future__ import annotations

import argparse
import copy
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
PAGE_SIZE = 100
WARMUP_PAGES = 3
CRAWLS = (1_000, 10_000)
DEMO_PAGES = 20
TARGET_RATIO = 1.3


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", default=str(BENCH_DIR / "dcat.ini"), type=Path)
    parser.add_argument("--datasets", default=20_000, type=int,
                        help="bench datasets expected in the database (as bench/search.py)")
    parser.add_argument("--admin-user", default="postgres",
                        help="PostgreSQL role allowed to create the bench database")
    return parser.parse_args(argv)


def percentile(samples: Sequence[float], pct: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[pct - 1]


def catalogue_page(profile: str, page: int) -> str:
    """One catalogue page as an anonymous client gets it (search + serialisation)."""
    from ckan.plugins import toolkit

    context: dict[str, Any] = {"user": "", "ignore_auth": False}
    return toolkit.get_action("dcat_catalog_show")(
        context, {"page": page, "format": "turtle", "profiles": [profile]})


def timed_ms(run: Callable[[], object]) -> float:
    from ckan import model

    started = time.perf_counter()
    run()
    elapsed = (time.perf_counter() - started) * 1000
    model.Session.remove()
    return elapsed


def crawl(datasets: int) -> dict[str, list[float]]:
    """Per-page ms of each profile over the pages holding the first ``datasets``."""
    samples: dict[str, list[float]] = {OURS: [], STOCK: []}
    for page in range(1, datasets // PAGE_SIZE + 1):
        order = (OURS, STOCK) if page % 2 else (STOCK, OURS)
        for profile in order:
            samples[profile].append(timed_ms(lambda p=profile, n=page: catalogue_page(p, n)))
    return samples


def demo_like(dataset: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """``dataset`` with the scheming fields a Mogi dataset carries (demo-like values)."""
    from ckanext.mogi.schema import vocabularies as v

    enriched = copy.deepcopy(dataset)
    enriched.update({
        "temas": rng.sample(v.values("temas"), 2),
        "periodicidade": rng.choice(v.values("periodicidade")),
        "observancia_legal": rng.choice(v.values("observancia_legal")),
        "idioma": "pt-BR",
        "cobertura_espacial": "MUNICIPAL",
        "valor_cobertura_espacial": "3530607",
        "ods": rng.sample(v.values("ods"), 2),
        "relacao_ods": "true",
        "dados_raca_etnia": "false",
        "dados_genero": "false",
        "cobertura_temporal_inicio": "2021-01-01",
        "cobertura_temporal_fim": "2021-12-31",
        "documentacao": "https://dados.mogidascruzes.sp.gov.br/pages/sobre",
        "ponto_contato": "Atendimento ao cidadão: 156",
        "maintainer": "Equipe de dados abertos",
        "maintainer_email": "dados@mogidascruzes.sp.gov.br",
    })
    for resource in enriched.get("resources") or []:
        resource.update({"tipo_recurso": "DADOS", "idioma": "pt-BR",
                         "hash": "ab" * 32})
    return enriched


def demo_variant() -> dict[str, list[float]]:
    """Serialisation only, over dataset dicts enriched with the scheming fields."""
    from ckan.plugins import toolkit
    from ckanext.dcat.processors import RDFSerializer

    rng = random.Random(2026)
    pages = []
    for page in range(DEMO_PAGES):
        result = toolkit.get_action("package_search")(
            {"user": "", "ignore_auth": False},
            {"rows": PAGE_SIZE, "start": page * PAGE_SIZE, "sort": "metadata_modified desc",
             "fq": "capacity:public"})
        pages.append([demo_like(d, rng) for d in result["results"]])
    samples: dict[str, list[float]] = {OURS: [], STOCK: []}
    for index, dicts in enumerate(pages):
        order = (OURS, STOCK) if index % 2 else (STOCK, OURS)
        for profile in order:
            # The profile may rewrite the dicts it is given: each gets its own copy.
            mine = copy.deepcopy(dicts)
            samples[profile].append(timed_ms(
                lambda p=profile, d=mine: RDFSerializer(profiles=[p]).serialize_catalog(
                    {}, d, _format="turtle")))
    return samples


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

    config = load_config(str(args.config))
    per_page = int(config.get("ckanext.dcat.datasets_per_page", 0))
    if per_page != PAGE_SIZE:
        raise SystemExit(f"ckanext.dcat.datasets_per_page must be {PAGE_SIZE} (is {per_page})")
    app = make_app(config)
    with app._wsgi_app.test_request_context():
        if fresh:
            seconds = search.fill_database(args.datasets)
            print(f"Generated and indexed {args.datasets} datasets in {seconds:.1f} s.")
        for profile in (OURS, STOCK):
            print(f"{profile}:")
            sanity(catalogue_page(profile, 1))
        for page in range(1, WARMUP_PAGES + 1):
            for profile in (OURS, STOCK):
                catalogue_page(profile, page)

        crawl_seconds: dict[int, dict[str, float]] = {}
        page_samples: dict[str, list[float]] = {}
        for datasets in CRAWLS:
            print(f"Crawling the first {datasets} datasets with both profiles...")
            samples = crawl(datasets)
            crawl_seconds[datasets] = {p: sum(s) / 1000 for p, s in samples.items()}
            page_samples = samples  # the largest crawl's pages give the percentiles
        search_ms = search_only(CRAWLS[-1] // PAGE_SIZE)
        print(f"Serialising {DEMO_PAGES} pages of demo-like dataset dicts...")
        demo = demo_variant()

    print(f"\n{'per page (100 datasets, Turtle)':<44}{'p50 ms':>10}{'p95 ms':>10}"
          f"{'mean ms':>10}{'n':>6}")
    print(row(f"catalogue page, {OURS}", page_samples[OURS]))
    print(row(f"catalogue page, {STOCK}", page_samples[STOCK]))
    print(row("  of which package_search alone", search_ms))
    print(row(f"demo-like fields, serialisation, {OURS}", demo[OURS]))
    print(row(f"demo-like fields, serialisation, {STOCK}", demo[STOCK]))
    print(f"\n{'crawl':<20}{OURS + ' s':>16}{STOCK + ' s':>22}{'ratio':>8}")
    for datasets, seconds in crawl_seconds.items():
        print(f"{datasets:<20,}{seconds[OURS]:>16.1f}{seconds[STOCK]:>22.1f}"
              f"{seconds[OURS] / seconds[STOCK]:>8.2f}")

    ours_p95 = percentile(page_samples[OURS], 95)
    ratio = ours_p95 / percentile(page_samples[STOCK], 95)
    demo_ratio = percentile(demo[OURS], 95) / percentile(demo[STOCK], 95)
    print(f"\nDemo-like fields: serialisation p95 ratio {demo_ratio:.2f}.")
    print(f"Target: page p95 ratio <= {TARGET_RATIO}: "
          f"{'met' if ratio <= TARGET_RATIO else 'MISSED'} ({ratio:.2f}).")
    print(f"dcat page_p95_ms={ours_p95:.1f} vs_stock={ratio:.2f} "
          f"crawl_10k_s={crawl_seconds[CRAWLS[-1]][OURS]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
