"""The clocks around their boundaries (the day before, the day, the day after), idempotence, and
tasks closing themselves when the clock's condition is met."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from nwd.access.roles import Role
from nwd.care.models import CareEpisode, CarePeriod
from nwd.casework import services as casework
from nwd.casework.choices import Decision, Urgency
from nwd.casework.queries import REVIEW_DUE_SOON_DAYS
from nwd.jobs import periodic
from nwd.jobs.models import Job
from nwd.jobs.testing import run_queued
from nwd.leavers import queries as leaver_queries
from nwd.leavers import services as leavers
from nwd.worklist import clocks
from nwd.worklist.choices import Source, State
from nwd.worklist.clocks.leavers import CONTACT_LEAD_DAYS, REVIEW_LEAD_DAYS
from nwd.worklist.models import Task
from tests.factories import HubFactory, ReferralFactory, UserFactory, YoungPersonFactory, open_involvement

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def _tasks(clock: str):
    return Task.objects.filter(clock=clock)


def test_a_plan_review_raises_the_key_workers_task_a_week_before_and_closes_once_reviewed():
    involvement = open_involvement(start=dt.date(2025, 1, 6))
    person = involvement.young_person
    worker = involvement.allocations.get().key_worker
    due = dt.date(2025, 6, 30)
    plan = casework.start_plan(person, dt.date(2025, 1, 6), next_review_due=due)
    first = due - dt.timedelta(days=REVIEW_DUE_SOON_DAYS)
    assert clocks.run(first - DAY, only=["plan-review"])["plan-review"]["raised"] == 0
    assert clocks.run(first, only=["plan-review"])["plan-review"]["raised"] == 1
    assert clocks.run(due + DAY, only=["plan-review"])["plan-review"] == {"raised": 0, "closed": 0}  # twice: no duplicate
    [task] = _tasks("plan-review")
    assert (task.owner, task.young_person, task.due, task.source, task.state) == (worker, person, due, Source.CLOCK, State.OPEN)
    assert task.overdue(due + DAY) and not task.overdue(due)
    assert task.hub == involvement.hub
    # The review is recorded with the next one in six months: this task closes, none is raised yet.
    casework.record_plan_review(plan, reviewed_on=due, progress={}, by=worker, next_review_due=dt.date(2025, 12, 31))
    assert clocks.run(due + DAY, only=["plan-review"])["plan-review"] == {"raised": 0, "closed": 1}
    task.refresh_from_db()
    assert task.state == State.CLOSED and "reviewed" in task.outcome
    assert task.history.count() == 2  # raised, then closed: both kept


def test_a_referral_not_decided_within_five_working_days_raises_the_hub_managers_task():
    hub = HubFactory()
    manager = UserFactory(role=Role.HUB_MANAGER, hub=hub)
    service = UserFactory(role=Role.SERVICE_MANAGER)
    received = dt.date(2025, 3, 7)  # a Friday: 5 working days end on Friday 14 March
    referral = ReferralFactory(received=received, urgency=Urgency.ROUTINE)
    last_day = dt.date(2025, 3, 14)
    assert clocks.run(last_day, only=["referral-decision"])["referral-decision"]["raised"] == 0
    assert clocks.run(last_day + DAY, only=["referral-decision"])["referral-decision"]["raised"] == 1
    [task] = _tasks("referral-decision")
    assert task.owner == service  # nobody supports the young person yet: the service manager's
    assert task.due == last_day + DAY and f"R-{referral.pk:06d}" in task.title
    # Supported at a hub: a second referral of them is that hub's manager's.
    open_involvement(young_person=referral.young_person, hub=hub)
    again = ReferralFactory(young_person=referral.young_person, received=dt.date(2025, 3, 17), urgency=Urgency.URGENT)
    clocks.run(dt.date(2025, 3, 18), only=["referral-decision"])  # urgent: decided by the day after
    assert not _tasks("referral-decision").filter(clock_key=f"referral:{again.pk}").exists()
    clocks.run(dt.date(2025, 3, 19), only=["referral-decision"])
    assert _tasks("referral-decision").get(clock_key=f"referral:{again.pk}").owner == manager
    casework.decide_referral(referral, Decision.OUTREACH, dt.date.today(), by=manager)
    counts = clocks.run(dt.date(2025, 3, 20), only=["referral-decision"])["referral-decision"]
    assert counts["closed"] == 1
    assert _tasks("referral-decision").get(clock_key=f"referral:{referral.pk}").state == State.CLOSED


def test_bank_holidays_are_not_working_days_for_the_referral_clock():
    UserFactory(role=Role.SERVICE_MANAGER)
    ReferralFactory(received=dt.date(2025, 4, 17), urgency=Urgency.ROUTINE)  # Good Friday, Easter Monday follow
    # Thu 17 + 5 working days, leaving out Good Friday and Easter Monday: Mon 28 is the last day.
    clocks.run(dt.date(2025, 4, 28), only=["referral-decision"])
    assert not _tasks("referral-decision").exists()
    clocks.run(dt.date(2025, 4, 29), only=["referral-decision"])
    assert _tasks("referral-decision").count() == 1


@pytest.fixture
def leaver():
    person = YoungPersonFactory(date_of_birth=dt.date(2006, 4, 2))
    period = CarePeriod.objects.create(young_person=person, start=dt.date(2021, 1, 4), end=dt.date(2024, 4, 2))
    CareEpisode.objects.create(young_person=person, period=period, decom=dt.date(2021, 1, 4), dec=dt.date(2024, 4, 2),
                               rne="S", ls="C2", cin="N1", place="U4", place_provider="PR1", rec="E17")
    adviser = UserFactory(role=Role.PERSONAL_ADVISER, hub=None)
    return leavers.start_care_leaver(person, personal_adviser=adviser, by=adviser)


def test_the_pathway_plan_review_raises_the_advisers_task_two_weeks_before(leaver):
    plan = leavers.record_pathway_plan(leaver, started=dt.date(2025, 1, 15))
    due = dt.date(2025, 7, 15)
    first = due - dt.timedelta(days=REVIEW_LEAD_DAYS)
    assert clocks.run(first - DAY, only=["pathway-review"])["pathway-review"]["raised"] == 0
    assert clocks.run(first, only=["pathway-review"])["pathway-review"]["raised"] == 1
    clocks.run(due + DAY, only=["pathway-review"])
    [task] = _tasks("pathway-review")
    assert (task.owner, task.due, task.young_person) == (leaver.personal_adviser, due, leaver.young_person)
    leavers.review_pathway_plan(plan, reviewed_on=dt.date(2025, 7, 10))
    assert clocks.run(dt.date(2025, 7, 16), only=["pathway-review"])["pathway-review"] == {"raised": 0, "closed": 1}


def test_the_adviser_contact_is_raised_a_week_before_it_is_due_and_closed_by_a_contact(leaver):
    leavers.record_contact(leaver, on=dt.date(2025, 3, 1), kind="visit", adviser=leaver.personal_adviser)
    row = leaver_queries.with_due(type(leaver).objects.filter(pk=leaver.pk)).get()
    due = leaver_queries.contact_due(row)
    assert due == dt.date(2025, 5, 1)
    first = due - dt.timedelta(days=CONTACT_LEAD_DAYS)
    assert clocks.run(first - DAY, only=["adviser-contact"])["adviser-contact"]["raised"] == 0
    assert clocks.run(first, only=["adviser-contact"])["adviser-contact"]["raised"] == 1
    assert clocks.run(due + DAY, only=["adviser-contact"])["adviser-contact"]["raised"] == 0
    leavers.record_contact(leaver, on=dt.date(2025, 5, 2), kind="phone", adviser=leaver.personal_adviser)
    counts = clocks.run(dt.date(2025, 5, 3), only=["adviser-contact"])["adviser-contact"]
    assert counts == {"raised": 0, "closed": 1}


def test_the_clocks_run_as_a_periodic_job_on_the_queue_and_by_the_command(settings, capsys):
    involvement = open_involvement(start=dt.date(2025, 1, 6))
    casework.start_plan(involvement.young_person, dt.date(2025, 1, 6), next_review_due=dt.date.today())
    [job] = periodic.start_due()
    assert job.kind == "raise-tasks" and periodic.start_due() == []  # one waiting: no second
    assert run_queued() >= 1
    job.refresh_from_db()
    assert job.state == "done" and job.result["plan-review"]["raised"] == 1
    assert periodic.start_due() == []  # less than NWD_CLOCKS_EVERY_SECONDS since
    Job.objects.filter(pk=job.pk).update(created_at=job.created_at - dt.timedelta(seconds=settings.NWD_CLOCKS_EVERY_SECONDS))
    assert len(periodic.start_due()) == 1
    call_command("raise-tasks")
    assert "plan-review: 0 raised, 0 closed" in capsys.readouterr().out
    assert Task.objects.filter(clock="plan-review").count() == 1
