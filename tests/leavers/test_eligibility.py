"""The leaving-care category from the care history (pure: no database)."""

from __future__ import annotations

import datetime as dt

from nwd.leavers.eligibility import derive

DOB = dt.date(2008, 5, 10)  # 14 on 10/05/2022, 16 on 10/05/2024, 18 on 10/05/2026


def test_thirteen_weeks_from_14_ending_after_16_still_in_care_is_eligible():
    got = derive(DOB, [(dt.date(2024, 1, 1), None, "C2")], dt.date(2024, 9, 1))
    assert got.category == "eligible" and got.left_care is None


def test_left_at_17_after_thirteen_weeks_is_relevant():
    got = derive(DOB, [(dt.date(2024, 1, 1), dt.date(2025, 6, 1), "C2")], dt.date(2025, 9, 1))
    assert got.category == "relevant" and got.left_care == dt.date(2025, 6, 1)


def test_at_18_and_over_it_is_former_relevant():
    got = derive(DOB, [(dt.date(2024, 1, 1), dt.date(2026, 5, 10), "C2")], dt.date(2026, 6, 1))
    assert got.category == "former_relevant"


def test_thirteen_weeks_is_91_days_the_day_before_is_not_enough():
    start = dt.date(2024, 3, 1)
    enough = derive(DOB, [(start, start + dt.timedelta(days=91), "V2")], dt.date(2025, 1, 1))
    short = derive(DOB, [(start, start + dt.timedelta(days=90), "V2")], dt.date(2025, 1, 1))
    assert enough.category == "relevant"
    assert short.category == "qualifying"
    assert "fewer than 13" in short.reason


def test_short_breaks_do_not_count_and_care_ending_before_16_makes_no_care_leaver():
    assert derive(DOB, [(dt.date(2024, 1, 1), None, "V3")], dt.date(2024, 9, 1)).category is None
    before_16 = derive(DOB, [(dt.date(2022, 6, 1), dt.date(2024, 1, 1), "C2")], dt.date(2025, 1, 1))
    assert before_16.category is None and "16th birthday" in before_16.reason


def test_after_25_the_duties_have_ended():
    assert derive(DOB, [(dt.date(2024, 1, 1), dt.date(2026, 5, 10), "C2")], dt.date(2034, 6, 1)).category is None
