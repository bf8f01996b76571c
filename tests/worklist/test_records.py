"""The worklist's rules and their messages, reassigning and completing (history and audit), meetings
whose actions become tasks, and the pages a task's owner and their manager use."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from nwd.access.models import AuditEvent
from nwd.access.roles import Role
from nwd.access.testing import sign_in
from nwd.worklist import services
from nwd.worklist.choices import MeetingKind, Source, State
from nwd.worklist.models import Attendee, Meeting, Task
from tests.factories import UserFactory, open_involvement

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _messages(error: ValidationError) -> str:
    return " ".join(m for ms in error.message_dict.values() for m in ms)


@pytest.fixture
def team():
    involvement = open_involvement()
    worker = involvement.allocations.get().key_worker
    manager = UserFactory(role=Role.HUB_MANAGER, hub=involvement.hub)
    return involvement.young_person, worker, manager


def test_a_task_says_what_is_wrong(team):
    person, worker, _ = team
    with pytest.raises(ValidationError) as error:
        services.add_task(person, title=" ", owner=worker, due=TODAY - dt.timedelta(days=1), by=worker)
    assert "Say what needs doing." in _messages(error.value)
    assert "The due date must be today or later." in _messages(error.value)
    gone = UserFactory(role=Role.KEY_WORKER, is_active=False)
    with pytest.raises(ValidationError, match="no longer has an account that is in use"):
        services.add_task(person, title="Visit", owner=gone, due=TODAY, by=worker)
    task = Task(title="x", owner=worker, due=TODAY, source=Source.CLOCK)
    with pytest.raises(ValidationError, match="names the clock and its condition"):
        task.full_clean()
    closed = Task(title="x", owner=worker, due=TODAY, state=State.CLOSED, completed_on=TODAY)
    with pytest.raises(ValidationError, match="Say why the task is no longer needed"):
        closed.full_clean()


def test_reassigning_and_completing_are_in_the_history_and_the_audit(team):
    person, worker, manager = team
    other = UserFactory(role=Role.KEY_WORKER, hub=manager.hub)
    task = services.add_task(person, title="Arrange the review", owner=worker, due=TODAY, by=manager)
    services.reassign_task(task, owner=other, by=manager)
    with pytest.raises(ValidationError, match="already"):
        services.reassign_task(task, owner=other, by=manager)
    services.complete_task(task, outcome="Booked for Tuesday", by=other)
    task.refresh_from_db()
    assert (task.state, task.owner, task.completed_by, task.completed_on) == (State.DONE, other, other, TODAY)
    rows = list(task.history.order_by("history_date").values_list("owner_id", "state", "history_user_id"))
    assert rows == [(worker.pk, "open", manager.pk), (other.pk, "open", manager.pk), (other.pk, "done", other.pk)]
    audited = AuditEvent.objects.filter(content_type__app_label="worklist", content_type__model="task",
                                        object_id=str(task.pk))
    assert audited.count() == 3 and set(audited.values_list("young_person", flat=True)) == {person.pk}
    with pytest.raises(ValidationError, match="already finished"):
        services.complete_task(task, by=other)


def test_a_meeting_needs_the_young_persons_view_decisions_and_attendees(team):
    person, worker, _ = team
    with pytest.raises(ValidationError) as error:
        services.record_meeting(person, kind=MeetingKind.STRATEGY, held_on=TODAY + dt.timedelta(days=1),
                                young_persons_view="", decisions="", others=[("Sam Patel", "")])
    said = _messages(error.value)
    for message in ("Record the young person's view", "Record what the meeting decided",
                    "Say which agency the outside professional is from", "cannot be in the future"):
        assert message in said
    assert not Meeting.objects.exists()
    with pytest.raises(ValidationError, match="Say who was at the meeting"):
        services.record_meeting(person, kind=MeetingKind.REVIEW, held_on=TODAY, young_persons_view="Wants to stay",
                                decisions="Carry on")
    with pytest.raises(ValidationError, match="leave the name and agency empty"):
        Attendee(staff=worker, name="x").clean()


def test_a_meetings_action_becomes_a_task_of_its_owner(team):
    person, worker, manager = team
    meeting = services.record_meeting(
        person, kind=MeetingKind.TEAM_AROUND, held_on=TODAY, young_persons_view="Wants to go back to school.",
        decisions="A school place is sought.", staff=[worker, manager], others=[("Sam Patel", "Greenfields Academy")],
        actions=[services.Action(title="Ask the school for a start date", owner=worker, due=TODAY + dt.timedelta(days=7))],
        chair=manager, by=manager)
    assert meeting.attendees.count() == 3 and meeting.history.count() == 1
    [task] = meeting.actions.all()
    assert (task.owner, task.source, task.young_person, task.due) == (worker, Source.MEETING, person,
                                                                      TODAY + dt.timedelta(days=7))
    assert worker.notifications.filter(reference=task.reference).exists()


def test_the_task_page_opens_for_its_owner_and_the_hubs_manager_only(client, team):
    person, worker, manager = team
    task = services.add_task(person, title="Arrange the review", owner=worker, due=TODAY, by=manager)
    sign_in(client, worker)
    assert "Arrange the review" in client.get("/tasks/").content.decode()
    assert client.get(f"/tasks/{task.pk}/").status_code == 200
    assert f"/young-people/{person.pk}/meetings/" in client.get(f"/young-people/{person.pk}/").content.decode()
    stranger = UserFactory(role=Role.KEY_WORKER)
    sign_in(client, stranger)
    assert client.get(f"/tasks/{task.pk}/").status_code == 404
    assert client.post(f"/tasks/{task.pk}/done/", {}).status_code == 404
    sign_in(client, manager)
    home = client.get("/").content.decode()
    assert "The hub&#x27;s open tasks: 1" in home or "The hub's open tasks: 1" in home
    assert client.post(f"/tasks/{task.pk}/done/", {"outcome": "Done"}).status_code == 302
    task.refresh_from_db()
    assert task.state == State.DONE and task.completed_by == manager
