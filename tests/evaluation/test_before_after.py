"""Before and after support, on hand-built young people whose answers are worked out here.

The story (as at 30 June 2025, reporting on support that began from 1 January 2024):

* Ash, 16, outreach at Breckland from 1 March 2024, still open. Missing on 28 Feb 2023 (a day too
  early), 1 Mar 2023 (exactly 12 months before: in), 1 Aug 2023, 29 Feb 2024, then 1 Mar 2024 (the
  start date: *after*), 28 Feb 2025 (the last day of the after window) and 1 Mar 2025 (too late).
* Blake turns 18 on 1 August 2024, five months into a hub stay that began 1 March 2024; looked after
  since June 2023 in a private children's home out of area, with a hospital week (T1) and a move to
  in-house fostering on 1 April 2024. Care measures stop at 18: Blake's after window is partial.
* Casey started at Norwich on 10 January 2025: less than a year after by the as-of date.
* Emery was 19 when support began: no window for measures of care; events still count.
* Finley's first involvement was in 2022: a second one in 2024 is not a new start of support.
"""

import datetime as dt

import numpy as np
import pytest

from nwd.evaluation.before_after import FULL, NO_WINDOW, NOT_RECORDED, PARTIAL, figures, summarise
from nwd.evaluation.registry import indicator
from tests.evaluation import builders as b
from tests.evaluation.conftest import before_and_after, load, value

pytestmark = pytest.mark.django_db
D = dt.date
FROM, TO = D(2024, 1, 1), D(2025, 6, 30)


@pytest.fixture
def story():
    breckland, norwich = b.hub("Breckland"), b.hub("Norwich")
    ash = b.person(D(2008, 1, 15), given_name="Ash")
    b.support(ash, D(2024, 3, 1), at=breckland)
    for when, hours in [((2023, 2, 28), 1), ((2023, 3, 1), 10), ((2023, 8, 1), 3), ((2024, 2, 29), 5),
                        ((2024, 3, 1), 2), ((2025, 2, 28), 4), ((2025, 3, 1), 1)]:
        b.missing(ash, b.utc(*when), hours)
    b.police(ash, D(2023, 5, 1), "arrest")
    b.police(ash, D(2023, 6, 1), "charge")
    b.police(ash, D(2023, 7, 1), "victim")
    b.police(ash, D(2024, 5, 1), "call_out")
    b.exploitation(ash, D(2023, 10, 1))
    b.health(ash, D(2023, 4, 1), "ae")
    b.health(ash, D(2023, 11, 1), "ae")
    b.health(ash, D(2023, 12, 1), "crisis")
    b.health(ash, D(2024, 6, 1), "admission")
    b.substance(ash, D(2023, 6, 1), "regular")
    b.substance(ash, D(2024, 3, 1), "problematic")  # on the start date: the baseline
    b.substance(ash, D(2024, 9, 1), "experimental")
    b.substance(ash, D(2025, 1, 1), "none")
    b.eet(ash, D(2023, 3, 1), D(2023, 9, 1), "neet")
    b.eet(ash, D(2023, 9, 1), None, "school")

    blake = b.person(D(2006, 8, 1), given_name="Blake")
    b.support(blake, D(2024, 3, 1), at=breckland, support_type="residential")
    b.care(
        blake,
        (D(2023, 6, 1), "K2", "PR4", False, True, "4000", "S", "SC000001"),
        (D(2023, 9, 1), "T1", "", True, True, "4000", "T"),
        (D(2023, 9, 8), "K2", "PR4", False, True, "4000", "P", "SC000001"),  # back from hospital: not a move
        (D(2024, 4, 1), "U4", "PR1", True, True, "700", "P"),  # a move, after support began
    )

    casey = b.person(D(2009, 5, 5), given_name="Casey")
    b.support(casey, D(2025, 1, 10), at=norwich, support_type="residential")
    b.missing(casey, b.utc(2024, 12, 1))
    b.missing(casey, b.utc(2025, 2, 1))

    emery = b.person(D(2005, 1, 1), given_name="Emery")
    b.support(emery, D(2024, 6, 1), at=breckland)
    b.missing(emery, b.utc(2024, 1, 1))

    finley = b.person(D(2008, 1, 1), given_name="Finley")
    b.support(finley, D(2022, 1, 1), at=breckland, end=D(2022, 6, 1))
    b.support(finley, D(2024, 5, 1), at=breckland)
    return {"ash": ash, "blake": blake, "casey": casey, "emery": emery, "finley": finley,
            "breckland": breckland, "norwich": norwich}


def test_the_cohort_is_first_involvements_starting_in_the_period(story):
    result = before_and_after(FROM, TO)
    names = {story[n].pk: n for n in ("ash", "blake", "casey", "emery", "finley")}
    assert sorted(names[p] for p in result.cohort.person_ids) == ["ash", "blake", "casey", "emery"]
    assert result.cohort.still_open.all()


def test_an_event_on_the_start_date_counts_after(story):
    result = before_and_after(FROM, TO)
    row = value(result, story["ash"], "missing_episodes")
    # Before: 1 Mar 2023, 1 Aug 2023, 29 Feb 2024. After: 1 Mar 2024 (the start), 28 Feb 2025.
    assert (row["before"], row["after"], row["status"]) == (3, 2, FULL)
    hours = value(result, story["ash"], "missing_hours")
    assert (hours["before"], hours["after"]) == pytest.approx((10 + 3 + 5, 2 + 4))


def test_events_of_each_kind(story):
    result = before_and_after(FROM, TO)
    ash = story["ash"]
    expected = {
        "arrests": (1, 0),
        "police_contacts": (2, 1),  # arrest and charge before, call-out after; the victim contact is left out
        "exploitation_concerns": (1, 0),
        "ae_attendances": (2, 0),
        "hospital_admissions": (0, 1),
        "crisis_presentations": (1, 0),
        "entries_to_care": (0, 0),
        "days_looked_after": (0, 0),
    }
    for key, (before, after) in expected.items():
        row = value(result, ash, key)
        assert (row["before"], row["after"]) == (before, after), key


def test_substance_use_baseline_is_the_assessment_on_the_start_date(story):
    result = before_and_after(FROM, TO)
    row = value(result, story["ash"], "substance_use")
    assert (row["before"], row["after"]) == (3, 0)  # problematic at the start; not using a year later
    change = next(f for f in figures(result) if f.key == "substance_use_change")
    assert change.value("Stopped", "Number") == 1
    assert change.value("Stopped or reduced", "Share of everyone whose support started") == pytest.approx(1 / 4)
    assert change.people["Stopped"] == (story["ash"].pk,)


def test_time_in_education_employment_or_training_is_a_share_of_recorded_days(story):
    result = before_and_after(FROM, TO)
    row = value(result, story["ash"], "eet_share")
    # Before (1 Mar 2023 to 29 Feb 2024, 366 days): NEET to 31 Aug (184 days), then school (182 days).
    assert row["before"] == pytest.approx(182 / 366)
    assert row["after"] == 1.0
    assert value(result, story["blake"], "eet_share")["status"] == NOT_RECORDED


def test_care_measures_stop_at_the_18th_birthday(story):
    result = before_and_after(FROM, TO)
    blake = story["blake"]
    looked_after = value(result, blake, "days_looked_after")
    # Before: 1 Jun 2023 to 29 Feb 2024 = 274 days. After: 1 Mar to 31 Jul 2024, the day before 18 = 153.
    assert (looked_after["before"], looked_after["after"]) == (274, 153)
    assert (looked_after["status"], looked_after["reason"]) == (PARTIAL, "18th birthday")
    assert looked_after["after_days"] == 153
    residential = value(result, blake, "residential_days")
    assert (residential["before"], residential["after"]) == (274, 31)  # the T1 week counts as the home around it
    out_of_area = value(result, blake, "out_of_area_days")
    assert (out_of_area["before"], out_of_area["after"]) == (92 + 175, 31)  # not the hospital week
    moves = value(result, blake, "placement_moves")
    assert (moves["before"], moves["after"]) == (0, 1)  # into and back from hospital are not moves
    entries = value(result, blake, "entries_to_care")
    assert (entries["before"], entries["after"]) == (1, 0)
    # Events do not stop at 18: Blake's missing episodes have full windows.
    assert value(result, blake, "missing_episodes")["status"] == FULL


def test_support_starting_at_19_has_no_window_for_care_but_counts_for_events(story):
    result = before_and_after(FROM, TO)
    emery = story["emery"]
    assert value(result, emery, "days_looked_after")["status"] == NO_WINDOW
    row = value(result, emery, "missing_episodes")
    assert (row["before"], row["after"], row["status"]) == (1, 0, FULL)


def test_an_open_involvement_with_less_than_a_year_after_is_partial(story):
    result = before_and_after(FROM, TO)
    row = value(result, story["casey"], "missing_episodes")
    assert (row["before"], row["after"]) == (1, 1)
    assert (row["status"], row["reason"]) == (PARTIAL, "as-of date")
    assert (row["before_days"], row["after_days"]) == (366, 172)  # 10 Jan 2025 to 30 Jun 2025


def test_cohort_summary_compares_full_windows_and_reports_partial_ones(story):
    result = before_and_after(FROM, TO)
    s = summarise(result, indicator("missing_episodes"))[0]
    # Full: Ash 3 -> 2, Blake 0 -> 0, Emery 1 -> 0. Partial: Casey 1 -> 1.
    assert (s["full"], s["before_total"], s["after_total"]) == (3, 4, 2)
    assert (s["before_median"], s["after_median"]) == (1, 0)
    assert (s["improved"], s["same"], s["worse"]) == (2, 1, 0)
    assert s["share_improved"] == pytest.approx(2 / 3)
    assert s["change"] == pytest.approx(-0.5)
    assert s["partial"] == 1 and s["reasons"] == {"as-of date": 1}
    assert s["partial_before_rate"] == pytest.approx(1 / (366 / 365.25))
    assert s["partial_after_rate"] == pytest.approx(1 / (172 / 365.25))
    assert set(s["people_improved"]) == {story["ash"].pk, story["emery"].pk}


def test_breakdowns_by_hub_support_type_and_start_quarter(story):
    result = before_and_after(FROM, TO)
    by_hub = {s["group"]: s for s in summarise(result, indicator("missing_episodes"), "hub")}
    assert (by_hub["Breckland"]["full"], by_hub["Breckland"]["before_total"]) == (3, 4)
    assert (by_hub["Norwich"]["full"], by_hub["Norwich"]["partial"]) == (0, 1)
    by_type = {s["group"]: s["full"] + s["partial"] for s in summarise(result, indicator("missing_episodes"), "support_type")}
    assert by_type == {"Outreach": 2, "Hub stay": 2}
    by_quarter = {s["group"]: s["full"] + s["partial"] for s in summarise(result, indicator("arrests"), "start_quarter")}
    assert by_quarter == {"2023-24 Q4": 2, "2024-25 Q1": 1, "2024-25 Q4": 1}


def test_one_hub_only(story):
    result = before_and_after(FROM, TO, hub_id=story["norwich"].pk)
    assert result.cohort.person_ids.tolist() == [story["casey"].pk]


def test_windows_start_no_earlier_than_the_records(story):
    result = before_and_after(FROM, TO, data_start={"missing": D(2023, 9, 1)})
    row = value(result, story["ash"], "missing_episodes")
    assert (row["before"], row["status"], row["reason"]) == (1, PARTIAL, "records begin")  # only 29 Feb 2024


def test_records_are_taken_as_complete_from_the_earliest_of_their_kind(story):
    data = load(TO, data_start={})
    assert data.data_start["missing"] == np.datetime64("2023-02-28")
    assert data.data_start["care"] == np.datetime64("2023-09-01")  # the earliest DEC, not the earliest DECOM


def test_nothing_after_the_as_of_date_is_read(story):
    result = before_and_after(FROM, D(2024, 6, 30))
    row = value(result, story["ash"], "missing_episodes")
    assert (row["before"], row["after"], row["status"]) == (3, 1, PARTIAL)  # 28 Feb 2025 is not yet known
    assert story["casey"].pk not in result.cohort.person_ids


def test_the_report_figures_carry_totals_and_the_people_behind_them(story):
    result = before_and_after(FROM, TO)
    events = next(f for f in figures(result) if f.key == "before_after_events")
    assert events.row("Missing episodes")[1:5] == [3, 4.0, 2.0, pytest.approx(-0.5)]
    assert events.people["Missing episodes: improved"] == tuple(sorted([story["ash"].pk, story["emery"].pk]))
    partial = next(f for f in figures(result) if f.key == "before_after_partial")
    # Blake (18 in the after window) and Casey (support began in January 2025).
    assert partial.value("Days looked after", "Young people (part of a year)") == 2
    assert partial.value("Days looked after", "Why the window is short") == "1 18th birthday, 1 as-of date"
    assert partial.value("Days looked after", "No comparison possible") == 1  # Emery, 19 at the start
