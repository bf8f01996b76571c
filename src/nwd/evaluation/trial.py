"""The national trial's primary outcome, computed from the council's own records.

Foundations (What Works for Children's Social Care) defines it as: a child first referred, aged
12-17 at referral, who becomes looked after within 18 months of that referral, follow-up stopped at
the 18th birthday. Two estimates are given, and the report says which is which:

* **Kaplan-Meier** (the headline). Young people referred recently have not yet had 18 months; a
  simple share among everyone would count them as "not looked after" before we know. Kaplan-Meier
  uses each young person for as long as they have been followed and estimates the share looked after
  by 18 months, with a 95% interval from Greenwood's variance on the log(-log) scale.
* **The simple share among those followed in full** (18 months, or to the 18th birthday, or until
  they became looked after), with a Wilson interval. It leans high while follow-up is short, because
  those who become looked after are "complete" sooner than those who do not.

Reaching 18 is not censoring: nobody becomes looked after at 18, so a young person who turns 18
without becoming looked after has a known outcome (not looked after), and stays in the denominator.
Only the as-of date censors.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from nwd.evaluation.figures import Chart, Figure, Period, ids
from nwd.evaluation.indicators import first_entry_between, first_referrals, looked_after_at
from nwd.evaluation.queries import Dataset
from nwd.evaluation.registry import register
from nwd.evaluation.windows import DAY, add_months, birthdays, shift_months


def wilson(successes: int, n: int, confidence: float = 0.95) -> tuple[float | None, float | None]:
    """Wilson score interval for a proportion (sound for small n and shares near 0 or 1)."""
    if n == 0:
        return None, None
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return float(max(0.0, centre - half)), float(min(1.0, centre + half))


@dataclass(frozen=True)
class Estimate:
    value: float | None
    lower: float | None
    upper: float | None


def kaplan_meier(time: np.ndarray, event: np.ndarray, horizon: float, confidence: float = 0.95) -> Estimate:
    """The cumulative incidence (1 - survival) at ``horizon``, with a log(-log) Greenwood interval.

    ``time`` is days from referral to the event or to censoring; a censored young person is at risk
    on every day up to and including their censoring day. With no events the interval's upper bound
    is Wilson's for 0 out of the number followed to the horizon (the log(-log) interval is undefined).
    """
    time = np.asarray(time, dtype=float)
    event = np.asarray(event, dtype=bool)
    n = len(time)
    if n == 0:
        return Estimate(None, None, None)
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    event_times = np.unique(time[event & (time <= horizon)])
    survival, greenwood = 1.0, 0.0
    for t in event_times:
        at_risk = int((time >= t).sum())
        deaths = int(((time == t) & event).sum())
        survival *= 1 - deaths / at_risk
        if at_risk > deaths:
            greenwood += deaths / (at_risk * (at_risk - deaths))
    incidence = 1 - survival
    if len(event_times) == 0:
        followed = int((time >= horizon).sum())
        return Estimate(0.0, 0.0, wilson(0, followed, confidence)[1] if followed else None)
    if survival <= 0:
        followed = int(event.sum())
        return Estimate(1.0, wilson(followed, followed, confidence)[0], 1.0)
    log_s = np.log(survival)
    se = np.sqrt(greenwood) / abs(log_s)
    s_lo = survival ** np.exp(z * se)   # survival's lower bound
    s_hi = survival ** np.exp(-z * se)  # survival's upper bound
    return Estimate(float(incidence), float(1 - s_hi), float(1 - s_lo))


@dataclass(frozen=True)
class TrialCohort:
    """The young people of one cohort and their follow-up, one row each."""

    label: str
    person_ids: np.ndarray
    time: np.ndarray
    event: np.ndarray
    complete: np.ndarray
    excluded_in_care: int
    horizon: float

    def __len__(self) -> int:
        return len(self.person_ids)


def trial_cohort(data: Dataset, label: str, rows: np.ndarray) -> TrialCohort:
    """Follow-up of the first referrals at ``rows`` of ``data.referrals`` that were at ages 12-17.

    Follow-up runs from the referral date to 18 months later or the 18th birthday, whichever comes
    first; the as-of date censors it. Becoming looked after on the referral date counts (day 0).
    """
    settings = data.settings
    ref = data.referrals
    person, received = ref.young_person_id[rows], ref.received[rows]
    dob = data.dates_of_birth(person)
    teen = (received >= birthdays(dob, settings.trial_min_age)) & (received < birthdays(dob, settings.trial_max_age + 1))
    in_care = looked_after_at(data, person, received)
    keep = teen & ~in_care
    excluded = int((teen & in_care).sum())
    person, received, dob = person[keep], received[keep], dob[keep]
    follow_end = np.minimum(shift_months(received, settings.trial_months), birthdays(dob, 18))
    observed_end = np.minimum(follow_end, data.data_end)
    entered = first_entry_between(data, person, received, observed_end)
    event = ~np.isnat(entered)
    complete = event | (follow_end <= data.data_end)
    horizon = float(31 * settings.trial_months)
    time = np.where(
        event, (entered - received) / DAY,
        np.where(complete, horizon, (data.data_end - received) / DAY - 1),
    ).astype(float)
    return TrialCohort(label, person, time, event, complete, excluded, horizon)


def _rows(cohort: TrialCohort, confidence: float) -> dict:
    km = kaplan_meier(cohort.time, cohort.event, cohort.horizon, confidence)
    n_complete = int(cohort.complete.sum())
    events = int(cohort.event.sum())
    simple = events / n_complete if n_complete else None
    w_lo, w_hi = wilson(events, n_complete, confidence)
    return {
        "referred": len(cohort), "events": events, "complete": n_complete,
        "censored": len(cohort) - n_complete, "excluded_in_care": cohort.excluded_in_care,
        "km": km.value, "km_lower": km.lower, "km_upper": km.upper,
        "simple": simple, "wilson_lower": w_lo, "wilson_upper": w_hi,
    }


MEASURES = [
    ("referred", "Young people first referred at 12 to 17, not looked after"),
    ("events", "Became looked after within 18 months (before 18)"),
    ("complete", "Followed up in full"),
    ("censored", "Still being followed"),
    ("km", "Share looked after by 18 months (Kaplan-Meier)"),
    ("km_lower", "Kaplan-Meier 95% interval: lower"),
    ("km_upper", "Kaplan-Meier 95% interval: upper"),
    ("simple", "Share among those followed up in full"),
    ("wilson_lower", "Wilson 95% interval: lower"),
    ("wilson_upper", "Wilson 95% interval: upper"),
    ("excluded_in_care", "Left out: already looked after when referred"),
]
PERCENT_MEASURES = frozenset({"km", "km_lower", "km_upper", "simple", "wilson_lower", "wilson_upper"})


@register(
    key="trial_outcome", title="Looked after within 18 months of referral at 12 to 17 (the trial's outcome)",
    kind="period", unit="share of young people", section="trial",
    definition=(
        "Of the young people first referred to the service aged 12 to 17 and not looked after when "
        "referred, the share who became looked after within 18 months of that referral, follow-up "
        "stopped at the 18th birthday (the primary outcome of the national No Wrong Door trial run by "
        "Foundations). The headline is a Kaplan-Meier estimate, because young people referred less "
        "than 18 months before the as-of date are still being followed; its 95% interval is "
        "Greenwood's on the log(-log) scale. Beside it, the simple share among those followed up in "
        "full, with a Wilson interval. Turning 18 without becoming looked after is a known outcome "
        "(not looked after), not a loss to follow-up. 'Before the service' is the same measure for "
        "referrals recorded in the system with a date before the service began (an import of the "
        "council's earlier referrals), when there are any."
    ),
    window="18 calendar months from the first referral, or to the 18th birthday if sooner; the as-of date censors.",
    counted=(
        "Service cohort: first referrals received in the reporting period, on or after the day the "
        "service began. Before the service: every first referral dated before that day."
    ),
    excluded=(
        "Young people looked after when referred (in a period of care that began before the referral "
        "date); those under 12 or 18 and over at referral; later referrals of the same young person. "
        "With a hub chosen, only referrals that led to support at that hub (the comparison cohort is "
        "never split by hub)."
    ),
)
def trial_outcome(data: Dataset, period: Period) -> list[Figure]:
    ref = data.referrals
    first = first_referrals(data)
    received = ref.received[first]
    go_live = np.datetime64(data.go_live, "D") if data.go_live else None
    lo, hi = np.datetime64(period.date_from, "D"), np.datetime64(period.date_to, "D")
    service_rows = first[(received >= lo) & (received <= hi) & ((received >= go_live) if go_live else True)]
    if period.hub_id is not None:
        service_rows = service_rows[ref.involvement_hub[service_rows] == period.hub_id]
    before_rows = first[received < go_live] if go_live else first[:0]
    confidence = data.settings.confidence
    service = trial_cohort(data, "Service", service_rows)
    before = trial_cohort(data, "Before the service", before_rows)
    service_row, before_row = _rows(service, confidence), _rows(before, confidence)
    has_before = len(before) > 0
    columns = ["Measure", "Service's referrals"] + (["Referrals before the service"] if has_before else [])
    rows = [[label, service_row[key]] + ([before_row[key]] if has_before else []) for key, label in MEASURES]
    people = {
        "Service: referred": ids(service.person_ids),
        "Service: became looked after": ids(service.person_ids[service.event]),
        "Service: still being followed": ids(service.person_ids[~service.complete]),
    }
    if has_before:
        people.update({
            "Before the service: referred": ids(before.person_ids),
            "Before the service: became looked after": ids(before.person_ids[before.event]),
        })
    figure = Figure(
        key="trial_outcome", title="Looked after within 18 months of a referral at 12 to 17",
        indicator="trial_outcome", columns=columns, rows=rows, people=people,
        headline={"service": service_row, "before": before_row if has_before else None},
        percent_rows=tuple(label for key, label in MEASURES if key in PERCENT_MEASURES),
    )
    if not has_before:
        figure.notes.append(
            "No referrals dated before the service began are held, so there is no before-the-service "
            "cohort. The council's SSDA903 history holds only children who became looked after, not "
            "those referred who did not, so it cannot supply that denominator; the yearly entries to "
            "care at 12 to 17 below are the comparison it can support."
        )
    return [figure]


def _years_around(go_live: dt.date, first: dt.date, last: dt.date, most_before: int) -> list[tuple[dt.date, dt.date, int]]:
    """Whole years [start, end) counted from the go-live date that lie inside ``[first, last)``, at
    most ``most_before`` of them before go-live."""
    years = []
    offset = -1
    while offset >= -most_before:
        start = add_months(go_live, 12 * offset)
        if start < first:
            break
        years.insert(0, (start, add_months(go_live, 12 * (offset + 1)), offset))
        offset -= 1
    offset = 0
    while add_months(go_live, 12 * (offset + 1)) <= last:
        years.append((add_months(go_live, 12 * offset), add_months(go_live, 12 * (offset + 1)), offset))
        offset += 1
    return years


@register(
    key="teen_entries_by_year", title="Entries to care at 12 to 17, by year before and after the service began",
    kind="period", unit="entries", section="trial",
    definition=(
        "Periods of care that began when the child was aged 12 to 17, across the whole council, in each "
        "whole year counted from the day the service began (year 1 is its first 12 months; year -1 the "
        "12 months before). Only whole years inside the care history and before the as-of date are "
        "shown, and at most five before the service began (a council setting). It is the comparison the SSDA903 history supports: a count, not a rate, because the "
        "records do not hold the number of 12-to-17-year-olds referred to children's social care."
    ),
    window="Whole years from the day the service began, within the care history and up to the as-of date.",
    counted="Every child in the council's care records who entered care aged 12 to 17.",
    excluded="Entries at other ages; part-years at either end; years before the care history is complete.",
)
def teen_entries_by_year(data: Dataset, period: Period) -> list[Figure]:
    if data.go_live is None:
        return []
    periods = data.care_periods
    dob = data.dates_of_birth(periods.young_person_id)
    teen = (periods.start >= birthdays(dob, data.settings.trial_min_age)) & (
        periods.start < birthdays(dob, data.settings.trial_max_age + 1)
    )
    order = np.lexsort((periods.start, periods.young_person_id))
    person_sorted = periods.young_person_id[order]
    reentry = np.zeros(len(periods), dtype=bool)
    reentry[order] = np.r_[False, person_sorted[1:] == person_sorted[:-1]] if len(order) else []
    first_day = data.data_start["care"].astype(dt.date)
    last_day = data.data_end.astype(dt.date)
    rows, people = [], {}
    years = _years_around(data.go_live, first_day, last_day, data.settings.comparison_years_before)
    for start, end, offset in years:
        mask = teen & (periods.start >= np.datetime64(start, "D")) & (periods.start < np.datetime64(end, "D"))
        year = offset + 1 if offset >= 0 else offset
        label = f"Year {year:+d}: {start:%-d %b %Y} to {end - dt.timedelta(days=1):%-d %b %Y}"
        rows.append([label, int(mask.sum()), int((mask & ~reentry).sum()), int((mask & reentry).sum())])
        people[label] = ids(periods.young_person_id[mask])
    figure = Figure(
        key="teen_entries_by_year", title="Entries to care at 12 to 17, whole council, by year",
        indicator="teen_entries_by_year", columns=["Year", "Entries at 12 to 17", "First entries", "Re-entries"],
        rows=rows, people=people, scope="council",
        chart=Chart("stacked", [r[0].split(":")[0] for r in rows],
                    {"First entries": [r[2] for r in rows], "Re-entries": [r[3] for r in rows]},
                    "Entries at 12 to 17") if rows else None,
        headline={"years": {r[0]: r[1] for r in rows}},
    )
    if not rows:
        figure.notes.append("The care history does not cover a whole year either side of the go-live date.")
    return [figure]
