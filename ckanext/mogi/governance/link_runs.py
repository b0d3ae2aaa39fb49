"""Which links are checked, when, and the background job that checks them.

A **linked resource** is an active resource of an active dataset whose
``url_type`` is empty (a link people typed, not an upload nor a DataStore
table) and whose URL is not empty.

**The schedule**: the job worker's periodic maintenance sends the signal
``mogi_worker_maintenance`` (``ckan mogi validation worker``,
``common/signals.py``); :func:`on_maintenance` queues a run
(:func:`enqueue_run`) when the last one started longer ago than
``ckanext.mogi.governance.link_check.interval`` hours. The run's row is
locked while this is decided and a run whose job still waits or runs is
never queued again, so there is never more than one run at a time, whatever
the number of workers. A job that got lost (worker killed, Redis restarted)
before it started is queued again at the next maintenance once it is due; one
that started and died is queued again at the next interval (its checks so
far are stored).

**A run** (:func:`run_job`) is bounded: at most
``ckanext.mogi.governance.link_check.max_per_run`` links, the ones checked
longest ago first (never checked, or whose link changed, before all), hosts
taken in turn; it stops starting checks at nine tenths of the job's hard
time limit (``...link_check.job_timeout``, which rq enforces). Every result
is committed as it comes.
"""

from __future__ import annotations

import datetime
import logging
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from ckan import model
from ckan.plugins import toolkit

from ckanext.mogi.common import safe_http
from ckanext.mogi.common.i18n import N_, translate
from ckanext.mogi.common.jobs import job_status
from ckanext.mogi.governance import link_model, linkcheck, rendered

log = logging.getLogger(__name__)

_OPTION = "ckanext.mogi.governance.link_check."


@dataclass(frozen=True)
class Target:
    """One linked resource to check."""

    resource_id: str
    package_id: str
    url: str
    format: str | None


# ---------------------------------------------------------------- selection
def linked_resources() -> sa.Select[Any]:
    """The linked resources (see the module docstring), as a query."""
    res, pkg = model.Resource, model.Package
    return (sa.select(res.id, res.package_id, res.url, res.format)
            .join(pkg, pkg.id == res.package_id)
            .where(res.state == "active", pkg.state == "active",
                   sa.func.coalesce(res.url_type, "") == "",
                   sa.func.coalesce(res.url, "") != ""))


def targets(package_ids: Iterable[str] | None = None, limit: int | None = None) -> list[Target]:
    """Linked resources (of ``package_ids`` if given), the longest unchecked first."""
    res, check = model.Resource, link_model.check_table
    query = linked_resources().outerjoin(check, check.c.resource_id == res.id)
    if package_ids is not None:
        query = query.where(res.package_id.in_(list(package_ids)))
    stale = sa.or_(check.c.checked_at.is_(None), check.c.url != res.url)
    query = query.order_by(stale.desc(), check.c.checked_at.asc(), res.package_id,
                           res.position).limit(limit)
    return [Target(row.id, row.package_id, row.url, row.format)
            for row in model.Session.execute(query)]


def interleave(items: list[Target]) -> list[Target]:
    """``items`` with hosts taken in turn (order kept within a host), so that
    the per-host rate limit makes the run wait as little as possible."""
    by_host: dict[str, list[Target]] = defaultdict(list)
    for item in items:
        by_host[(urlsplit(item.url).hostname or "").lower()].append(item)
    queues = list(by_host.values())
    mixed: list[Target] = []
    for turn in range(max((len(q) for q in queues), default=0)):
        mixed.extend(queue[turn] for queue in queues if turn < len(queue))
    return mixed


# ------------------------------------------------------------------ checks
def check_targets(items: list[Target], deadline: float | None = None
                  ) -> Iterator[tuple[Target, linkcheck.Result]]:
    """Check each link (hosts in turn), store and commit each result; stop
    starting checks past ``deadline`` (``time.monotonic()``)."""
    settings = linkcheck.Settings.from_config()
    policy = safe_http.FetchPolicy.from_config(settings.timeout)
    throttle = linkcheck.Throttle(settings.host_interval)
    site = toolkit.config.get("ckan.site_url") or ""
    headers = {"User-Agent": f"ckanext-mogi link checker (+{site})", "Accept": "*/*"}
    for item in interleave(items):
        if deadline is not None and time.monotonic() > deadline:
            return
        try:
            result = linkcheck.check(item.url, item.format, policy, settings, throttle,
                                     headers)
        except Exception:  # one odd link must not stop the run; it comes first next time
            log.exception("Link check of resource %s failed", item.resource_id)
            continue
        link_model.save(item.resource_id, item.package_id, item.url,
                        outcome=result.outcome, http_status=result.http_status,
                        final_url=result.final_url, content_type=result.content_type,
                        redirects=result.redirects, detail=result.detail)
        model.Session.commit()
        rendered.bump()  # the kept panels may show this link
        yield item, result


# --------------------------------------------------------------------- job
def run_job() -> int:
    """The background job: one bounded run (module docstring); links checked."""
    try:
        link_model.save_run(started_at=link_model.utcnow())
        model.Session.commit()
        budget = int(toolkit.config.get(_OPTION + "job_timeout")) * 0.9
        chosen = targets(limit=int(toolkit.config.get(_OPTION + "max_per_run")))
        checked = sum(1 for _ in check_targets(chosen, deadline=time.monotonic() + budget))
        link_model.save_run(finished_at=link_model.utcnow(), checked=checked)
        model.Session.commit()
        return checked
    finally:
        model.Session.remove()


def is_due(state: dict[str, Any], now: datetime.datetime) -> bool:
    """Whether the last run started ``interval`` hours ago or more (or never)."""
    hours = int(toolkit.config.get(_OPTION + "interval"))
    started = state.get("started_at")
    return started is None or now - started >= datetime.timedelta(hours=hours)


def enqueue_run() -> str | None:
    """Queue a run when it is due, unless one waits or runs; the job's id, or
    None when nothing was queued."""
    state = link_model.run_state(lock=True)
    job_id = None
    try:
        waiting = bool(state.get("job_id")) and job_status(state["job_id"]) is not None
        if not waiting and is_due(state, link_model.utcnow()):
            job_id = f"mogi-link-check-{uuid.uuid4().hex[:12]}"
            toolkit.enqueue_job(
                run_job, [], title=translate(N_("Link check of the catalogue")),
                queue=toolkit.config.get(_OPTION + "queue"),
                rq_kwargs={"timeout": int(toolkit.config.get(_OPTION + "job_timeout")),
                           "job_id": job_id})
            link_model.save_run(job_id=job_id, queued_at=link_model.utcnow())
    except Exception:
        model.Session.rollback()
        raise
    model.Session.commit()  # releases the lock
    return job_id


def on_maintenance(_sender: Any, **_kwargs: Any) -> None:
    """Listener of ``mogi_worker_maintenance``: :func:`enqueue_run` when due."""
    try:
        job_id = enqueue_run()
    except Exception:
        model.Session.rollback()
        log.exception("Could not queue the link check; tried again at the next maintenance")
    else:
        if job_id:
            log.info("Link check queued: %s", job_id)
