"""Changes to jobs: start one (the task is queued in the same transaction), report progress, finish.

Finishing is idempotent: ``finishing(job)`` opens the transaction the work writes in, locking the
job's row first; if the job is already done (a worker finished it, committed, then died before it
could mark its task succeeded, and the task was run again) it raises ``AlreadyDone`` and the rerun
writes nothing. The work's writes and the job's result commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django_tasks.base import Task

from nwd.core.services import save_valid
from nwd.jobs.models import Job, JobState

if TYPE_CHECKING:
    from nwd.access.models import User

# What the page says when the work stopped for a reason the person cannot act on.
UNEXPECTED = (
    "The work stopped because of an unexpected error, and nothing was changed. Try again; if it "
    "happens again, tell the service's support team the job's number ({number})."
)
LOST = (
    "The work was interrupted {attempts} times (the worker running it stopped) and was not finished; "
    "nothing was changed. Try again; if it happens again, tell the service's support team the job's "
    "number ({number})."
)


class AlreadyDone(Exception):
    """The job was finished by an earlier run: this run must write nothing."""


def start(
    kind: str,
    *,
    title: str,
    task: Task[Any, Any],
    requested_by: User | None = None,
    permission: str = "",
    params: dict[str, Any] | None = None,
) -> Job:
    """Record a job and queue its task (``task(job_id)``) in one transaction.

    The database backend writes the task's row in this transaction too, so a worker never sees a
    task whose job is not yet committed, and a job is never left without its task.
    """
    with transaction.atomic():
        job = save_valid(
            Job(kind=kind, title=title, requested_by=requested_by, permission=permission, params=params or {}),
            by=requested_by,
        )
        result = task.enqueue(job.pk)
        job.task_id = str(result.id)
        save_valid(job, by=requested_by)
    return job


def begin(job: Job) -> Job:
    """A worker starts (or restarts) the job: it is running, one more attempt."""
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if locked.finished:
            return locked
        locked.state = JobState.RUNNING
        locked.attempts += 1
        locked.started_at = locked.started_at or timezone.now()
        locked.progress = 0
        save_valid(locked)
    return locked


def report_progress(job: Job, *, percent: int, stage: str) -> Job:
    """Say where the work has got to (committed at once, so the page shows it while the work runs)."""
    Job.objects.filter(pk=job.pk, state=JobState.RUNNING).update(progress=max(0, min(100, percent)), stage=stage)
    job.progress, job.stage = percent, stage
    return job


@contextmanager
def finishing(job: Job, *, result: dict[str, Any] | None = None) -> Iterator[Job]:
    """The transaction the work's writes and the job's result commit in; raises ``AlreadyDone``.

    Use as ``with finishing(job) as locked: ...writes...; locked.result = {...}``. The job's row is
    locked before the work writes (PostgreSQL: SELECT ... FOR UPDATE; SQLite: the transaction
    takes the write lock when it begins), so two runs of one job cannot both finish it.
    """
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if locked.state == JobState.DONE:
            raise AlreadyDone(f"job {job.pk} is already done")
        locked.result = result
        yield locked
        locked.state = JobState.DONE
        locked.progress = 100
        locked.error = ""
        locked.stage = ""
        locked.finished_at = timezone.now()
        if locked.result is None:
            locked.result = {}
        save_valid(locked)


def fail(job: Job, *, error: str) -> Job:
    """The work did not finish: say why in plain words (nothing it was doing was kept)."""
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if locked.state == JobState.DONE:
            return locked
        locked.state = JobState.FAILED
        locked.error = error
        locked.stage = ""
        locked.finished_at = timezone.now()
        save_valid(locked)
    return locked


def fail_lost(task_id: str, *, attempts: int) -> None:
    """The task of a job was interrupted too many times: the job did not finish (``requeue_lost``)."""
    for job in Job.objects.filter(task_id=task_id).exclude(state=JobState.DONE):
        fail(job, error=LOST.format(attempts=attempts, number=job.pk))
