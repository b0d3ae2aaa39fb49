"""Whole pages for anonymous visitors, cached per index generation.

The pages most visits land on, the home page, the dataset search and a
dataset's page, show what the public search index holds (their figures,
lists and facets come from ``package_search``; a dataset's page from the
dataset and its tables' validation, which reindexes it). Rendering one costs tens of milliseconds of
CPU, most of it in Jinja; on the two cores of a city's server that sets the
portal's latency under load. So, as CKAN's deployment guide does with an
nginx cache for anonymous traffic, such a page is kept, here in Redis, and
served again while nothing it shows can have changed:

* **Which requests**: ``GET`` of ``/``, ``/dataset`` or ``/dataset/<name>``,
  and of the pages other plugins declare through ``IMogiCachedPages`` (the
  public quality page of ``mogi_governance``, the procurement pages of
  ``mogi_ocds``), any locale prefix, any query
  string, with no cookie and no credentials (``Authorization``,
  ``X-CKAN-API-Key``). Anyone with a session (staff, a visitor with a flash
  message) always gets a page rendered for them.
* **Which responses**: ``200`` HTML with no ``Set-Cookie``; any other is
  passed on untouched and not kept.
* **Until when**: the key holds the index generation (a token every index
  write replaces, :mod:`.index`): a dataset created, edited, deleted, made
  private or validated makes every kept page unreachable at once. What the
  index does not hold (the site's settings, a follower count) is bounded by
  ``ckanext.mogi.search.page_cache_ttl`` seconds (0 turns the cache off;
  ``test.ini`` does, so that tests changing settings see them at once).

Private datasets cannot reach a kept page: it is rendered for an anonymous
visitor, who never sees them. Without Redis, pages are rendered as usual.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable, Iterable
from importlib import metadata
from typing import Any

import sqlalchemy as sa
from ckan.common import config
from ckan.lib.redis import connect_to_redis
from ckan.model import meta
from redis.exceptions import RedisError

from .model import generation_table

log = logging.getLogger(__name__)

TTL_OPTION = "ckanext.mogi.search.page_cache_ttl"
KEY_PREFIX = "ckanext-mogi:search:page"
#: Paths whose page only the public index determines (locale prefix optional):
#: the home page, the dataset search and a dataset's page (a name; not ``new``).
_OWN_PATHS = r"/|/dataset/?|/dataset/(?!new/?$)[a-z0-9_-]+"
_CREDENTIALS = ("HTTP_COOKIE", "HTTP_AUTHORIZATION", "HTTP_X_CKAN_API_KEY")
#: Set in the WSGI environ of a request whose page may be kept (its templates
#: then leave out what belongs to one visitor: ``templates/base.html``).
ENVIRON_FLAG = "ckanext.mogi.page_cache"
#: Response headers not kept with the page (per response or per connection);
#: every other header (content type, caching, any security header) is replayed.
_DROPPED_HEADERS = frozenset({"content-length", "set-cookie", "date", "server", "connection",
                              "keep-alive", "transfer-encoding"})

StartResponse = Callable[..., Any]


def ttl() -> int:
    return max(int(config.get(TTL_OPTION) or 0), 0)


def paths_pattern(extra_paths: Iterable[str] = ()) -> re.Pattern[str]:
    """The paths whose pages may be kept: ours, and ``extra_paths`` (regular
    expressions of whole paths other plugins declare), each with an optional
    locale prefix."""
    alternatives = "|".join([_OWN_PATHS, *(f"(?:{path})" for path in extra_paths)])
    return re.compile(rf"^(?:/[a-z]{{2}}(?:_[A-Z]{{2}})?)?(?:{alternatives})$")


def cacheable(environ: dict[str, Any], paths: re.Pattern[str]) -> bool:
    """Whether the request is an anonymous ``GET`` of one of ``paths``."""
    return (environ.get("REQUEST_METHOD") == "GET"
            and not any(environ.get(name) for name in _CREDENTIALS)
            and bool(paths.match(environ.get("PATH_INFO") or "")))


def current_generation() -> str | None:
    """The index generation now, on a connection of its own (this runs
    outside CKAN's request handling, before its session exists)."""
    with meta.engine.connect() as connection:
        return connection.execute(
            sa.select(generation_table.c.token).where(generation_table.c.id == 1)).scalar()


def key(environ: dict[str, Any], generation: str) -> str:
    request = json.dumps([environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO", ""),
                          environ.get("QUERY_STRING", ""), environ.get("HTTP_ACCEPT", ""),
                          environ.get("HTTP_HOST", "")])
    digest = hashlib.sha256(request.encode("utf-8")).hexdigest()
    version = metadata.version("ckanext-mogi")
    return f"{KEY_PREFIX}:{config.get('ckan.site_id')}:{version}:{generation}:{digest}"


def _keep(status: str, headers: list[tuple[str, str]]) -> bool:
    names = {name.lower() for name, _value in headers}
    content_type = next((v for n, v in headers if n.lower() == "content-type"), "")
    return (status.startswith("200 ") and "set-cookie" not in names
            and content_type.startswith("text/html"))


class PageCache:
    """WSGI middleware (``IMiddleware``) around CKAN's application."""

    def __init__(self, app: Callable[..., Iterable[bytes]],
                 extra_paths: Iterable[str] = ()) -> None:
        self.app = app
        self.paths = paths_pattern(extra_paths)

    def __getattr__(self, name: str) -> Any:
        # CKAN and its test client reach the wrapped application's attributes.
        return getattr(self.app, name)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse
                 ) -> Iterable[bytes]:
        seconds = ttl()
        if not seconds or not cacheable(environ, self.paths):
            return self.app(environ, start_response)
        try:
            generation = current_generation()
            redis = connect_to_redis()
            page_key = key(environ, generation) if generation else None
            stored = redis.get(page_key) if page_key else None
        except (RedisError, sa.exc.SQLAlchemyError) as error:
            log.warning("Page cache unavailable (%s); rendering", error)
            return self.app(environ, start_response)
        if stored is not None:
            head, _newline, body = stored.partition(b"\n")
            headers = json.loads(head)
            start_response("200 OK", [*map(tuple, headers), ("X-Mogi-Page-Cache", "hit"),
                                      ("Content-Length", str(len(body)))])
            return [body]
        if page_key is None:
            return self.app(environ, start_response)
        environ[ENVIRON_FLAG] = True
        return self._render_and_keep(environ, start_response, redis, page_key, seconds)

    def _render_and_keep(self, environ: dict[str, Any], start_response: StartResponse,
                         redis: Any, page_key: str, seconds: int) -> Iterable[bytes]:
        seen: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            seen.update(status=status, headers=headers)
            return start_response(status, headers, exc_info)

        result = self.app(environ, capture)
        if not _keep(seen.get("status", ""), seen.get("headers", [])):
            return result
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        kept = [(n, v) for n, v in seen["headers"] if n.lower() not in _DROPPED_HEADERS]
        try:
            redis.set(page_key, json.dumps(kept).encode("utf-8") + b"\n" + body, ex=seconds)
        except RedisError as error:
            log.warning("Page cache: could not keep the page (%s)", error)
        return [body]
