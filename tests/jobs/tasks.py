"""Tasks only the tests queue: a job whose worker is killed twice, at the two moments that matter.

The worker subprocess imports this module by its dotted path (``tests.jobs.tasks``), so it lives
in the tests package, which the subprocess finds with the repository on its PYTHONPATH.
"""

from __future__ import annotations

import time
from pathlib import Path

from django_tasks import task
from django_tasks.base import TaskContext

from nwd.jobs.models import Job
from nwd.jobs.runner import run
from nwd.jobs.services import finishing, report_progress

PAUSE = 120  # long enough for the test to kill the worker; never reached when the test works


@task(takes_context=True)
def interrupted_twice(context: TaskContext, job_id: int) -> dict:
    """Attempt 1 is killed before it writes; attempt 2 after it committed, before the task is marked
    succeeded; attempt 3 must find the job done and write nothing."""
    attempt = len(context.task_result.worker_ids)
    folder = Path(Job.objects.get(pk=job_id).params["folder"])
    (folder / f"attempt-{attempt}").touch()

    def work(job: Job) -> None:
        report_progress(job, percent=10, stage=f"attempt {attempt}")
        if attempt == 1:
            (folder / "pausing-before-commit").touch()
            time.sleep(PAUSE)
        with finishing(job) as locked:
            # The work's own write, in the transaction that finishes the job.
            Job.objects.create(kind="test-output", title=f"written by attempt {attempt}")
            locked.result = {"written_by_attempt": attempt}
        if attempt == 2:
            (folder / "pausing-after-commit").touch()
            time.sleep(PAUSE)

    return run(job_id, work)


@task()
def which_worker(job_id: int) -> dict:
    """A quick job that records that it ran (for the tests of several workers on one queue)."""

    def work(job: Job) -> None:
        with finishing(job) as locked:
            Job.objects.create(kind="test-output", title=f"job {job_id}")
            locked.result = {"ran": True}

    return run(job_id, work)
