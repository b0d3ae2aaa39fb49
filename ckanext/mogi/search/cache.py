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
import logging
from collections.abc import Callable, Mapping
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.common import config
from ckan.lib.redis import connect_to_redis
from redis.exceptions import RedisError

from .model import generation_table

log = logging.getLogger(__name__)

PREFIX = "ckanext-mogi:search:facets"
PAGE_DATA_PREFIX = "ckanext-mogi:search:page-data"
TTL_SECONDS = 24 * 3600

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
    return _through_redis(key(generation, sql, params), compute)


def _through_redis(cache_key: str, compute: Callable[[], Any]) -> Any:
    """The JSON value under ``cache_key``, else ``compute()``'s, stored there.
    Without Redis every call computes (and says so in the log)."""
    try:
        redis = connect_to_redis()
        cached = redis.get(cache_key)
    except RedisError as error:
        log.warning("Search cache unavailable (%s); computing without it", error)
        return compute()
    if cached is not None:
        return json.loads(cached)
    value = compute()
    try:
        redis.set(cache_key, json.dumps(value), ex=TTL_SECONDS)
    except RedisError as error:
        log.warning("Search cache unavailable (%s)", error)
    return value


def current_generation() -> str | None:
    """The index generation token now (None before the first index write)."""
    return model.Session.execute(
        sa.select(generation_table.c.token).where(generation_table.c.id == 1)).scalar()


def for_generation(name: str, compute: Callable[[], Any]) -> Any:
    """``compute()``'s JSON-serialisable result, cached for the current index
    generation under ``name``: for page data that only searches of public
    datasets determine (the home page's figures and lists), so that it is
    recomputed exactly when the index changes."""
    token = current_generation()
    if not token:
        return compute()
    return _through_redis(
        f"{PAGE_DATA_PREFIX}:{config.get('ckan.site_id')}:{token}:{name}", compute)
