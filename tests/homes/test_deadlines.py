"""The regulation 44, 45 and 28-day clocks around their boundaries: the day before, on and after the
due day, month ends and leap years (pure date arithmetic, no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from nwd.homes import deadlines

D = dt.date


@pytest.mark.parametrize(("last", "due"), [
    (D(2025, 1, 15), D(2025, 2, 15)),
    (D(2025, 1, 31), D(2025, 2, 28)),   # a shorter month: its last day
    (D(2024, 1, 31), D(2024, 2, 29)),   # a leap year
    (D(2024, 2, 29), D(2024, 3, 29)),
    (D(2025, 3, 31), D(2025, 4, 30)),
    (D(2025, 12, 31), D(2026, 1, 31)),  # over the year's end
])
def test_the_monthly_visit_is_due_a_calendar_month_on(last, due):
    assert deadlines.visit_due(last, D(2020, 1, 1)) == due


def test_the_monthly_visit_is_overdue_from_the_day_after_it_is_due():
    due = deadlines.visit_due(D(2025, 1, 31), D(2020, 1, 1))
    assert not deadlines.overdue(due, D(2025, 2, 27))  # the day before
    assert not deadlines.overdue(due, D(2025, 2, 28))  # on the day
    assert deadlines.overdue(due, D(2025, 3, 1))  # the day after


def test_with_no_visit_the_clock_runs_from_the_day_the_records_start():
    assert deadlines.visit_due(None, D(2021, 6, 1)) == D(2021, 7, 1)
    assert deadlines.review_due(None, D(2021, 6, 1)) == D(2021, 12, 1)


@pytest.mark.parametrize(("last", "due"), [
    (D(2025, 3, 1), D(2025, 9, 1)),
    (D(2025, 8, 31), D(2026, 2, 28)),
    (D(2023, 8, 31), D(2024, 2, 29)),  # into a leap February
    (D(2024, 2, 29), D(2024, 8, 29)),
    (D(2025, 7, 15), D(2026, 1, 15)),
])
def test_the_review_is_due_six_calendar_months_on(last, due):
    assert deadlines.review_due(last, D(2020, 1, 1)) == due
    assert not deadlines.overdue(due, due - dt.timedelta(days=1))
    assert not deadlines.overdue(due, due)
    assert deadlines.overdue(due, due + dt.timedelta(days=1))


@pytest.mark.parametrize(("reviewed", "send_by"), [
    (D(2025, 3, 1), D(2025, 3, 29)),
    (D(2025, 2, 1), D(2025, 3, 1)),    # February has 28 days in 2025
    (D(2024, 2, 1), D(2024, 2, 29)),   # and 29 in 2024
    (D(2025, 12, 20), D(2026, 1, 17)),
])
def test_the_report_goes_to_ofsted_within_28_days(reviewed, send_by):
    assert deadlines.send_by(reviewed) == send_by
    assert not deadlines.overdue(send_by, send_by - dt.timedelta(days=1))
    assert not deadlines.overdue(send_by, send_by)
    assert deadlines.overdue(send_by, send_by + dt.timedelta(days=1))
