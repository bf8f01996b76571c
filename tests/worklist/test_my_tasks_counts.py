"""The home page's "My tasks" counts (the user's open and overdue tasks, and a manager's hub's), read with
SQL compiled once (``nwd.casework.prepared``), equal the ORM's own aggregates: every state, tasks of
another hub and of no hub, a task changed since, and two managers of different hubs in turn."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count, Q
from django.test import RequestFactory

from nwd.access.roles import Role
from nwd.core import dates
from nwd.worklist import queries
from nwd.worklist.choices import State
from nwd.worklist.models import Task
from nwd.worklist.templatetags.worklist import my_tasks
from tests.factories import HubFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = dates.today()


def _task(owner, hub=None, due=TODAY, state=State.OPEN) -> Task:
    done = {} if state == State.OPEN else {"completed_on": TODAY, "completed_by": owner, "outcome": "Done"}
    return Task.objects.create(title="A task", owner=owner, hub=hub, due=due, state=state, **done)


def _orm_counts(tasks) -> tuple[int, int]:
    found = tasks.order_by().aggregate(total=Count("pk"), overdue=Count("pk", filter=Q(due__lt=TODAY)))
    return found["total"], found["overdue"]


def _shown(user) -> dict:
    request = RequestFactory().get("/")
    request.user = user
    return my_tasks({"request": request})


def test_the_counts_are_the_aggregates_of_the_users_and_the_hubs_tasks():
    hub, other_hub = HubFactory(), HubFactory()
    manager = UserFactory(role=Role.HUB_MANAGER, hub=hub)
    other_manager = UserFactory(role=Role.HUB_MANAGER, hub=other_hub)
    worker = UserFactory(role=Role.KEY_WORKER, hub=hub)
    past, later = TODAY - dt.timedelta(days=3), TODAY + dt.timedelta(days=3)
    _task(manager, hub, due=past)
    _task(manager, None, due=later)
    _task(manager, hub, due=past, state=State.DONE)
    _task(worker, hub, due=past)
    _task(worker, hub, due=TODAY)  # due today: open, not overdue
    _task(worker, other_hub, due=past)
    _task(worker, None, due=past)
    _task(other_manager, other_hub, due=later)
    for _ in range(10):  # more than the list shows: counted all the same
        _task(worker, None, due=later)

    for _ in range(2):  # the second time from the compiled SQL
        for user in (manager, other_manager, worker):
            shown = _shown(user)
            assert (shown["total"], shown["overdue"]) == _orm_counts(queries.my_tasks(user))
            expected_hub = _orm_counts(queries.hub_tasks(user)) if user.has_perm(queries.MANAGE) else (0, 0)
            assert (shown["hub_open"], shown["hub_overdue"]) == expected_hub
    assert (_shown(manager)["total"], _shown(manager)["overdue"]) == (2, 1)
    assert (_shown(manager)["hub_open"], _shown(manager)["hub_overdue"]) == (3, 2)
    assert (_shown(other_manager)["hub_open"], _shown(other_manager)["hub_overdue"]) == (2, 1)
    assert (_shown(worker)["total"], _shown(worker)["overdue"], _shown(worker)["hub_open"]) == (14, 3, 0)

    # Only the SQL is kept: a task closed since is no longer counted.
    Task.objects.filter(owner=manager, hub=hub, state=State.OPEN).update(
        state=State.DONE, completed_on=TODAY, completed_by=manager, outcome="Done")
    shown = _shown(manager)
    assert (shown["total"], shown["overdue"], shown["hub_open"], shown["hub_overdue"]) == (1, 0, 2, 1)
    assert len(_shown(worker)["tasks"]) == 8 and _shown(worker)["more"]


def test_no_open_tasks_counts_nothing():
    manager = UserFactory(role=Role.HUB_MANAGER, hub=HubFactory())
    _task(manager, manager.hub, state=State.DONE)
    shown = _shown(manager)
    assert (shown["total"], shown["overdue"], shown["hub_open"], shown["hub_overdue"]) == (0, 0, 0, 0)
