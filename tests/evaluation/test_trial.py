"""The trial's outcome: the statistics by hand, then a cohort whose follow-up is worked out here."""

import datetime as dt
import math

import numpy as np
import pytest

from nwd.evaluation.trial import kaplan_meier, wilson
from tests.evaluation import builders as b
from tests.evaluation.conftest import ALL_FROM_EARLY, period_figures

pytestmark = pytest.mark.django_db
D = dt.date
Z = 1.959963984540054


def test_wilson_interval_by_hand():
    lo, hi = wilson(2, 4)
    p, n = 0.5, 4
    centre = (p + Z**2 / (2 * n)) / (1 + Z**2 / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z**2 / (4 * n * n)) / (1 + Z**2 / n)
    assert (lo, hi) == pytest.approx((centre - half, centre + half))
    assert wilson(0, 10) == pytest.approx((0.0, Z**2 / (10 + Z**2)))
    assert wilson(0, 0) == (None, None)


def test_kaplan_meier_by_hand():
    # Five young people: an event on day 0, an event on day 242, one censored on day 119, and two
    # followed to the end (558 = the horizon) without an event.
    time = np.array([0, 242, 119, 558, 558])
    event = np.array([True, True, False, False, False])
    got = kaplan_meier(time, event, horizon=558)
    survival = (1 - 1 / 5) * (1 - 1 / 3)  # at day 242 only three are still at risk
    greenwood = 1 / (5 * 4) + 1 / (3 * 2)
    se = math.sqrt(greenwood) / abs(math.log(survival))
    assert got.value == pytest.approx(1 - survival)
    assert got.lower == pytest.approx(1 - survival ** math.exp(-Z * se))
    assert got.upper == pytest.approx(1 - survival ** math.exp(Z * se))


def test_kaplan_meier_without_events_or_censoring_matches_the_simple_share():
    got = kaplan_meier(np.full(8, 558), np.zeros(8, dtype=bool), horizon=558)
    assert (got.value, got.lower) == (0.0, 0.0)
    assert got.upper == pytest.approx(wilson(0, 8)[1])


@pytest.fixture
def referrals():
    """Go-live 1 June 2021 (the hub's opening); as at 31 March 2025."""
    b.hub(opened=D(2021, 6, 1))
    people = {}

    def referred(name, born, received, entered=None, care_start_before=None):
        young = b.person(born)
        if care_start_before:
            b.care(young, (care_start_before, "U4", "PR1"))
        b.referral(young, received)
        if entered:
            b.care(young, (entered, "U4", "PR1"))
        people[name] = young

    referred("enters_in_8_months", D(2009, 1, 1), D(2023, 2, 1), entered=D(2023, 10, 1))  # day 242
    referred("enters_after_18_months", D(2009, 1, 1), D(2023, 3, 1), entered=D(2024, 10, 1))
    referred("turns_18_first", D(2006, 1, 1), D(2023, 6, 1))  # 18 on 1 Jan 2024: outcome known, not censored
    referred("recent", D(2010, 1, 1), D(2024, 12, 1))  # followed for 120 days so far: censored
    referred("enters_same_day", D(2010, 1, 1), D(2025, 1, 1), entered=D(2025, 1, 1))  # day 0
    referred("too_young", D(2013, 1, 1), D(2024, 6, 1))
    referred("in_care", D(2008, 1, 1), D(2024, 2, 1), care_start_before=D(2022, 1, 1))
    referred("before_enters", D(2004, 1, 1), D(2019, 1, 1), entered=D(2019, 6, 1))
    referred("before_stays_out", D(2006, 1, 1), D(2020, 1, 1))
    return people


def test_trial_outcome_for_the_service_and_before_it(referrals):
    figure = period_figures("trial_outcome", D(2023, 1, 1), D(2025, 3, 31))["trial_outcome"]
    service, before = figure.headline["service"], figure.headline["before"]
    assert (service["referred"], service["events"], service["complete"], service["censored"]) == (5, 2, 4, 1)
    assert service["excluded_in_care"] == 1
    assert service["km"] == pytest.approx(1 - (1 - 1 / 5) * (1 - 1 / 3))  # as in the hand-worked test above
    assert service["simple"] == pytest.approx(2 / 4)
    assert (service["wilson_lower"], service["wilson_upper"]) == pytest.approx(wilson(2, 4))
    assert (before["referred"], before["events"], before["complete"]) == (2, 1, 2)
    assert before["km"] == pytest.approx(0.5)
    assert figure.columns == ["Measure", "Service's referrals", "Referrals before the service"]
    assert set(figure.people["Service: became looked after"]) == {
        referrals["enters_in_8_months"].pk, referrals["enters_same_day"].pk
    }
    assert figure.people["Service: still being followed"] == (referrals["recent"].pk,)


def test_without_earlier_referrals_the_limits_are_stated():
    b.hub(opened=D(2021, 6, 1))
    young = b.person(D(2009, 1, 1))
    b.referral(young, D(2023, 2, 1))
    figure = period_figures("trial_outcome", D(2023, 1, 1), D(2025, 3, 31))["trial_outcome"]
    assert figure.headline["before"] is None
    assert figure.columns == ["Measure", "Service's referrals"]
    assert "holds only children who became looked after" in figure.notes[0]


def test_entries_at_12_to_17_by_whole_year_around_go_live(referrals):
    data_start = dict(ALL_FROM_EARLY, care=D(2018, 6, 1))
    figure = period_figures("teen_entries_by_year", D(2023, 1, 1), D(2025, 3, 31), data_start=data_start)[
        "teen_entries_by_year"
    ]
    counts = {row[0].split(":")[0]: row[1] for row in figure.rows}
    # Whole years from 1 June: three before go-live (from 1 June 2018), three after (to 31 May 2024).
    assert counts == {"Year -3": 0, "Year -2": 1, "Year -1": 0, "Year +1": 1, "Year +2": 0, "Year +3": 1}
    # Year -2: before_enters (1 Jun 2019). Year +1: in_care (Jan 2022). Year +3: enters_in_8_months.
    # enters_after_18_months (Oct 2024) and enters_same_day (Jan 2025) fall in the unfinished year 4.
    assert figure.rows[0][0] == "Year -3: 1 Jun 2018 to 31 May 2019"
