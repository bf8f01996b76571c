"""Windows and counting inside them: the conventions every figure depends on."""

import datetime as dt

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from nwd.core.dates import birthday
from nwd.evaluation.windows import (
    PersonIndex,
    SupportWindows,
    add_months,
    birthdays,
    count_in,
    latest_in,
    overlap_days,
    shift_months,
    to_days,
)

D = dt.date


def test_add_months_uses_calendar_months_and_clamps_to_the_month_end():
    assert add_months(D(2024, 3, 1), -12) == D(2023, 3, 1)
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert add_months(D(2023, 8, 31), 18) == D(2025, 2, 28)
    assert add_months(D(2022, 8, 31), 18) == D(2024, 2, 29)
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)


def test_birthdays_follow_the_legal_convention_for_29_february():
    born = to_days([D(2008, 2, 29), D(2007, 6, 1), None])
    got = birthdays(born, 18)
    assert got[0] == np.datetime64("2026-03-01")
    assert got[1] == np.datetime64("2025-06-01")
    assert np.isnat(got[2])


def test_an_event_on_the_start_date_is_in_the_after_window():
    windows = SupportWindows.around(to_days([D(2024, 3, 1)]), 12)
    days = to_days([D(2023, 2, 28), D(2023, 3, 1), D(2024, 2, 29), D(2024, 3, 1), D(2025, 2, 28), D(2025, 3, 1)])
    rows = np.zeros(len(days), dtype=np.int64)
    assert count_in(windows.before, rows, days).tolist() == [2.0]  # 1 Mar 2023 and 29 Feb 2024
    assert count_in(windows.after, rows, days).tolist() == [2.0]  # 1 Mar 2024 (the start) and 28 Feb 2025
    assert windows.before.days.tolist() == [366] and windows.after.days.tolist() == [365]


def test_clipping_shortens_windows_and_marks_them_partial():
    windows = SupportWindows.around(to_days([D(2024, 3, 1), D(2024, 3, 1)]), 12)
    clipped = windows.clip(lo=np.datetime64("2023-09-01"), hi=to_days([D(2024, 9, 1), None]))
    assert clipped.before.lo.tolist() == [D(2023, 9, 1)] * 2
    assert clipped.after.hi.tolist() == [D(2024, 9, 1), D(2025, 3, 1)]
    assert clipped.before.full.tolist() == [False, False]
    assert clipped.after.full.tolist() == [False, True]
    empty = windows.clip(hi=np.datetime64("2024-03-01"))
    assert empty.after.empty.tolist() == [True, True]
    assert empty.after.days.tolist() == [0, 0]


def test_overlap_days_counts_half_open_intervals_and_open_ends():
    windows = SupportWindows.around(to_days([D(2024, 3, 1)]), 12)
    starts = to_days([D(2023, 12, 1), D(2024, 2, 20), D(2025, 1, 1)])
    ends = to_days([D(2024, 1, 1), D(2024, 3, 11), None])
    rows = np.zeros(3, dtype=np.int64)
    # Before: 31 days in December and 20 Feb to 29 Feb (10 days).
    assert overlap_days(windows.before, rows, starts, ends, np.datetime64("2025-06-01")).tolist() == [41.0]
    # After: 1 to 10 March (10 days) and 1 January to 28 February 2025 (59 days, open-ended).
    assert overlap_days(windows.after, rows, starts, ends, np.datetime64("2025-06-01")).tolist() == [69.0]


def test_latest_in_takes_the_last_record_of_the_window():
    windows = SupportWindows.around(to_days([D(2024, 3, 1), D(2024, 3, 1)]), 12)
    days = to_days([D(2023, 6, 1), D(2023, 9, 1), D(2024, 6, 1)])
    values = np.array([3.0, 2.0, 0.0])
    rows = np.array([0, 0, 0])
    assert latest_in(windows.before, rows, days, values)[0] == 2.0
    assert latest_in(windows.after, rows, days, values)[0] == 0.0
    assert np.isnan(latest_in(windows.after, rows, days, values)[1])


def test_person_index_finds_rows_and_ignores_strangers():
    index = PersonIndex(np.array([30, 10, 20]))
    assert index.rows(np.array([10, 20, 30, 40, 5])).tolist() == [1, 2, 0, -1, -1]
    assert PersonIndex(np.array([], dtype=np.int64)).rows(np.array([1])).tolist() == [-1]


@given(st.lists(st.dates(min_value=D(1990, 1, 1), max_value=D(2030, 12, 31)), max_size=20),
       st.integers(min_value=-30, max_value=30))
def test_shifting_a_whole_array_agrees_with_one_date_at_a_time(days, months):
    got = shift_months(to_days(days), months)
    assert got.tolist() == [add_months(d, months) for d in days]


@given(st.lists(st.dates(min_value=D(1990, 1, 1), max_value=D(2015, 12, 31)), max_size=20),
       st.integers(min_value=0, max_value=25))
def test_birthdays_agree_with_the_casework_rule(born, age):
    assert birthdays(to_days(born), age).tolist() == [birthday(d, age) for d in born]
