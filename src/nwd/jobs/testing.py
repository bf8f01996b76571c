"""Running queued tasks in the test's own process and transaction (the worker's run path).

``nwd worker`` claims a task inside an exclusive transaction, which cannot open inside a test's
transaction; this claims each ready task the plain way and hands it to the worker's ``run_task``,
the same code that records its success or failure. The tests of the real worker process are in
tests/jobs/test_worker_killed.py.
"""

from __future__ import annotations

from django_tasks.backends.database.models import DBTaskResult

from nwd.jobs.worker import Worker


def run_queued(*, limit: int = 100) -> int:
    """Run every ready task (up to ``limit``); returns how many ran."""
    worker = Worker(queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=None, worker_id="test-process")
    ran = 0
    while ran < limit and (task := DBTaskResult.objects.ready().first()) is not None:
        task.claim(worker.worker_id)
        worker.run_task(task)
        ran += 1
    return ran
