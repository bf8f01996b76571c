"""The report's summary explains why days in residential care rise when the hubs open (issue 12 #16).

Built from headline numbers as the figures give them (those of the synthetic county's default period:
missing episodes down 51%, residential days up 135%), so the sentence is checked without a county.
"""

import datetime as dt
from types import SimpleNamespace

from nwd.evaluation.report.summary import _before_after


def report(residential_before: int, residential_after: int, outside_before: int, outside_after: int):
    def side(before, after, full=40):
        return {"before_total": before, "after_total": after, "full": full, "partial": 0, "no_window": 0}

    figures = {
        "before_after_events": {"missing_episodes": side(120, 59), "arrests": side(30, 20)},
        "before_after_time": {"residential_days": side(residential_before, residential_after),
                              "residential_days_outside_hubs": side(outside_before, outside_after)},
        "substance_use_change": {"stopped_or_reduced": 0},
    }
    period = SimpleNamespace(cohort_from=dt.date(2021, 6, 1), date_to=dt.date(2025, 3, 31))
    return SimpleNamespace(cohort_size=40, period=period,
                           figure=lambda key: SimpleNamespace(headline=figures[key]))


def test_a_rise_in_residential_days_is_explained_by_the_hub_stays():
    text = " ".join(_before_after(report(2000, 4700, 2000, 900)))
    assert "missing episodes went from 120 to 59 (down 51%)" in text
    assert "days in residential care went from 2,000 to 4,700 (up 135%)" in text
    assert ("a hub is a registered children's home, so a looked-after young person's stay there counts as days "
            "in residential care, and residential days rise when the hubs open and young people stay in them") in text
    assert "In the hub beds, days went from 0 to 3,800" in text
    assert "outside the hubs (bought or provided elsewhere), from 2,000 to 900 (down 55%)" in text


def test_a_fall_is_not_said_to_be_a_rise():
    text = " ".join(_before_after(report(3000, 1500, 3000, 1000)))
    assert "(down 50%). These include stays in the service's own hub beds" in text
    assert "rise when the hubs open" not in text
    assert "In the hub beds, days went from 0 to 500" in text
