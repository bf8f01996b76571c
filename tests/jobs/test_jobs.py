"""Jobs and the requeue of lost tasks, in process (the subprocess tests are test_worker_killed.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tasks.backends.database.models import DBTaskResult
from django_tasks.base import TaskResultStatus

from nwd.jobs import services
from nwd.jobs.models import Job, JobState, WorkerBeat
from nwd.jobs.runner import JobError, run
from nwd.jobs.testing import run_queued
from nwd.jobs.worker import LOST_EXCEPTION, requeue_lost
from tests.jobs.tasks import which_worker

pytestmark = pytest.mark.django_db


def _claimed(job: Job, worker_ids: list[str], *, started_ago: int) -> DBTaskResult:
    task = DBTaskResult.objects.get(id=job.task_id)
    DBTaskResult.objects.filter(id=task.id).update(
        status=TaskResultStatus.RUNNING, worker_ids=worker_ids,
        started_at=timezone.now() - dt.timedelta(seconds=started_ago))
    return task


def test_starting_a_job_queues_its_task_in_the_same_transaction():
    job = services.start("test", title="A quick job", task=which_worker)
    task = DBTaskResult.objects.get(id=job.task_id)
    assert task.status == TaskResultStatus.READY and task.args_kwargs == {"args": [job.pk], "kwargs": {}}
    assert job.history.count() == 2  # created, then given its task


def test_a_task_whose_worker_stopped_is_requeued_and_one_alive_is_left(settings):
    settings.NWD_TASK_LEASE_SECONDS = 60
    lost = services.start("test", title="Lost", task=which_worker)
    alive = services.start("test", title="Alive", task=which_worker)
    young = services.start("test", title="Just claimed", task=which_worker)
    _claimed(lost, ["dead"], started_ago=600)
    WorkerBeat.objects.create(worker_id="dead", seen_at=timezone.now() - dt.timedelta(seconds=61))
    _claimed(alive, ["busy"], started_ago=600)
    WorkerBeat.objects.create(worker_id="busy", seen_at=timezone.now())
    _claimed(young, ["new"], started_ago=5)

    assert requeue_lost() == {"requeued": 1, "failed": 0}
    statuses = dict(DBTaskResult.objects.values_list("id", "status"))
    assert [statuses[DBTaskResult.objects.get(id=j.task_id).id] for j in (lost, alive, young)] == [
        TaskResultStatus.READY, TaskResultStatus.RUNNING, TaskResultStatus.RUNNING]


def test_a_task_interrupted_too_often_fails_and_its_job_says_why(settings):
    settings.NWD_TASK_MAX_ATTEMPTS = 3
    job = services.start("test", title="Unlucky", task=which_worker)
    _claimed(job, ["a", "b", "c"], started_ago=600)
    assert requeue_lost() == {"requeued": 0, "failed": 1}
    task = DBTaskResult.objects.get(id=job.task_id)
    assert (task.status, task.exception_class_path) == (TaskResultStatus.FAILED, LOST_EXCEPTION)
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.error.startswith("The work was interrupted 3 times (the worker running it stopped)")


def test_the_queued_task_runs_and_a_rerun_of_a_finished_job_writes_nothing():
    job = services.start("test", title="Once", task=which_worker)
    assert run_queued() == 1
    job.refresh_from_db()
    assert (job.state, job.progress, job.result) == (JobState.DONE, 100, {"ran": True})
    assert run(job.pk, lambda j: pytest.fail("a finished job's work must not run again"))["already_done"]
    assert Job.objects.filter(kind="test-output").count() == 1


def test_work_that_cannot_be_done_fails_in_plain_words_and_writes_nothing():
    job = Job.objects.create(kind="test", title="Doomed")

    def work(job: Job) -> None:
        with services.finishing(job):
            Job.objects.create(kind="test-output", title="never kept")
            raise JobError("The files hold no SSDA903 table.")

    assert run(job.pk, work)["state"] == JobState.FAILED
    job.refresh_from_db()
    assert (job.state, job.error) == (JobState.FAILED, "The files hold no SSDA903 table.")
    assert not Job.objects.filter(kind="test-output").exists()


def test_an_unexpected_error_is_told_without_its_traceback():
    job = Job.objects.create(kind="test", title="Broken")
    with pytest.raises(ZeroDivisionError):
        run(job.pk, lambda j: 1 / 0)
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "unexpected error" in job.error and "ZeroDivision" not in job.error


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"progress": 101}, "progress", "Progress is a percentage: it cannot be more than 100."),
    ({"state": JobState.FAILED}, "error", "Say why the work did not finish"),
    ({"error": "oops"}, "error", "Only work that did not finish has a reason it did not finish."),
    ({"state": JobState.DONE}, "result", "Finished work records what it found or did."),
])
def test_job_rules(changes, field, message):
    job = Job(kind="test", title="A job", **changes)
    with pytest.raises(ValidationError) as raised:
        job.full_clean()
    assert any(m.startswith(message) for m in raised.value.message_dict[field])
