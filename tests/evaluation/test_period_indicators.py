"""The period indicators, on hand-built records whose answers are worked out here.

The period is the financial year 2024-25 (1 April 2024 to 31 March 2025), which is also the as-of date.
"""

import datetime as dt

import pytest

from nwd.hubs.models import BedKind
from tests.evaluation import builders as b
from tests.evaluation.conftest import period_figures

pytestmark = pytest.mark.django_db
D = dt.date
FROM, TO = D(2024, 4, 1), D(2025, 3, 31)


def test_referral_decisions_including_warm_handovers():
    young = [b.person(D(2009, 1, 1)) for _ in range(6)]
    b.referral(young[0], D(2024, 4, 10), "outreach", D(2024, 4, 12))  # 2 days
    b.referral(young[1], D(2024, 5, 1), "handover", D(2024, 5, 11), source="police")  # 10 days
    b.referral(young[2], D(2024, 6, 1), "hub_stay", D(2024, 6, 5))  # 4 days
    b.referral(young[3], D(2025, 3, 20), source="police")  # not yet decided
    late = b.referral(young[4], D(2025, 3, 25))
    late.decision, late.decision_date, late.status, late.handover_service = "handover", D(2025, 4, 2), "closed", "CAMHS"
    late.save()  # decided after the as-of date: still waiting on 31 March
    b.referral(young[5], D(2024, 3, 31), "outreach", D(2024, 4, 1))  # received before the period
    figures = period_figures("referral_decisions", FROM, TO)
    decisions = figures["referral_decisions"]
    counts = {row[0]: row[1] for row in decisions.rows}
    assert counts == {
        "Outreach support": 1, "Hub stay": 1, "Emergency bed": 0, "Warm handover to a named service": 1,
        "Not yet decided": 2, "All referrals": 5,
    }
    assert decisions.value("All referrals", "Median days to decide") == 4
    assert decisions.value("Warm handover to a named service", "Share") == pytest.approx(1 / 5)
    assert decisions.people["Not yet decided"] == tuple(sorted([young[3].pk, young[4].pk]))
    by_source = figures["referrals_by_source"]
    assert by_source.row("Police")[1:] == [2, 0, 1, 1]
    assert by_source.row("School or college")[1:] == [3, 2, 0, 1]


@pytest.fixture
def referred():
    """Young people first referred in 2024-25, and what became of them by 31 March 2025."""
    people = {}
    people["stays_home"] = b.person(D(2009, 1, 1))
    b.referral(people["stays_home"], D(2024, 4, 10), "outreach", D(2024, 4, 12))
    people["enters_later"] = b.person(D(2009, 1, 1))
    b.referral(people["enters_later"], D(2024, 5, 1), "handover", D(2024, 5, 2))
    b.care(people["enters_later"], (D(2024, 9, 1), "H5", "PR4", False, False, "1500"))
    people["enters_same_day"] = b.person(D(2009, 1, 1))
    b.referral(people["enters_same_day"], D(2024, 6, 1), "hub_stay", D(2024, 6, 1))
    b.care(people["enters_same_day"], (D(2024, 6, 1), "U6", "PR4", True, True, "900"))
    people["already_in_care"] = b.person(D(2008, 6, 1))
    b.care(people["already_in_care"], (D(2023, 1, 1), "U4", "PR1", True, True, "650"))
    b.referral(people["already_in_care"], D(2024, 7, 1))
    people["adult"] = b.person(D(2005, 1, 1))
    b.referral(people["adult"], D(2024, 8, 1))
    people["turns_18"] = b.person(D(2007, 1, 1))  # 18 on 1 January 2025
    b.referral(people["turns_18"], D(2024, 9, 1))
    b.care(people["turns_18"], (D(2025, 2, 1), "K2", "PR1", True, True, None))  # after 18: does not count
    people["referred_before"] = b.person(D(2009, 1, 1))
    b.referral(people["referred_before"], D(2023, 1, 1), "outreach", D(2023, 1, 2))
    b.referral(people["referred_before"], D(2024, 10, 1))
    people["re_enters"] = b.person(D(2014, 1, 1))
    b.care(people["re_enters"], (D(2020, 1, 1), "U4", "PR1"), end=D(2021, 1, 1))
    b.care(people["re_enters"], (D(2024, 12, 1), "K2", "PR1", True, True, "3000"))
    return people


def test_stayed_out_of_care(referred):
    figure = period_figures("stayed_out_of_care", FROM, TO)["stayed_out_of_care"]
    # Counted: stays_home, enters_later, enters_same_day, turns_18. Entered care: the two "enters".
    assert figure.row("All referred while not looked after")[1:5] == [4, 2, 0.5, 2]
    assert figure.row("Supported by the service")[1:5] == [2, 1, 0.5, 1]  # stays_home, enters_same_day
    assert figure.row("Warm handover")[1:5] == [1, 0, 0.0, 1]
    assert figure.row("Not yet decided")[1:3] == [1, 1]  # turns_18: entered care only after 18
    assert figure.notes[0] == "Left out: 1 already looked after when referred, 1 aged 18 or over when referred."
    assert figure.people["All referred while not looked after: became looked after"] == tuple(
        sorted([referred["enters_later"].pk, referred["enters_same_day"].pk])
    )


def test_entries_and_re_entries_to_care(referred):
    b.support(referred["enters_later"], D(2024, 5, 15))
    figure = period_figures("care_entries", FROM, TO)["care_entries"]
    counts = {row[0]: row[1] for row in figure.rows}
    assert counts == {
        "All entries": 4,  # enters_later, enters_same_day, turns_18, re_enters
        "First entries": 3,
        "Re-entries": 1,
        "Aged 12 to 17 at entry": 2,
        "Known to the service before entry": 1,
        "Supported by the service on the day of entry": 1,
    }
    assert figure.people["Re-entries"] == (referred["re_enters"].pk,)
    assert figure.chart.categories == ["2024-25 Q1", "2024-25 Q2", "2024-25 Q3", "2024-25 Q4"]
    assert figure.chart.series["Re-entries"] == [0, 0, 1, 0]  # December is in Q3


def test_placements_on_the_last_day(referred):
    figure = period_figures("placements_on_date", FROM, TO)["placements_on_date"]
    rows = {row[0]: row[1:] for row in figure.rows}
    assert rows["Supported or semi-independent"][:4] == [1, 1, 1, 1500.0]
    assert rows["Independent fostering agency"][:4] == [1, 0, 0, 900.0]
    assert rows["In-house fostering"][:4] == [1, 0, 0, 650.0]
    assert rows["In-house residential"][:4] == [2, 0, 0, 3000.0]  # one costed, one not
    assert rows["All placements"][:4] == [5, 1, 1, 6050.0]
    assert figure.notes == ["1 placements have no weekly cost recorded."]


def test_key_worker_changes_per_young_person():
    north, south = b.hub("North"), b.hub("South")
    changing = b.support(b.person(), D(2024, 1, 1), at=north)
    b.change_key_worker(changing, D(2024, 6, 1))
    b.change_key_worker(changing, D(2025, 1, 1), reason="young_person_asked")
    b.support(b.person(), D(2024, 5, 1), at=north, end=D(2024, 10, 1))
    changed_before = b.support(b.person(), D(2023, 1, 1), at=south)
    b.change_key_worker(changed_before, D(2024, 2, 1))  # before the period
    b.support(b.person(), D(2023, 1, 1), at=south, end=D(2024, 2, 1))  # not supported in the period
    figure = period_figures("key_worker_changes", FROM, TO)["key_worker_changes"]
    all_hubs = figure.row("All hubs")
    assert all_hubs[1:4] == [3, 2, pytest.approx(2 / 3)]
    support_years = (365 + 154 + 365) / 365.25  # whole year, 1 May to 1 Oct inclusive, whole year
    assert all_hubs[4] == pytest.approx(2 / support_years)
    assert all_hubs[5] == pytest.approx(2 / 3)
    assert figure.row("North")[1:3] == [2, 2]
    assert figure.row("South")[1:3] == [1, 0]
    assert figure.people["All hubs: with a change"] == (changing.young_person_id,)


def test_length_of_hub_stays_against_plan():
    at = b.hub()
    room, emergency = b.bed(at, BedKind.RESIDENTIAL), b.bed(at, BedKind.EMERGENCY)
    b.stay(b.person(), room, D(2024, 3, 1), D(2024, 3, 10), D(2024, 3, 20))  # ended before the period
    b.stay(b.person(), room, D(2024, 5, 1), D(2024, 6, 1), D(2024, 5, 25), "home", True)  # 24 nights, early
    b.stay(b.person(), room, D(2024, 7, 1), D(2024, 8, 1), D(2024, 8, 11), "childrens_home", False)  # 10 days late
    b.stay(b.person(), emergency, D(2024, 9, 1), None, D(2024, 9, 4), "foster_care", True)  # no plan date
    b.stay(b.person(), room, D(2025, 3, 1), D(2025, 3, 15))  # still open, overdue
    figure = period_figures("length_of_stay", FROM, TO)["length_of_stay"]
    row = figure.row("All stays")
    assert row[1:] == [3, 24, 31, 0.5, 10, pytest.approx(2 / 3), pytest.approx(2 / 3)]
    assert figure.row("Emergency beds")[1:3] == [1, 3]
    assert figure.notes == [
        "1 of the stays that ended had no planned discharge date. "
        "1 stays were still open on the last day, 1 of them past their planned discharge date."
    ]
