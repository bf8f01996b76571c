"""``{% load worklist %}{% my_tasks %}``: the home page's "My tasks", overdue first (a small include
each home page adds; a hub manager also sees how many of the hub's tasks are open and overdue)."""

from __future__ import annotations

from typing import Any

from django import template

from nwd.core import dates
from nwd.worklist import queries

register = template.Library()
SHOWN = 8


@register.inclusion_tag("worklist/_my_tasks.html", takes_context=True)
def my_tasks(context: Any) -> dict[str, Any]:
    user = context["request"].user
    if not user.has_perm("worklist.use_worklist"):
        return {"hidden": True}
    today = dates.today()
    mine = queries.my_tasks(user)
    shown = list(mine[: SHOWN + 1])
    for task in shown:
        task.is_overdue = task.overdue(today)
    total = mine.count() if len(shown) > SHOWN else len(shown)
    hub = queries.hub_tasks(user)
    return {
        "tasks": shown[:SHOWN], "more": len(shown) > SHOWN, "total": total,
        "overdue": mine.filter(due__lt=today).count(),
        "hub_open": hub.count() if user.has_perm(queries.MANAGE) else 0,
        "hub_overdue": hub.filter(due__lt=today).count() if user.has_perm(queries.MANAGE) else 0,
    }
