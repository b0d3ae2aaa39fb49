"""The private parts of ckanext-dcat and rdflib that the catalogue pages use,
checked when the plugin starts.

Catalogue pages are assembled from cached per-dataset fragments
(:mod:`.fragments`, :mod:`.catalogue`). To stay identical to ckanext-dcat's own
pages they reuse its search, paging and catalogue-record helpers, and
rdflib's N-Triples row writer. None of these is public API, so a version
bump could remove or rename them: the plugin then refuses to start with a
message naming what changed, instead of failing on the first harvest.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable

#: (module, attribute path, what depends on it)
SEAMS: tuple[tuple[str, str, str], ...] = (
    ("ckanext.dcat.logic", "_search_ckan_datasets", "catalogue page search"),
    ("ckanext.dcat.logic", "_pagination_info", "catalogue page paging"),
    ("ckanext.dcat.processors", "RDFSerializer._add_source_catalog", "catalogue records"),
    ("ckanext.dcat.processors", "RDFSerializer._add_pagination_triples", "hydra paging"),
    ("rdflib.plugins.serializers.nt", "_nt_row", "shared nodes of a page"),
)


def missing(seams: Iterable[tuple[str, str, str]] = SEAMS) -> list[str]:
    """The seams that are not there, described."""
    gone = []
    for module_name, path, use in seams:
        try:
            target: object = importlib.import_module(module_name)
            for name in path.split("."):
                target = getattr(target, name)
        except (ImportError, AttributeError):
            gone.append(f"{module_name}.{path} ({use})")
    return gone


def check(seams: Iterable[tuple[str, str, str]] = SEAMS) -> None:
    """Refuse to start when ckanext-dcat or rdflib no longer have a seam."""
    gone = missing(seams)
    if gone:
        raise RuntimeError(
            "ckanext-mogi (mogi_dcat): ckanext-dcat or rdflib changed; these are gone: "
            + "; ".join(gone)
            + ". Pin the versions of requirements.txt or adapt ckanext/mogi/dcat/fragments.py."
        )
