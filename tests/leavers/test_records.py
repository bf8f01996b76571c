"""Care leaver records: rules and their messages, services, history and audit, and the alerts
around their deadlines (the day before, the day, the day after)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from nwd.access.models import AuditEvent
from nwd.access.roles import Role
from nwd.care.models import CareEpisode, CarePeriod
from nwd.leavers import queries, services
from nwd.leavers.models import CareLeaver
from nwd.leavers.queries import add_months, alerts_of
from tests.factories import UserFactory, YoungPersonFactory

DOB = dt.date(2006, 4, 2)


def _row(**kw):
    base = {"plan_started": dt.date(2025, 1, 15), "last_review": None, "last_contact": dt.date(2025, 3, 1),
            "last_move": None, "left_care": dt.date(2024, 4, 2), "created_at": dt.datetime(2024, 4, 2, tzinfo=dt.UTC),
            "support_ended": None}
    base.update(kw)
    return SimpleNamespace(**base)


def _keys(row, today):
    return {(a.key, a.colour) for a in alerts_of(row, today)}


def test_the_pathway_plan_review_is_overdue_the_day_after_six_months():
    row = _row(last_contact=dt.date(2025, 7, 1))
    due = dt.date(2025, 7, 15)
    assert queries.review_due(row) == due
    assert ("review", "red") not in _keys(row, due - dt.timedelta(days=1))
    assert ("review", "red") not in _keys(row, due)
    assert ("review", "red") in _keys(row, due + dt.timedelta(days=1))
    # a review restarts the clock
    assert queries.review_due(_row(last_review=dt.date(2025, 6, 30))) == dt.date(2025, 12, 30)


def test_the_adviser_visit_is_overdue_the_day_after_two_months():
    row = _row(plan_started=dt.date(2025, 4, 1))
    due = dt.date(2025, 5, 1)
    assert queries.contact_due(row) == due
    assert ("contact", "red") not in _keys(row, due - dt.timedelta(days=1))
    assert ("contact", "red") not in _keys(row, due)
    assert ("contact", "red") in _keys(row, due + dt.timedelta(days=1))


def test_after_a_move_the_visit_is_due_within_seven_days():
    row = _row(plan_started=dt.date(2025, 4, 1), last_move=dt.date(2025, 3, 10))
    due = dt.date(2025, 3, 17)
    assert queries.contact_due(row) == due
    assert ("contact", "red") not in _keys(row, due)
    words = [a.text for a in alerts_of(row, due + dt.timedelta(days=1))]
    assert any("after a move" in w for w in words)
    # a visit after the move answers it
    assert queries.contact_due(_row(last_move=dt.date(2025, 3, 10), last_contact=dt.date(2025, 3, 12))) == \
        dt.date(2025, 5, 12)


def test_no_alerts_once_support_has_ended_and_months_end_on_the_last_day():
    assert alerts_of(_row(support_ended=dt.date(2025, 1, 1)), dt.date(2026, 1, 1)) == []
    assert add_months(dt.date(2025, 8, 31), 6) == dt.date(2026, 2, 28)


@pytest.fixture
def leaver(db):
    person = YoungPersonFactory(date_of_birth=DOB)
    period = CarePeriod.objects.create(young_person=person, start=dt.date(2021, 1, 4), end=dt.date(2024, 4, 2))
    CareEpisode.objects.create(young_person=person, period=period, decom=dt.date(2021, 1, 4), dec=dt.date(2024, 4, 2),
                               rne="S", ls="C2", cin="N1", place="U4", place_provider="PR1", rec="E17")
    adviser = UserFactory(role=Role.PERSONAL_ADVISER, hub=None)
    return services.start_care_leaver(person, personal_adviser=adviser, by=adviser)


@pytest.mark.django_db
def test_starting_a_record_derives_the_category_and_keeps_history_and_audit(leaver):
    assert leaver.category == "former_relevant"
    assert leaver.left_care == dt.date(2024, 4, 2)
    assert "weeks" in leaver.category_reason
    services.record_status(leaver, in_touch="YES", activity="F4", status_on=dt.date(2025, 5, 1),
                           by=leaver.personal_adviser)
    assert leaver.history.count() == 2
    assert AuditEvent.objects.filter(young_person=leaver.young_person, action="change").exists()


@pytest.mark.django_db
def test_the_rules_say_what_is_wrong(leaver):
    adviser = leaver.personal_adviser
    with pytest.raises(ValidationError) as error:
        services.record_status(leaver, in_touch="NO", activity="F4", status_on=dt.date(2025, 5, 1), by=adviser)
    assert "Not applicable (not in touch)" in str(error.value)
    leaver.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.change_category(leaver, category="eligible", reason="typed", by=adviser)
    assert "still looked after" in str(error.value)
    leaver.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.change_adviser(leaver, personal_adviser=UserFactory(role=Role.KEY_WORKER), by=adviser)
    assert "is not a personal adviser" in str(error.value)
    leaver.refresh_from_db()
    plan = services.record_pathway_plan(leaver, started=dt.date(2024, 5, 1), by=adviser)
    with pytest.raises(ValidationError) as error:
        services.review_pathway_plan(plan, reviewed_on=dt.date(2024, 4, 1), by=adviser)
    assert "cannot come before the plan was agreed" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.record_move(leaver, start=dt.date(2024, 5, 1), accommodation="0", by=adviser)
    assert "Choose where the young person lives" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.record_arrangement(leaver, kind="staying_put", start=dt.date(2024, 5, 1), end=dt.date(2024, 4, 1),
                                    by=adviser)
    assert "must be on or after" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.record_contact(leaver, on=dt.date(2099, 1, 1), kind="visit", adviser=adviser, by=adviser)
    assert "cannot be in the future" in str(error.value)


@pytest.mark.django_db
def test_a_young_person_the_history_does_not_make_a_care_leaver_needs_a_category_and_a_reason():
    person = YoungPersonFactory(date_of_birth=DOB)
    with pytest.raises(ValidationError) as error:
        services.start_care_leaver(person, personal_adviser=None)
    assert "does not make" in str(error.value)
    with pytest.raises(ValidationError):
        services.start_care_leaver(person, personal_adviser=None, category="qualifying")
    record = services.start_care_leaver(person, personal_adviser=None, category="qualifying",
                                        reason="Special guardianship order after care, not in the 903.")
    assert CareLeaver.objects.get(pk=record.pk).category == "qualifying"


@pytest.mark.django_db
def test_the_list_is_annotated_in_a_fixed_number_of_queries(leaver, django_assert_max_num_queries):
    services.record_contact(leaver, on=dt.date(2025, 1, 1), kind="visit", adviser=leaver.personal_adviser)
    services.record_move(leaver, start=dt.date(2025, 2, 1), accommodation="U1")
    with django_assert_max_num_queries(1):
        rows = list(queries.with_due(CareLeaver.objects.all()))
    assert rows[0].last_contact == dt.date(2025, 1, 1) and rows[0].last_move == dt.date(2025, 2, 1)
    assert rows[0].accommodation_now == "U1"
