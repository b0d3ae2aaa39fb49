"""The job worker with the validation reconciler: CKAN's worker, which also
runs :func:`~ckanext.mogi.validation.reconcile.reconcile` when it starts and
then every ``ckanext.mogi.validation.reconcile_interval`` seconds.

rq runs its own registry maintenance at start and at a fixed interval from the
worker's main loop, between jobs and while idle; the reconciler rides on that
hook, in the worker's main process (never in a work horse), and so does the
signal ``mogi_worker_maintenance`` (:mod:`ckanext.mogi.common.signals`), the
other capabilities' moment for the same kind of work. A failing pass is
logged and tried again at the next interval: it must not stop the worker.

The worker starts the validation sandbox's fork server (again, if it ended)
before it forks each work horse: the horses share it
(:mod:`~ckanext.mogi.validation.forkserver`) instead of starting their own.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from ckan.lib import jobs as ckan_jobs
from ckan.model import meta
from ckan.plugins import toolkit

from ckanext.mogi.common.signals import WORKER_MAINTENANCE, signal
from ckanext.mogi.validation import reconcile, sandbox

log = logging.getLogger(__name__)


class ReconcilingWorker(ckan_jobs.Worker):
    """``ckan jobs worker`` plus the reconciler (see the module docstring)."""

    def __init__(self, queues: Iterable[str] | None = None, **kwargs: Any) -> None:
        interval = int(toolkit.config.get("ckanext.mogi.validation.reconcile_interval"))
        kwargs.setdefault("maintenance_interval", interval)
        # rq wakes from an idle wait every worker_ttl - 15 seconds: keep that
        # below the interval, so an idle worker still reconciles on time.
        kwargs.setdefault("worker_ttl", max(30, min(420, interval + 15)))
        super().__init__(queues, **kwargs)

    def execute_job(self, job: Any, *args: Any, **kwargs: Any) -> None:
        # Before the horse is forked: it shares the server (restarted if it ended).
        sandbox.start_fork_server()
        super().execute_job(job, *args, **kwargs)

    def run_maintenance_tasks(self) -> None:
        super().run_maintenance_tasks()
        try:
            summary = reconcile.reconcile()
        except Exception:
            log.exception("The validation reconciler failed; it runs again at the next interval")
        else:
            if summary.requeued or summary.failed:
                log.warning("Reconciler: requeued %s, gave up on %s",
                            summary.requeued, summary.failed)
        finally:
            # Never carry a connection of the main process into a forked horse.
            meta.Session.remove()
        # Other capabilities' periodic work (the DataStore requeues lost loads).
        try:
            signal(WORKER_MAINTENANCE).send(self.name)
        except Exception:
            log.exception("A maintenance task of the worker failed; it runs again at the "
                          "next interval")
        finally:
            meta.Session.remove()
