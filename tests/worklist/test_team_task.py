"""A task about no young person (issue 16, item 1): set from the tasks page, recorded and audited."""

from __future__ import annotations

import datetime as dt

import pytest

from nwd.access.models import AuditEvent
from nwd.access.roles import Role
from nwd.access.testing import sign_in
from nwd.worklist.models import Task
from tests.factories import HubFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def test_a_task_about_no_young_person_is_set_from_the_tasks_page(client):
    hub = HubFactory()
    manager = UserFactory(role=Role.HUB_MANAGER, hub=hub)
    worker = UserFactory(role=Role.RESIDENTIAL_WORKER, hub=hub)
    sign_in(client, manager)
    assert "/tasks/new/" in client.get("/tasks/").content.decode()
    refused = client.post("/tasks/new/", {"title": "", "due": "", "owner": worker.pk})
    assert refused.status_code == 422 and "Say what needs doing." in refused.content.decode()
    done = client.post("/tasks/new/", {"title": "Fire drill for the night staff", "due_day": TODAY.day,
                                       "due_month": TODAY.month, "due_year": TODAY.year, "owner": worker.pk,
                                       "details": ""})
    assert done.status_code == 302 and done["Location"] == "/tasks/"
    task = Task.objects.get(title="Fire drill for the night staff")
    assert (task.young_person, task.owner, task.hub, task.source) == (None, worker, hub, "hand")
    assert task.history.get().history_user == manager
    assert AuditEvent.objects.filter(user=manager, object_id=str(task.pk), action="create").exists()
    sign_in(client, worker)  # the owner sees it, and is told of it
    assert "Fire drill for the night staff" in client.get("/tasks/").content.decode()
    assert client.get(f"/tasks/{task.pk}/").status_code == 200


def test_a_partner_referrer_may_not_set_one(client):
    sign_in(client, UserFactory(role=Role.PARTNER_REFERRER))
    assert client.get("/tasks/new/").status_code == 403
