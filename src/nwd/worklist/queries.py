"""Reads the worklist's pages share: my tasks (overdue first), the hub's tasks, unread notifications."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from django.db import connections, router
from django.db.models import QuerySet

from nwd.access import scopes
from nwd.worklist.choices import State
from nwd.worklist.models import Meeting, Notification, Task

if TYPE_CHECKING:
    from nwd.access.models import User

MANAGE = "worklist.manage_tasks"
STAND_IN = -2_087_362_519  # a user id no user has: the unread count's SQL is compiled with it, once


def open_tasks(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """Open tasks, the earliest due first (so overdue first), with what a list shows."""
    return tasks.filter(state=State.OPEN).select_related("young_person", "owner").order_by("due", "pk")


def my_tasks(user: User) -> QuerySet[Task]:
    return open_tasks(Task.objects.filter(owner=user))


def hub_tasks(user: Any) -> QuerySet[Task]:
    """Open tasks of the hubs whose tasks the user manages (a hub manager: their hub's; none: nothing)."""
    if not user.has_perm(MANAGE):
        return Task.objects.none()
    return open_tasks(Task.objects.filter(hub__in=scopes.hubs(user, MANAGE)))


def may_act_on(user: Any, task: Task) -> bool:
    """The owner, or a manager of the task's hub."""
    if task.owner_id == user.pk:
        return True
    return task.hub_id is not None and bool(user.has_perm(MANAGE, task.hub))


def unread_count(user: User) -> int:
    """The user's unread notifications: the header's count, on every page.

    ``Notification.objects.filter(user=user, read_at__isnull=True).count()`` in one statement written
    once: on every page the ORM's building and compiling of that count cost more CPU (~0.5 ms) than
    the database's answer (by the index on the user).
    """
    alias = router.db_for_read(Notification)
    with connections[alias].cursor() as cursor:
        cursor.execute(_unread_sql(alias), [user.pk])
        (count,) = cursor.fetchone()
    return int(count)


@functools.cache
def _unread_sql(alias: str) -> str:
    unread = Notification.objects.filter(user=STAND_IN, read_at__isnull=True).values("pk")
    sql, params = unread.query.get_compiler(using=alias).as_sql()
    if list(params) != [STAND_IN]:
        raise ValueError("The unread count's SQL takes the user's id as its one parameter.")
    return f"SELECT COUNT(*) FROM ({sql}) unread"  # noqa: S608  # Django's own SQL, with its one parameter


def meetings_of(young_person: Any) -> QuerySet[Meeting]:
    return Meeting.objects.filter(young_person=young_person).prefetch_related("attendees__staff", "actions__owner")
