"""No validation gets lost: requeue pending tables whose job is gone.

A table's record is ``created`` or ``running`` from the moment its run is
scheduled until the job writes a verdict. The job can vanish on the way: the
work horse is killed (SIGKILL, the kernel's OOM killer), the whole worker
dies, Redis restarts without persistence, or the enqueue failed. Until a
verdict exists the file stays held (fail closed), so a lost job would hold it
for ever.

:func:`reconcile` looks at every pending record older than a grace period
and asks rq about the job of that run (its id is derived from the record, see
:func:`~ckanext.mogi.validation.jobs.job_id`):

* queued, deferred or scheduled, or started by a worker that is still alive:
  the job lives, nothing to do;
* missing, finished, failed, stopped or canceled, or started by a dead
  worker: the job is lost. The run is requeued with one more attempt, or,
  after ``ckanext.mogi.validation.max_attempts`` attempts, ends in status
  ``error`` with a message in the site's language (the file stays held).

A table with no record at all (uploaded before the plugin was enabled, or
whose record staff deleted) is held too, so it is scheduled as well.

It runs when the validation worker starts and then on a schedule
(:mod:`.worker`), and on demand (``ckan mogi validation reconcile``).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from typing import Any

from ckan import model
from ckan.plugins import toolkit

from ckanext.mogi.common.i18n import N_, translate
from ckanext.mogi.common.jobs import job_alive
from ckanext.mogi.validation import jobs, tabular
from ckanext.mogi.validation import model as vmodel

log = logging.getLogger(__name__)


@dataclass
class Summary:
    """What one pass did: resource ids requeued and those given up on."""

    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def lost_message(attempts: int) -> str:
    return translate(
        N_(
            "The check of this table was interrupted {attempts} times (the server stopped "
            "the job, for example for lack of memory). The file stays unavailable to "
            "visitors: split the table into smaller files, or ask the portal team to check "
            "the server, then run the validation again."
        )
    ).format(attempts=attempts)


def reconcile(*, grace_seconds: int | None = None, max_attempts: int | None = None) -> Summary:
    """One pass over the pending records (see the module docstring)."""
    config = toolkit.config
    if grace_seconds is None:
        grace_seconds = int(config.get("ckanext.mogi.validation.reconcile_grace"))
    if max_attempts is None:
        max_attempts = int(config.get("ckanext.mogi.validation.max_attempts"))
    moment = vmodel.utcnow() - datetime.timedelta(seconds=grace_seconds)
    summary = Summary()
    try:
        for record in vmodel.pending_before(moment):
            _reconcile_one(record, max_attempts, summary)
        for res in vmodel.unrecorded_resources():
            _schedule_unrecorded(res, summary)
    finally:
        model.Session.remove()
    return summary


def _schedule_unrecorded(res: model.Resource, summary: Summary) -> None:
    """A table with no record is held with no job to clear it: schedule its check."""
    data = tabular.resource_dict(res)
    if not tabular.table_format(data):
        return
    record = vmodel.start(res.id, tabular.fingerprint(data), tabular.options_of(data))
    tabular.set_status(res, "created")
    model.Session.commit()
    jobs.enqueue(res.id, jobs.job_id(record))
    summary.requeued.append(res.id)


def _reconcile_one(record: dict[str, Any], max_attempts: int, summary: Summary) -> None:
    resource_id = record["resource_id"]
    if job_alive(jobs.job_id(record)):
        return
    res = model.Resource.get(resource_id)
    if res is None or res.state != "active" or not tabular.table_format(tabular.resource_dict(res)):
        # Nothing left to validate: the record no longer holds anything.
        vmodel.update(record["id"], status="error",
                      error={"message": translate(N_("The table was removed."))},
                      finished=vmodel.utcnow())
        model.Session.commit()
        return
    attempts = int(record.get("attempts") or 0) + 1
    if attempts >= max_attempts:
        log.warning("Validation of %s lost %s times: giving up", resource_id, attempts)
        jobs.finish_with_error(resource_id, record["id"], lost_message(attempts))
        summary.failed.append(resource_id)
        return
    vmodel.update(record["id"], attempts=attempts, status="created")
    tabular.set_status(res, "created")
    model.Session.commit()
    log.warning("Validation of %s was lost; requeued (attempt %s)", resource_id, attempts + 1)
    jobs.enqueue(resource_id, jobs.job_id({**record, "attempts": attempts}))
    summary.requeued.append(resource_id)
