"""The worker: django-tasks' database worker, plus a heartbeat and the requeue of lost tasks.

django-tasks' ``db_worker`` claims a task by setting it RUNNING (PostgreSQL: ``SELECT ... FOR
UPDATE SKIP LOCKED``, so several workers on several machines share one queue without taking the
same task; SQLite: an exclusive transaction). If the worker dies while the task runs (killed, out
of memory, its machine switched off), nothing ever moves the task out of RUNNING: it is neither
retried nor reported. This module adds what is missing:

- each worker writes a heartbeat (``WorkerBeat``) every quarter of NWD_TASK_LEASE_SECONDS, from a
  thread of its own, while it runs;
- at start and with each heartbeat, a worker looks for RUNNING tasks whose worker's heartbeat is
  older than the lease, and puts them back on the queue (READY), to be run again by whichever
  worker claims them first; a task interrupted NWD_TASK_MAX_ATTEMPTS times is marked failed
  instead, and its job says so in plain words.

A task run again must not do its work twice: jobs finish in one transaction with their writes
(``nwd.jobs.services.finishing``), so a rerun of a job that committed does nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import socket
import threading
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone
from django_tasks.backends.database.management.commands.db_worker import Worker as DatabaseWorker
from django_tasks.backends.database.models import DBTaskResult
from django_tasks.base import TaskResultStatus

from nwd.jobs import periodic, services
from nwd.jobs.models import WorkerBeat

logger = logging.getLogger("nwd.jobs.worker")

LOST_EXCEPTION = "nwd.jobs.worker.WorkerLost"


class WorkerLost(Exception):
    """The worker running a task stopped before the task finished (recorded as the task's error)."""


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.NWD_TASK_LEASE_SECONDS)


def beat(worker_id: str) -> None:
    """Write this worker's heartbeat."""
    WorkerBeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"seen_at": timezone.now(), "host": socket.gethostname()[:200], "pid": os.getpid()},
    )


def requeue_lost(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Put back on the queue the tasks left RUNNING by a worker whose heartbeat has stopped.

    A task is lost when its worker (the last of its ``worker_ids``) has not beaten within the lease
    (or never did, and the task started longer ago than the lease). Returns how many were requeued
    and how many failed for having been interrupted NWD_TASK_MAX_ATTEMPTS times.
    """
    now = now or timezone.now()
    cutoff = now - lease()
    alive = set(WorkerBeat.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True))
    counts = {"requeued": 0, "failed": 0}
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only("id", "worker_ids", "started_at")
    for task in running:
        owner = task.worker_ids[-1] if task.worker_ids else None
        if owner in alive or (task.started_at is not None and task.started_at >= cutoff):
            continue  # its worker is alive, or it was claimed less than a lease ago
        attempts = len(task.worker_ids)
        # Only if nobody has moved it since it was read: another worker may be requeuing it too.
        same = DBTaskResult.objects.filter(id=task.id, status=TaskResultStatus.RUNNING, started_at=task.started_at)
        with transaction.atomic():
            if attempts < settings.NWD_TASK_MAX_ATTEMPTS:
                counts["requeued"] += same.update(status=TaskResultStatus.READY)
            elif same.update(
                status=TaskResultStatus.FAILED, finished_at=now, exception_class_path=LOST_EXCEPTION,
                traceback=f"WorkerLost: the worker running it stopped, {attempts} times.",
            ):
                services.fail_lost(str(task.id), attempts=attempts)
                counts["failed"] += 1
    if counts["requeued"] or counts["failed"]:
        logger.warning("Tasks of stopped workers: %(requeued)s put back on the queue, %(failed)s failed.", counts)
    # Heartbeats of workers long gone are of no use to anyone.
    WorkerBeat.objects.filter(seen_at__lt=now - 10 * lease()).delete()
    return counts


class Worker(DatabaseWorker):
    """django-tasks' worker with a heartbeat, requeuing the tasks of workers that stopped."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._stop = threading.Event()

    def heartbeat_once(self) -> None:
        try:
            beat(self.worker_id)
            requeue_lost()
            periodic.start_due()  # work on a clock (the worklist's clocks): nwd.jobs.periodic
        except DatabaseError as error:  # a locked SQLite database, a dropped connection: try next time
            logger.warning("Heartbeat of worker %s not written: %s", self.worker_id, error)

    def _heartbeat_loop(self) -> None:
        try:
            while not self._stop.wait(settings.NWD_TASK_LEASE_SECONDS / 4):
                close_old_connections()
                self.heartbeat_once()
        finally:
            connection.close()

    def run(self) -> None:
        self.heartbeat_once()
        thread = threading.Thread(target=self._heartbeat_loop, name="nwd-worker-heartbeat", daemon=True)
        thread.start()
        try:
            super().run()
        finally:
            self._stop.set()
            thread.join(timeout=5)
            with contextlib.suppress(DatabaseError):
                WorkerBeat.objects.filter(worker_id=self.worker_id).delete()
