"""Ages and birthdays on whole arrays of dates (numpy ``datetime64[D]``).

Ageing happens on birthdays, so a stay is split exactly at each birthday and leaving care at 18
falls on the 18th birthday. A birthday on 29 February falls on 1 March in other years, as in
English law (and as ``nwd.core.dates`` does for one date at a time).
"""

from __future__ import annotations

import numpy as np

DAY = np.timedelta64(1, "D")


def add_years(dob: np.ndarray, years: np.ndarray | int) -> np.ndarray:
    """The date ``years`` after ``dob`` (the birthday), 29 February going to 1 March."""
    dob = np.asarray(dob, dtype="datetime64[D]")
    month = dob.astype("datetime64[M]")
    day_of_month = (dob - month.astype("datetime64[D]")).astype(np.int64)
    target = (month + np.asarray(years, dtype=np.int64) * 12).astype("datetime64[D]")
    # Day 29 of a February that has 28 days runs on into 1 March, which is the rule we want.
    on: np.ndarray = target + day_of_month
    return on


def age_on(dob: np.ndarray, day: np.ndarray | np.datetime64) -> np.ndarray:
    """Age in whole years on ``day``."""
    dob = np.asarray(dob, dtype="datetime64[D]")
    day = np.asarray(day, dtype="datetime64[D]")
    years = day.astype("datetime64[Y]").astype(np.int64) - dob.astype("datetime64[Y]").astype(np.int64)
    return years - (add_years(dob, years) > day)
