"""The only module that touches CKAN's search internals.

Why a patch at all: CKAN 2.12 has no interface for a search backend.
``ckan.lib.search`` is hard-wired to Solr through one function,
``make_connection()``, which every index write, delete and query goes
through, and ``check_solr_schema_version()``, which fetches Solr's schema
over HTTP at start-up. Without Solr, ``package_create`` rolls back and every
search page answers 500.

What is patched: those two functions, in each module that imported them.
Nothing else. The replacements hand out :class:`PostgresSearchConnection`
while ``mogi_search`` is in ``ckan.plugins`` and fall back to CKAN's own
functions otherwise, so a configuration without the plugin uses Solr.

:func:`verify` runs at start-up and refuses to start, with a clear message,
if CKAN's search module no longer has the shape this relies on (the checks
are :data:`OVERRIDES`, listed with every other override in
:mod:`ckanext.mogi.patches`).
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import Any

import ckan
from ckan.common import aslist, config

from ckanext.mogi.common import patches

PLUGIN_NAME = "mogi_search"
SUPPORTED_CKAN = ("2.12.",)

# (module, attribute, parameters the original must take)
TARGETS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("ckan.lib.search.common", "make_connection", ("decode_dates",)),
    ("ckan.lib.search.index", "make_connection", ("decode_dates",)),
    ("ckan.lib.search.query", "make_connection", ("decode_dates",)),
    ("ckan.lib.search", "make_connection", ("decode_dates",)),
    ("ckan.lib.search", "check_solr_schema_version", ("schema_file",)),
)

# CKAN code that must still reach Solr only through ``make_connection``.
SEAMS: tuple[tuple[str, str, str], ...] = (
    ("ckan.lib.search.index", "PackageSearchIndex.index_package", "conn.add("),
    ("ckan.lib.search.index", "PackageSearchIndex.delete_package", "conn.delete("),
    ("ckan.lib.search.index", "clear_index", "conn.delete("),
    ("ckan.lib.search.query", "PackageSearchQuery.run", "conn.search("),
    ("ckan.lib.search.query", "PackageSearchQuery.get_index", "conn.search("),
)

_MARK = patches.ORIGINAL

#: The overrides of ``mogi_search`` (listed in :mod:`ckanext.mogi.patches`).
OVERRIDES: tuple[patches.Override, ...] = (
    *(patches.Override(PLUGIN_NAME, "parameters", attribute, "the search backend",
                       module=module, needs=parameters)
      for module, attribute, parameters in TARGETS),
    *(patches.Override(PLUGIN_NAME, "calls", dotted, "the search backend", module=module,
                       needs=("make_connection(", call))
      for module, dotted, call in SEAMS),
)


class IncompatibleCKAN(patches.IncompatibleCKAN):
    """CKAN's search internals changed; the PostgreSQL backend cannot attach."""


def verify() -> None:
    """Check that CKAN still has the seams this backend plugs into."""
    problems = []
    if not ckan.__version__.startswith(SUPPORTED_CKAN):
        problems.append(f"CKAN {ckan.__version__} is not a supported version {SUPPORTED_CKAN}")
    problems += patches.problems(OVERRIDES)
    if problems:
        raise IncompatibleCKAN(
            "ckanext-mogi's PostgreSQL search cannot attach to this CKAN: "
            + "; ".join(problems)
            + ". Disable the mogi_search plugin (and use Solr) or update ckanext-mogi."
        )


def _active() -> bool:
    return PLUGIN_NAME in aslist(config.get("ckan.plugins"))


def _replacement(original: Callable[..., Any], name: str) -> Callable[..., Any]:
    from .connection import PostgresSearchConnection

    if name == "make_connection":
        @functools.wraps(original)
        def make_connection(decode_dates: bool = True) -> Any:
            if _active():
                return PostgresSearchConnection()
            return original(decode_dates)

        replacement = make_connection
    else:
        @functools.wraps(original)
        def check_solr_schema_version(schema_file: str | None = None) -> bool:
            if _active():
                return True  # no Solr schema to check: the index is a table
            return original(schema_file)

        replacement = check_solr_schema_version
    setattr(replacement, _MARK, original)
    return replacement


def apply() -> None:
    """Install the replacements (idempotent); call :func:`verify` first."""
    for module_name, attribute, _params in TARGETS:
        module = importlib.import_module(module_name)
        current = getattr(module, attribute)
        if hasattr(current, _MARK):
            continue
        setattr(module, attribute, _replacement(current, attribute))
