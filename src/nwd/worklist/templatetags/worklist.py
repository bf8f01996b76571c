"""``{% load worklist %}{% my_tasks %}``: the home page's "My tasks", overdue first (a small include
each home page adds; a hub manager also sees how many of the hub's tasks are open and overdue)."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Count, Q

from nwd.casework import prepared
from nwd.core import dates
from nwd.worklist import queries
from nwd.worklist.models import Task

register = template.Library()
SHOWN = 8


@register.inclusion_tag("worklist/_my_tasks.html", takes_context=True)
def my_tasks(context: Any) -> dict[str, Any]:
    user = context["request"].user
    if not user.has_perm("worklist.use_worklist"):
        return {"hidden": True}
    today = dates.today()
    mine = queries.my_tasks(user)
    # The same rows as ``mine[:SHOWN + 1]``, its SQL compiled once a process and run with the user's
    # id (``nwd.casework.prepared``): every home page shows it.
    shown = prepared.rows(("home", "my tasks", SHOWN + 1),
                          lambda pk: queries.open_tasks(Task.objects.filter(owner_id=pk))[: SHOWN + 1], user.pk)
    for task in shown:
        task.is_overdue = task.overdue(today)
    counted = {"total": Count("pk"), "overdue": Count("pk", filter=Q(due__lt=today))}
    own = mine.order_by().aggregate(**counted)  # one query for both counts
    hub = {"total": 0, "overdue": 0}
    if user.has_perm(queries.MANAGE):
        hub = queries.hub_tasks(user).order_by().aggregate(**counted)
    return {
        "tasks": shown[:SHOWN], "more": len(shown) > SHOWN, "total": own["total"],
        "overdue": own["overdue"], "hub_open": hub["total"], "hub_overdue": hub["overdue"],
    }
