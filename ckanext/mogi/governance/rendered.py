"""The body of a panel or of the public quality page, rendered once and kept in Redis.

Computing a panel (:func:`.pages.staff_panel`) and rendering its tables and
charts costs a few hundred milliseconds at thousands of datasets, on every
visit. What it shows changes only when one of these does, so the rendered
body (everything below the page's header, breadcrumb and flash messages,
which are rendered for each visit) is kept under a key that holds them all
(the public page's body the same way, for signed-in visitors, whom the page
cache of ``mogi_search`` never serves):

* the search index generation (``mogi_search_generation``): a dataset
  created, edited, deleted, made private or validated;
* the **governance stamp**, a Redis counter this capability bumps when
  something the index does not hold changes: a link checked, a validation
  verdict or an LGPD justification recorded (signal
  ``mogi_validation_verdict``);
* which page: the public one, or a panel, of a Secretaria (or all of them),
  for the viewer's dataset permission labels (``all`` for sysadmins):
  viewers who may read the same datasets share a body, and a change of
  membership changes the key;
* the day (freshness counts in days), the language, the active
  organizations' names and titles, and the bundle's version (templates).

Whatever else could change (a setting, say) is bounded by :data:`TTL`. The
body holds no form, no CSRF token and nothing of its viewer but what the
permission labels grant. Without Redis, or without the search capability's
generation, every visit computes its panel.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from importlib import metadata
from typing import Any

from ckan import model
from ckan.lib.redis import connect_to_redis
from ckan.plugins import toolkit
from markupsafe import Markup
from redis.exceptions import RedisError

from ckanext.mogi.governance import freshness, panel

log = logging.getLogger(__name__)

#: Seconds a rendered body is kept at most.
TTL = 300
PREFIX = "mogi:governance:rendered:"


def _stamp_key() -> str:
    return f"{PREFIX}{toolkit.config.get('ckan.site_id')}:stamp"


def bump(*_args: Any, **_kwargs: Any) -> None:
    """Make every kept body unreachable (also a signal listener)."""
    try:
        connect_to_redis().incr(_stamp_key())
    except RedisError as error:
        log.warning("Could not renew the panel's stamp (%s); kept bodies expire in %s s",
                    error, TTL)


def panel_scope(user: model.User, org: dict[str, str] | None) -> list[str]:
    """What sets ``user``'s body of ``org``'s panel apart (``None``: ``/painel``)."""
    labels = panel.labels_key({"user": user.name, "auth_user_obj": user}, public=False)
    return ["panel", labels, org["id"] if org else "*"]


PUBLIC_SCOPE = ["public"]


def key(scope: list[str], orgs: list[dict[str, str]], stamp: str, generation: str) -> str:
    """The key of the body of the page ``scope`` names."""
    parts = json.dumps([
        metadata.version("ckanext-mogi"), generation, stamp, scope,
        freshness.today().isoformat(), toolkit.h.lang(),
        [[o["id"], o["name"], o["title"]] for o in orgs]])
    digest = hashlib.sha256(parts.encode("utf-8")).hexdigest()
    return f"{PREFIX}{toolkit.config.get('ckan.site_id')}:body:{digest}"


def body(scope: list[str], orgs: list[dict[str, str]], render: Callable[[], str]) -> Markup:
    """The kept body of the page ``scope`` names, else ``render()``'s, kept
    for the next visit; ``orgs``: every active organization (:func:`.pages.organizations`)."""
    generation = getattr(toolkit.h, "mogi_search_generation", lambda: None)()
    if not generation:
        return Markup(render())
    try:
        redis = connect_to_redis()
        stamp = (redis.get(_stamp_key()) or b"0").decode()
        body_key = key(scope, orgs, stamp, generation)
        kept = redis.get(body_key)
    except RedisError as error:
        log.warning("Panel cache unavailable (%s); rendering", error)
        return Markup(render())
    if kept is not None:
        return Markup(kept.decode("utf-8"))
    html = render()
    try:
        redis.set(body_key, html.encode("utf-8"), ex=TTL)
    except RedisError as error:
        log.warning("Could not keep the panel (%s)", error)
    return Markup(html)
