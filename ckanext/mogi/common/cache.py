"""JSON values cached in Redis, computed when absent (or when Redis is down)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from ckan.lib.redis import connect_to_redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

TTL_SECONDS = 24 * 3600


def through_redis(cache_key: str, compute: Callable[[], Any],
                  ttl: int = TTL_SECONDS) -> Any:
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
        redis.set(cache_key, json.dumps(value), ex=ttl)
    except RedisError as error:
        log.warning("Search cache unavailable (%s)", error)
    return value
