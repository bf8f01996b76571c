"""Reads the worklist's pages share: my tasks (overdue first), the hub's tasks, unread notifications."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from nwd.access import scopes
from nwd.worklist.choices import State
from nwd.worklist.models import Meeting, Notification, Task

if TYPE_CHECKING:
    from nwd.access.models import User

MANAGE = "worklist.manage_tasks"


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
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def meetings_of(young_person: Any) -> QuerySet[Meeting]:
    return Meeting.objects.filter(young_person=young_person).prefetch_related("attendees__staff", "actions__owner")
