"""A time window's start written into the SQL as its day (nwd.core.windows): never after the window's
own start, the same rows as the window alone, a constant on PostgreSQL (no parameter) and nothing on
SQLite."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from nwd.casework.models import Contact, YoungPerson
from nwd.core.windows import day_floor, not_before
from tests.factories import ContactFactory, YoungPersonFactory

LONDON = ZoneInfo("Europe/London")
on_postgresql = connection.vendor == "postgresql"


def test_the_bound_is_the_utc_midnight_that_begins_the_moments_day():
    # 00:30 in London in summer is 23:30 UTC the day before: the bound is that UTC day's midnight.
    moment = dt.datetime(2026, 7, 1, 0, 30, tzinfo=LONDON)
    assert day_floor(moment) == dt.datetime(2026, 6, 30, tzinfo=dt.UTC)
    for moment in (dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC), dt.datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=LONDON),
                   dt.datetime(2026, 1, 1, tzinfo=dt.UTC)):
        bound = day_floor(moment)
        assert bound <= moment
        assert moment - bound < dt.timedelta(days=1)
        assert day_floor(bound) == bound
    assert day_floor(dt.date(2026, 5, 4)) == dt.date(2026, 5, 4)
    with pytest.raises(ValueError, match="naive"):
        day_floor(dt.datetime(2026, 5, 4, 12, 0))


@pytest.mark.django_db
def test_the_window_gives_the_same_rows_and_the_bound_is_a_constant():
    person = YoungPersonFactory()
    times = [dt.datetime(2026, 5, d, h, tzinfo=dt.UTC) for d in (2, 3, 4) for h in (0, 9, 23)]
    for at in times:
        ContactFactory(young_person=person, at=at)
    since = dt.datetime(2026, 5, 3, 9, tzinfo=dt.UTC)
    window = Contact.objects.filter(young_person=person, at__gte=since)
    hinted = window.filter(not_before("at", day_floor(since)))
    assert sorted(c.at for c in hinted) == sorted(c.at for c in window) == [t for t in times if t >= since]
    sql, params = hinted.query.sql_with_params()
    assert params == window.query.sql_with_params()[1]  # no parameter more
    assert ("'2026-05-03T00:00:00+00:00'::timestamptz" in sql) is on_postgresql


@pytest.mark.django_db
def test_the_bound_is_a_real_condition_on_postgresql_and_lets_empty_values_through_when_asked():
    early = ContactFactory(at=dt.datetime(2026, 5, 2, 23, tzinfo=dt.UTC))
    late = ContactFactory(at=dt.datetime(2026, 5, 3, 0, tzinfo=dt.UTC))
    found = set(Contact.objects.filter(pk__in=[early.pk, late.pk]).filter(not_before("at", dt.datetime(2026, 5, 3, tzinfo=dt.UTC))))
    assert found == ({late} if on_postgresql else {early, late})
    dead, alive, earlier = (YoungPersonFactory(date_of_death=dt.date(2026, 5, 3)), YoungPersonFactory(date_of_death=None),
                            YoungPersonFactory(date_of_death=dt.date(2026, 5, 2)))
    people = YoungPerson.objects.filter(pk__in=[dead.pk, alive.pk, earlier.pk])
    assert set(people.filter(not_before("date_of_death", dt.date(2026, 5, 3), or_null=True))) == (
        {dead, alive} if on_postgresql else {dead, alive, earlier})
    assert set(people.filter(not_before("date_of_death", dt.date(2026, 5, 3)))) == (
        {dead} if on_postgresql else {dead, alive, earlier})
    if on_postgresql:
        with pytest.raises(ValueError, match="naive"):
            not_before("at", dt.datetime(2026, 5, 3))
