"""The children's homes' and safeguarding's clocks around their boundaries (the day before, the day,
the day after), who owns each task, idempotence, and the tasks closing once the step is recorded.

Safeguarding's deadlines are datetimes: the task is raised from the day of the event and due on the
deadline's day (a step done at the deadline is in time, so the task is overdue from the next day)."""

from __future__ import annotations

import datetime as dt

import pytest

from nwd.access.roles import Role
from nwd.events import services as events
from nwd.homes import services as homes
from nwd.safeguarding import services as safeguarding
from nwd.safeguarding.models import Body, NotifiableKind
from nwd.worklist import clocks
from nwd.worklist.choices import State
from nwd.worklist.clocks.homes import REVIEW_LEAD_DAYS, VISIT_LEAD_DAYS
from nwd.worklist.models import Task
from tests.factories import HubFactory, UserFactory
from tests.safeguarding.conftest import EVENT, home  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)
ON = EVENT.date()  # 2 June 2025; the event at 21:30


def _run(name: str, today: dt.date) -> dict[str, int]:
    return clocks.run(today, only=[name], tell=False)[name]


def _task(name: str) -> Task:
    return Task.objects.get(clock=name)


def test_the_new_clocks_are_registered():
    names = set(clocks.load())
    assert {"return-interview", "restraint-staff-talk", "restraint-young-person-talk", "reg40-notification",
            "reg44-visit", "reg45-review", "reg45-report", "home-action"} <= names


def _restraint(home):  # noqa: F811
    return safeguarding.record_restraint(home.hub, young_person=home.person, occurred_at=EVENT, place="Kitchen",
                                         measure="restraint", used_by="Sam Worker", led_to="Threw a chair.",
                                         tried_first="Talking.", effect="Calmed.", duration_minutes=4,
                                         written_at=EVENT + HOUR, by=home.worker)


def test_a_restraint_raises_the_managers_48_hour_task_and_the_5_day_talk(home):  # noqa: F811
    record = _restraint(home)
    assert _run("restraint-staff-talk", ON - DAY)["raised"] == 0  # the day before the event: nothing
    assert _run("restraint-staff-talk", ON)["raised"] == 1
    assert _run("restraint-staff-talk", ON + DAY) == {"raised": 0, "closed": 0}  # twice: no duplicate
    task = _task("restraint-staff-talk")
    # 21:30 on 2 June + 48 hours: due 4 June, overdue from 5 June
    assert (task.owner, task.due, task.young_person) == (home.manager, dt.date(2025, 6, 4), home.person)
    assert not task.overdue(dt.date(2025, 6, 4)) and task.overdue(dt.date(2025, 6, 5))
    assert _run("restraint-young-person-talk", ON)["raised"] == 1
    talk = _task("restraint-young-person-talk")
    assert (talk.owner, talk.due) == (home.key_worker, dt.date(2025, 6, 7))  # 5 days: 7 June 21:30
    safeguarding.sign_staff_talk(record, notes="Talked it through.", spoken_at=EVENT + 48 * HOUR, by=home.manager)
    assert _run("restraint-staff-talk", dt.date(2025, 6, 5)) == {"raised": 0, "closed": 1}
    assert _task("restraint-staff-talk").state == State.CLOSED
    assert _run("restraint-young-person-talk", dt.date(2025, 6, 5)) == {"raised": 0, "closed": 0}  # still to do
    record.refresh_from_db()
    safeguarding.confirm_young_person_talk(record, view="Felt it was fair.", spoken_at=EVENT + 24 * HOUR,
                                           by=home.key_worker)
    assert _run("restraint-young-person-talk", dt.date(2025, 6, 5)) == {"raised": 0, "closed": 1}


def test_a_return_raises_the_key_workers_return_interview_task_due_in_72_hours(home):  # noqa: F811
    episode = events.record_missing_episode(home.person, EVENT - HOUR * 6)
    assert _run("return-interview", ON)["raised"] == 0  # still missing: no return yet
    episode = events.record_return(episode, ended_at=EVENT)
    assert _run("return-interview", ON - DAY)["raised"] == 0  # before the return
    assert _run("return-interview", ON)["raised"] == 1
    task = _task("return-interview")
    assert (task.owner, task.due) == (home.key_worker, dt.date(2025, 6, 5))  # 21:30 on 5 June
    assert not task.overdue(dt.date(2025, 6, 5)) and task.overdue(dt.date(2025, 6, 6))
    safeguarding.record_return_interview(episode, offered_at=EVENT + 72 * HOUR)  # at the deadline: in time
    assert _run("return-interview", dt.date(2025, 6, 6)) == {"raised": 0, "closed": 1}


def test_a_return_of_someone_without_a_key_worker_is_the_hub_managers(home):  # noqa: F811
    allocation = home.involvement.allocations.get()
    allocation.end = dt.date(2025, 5, 20)
    allocation.save()
    episode = events.record_missing_episode(home.person, EVENT - HOUR * 6)
    events.record_return(episode, ended_at=EVENT)
    _run("return-interview", ON)
    assert _task("return-interview").owner == home.manager


def test_a_notification_not_yet_sent_to_every_body_is_the_hub_managers_task(home):  # noqa: F811
    notification = safeguarding.raise_notification(home.hub, young_person=home.person, summary="Police called.",
                                                   kind=NotifiableKind.POLICE, event_at=EVENT, by=home.manager)
    assert _run("reg40-notification", ON - DAY)["raised"] == 0
    assert _run("reg40-notification", ON)["raised"] == 1
    task = _task("reg40-notification")
    assert (task.owner, task.due) == (home.manager, dt.date(2025, 6, 3))  # 24 hours: 21:30 on 3 June
    for body in (Body.OFSTED, Body.PLACING):
        safeguarding.record_told(notification, body=body, told_at=EVENT + HOUR, by=home.manager)
    assert _run("reg40-notification", dt.date(2025, 6, 3)) == {"raised": 0, "closed": 0}  # the host not yet told
    assert "The local authority where the home is" in _task("reg40-notification").details
    safeguarding.record_told(notification, body=Body.HOST, told_at=EVENT + HOUR, by=home.manager)
    assert _run("reg40-notification", dt.date(2025, 6, 3)) == {"raised": 0, "closed": 1}


@pytest.fixture
def hub():
    hub = HubFactory(opened=dt.date(2024, 1, 15))
    manager = UserFactory(role=Role.HUB_MANAGER, hub=hub)
    return hub, manager


def test_the_regulation_44_visit_is_raised_a_week_before_and_closed_by_the_next_visit(hub):
    hub, manager = hub
    homes.record_visit(hub, visited_on=dt.date(2025, 1, 31), independent_person="Pat Visitor", summary="All well.")
    due = dt.date(2025, 2, 28)  # a month on, clamped to February's end
    first = due - dt.timedelta(days=VISIT_LEAD_DAYS)
    assert _run("reg44-visit", first - DAY)["raised"] == 0
    assert _run("reg44-visit", first)["raised"] == 1
    assert _run("reg44-visit", due + DAY) == {"raised": 0, "closed": 0}
    task = _task("reg44-visit")
    assert (task.owner, task.due, task.hub, task.young_person) == (manager, due, hub, None)
    assert task.overdue(due + DAY) and not task.overdue(due)
    homes.record_visit(hub, visited_on=dt.date(2025, 3, 1), independent_person="Pat Visitor", summary="All well.")
    assert _run("reg44-visit", dt.date(2025, 3, 2)) == {"raised": 0, "closed": 1}  # next due 1 April: not yet


def test_the_regulation_45_review_and_its_report_to_ofsted_within_28_days(hub):
    hub, manager = hub
    review = homes.record_review(hub, reviewed_on=dt.date(2025, 3, 1), period_start=dt.date(2024, 9, 1),
                                 summary="Good progress.")
    send_by = dt.date(2025, 3, 29)
    assert _run("reg45-report", dt.date(2025, 3, 21))["raised"] == 0  # 8 days before
    assert _run("reg45-report", dt.date(2025, 3, 22))["raised"] == 1  # a week before, as the alert turns orange
    task = _task("reg45-report")
    assert (task.owner, task.due) == (manager, send_by)
    assert not task.overdue(send_by) and task.overdue(send_by + DAY)
    homes.mark_sent_to_ofsted(review, sent_on=send_by)
    assert _run("reg45-report", send_by + DAY) == {"raised": 0, "closed": 1}
    due = dt.date(2025, 9, 1)
    first = due - dt.timedelta(days=REVIEW_LEAD_DAYS)
    assert _run("reg45-review", first - DAY)["raised"] == 0
    assert _run("reg45-review", first)["raised"] == 1
    assert _task("reg45-review").due == due


def test_an_overdue_action_is_its_owners_task_until_done(hub):
    hub, manager = hub
    worker = UserFactory(role=Role.RESIDENTIAL_WORKER, hub=hub)
    visit = homes.record_visit(hub, visited_on=dt.date(2025, 4, 1), independent_person="Pat Visitor",
                               summary="Fix the fire door.")
    action = homes.add_action(visit, recommendation="Repair the fire door.", owner=worker, due=dt.date(2025, 4, 20))
    assert _run("home-action", dt.date(2025, 4, 20))["raised"] == 0  # due that day: not overdue yet
    assert _run("home-action", dt.date(2025, 4, 21))["raised"] == 1
    task = _task("home-action")
    assert (task.owner, task.due, task.hub) == (worker, dt.date(2025, 4, 20), hub)
    homes.complete_action(action, done_on=dt.date(2025, 4, 22), outcome="Repaired.")
    assert _run("home-action", dt.date(2025, 4, 23)) == {"raised": 0, "closed": 1}
