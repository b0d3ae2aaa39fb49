"""The private parts of ckanext-dcat and rdflib that the catalogue pages use,
checked when the plugin starts.

Catalogue pages are assembled from cached per-dataset fragments
(:mod:`.fragments`, :mod:`.catalogue`). To stay identical to ckanext-dcat's own
pages they reuse its search, paging and catalogue-record helpers, and
rdflib's N-Triples row writer. None of these is public API, so a version
bump could remove or rename them: the plugin then refuses to start with a
message naming what changed, instead of failing on the first harvest.

The dataset page's content negotiation answers CKAN's ``dataset.read`` view
(:data:`ROUTES`); the ``mogi`` plugin checks that route, with every other
override of the bundle, when the application is built
(:mod:`ckanext.mogi.patches`).
"""

from __future__ import annotations

from collections.abc import Iterable

from ckanext.mogi.common import patches

PLUGIN = "mogi_dcat"

#: (module, attribute path, what depends on it)
SEAMS: tuple[tuple[str, str, str], ...] = (
    ("ckanext.dcat.logic", "_search_ckan_datasets", "catalogue page search"),
    ("ckanext.dcat.logic", "_pagination_info", "catalogue page paging"),
    ("ckanext.dcat.processors", "RDFSerializer._add_source_catalog", "catalogue records"),
    ("ckanext.dcat.processors", "RDFSerializer._add_pagination_triples", "hydra paging"),
    ("rdflib.plugins.serializers.nt", "_nt_row", "shared nodes of a page"),
    ("ckanext.dcat.utils", "read_dataset_page", "RDF of a negotiated dataset page"),
    ("ckanext.dcat.utils", "parse_accept_header", "content negotiation"),
    ("ckanext.dcat.profiles.base", "RDFProfile._last_catalog_modification",
     "the catalogue's dct:modified, read in one query (profile.py)"),
)
#: CKAN views answered differently (:mod:`.http`'s ``before_app_request`` hook).
ROUTES: tuple[tuple[str, str], ...] = (
    ("dataset.read", "the dataset page in RDF when Accept asks for it"),
)
ADVICE = "Pin the versions of requirements.txt or adapt ckanext/mogi/dcat/fragments.py."


def overrides(seams: Iterable[tuple[str, str, str]] = SEAMS) -> tuple[patches.Override, ...]:
    """The private helpers ``seams`` as overrides (their check: they exist)."""
    return tuple(patches.Override(PLUGIN, "attribute", path, use, module=module)
                 for module, path, use in seams)


#: The overrides of ``mogi_dcat`` (listed in :mod:`ckanext.mogi.patches`).
OVERRIDES: tuple[patches.Override, ...] = (
    *overrides(),
    *(patches.Override(PLUGIN, "endpoint", name, purpose) for name, purpose in ROUTES),
)


def missing(seams: Iterable[tuple[str, str, str]] = SEAMS) -> list[str]:
    """The seams that are not there, described."""
    return patches.problems(overrides(seams))


def check(seams: Iterable[tuple[str, str, str]] = SEAMS) -> None:
    """Refuse to start when ckanext-dcat or rdflib no longer have a seam."""
    patches.verify(overrides(seams), advice=ADVICE)
