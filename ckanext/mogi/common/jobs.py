"""Background jobs shared by the capabilities: is an rq job still alive?"""

from __future__ import annotations

from ckan.lib import jobs as ckan_jobs
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.worker import Worker

#: States of a job that will still run.
_WAITING = (JobStatus.QUEUED, JobStatus.DEFERRED, JobStatus.SCHEDULED)


def job_status(job_id: str) -> str | None:
    """``"waiting"`` (queued, deferred, scheduled), ``"running"`` (started by a
    worker that is alive) or None: the job is gone, ended, or its worker died."""
    connection = ckan_jobs.connect_to_redis()
    try:
        job = Job.fetch(job_id, connection=connection)
    except NoSuchJobError:
        return None
    status = job.get_status(refresh=False)
    if status in _WAITING:
        return "waiting"
    if status != JobStatus.STARTED or not job.worker_name:
        return None
    worker = Worker.find_by_key(Worker.redis_worker_namespace_prefix + job.worker_name,
                                connection=connection)
    return "running" if worker is not None else None


def job_alive(job_id: str) -> bool:
    """Whether rq still holds this job as waiting, or running on a live worker."""
    return job_status(job_id) is not None
