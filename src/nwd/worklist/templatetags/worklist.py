"""``{% load worklist %}{% my_tasks %}``: the home page's "My tasks", overdue first (a small include
each home page adds; a hub manager also sees how many of the hub's tasks are open and overdue)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.db.models import Count, Q, QuerySet, Window

from nwd.access.relations import user_key
from nwd.casework import prepared
from nwd.core import dates
from nwd.worklist import queries
from nwd.worklist.choices import State
from nwd.worklist.models import Task

register = template.Library()
SHOWN = 8


def _counted(tasks: QuerySet[Task], today: dt.date) -> QuerySet[Any]:
    """How many of ``tasks`` are open and how many of those overdue, in one row (none when there
    are no open tasks): grouped by the state the tasks are filtered on, a ``values()`` queryset
    that can be compiled once (``nwd.casework.prepared``), as ``aggregate()`` cannot."""
    return (tasks.filter(state=State.OPEN).order_by().values("state")
            .annotate(open_total=Count("pk"), open_overdue=Count("pk", filter=Q(due__lt=today))))


def _counted_over_all(today: dt.date) -> dict[str, Window]:
    """How many open tasks the query finds and how many of them are overdue, on each of its rows."""
    return {"open_total": Window(Count("pk")), "open_overdue": Window(Count("pk", filter=Q(due__lt=today)))}


def _counts(found: list[dict[str, Any]]) -> dict[str, int]:
    return {"total": found[0]["open_total"], "overdue": found[0]["open_overdue"]} if found else {"total": 0, "overdue": 0}


@register.inclusion_tag("worklist/_my_tasks.html", takes_context=True)
def my_tasks(context: Any) -> dict[str, Any]:
    user = context["request"].user
    if not user.has_perm("worklist.use_worklist"):
        return {"hidden": True}
    today = dates.today()
    # The same rows as ``queries.my_tasks(user)[:SHOWN + 1]``, each with the counts of all the user's
    # open tasks (window aggregates, counted before the rows are cut), its SQL compiled once a process
    # and run with the user's id (``nwd.casework.prepared``): every home page shows it.
    shown = prepared.rows(("home", "my tasks", SHOWN + 1, today), lambda pk: queries.open_tasks(
        Task.objects.filter(owner_id=pk)).annotate(**_counted_over_all(today))[: SHOWN + 1], user.pk)
    for task in shown:
        task.is_overdue = task.overdue(today)
    own = {"total": shown[0].open_total, "overdue": shown[0].open_overdue} if shown else {"total": 0, "overdue": 0}
    hub = {"total": 0, "overdue": 0}
    if user.has_perm(queries.MANAGE):
        # The hub's tasks are chosen by the user's scope: compiled once for what it depends on.
        hub = _counts(prepared.kept_dicts(("home", "hub task counts", user_key(user), today),
                                          lambda: _counted(queries.hub_tasks(user), today)))
    return {
        "tasks": shown[:SHOWN], "more": len(shown) > SHOWN, "total": own["total"],
        "overdue": own["overdue"], "hub_open": hub["total"], "hub_overdue": hub["overdue"],
    }
