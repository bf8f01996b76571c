"""What ``/healthz`` checks: the database answers, and the task queue's table is reachable.

Each check returns ``"ok"``, ``"not configured"`` or a short reason it failed (no personal data, no
connection string: the page is public, for load balancers and monitoring).
"""

from __future__ import annotations

from django.conf import settings
from django.db import DatabaseError, connections

DATABASE_TASKS_BACKEND = "django_tasks.backends.database.DatabaseBackend"
OK = "ok"
NOT_CONFIGURED = "not configured"


def database() -> str:
    """The default database answers a query."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return f"failed: {type(error).__name__}"
    return OK


def task_queue() -> str:
    """The task queue's table answers, when the queue is django-tasks' database backend.

    ``"not configured"`` when no ``TASKS`` backend is the database one (the immediate or dummy
    backends keep no queue to check).
    """
    backend = getattr(settings, "TASKS", {}).get("default", {})
    if backend.get("BACKEND") != DATABASE_TASKS_BACKEND:
        return NOT_CONFIGURED
    from django.apps import apps

    if not apps.is_installed("django_tasks.backends.database"):
        return "failed: the task queue's app (django_tasks.backends.database) is not installed"
    from django_tasks.backends.database.models import DBTaskResult  # only when that backend is installed

    try:
        DBTaskResult.objects.only("pk").first()
    except DatabaseError as error:
        return f"failed: {type(error).__name__}"
    return OK


CHECKS = {"database": database, "task_queue": task_queue}


def report() -> tuple[bool, dict[str, str]]:
    """Every check's answer, and whether all of them are ok (or not configured)."""
    answers = {name: check() for name, check in CHECKS.items()}
    healthy = all(answer in (OK, NOT_CONFIGURED) for answer in answers.values())
    return healthy, answers
