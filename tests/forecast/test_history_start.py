"""The forecast's database adapter takes the care history to begin where the evaluation does: one rule
(``nwd.care.coverage``), asked with the days periods of care ended, no evaluation dataset faked."""

import datetime as dt

import numpy as np
import polars as pl

from nwd.care.coverage import MIN_ENDS_FOR_YEARS, first_complete_year
from nwd.forecast.from_database import history_start

D = dt.date
AS_OF = D(2025, 6, 30)
STRAY = [D(2010, 5, 1), D(2012, 7, 1), D(2016, 1, 1)]
STEADY = [D(year, 4, 1) + dt.timedelta(days=6 * i) for year in range(2019, 2025) for i in range(60)]


def episodes(ends, rec="E11"):
    """One episode per end (DECOM long before), ending with ``rec``."""
    return pl.DataFrame({
        "DECOM": [D(2005, 1, 1)] * len(ends), "DEC": ends, "REC": [rec] * len(ends),
    }, schema={"DECOM": pl.Date, "DEC": pl.Date, "REC": pl.Utf8})


def test_the_history_begins_in_the_first_year_a_typical_number_left_care(settings):
    settings.NWD_EVALUATION = {}
    start, note = history_start(AS_OF, episodes(STRAY + STEADY))
    assert start == D(2019, 4, 1)
    assert first_complete_year(np.array(STRAY + STEADY, dtype="datetime64[D]"), AS_OF) == np.datetime64("2019-04-01")
    assert "01/04/2019" in note


def test_episodes_that_go_on_x1_do_not_end_a_period_of_care(settings):
    settings.NWD_EVALUATION = {}
    assert history_start(AS_OF, episodes(STRAY + STEADY, rec="X1")) == (None, "")


def test_too_few_ends_say_nothing_and_the_earliest_decom_is_the_start(settings):
    settings.NWD_EVALUATION = {}
    few = STEADY[: MIN_ENDS_FOR_YEARS - 1]
    assert history_start(AS_OF, episodes(few)) == (None, "")
    assert first_complete_year(np.array(few, dtype="datetime64[D]"), AS_OF) is None


def test_the_councils_own_start_wins(settings):
    settings.NWD_EVALUATION = {"data_start": {"care": D(2021, 4, 1)}}
    start, note = history_start(AS_OF, episodes(STRAY + STEADY))
    assert start == D(2021, 4, 1)
    assert "NWD_EVALUATION" in note
