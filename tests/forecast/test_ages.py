import datetime as dt

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from nwd.forecast.ages import add_years, age_on


def _age(dob: dt.date, day: dt.date) -> int:
    years = day.year - dob.year
    return years - ((day.month, day.day) < (dob.month, dob.day))


def test_29_february_birthday_is_1_march_in_other_years():
    dob = np.array(["2008-02-29"], dtype="datetime64[D]")
    assert add_years(dob, 18)[0] == np.datetime64("2026-03-01")
    assert add_years(dob, 16)[0] == np.datetime64("2024-02-29")
    assert age_on(dob, np.array(["2026-02-28"], dtype="datetime64[D]"))[0] == 17
    assert age_on(dob, np.array(["2026-03-01"], dtype="datetime64[D]"))[0] == 18


@given(st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)), st.dates(dt.date(1990, 1, 1), dt.date(2060, 12, 31)))
def test_age_on_agrees_with_whole_years_by_hand(dob, day):
    got = age_on(np.array([dob], dtype="datetime64[D]"), np.array([day], dtype="datetime64[D]"))[0]
    assert got == _age(dob, day)
