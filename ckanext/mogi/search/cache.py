"""Facet counts cached in Redis, keyed by the index generation.

Facet counts cost the most in a search (every matching dataset's values are
counted) but change only when the index does. Every index write replaces
the generation token in the same transaction (``index.touch``); a search
reads the token together with its page, and the counts of its facet
statement are stored under that token. An entry can never be served for a
newer index: the key changes with it. Entries also expire on their own.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.common import config

from ckanext.mogi.common.cache import through_redis

from .model import generation_table

PREFIX = "ckanext-mogi:search:facets"

Facets = dict[str, Any]


def key(generation: str, sql: str, params: Mapping[str, Any]) -> str:
    digest = hashlib.sha256(
        json.dumps([sql, params], sort_keys=True, default=str).encode()).hexdigest()
    return f"{PREFIX}:{config.get('ckan.site_id')}:{generation}:{digest}"


def facets(generation: str | None, sql: str, params: Mapping[str, Any],
           compute: Callable[[], Facets]) -> Facets:
    """The facet counts of ``sql``: cached for ``generation``, else computed."""
    if not generation:
        return compute()
    return through_redis(key(generation, sql, params), compute)


def current_generation() -> str | None:
    """The index generation token now (None before the first index write).

    Other capabilities read it through the template helper
    ``mogi_search_generation`` (the theme keys its page data by it)."""
    return model.Session.execute(
        sa.select(generation_table.c.token).where(generation_table.c.id == 1)).scalar()
