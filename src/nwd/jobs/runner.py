"""Running a job's work inside its task: the steps every job's task shares.

A task is ``@task() def my_task(job_id): return run(job_id, work)`` where ``work(job)`` does the
work, reports progress (``services.report_progress``) and writes its result inside
``services.finishing(job)``. ``run`` marks the job running, skips a job already done (a rerun after
the work committed), and records a failure in plain words: the message of a ``JobError``, or a
general one for anything unexpected (whose traceback stays in the task's record and the log).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from nwd.jobs import services
from nwd.jobs.models import Job, JobState

logger = logging.getLogger("nwd.jobs")


class JobError(Exception):
    """The work cannot be done, for a reason the person who asked can read (and maybe put right)."""


def run(job_id: int, work: Callable[[Job], None]) -> dict[str, Any]:
    """Run ``work`` for the job; returns the job's result (the task's return value)."""
    job = Job.objects.get(pk=job_id)
    if job.state == JobState.DONE:
        return {"job": job.pk, "state": job.state, "already_done": True}
    job = services.begin(job)
    try:
        work(job)
    except services.AlreadyDone:
        pass
    except JobError as error:
        services.fail(job, error=str(error))
        return {"job": job.pk, "state": JobState.FAILED}
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        services.fail(job, error=services.UNEXPECTED.format(number=job.pk))
        raise
    job.refresh_from_db()
    return {"job": job.pk, "state": job.state}
