"""Panel benchmark: ``/painel`` and ``/transparencia/qualidade`` against the home
page, same server, same run, each against the home page **as the same viewer**.

    .venv/bin/python bench/panel.py [--datasets 2000 20000] [--duration 30] [--clients 8]

For each catalogue size, the database of ``bench/web.py`` (``ckan_mogi_web``:
the demo catalogue plus that many datasets made by ``package_create``, see
``web.py``) is served by ``make run``'s gunicorn, and ``--clients``
closed-loop clients request, for ``--duration`` seconds each:

* the home page and ``/transparencia/qualidade`` as an anonymous visitor
  (both kept whole by the page cache);
* the home page and ``/painel`` as a sysadmin (by API token): a signed-in
  viewer's page is rendered for them, with CKAN's header (its count of new
  activities among other things), so a staff page is compared with the home
  page that viewer gets.

The statements per request are counted in this process on the same database
(CKAN's engine, a ``before_cursor_execute`` listener): a first request, then
the mean of five more.

Last output line (the largest size; the worse page and the worse ratio):
``panel p95_ms=<x> vs_home=<ratio> queries_per_request=<n>``
(targets: each page's p95 <= 2x the same viewer's home page; the statements
per request the same at every size).
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
import web

BENCH_DIR = Path(__file__).resolve().parent
#: label: (path, signed in as the bench sysadmin)
PAGES = {"home": ("/", False), "qualidade": ("/transparencia/qualidade", False),
         "home-staff": ("/", True), "painel": ("/painel", True)}
#: page: the home page it is compared with (the same viewer's)
BASELINE = {"qualidade": "home", "painel": "home-staff"}
TARGET_VS_HOME = 2.0
WARM_REQUESTS = 5


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", default=str(BENCH_DIR / "web.ini"), type=Path)
    parser.add_argument("--datasets", nargs="+", default=[2_000, 20_000], type=int)
    parser.add_argument("--duration", default=30.0, type=float, help="seconds per page")
    parser.add_argument("--clients", default=8, type=int)
    parser.add_argument("--port", default=5081, type=int)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--admin-user", default="postgres")
    return parser.parse_args(argv)


def sysadmin_token() -> str:
    """An API token of a bench sysadmin (created when missing)."""
    from ckan import model
    from ckan.plugins import toolkit

    name = "panel-bench-admin"
    if model.User.get(name) is None:
        toolkit.get_action("user_create")({"ignore_auth": True}, {
            "name": name, "email": "panel-bench@example.org",
            "password": "panel-bench-password-1"})
        user = model.User.get(name)
        user.sysadmin = True
        model.Session.commit()
    return toolkit.get_action("api_token_create")(
        {"ignore_auth": True, "user": name}, {"user": name, "name": "bench"})["token"]


def statements(app: object, token: str) -> dict[str, tuple[int, float]]:
    """Per page: statements of a first request, and the mean of the next ones."""
    from ckan import model

    client = app._wsgi_app.test_client()  # type: ignore[attr-defined]
    seen: list[int] = []

    def count(*_args: object) -> None:
        seen.append(1)

    result: dict[str, tuple[int, float]] = {}
    sa.event.listen(model.meta.engine, "before_cursor_execute", count)
    try:
        for label, (path, signed_in) in PAGES.items():
            headers = {"Authorization": token} if signed_in else {}
            seen.clear()
            client.get(path, headers=headers)
            first = len(seen)
            seen.clear()
            for _ in range(WARM_REQUESTS):
                client.get(path, headers=headers)
            result[label] = (first, len(seen) / WARM_REQUESTS)
    finally:
        sa.event.remove(model.meta.engine, "before_cursor_execute", count)
    return result


def one_page(port: int, path: str, headers: dict[str, str], clients: int,
             duration: float, label: str) -> web.Result:
    """``web.load`` on one page."""
    return web.load(label, port, [path], clients, duration,
                    pick=lambda _rng, names: (label, names[0]), headers=headers)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    config = args.config.resolve()
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    summary = ""
    for size in args.datasets:
        fresh = web.prepare_database(config, size, args.rebuild, args.admin_user)
        app = make_app(load_config(str(config)))
        with app._wsgi_app.test_request_context():
            if fresh:
                print(f"Created {size} datasets in {web.generate(size):.0f} s.")
            token = sysadmin_token()
        counted = statements(app, token)
        web._ckan(config, "translation", "js")
        port = web.free_port(args.port)
        with tempfile.TemporaryDirectory() as directory:
            server = web.Server(config, port, Path(directory))
            try:
                server.wait_ready()
                results = {label: one_page(port, path,
                                           {"Authorization": token} if signed_in else {},
                                           args.clients, args.duration, f"{label} ({size})")
                           for label, (path, signed_in) in PAGES.items()}
            finally:
                server.stop()
        for label, result in results.items():
            web.print_result(result)
            first, warm = counted[label]
            print(f"  statements per request: first {first}, then {warm:.1f}")
        ratios = {page: results[page].pct(95) / results[home].pct(95)
                  for page, home in BASELINE.items()}
        for page, home in BASELINE.items():
            print(f"{size} datasets: {page} p95 {results[page].pct(95):.1f} ms, "
                  f"{home} p95 {results[home].pct(95):.1f} ms, ratio {ratios[page]:.2f} "
                  f"(target <= {TARGET_VS_HOME:.0f}x)")
        print(f"{size} datasets: painel p95 against the anonymous home page: "
              f"{results['painel'].pct(95) / results['home'].pct(95):.2f}x")
        worst = max(results[page].pct(95) for page in BASELINE)
        queries = max(counted[page][1] for page in BASELINE)
        summary = (f"panel p95_ms={worst:.1f} vs_home={max(ratios.values()):.2f} "
                   f"queries_per_request={queries:.0f}")
    print(summary)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
