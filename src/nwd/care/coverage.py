"""Where a council's care history is taken to begin: one rule for the evaluation and the forecast.

An SSDA903 history imported from a given year holds only the children looked after in or after that
year, so the number of children *leaving* care each collection year is near zero before the history
begins and steady after it. The records are taken as complete from 1 April of the first collection
year in which at least half as many children left care as in a typical recent year. The evaluation
(``nwd.evaluation.queries.care_coverage``) and the forecast's database adapter
(``nwd.forecast.from_database.history_start``) both ask this module, given the days periods of care
ended. Pure numpy: no Django, no records.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

MIN_ENDS_FOR_YEARS = 50  # below this many periods of care ended, yearly counts say nothing


def first_complete_year(ends: np.ndarray, as_of: dt.date) -> np.datetime64 | None:
    """1 April of the first collection year with a typical number of periods of care ended.

    ``ends``: the days periods of care ended (NaT ignored). None with fewer than
    ``MIN_ENDS_FOR_YEARS`` ends, when yearly counts say nothing and the caller falls back on the
    earliest date it has.
    """
    ends = ends[~np.isnat(ends)]
    if len(ends) < MIN_ENDS_FOR_YEARS:
        return None
    days = ends.astype("datetime64[D]").astype(object)
    years = np.array([d.year if d.month >= 4 else d.year - 1 for d in days])
    current = as_of.year if as_of.month >= 4 else as_of.year - 1
    first = int(years.min())
    counts = np.bincount(years - first, minlength=current - first + 1)
    # The typical year: the median of the last five whole collection years (the recent past is
    # always covered), or of every year when there are fewer.
    whole = counts[: current - first]
    typical = np.median(whole[-5:]) if len(whole) else np.median(counts)
    year = first + int(np.argmax(counts >= 0.5 * typical))
    return np.datetime64(dt.date(year, 4, 1), "D")
