"""Where the care history is taken to begin, when the council has not said."""

import datetime as dt
from types import SimpleNamespace

import numpy as np

from nwd.evaluation.queries import care_coverage
from nwd.evaluation.windows import to_days

D = dt.date
AS_OF = D(2025, 6, 30)


def history(period_ends, as_of=AS_OF, decs=(), decoms=()):
    return SimpleNamespace(
        as_of=as_of,
        data_end=np.datetime64(as_of, "D") + np.timedelta64(1, "D"),
        care_periods=SimpleNamespace(end=to_days(period_ends)),
        care_episodes=SimpleNamespace(dec=to_days(decs), decom=to_days(decoms)),
    )


def test_a_903_history_begins_where_children_are_first_seen_leaving_care():
    # A few periods of care that ended long ago (children who came back into care later), then about
    # 60 endings a year from the 2019-20 collection year, when the imported history begins.
    stray = [D(2010, 5, 1), D(2012, 7, 1), D(2016, 1, 1)]
    steady = [D(year, 4, 1) + dt.timedelta(days=6 * i) for year in range(2019, 2025) for i in range(60)]
    recent = [D(2025, 4, 1) + dt.timedelta(days=i) for i in range(20)]  # the part-year to 30 June 2025
    assert care_coverage(history(stray + steady + recent)) == np.datetime64("2019-04-01")


def test_with_few_endings_the_earliest_date_seen():
    assert care_coverage(history([D(2021, 3, 1), D(2022, 1, 1)])) == np.datetime64("2021-03-01")
    assert care_coverage(history([], decs=[D(2023, 9, 1)], decoms=[D(2023, 6, 1)])) == np.datetime64("2023-09-01")
    assert care_coverage(history([], decoms=[D(2023, 6, 1)])) == np.datetime64("2023-06-01")
    assert care_coverage(history([])) == np.datetime64("2025-07-01")  # nothing: covers nothing
