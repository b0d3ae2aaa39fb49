"""Plugin interfaces through which the capabilities of the bundle meet.

A capability never imports another one; where one needs what another
provides, the provider implements one of these interfaces in its plugin and
the consumer asks CKAN for the implementations (``PluginImplementations``),
so that each works whether or not the other is enabled.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import click
from ckan.plugins.interfaces import Interface


class IMogiCommands(Interface):
    """Subgroups of the ``ckan mogi`` command group (``ckan mogi dcat ...``).

    The ``mogi`` plugin builds the group from every enabled plugin that
    implements this interface, so ``mogi`` alone needs none of their
    dependencies.
    """

    def mogi_commands(self) -> list[click.Command]:
        """The commands to add under ``ckan mogi``."""
        return []


class IMogiDerivedFields(Interface):
    """Keys a plugin adds to ``package_show``'s output and that are never stored.

    ``mogi_schema`` drops them from a dataset before validation, so that a
    client re-sending a shown dataset (``package_update`` with
    ``package_show``'s output) does not send them to storage.
    """

    def derived_dataset_fields(self) -> Iterable[str]:
        """The keys."""
        return ()


class IMogiCachedPages(Interface):
    """Anonymous pages that ``mogi_search``'s page cache may keep, besides its own.

    A page declared here is kept whole for anonymous visitors, per search
    index generation, for at most ``ckanext.mogi.search.page_cache_ttl``
    seconds: it must show nothing but what any visitor may see, and whatever
    it shows that the public search index does not hold may lag by that long.
    """

    def cached_page_paths(self) -> Iterable[str]:
        """Regular expressions each matched against a whole path without its
        locale prefix (``/transparencia/qualidade``, ``/licitacoes/[^/]+``)."""
        return ()


class IMogiDistributions(Interface):
    """Distributions a plugin derives for a dataset, besides its resources
    (``mogi_ocds``: the dataset's procurement processes in OCDS).

    The DCAT-BR profile (``mogi_dcat``) asks every implementation while it
    describes a dataset and writes each entry as a ``dcat:Distribution``,
    as it writes a resource; the entries also key the catalogue's cached
    fragments, so a change shows at once. Never called for a private dataset,
    and an implementation must return nothing for one all the same.
    """

    def dataset_distributions(self, dataset_dict: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Resource-like dicts: ``uri`` (the distribution's IRI), ``name``,
        ``description``, ``url`` (download), ``format`` (a code of the format
        vocabulary, e.g. ``JSON``), ``mimetype``, ``schema`` (the address of
        the standard it conforms to: ``dct:conformsTo``), ``tipo_recurso``,
        ``idioma``, ``created`` and ``metadata_modified`` (ISO 8601)."""
        return []
