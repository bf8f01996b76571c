"""A task survives its worker killed mid-run: run again, not lost, not finished twice (both engines)."""

from __future__ import annotations

import signal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks.backends.database.models import DBTaskResult
from django_tasks.base import TaskResultStatus

from nwd.jobs import services
from nwd.jobs.models import Job, JobState
from tests.jobs.conftest import wait_for
from tests.jobs.tasks import interrupted_twice, which_worker

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_task_killed_twice_is_run_again_and_finished_once(workers, tmp_path):
    job = services.start("test", title="Survive two killed workers", task=interrupted_twice,
                         params={"folder": str(tmp_path)})
    workers.share()

    first = workers.start()
    wait_for((tmp_path / "pausing-before-commit").exists, "attempt 1 to start its work", first)
    workers.stop(first, signal.SIGKILL)  # killed before the work wrote anything

    second = workers.start()
    wait_for((tmp_path / "pausing-after-commit").exists, "attempt 2 to commit its work", second)
    workers.stop(second, signal.SIGKILL)  # killed after the work committed, before the task was marked

    third = workers.start()
    wait_for((tmp_path / "attempt-3").exists, "attempt 3 to start", third)
    workers.stop(third)  # SIGTERM: the task in hand is finished first
    workers.collect()

    task = DBTaskResult.objects.get(id=job.task_id)
    assert task.status == TaskResultStatus.SUCCEEDED
    assert len(task.worker_ids) == 3 and len(set(task.worker_ids)) == 3
    assert task.return_value["already_done"] is True
    job.refresh_from_db()
    assert (job.state, job.result, job.attempts, job.error) == (JobState.DONE, {"written_by_attempt": 2}, 2, "")
    # The work's write happened once: attempt 1 died before it, attempt 3 found the job done.
    assert list(Job.objects.filter(kind="test-output").values_list("title", flat=True)) == ["written by attempt 2"]


def test_two_workers_share_one_postgresql_queue_and_run_each_task_once(workers):
    if connection.vendor != "postgresql":
        pytest.skip("several workers on several machines share a PostgreSQL queue")
    jobs = [services.start("test", title=f"Quick job {n}", task=which_worker) for n in range(8)]
    workers.share()
    a, b = workers.start(), workers.start()
    wait_for(lambda: not _outstanding(workers, jobs), "the queue to empty", a, timeout=60)
    workers.stop(a)
    workers.stop(b)
    workers.collect()
    # The workers also start periodic work of their own on their heartbeat (the worklist's clocks):
    # count this test's tasks.
    ours = DBTaskResult.objects.filter(task_path=which_worker.module_path)
    assert ours.filter(status=TaskResultStatus.SUCCEEDED).count() == 8
    assert all(len(t.worker_ids) == 1 for t in DBTaskResult.objects.all())
    assert Job.objects.filter(kind="test-output").count() == 8
    assert Job.objects.filter(kind="test", state=JobState.DONE).count() == 8


def _outstanding(workers, jobs) -> int:
    """How many of the tasks are not yet succeeded, read where the workers write."""
    if workers.sqlite:
        import sqlite3

        with sqlite3.connect(workers.folder / "nwd.sqlite3") as db:
            return db.execute("SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status != 'SUCCEEDED'"
                              ).fetchone()[0]
    return DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCEEDED).count()


def test_workers_claim_with_skip_locked_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks: a worker claims inside an exclusive transaction")
    services.start("test", title="A queued job", task=which_worker)
    with CaptureQueriesContext(connection) as queries:
        from django.db import transaction

        with transaction.atomic():
            claimed = DBTaskResult.objects.ready().get_locked()
    assert claimed is not None
    assert any("FOR UPDATE SKIP LOCKED" in q["sql"] for q in queries.captured_queries)
