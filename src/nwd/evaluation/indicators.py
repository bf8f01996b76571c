"""The evaluation's indicators, each defined once: its words and its computation side by side.

The ``before_after`` measures give one number per young person for any window (see
``nwd.evaluation.windows`` for how windows are drawn, and ``nwd.evaluation.before_after`` for the
comparison); the ``period`` indicators give the tables of a reporting period. The trial outcome and
the money live in ``trial.py`` and ``money.py`` and register themselves the same way.

Every computation takes the ``Dataset`` read once by ``nwd.evaluation.queries.load`` and works on
whole columns: none of them queries the database.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from nwd.casework.choices import DECISION_SUPPORT_TYPE, AllocationReason, Decision, SourceAgency
from nwd.codelists.groups import GROUP_LABELS, PlacementGroup
from nwd.evaluation.figures import Chart, Figure, Period, ids, share
from nwd.evaluation.queries import Dataset
from nwd.evaluation.registry import register
from nwd.evaluation.windows import DAY, NAT, PersonIndex, Span, birthdays, count_in, latest_in, overlap_days
from nwd.events.models import IN_EET, SUBSTANCE_USE_SCORE, EETStatus, HealthEventKind, PoliceContactKind
from nwd.hubs.models import FAMILY_OR_COMMUNITY, BedKind

CARE_WINDOW = (
    "12 months before and 12 months after the start of support, stopping at the 18th birthday "
    "and clipped to the dates the care history covers."
)
EVENT_WINDOW = "12 months before and 12 months after the start of support, clipped to the dates the records cover."
COHORT = (
    "Young people whose first involvement with the service started in the reporting period (or from "
    "the date the report sets for the before-and-after cohort, such as the day the service began)."
)


# --------------------------------------------------------------------------------------------------
# Before and after: one number per young person per window
# --------------------------------------------------------------------------------------------------


@register(
    key="entries_to_care", title="Entries to care", kind="before_after", unit="entries", section="before_after",
    better="lower", source="care", stops_at_18=True,
    definition=(
        "The number of times the young person started a period of being looked after: the first "
        "entry and any re-entry. A period of care is continuous care from the first episode's DECOM to "
        "the last episode's DEC; a new episode on the day the last ended (X1) is not a new entry."
    ),
    window=CARE_WINDOW, counted=COHORT,
    excluded="Young people 18 or over at the start of support (nobody can enter care after 18).",
)
def entries_to_care(data: Dataset, index: PersonIndex, span: Span, side: str) -> np.ndarray:
    periods = data.care_periods
    return count_in(span, index.rows(periods.young_person_id), periods.start)


@register(
    key="days_looked_after", title="Days looked after", kind="before_after", unit="days", section="before_after",
    better="lower", source="care", stops_at_18=True,
    definition="Days the young person was looked after (in any period of care), counted up to the day care ended.",
    window=CARE_WINDOW, counted=COHORT, excluded="Young people 18 or over at the start of support.",
)
def days_looked_after(data: Dataset, index: PersonIndex, span: Span, side: str) -> np.ndarray:
    periods = data.care_periods
    return overlap_days(span, index.rows(periods.young_person_id), periods.start, periods.end, data.data_end)


@register(
    key="placement_moves", title="Placement moves", kind="before_after", unit="moves", section="before_after",
    better="lower", source="care", stops_at_18=True,
    definition=(
        "Care episodes that began with a change of placement (RNE P, T, B or U) after an earlier episode "
        "of the same period of care, counted on their DECOM. Not counted: the first placement of a "
        "period (that is an entry to care), moves into a temporary placement (T0-T4), and the return "
        "from a temporary placement to the placement held before it."
    ),
    window=CARE_WINDOW, counted=COHORT, excluded="Young people 18 or over at the start of support.",
)
def placement_moves_measure(data: Dataset, index: PersonIndex, span: Span, side: str) -> np.ndarray:
    episodes = data.care_episodes
    moved = episodes.move
    return count_in(span, index.rows(episodes.young_person_id[moved]), episodes.decom[moved])


@register(
    key="residential_days", title="Days in residential care", kind="before_after", unit="days",
    section="before_after", better="lower", source="care", stops_at_18=True,
    definition=(
        "Days looked after in a residential placement: the placement groups in-house residential, "
        "private or voluntary residential, and secure (PLACE K1, K2, R1, R5, S1 and the unregistered "
        "children's home Z11). A hub bed counts when the young person was looked after in it; a hub "
        "stay while not looked after is support, not a care placement, and does not count."
    ),
    window=CARE_WINDOW, counted=COHORT, excluded="Young people 18 or over at the start of support.",
    evidence="North Yorkshire: use of residential placements halved.",
)
def residential_days(data: Dataset, index: PersonIndex, span: Span, side: str) -> np.ndarray:
    episodes = data.care_episodes
    keep = episodes.residential
    return overlap_days(
        span, index.rows(episodes.young_person_id[keep]), episodes.decom[keep], episodes.dec[keep], data.data_end
    )


@register(
    key="residential_days_outside_hubs", title="Days in residential care outside the hubs", kind="before_after",
    unit="days", section="before_after", better="lower", source="care", stops_at_18=True,
    definition=(
        "Days in residential care as above, leaving out care episodes recorded against a stay in one "
        "of the service's own hub beds: the residential care bought or provided elsewhere, which the "
        "service aims to replace with short, planned hub stays or, better, a family setting."
    ),
    window=CARE_WINDOW, counted=COHORT, excluded="Young people 18 or over at the start of support.",
)
def residential_days_outside_hubs(data: Dataset, index: PersonIndex, span: Span, side: str) -> np.ndarray:
    episodes = data.care_episodes
    keep = episodes.residential & (episodes.stay_id < 0)
    return overlap_days(
        span, index.rows(episodes.young_person_id[keep]), episodes.decom[keep], episodes.dec[keep], data.data_end
    )


@register(
    key="out_of_area_days", title="Days placed out of area", kind="before_after", unit="days",
    section="before_after", better="lower", source="care", stops_at_18=True,
    definition="Days looked after in a placement outside the council's own boundary (the episode's 'in area' is false).",
    window=CARE_WINDOW, counted=COHORT, excluded="Young people 18 or over at the start of support.",
)
def out_of_area_days(data: Dataset, index: PersonIndex, span: Span, side: str) -> np.ndarray:
    episodes = data.care_episodes
    keep = ~episodes.in_area
    return overlap_days(
        span, index.rows(episodes.young_person_id[keep]), episodes.decom[keep], episodes.dec[keep], data.data_end
    )


@register(
    key="missing_episodes", title="Missing episodes", kind="before_after", unit="episodes", section="before_after",
    better="lower", source="missing",
    definition=(
        "Episodes of going missing or being away without authorisation (SSDA903 MISSING M or A), "
        "counted on the day they began."
    ),
    window=EVENT_WINDOW, counted=COHORT, excluded="Nobody.",
    evidence="North Yorkshire: 503 missing incidents in the year before support, 253 in the year after.",
)
def missing_episodes(data: Dataset, index: PersonIndex, span: Span, side: str) -> np.ndarray:
    return count_in(span, index.rows(data.missing.young_person_id), data.missing.day)


@register(
    key="missing_hours", title="Hours missing", kind="before_after", unit="hours", section="before_after",
    better="lower", source="missing",
    definition=(
        "Total hours missing or away, over the episodes that began in the window. An episode with no "
        "return recorded by the as-of date counts up to the end of that date."
    ),
    window=EVENT_WINDOW, counted=COHORT, excluded="Nobody.",
)
def missing_hours(data: Dataset, index: PersonIndex, span: Span, side: str) -> np.ndarray:
    return count_in(span, index.rows(data.missing.young_person_id), data.missing.day, weights=data.missing.hours)


@register(
    key="arrests", title="Arrests", kind="before_after", unit="arrests", section="before_after",
    better="lower", source="police",
    definition="Police contacts recorded as an arrest.",
    window=EVENT_WINDOW, counted=COHORT, excluded="Nobody.",
    evidence="North Yorkshire: arrests and criminal activity about 38-40% lower.",
)
def arrests(data: Dataset, index: PersonIndex, span: Span, side: str) -> np.ndarray:
    keep = data.police.kind == PoliceContactKind.ARREST
    return count_in(span, index.rows(data.police.young_person_id[keep]), data.police.occurred_on[keep])


@register(
    key="police_contacts", title="Police contacts (as a suspect)", kind="before_after", unit="contacts",
    section="before_after", better="lower", source="police",
    definition=(
        "Police contacts recorded as an arrest, a charge or a police call-out. Contacts as a victim of "
        "crime are left out: being a victim is not offending, and a young person who trusts the police "
        "enough to report a crime should not count against the service."
    ),
    window=EVENT_WINDOW, counted=COHORT, excluded="Contacts as a victim of crime.",
)
def police_contacts(data: Dataset, index: PersonIndex, span: Span, side: str) -> np.ndarray:
    keep = data.police.kind != PoliceContactKind.VICTIM
    return count_in(span, index.rows(data.police.young_person_id[keep]), data.police.occurred_on[keep])


@register(
    key="exploitation_concerns", title="Exploitation concerns", kind="before_after", unit="concerns",
    section="before_after", better="lower", source="exploitation",
    definition="Concerns of child sexual or criminal exploitation, counted on the day they were raised.",
    window=EVENT_WINDOW, counted=COHORT, excluded="Nobody.",
)
def exploitation_concerns(data: Dataset, index: PersonIndex, span: Span, side: str) -> np.ndarray:
    return count_in(span, index.rows(data.exploitation.young_person_id), data.exploitation.raised_on)


def _health(kind: str):
    def measure(data: Dataset, index: PersonIndex, span: Span, side: str) -> np.ndarray:
        keep = data.health.kind == kind
        return count_in(span, index.rows(data.health.young_person_id[keep]), data.health.occurred_on[keep])

    return measure


register(
    key="ae_attendances", title="A&E attendances", kind="before_after", unit="attendances", section="before_after",
    better="lower", source="health", definition="Attendances at an accident and emergency department.",
    window=EVENT_WINDOW, counted=COHORT, excluded="Nobody.",
)(_health(HealthEventKind.AE))
register(
    key="hospital_admissions", title="Hospital admissions", kind="before_after", unit="admissions",
    section="before_after", better="lower", source="health", definition="Admissions to hospital.",
    window=EVENT_WINDOW, counted=COHORT, excluded="Nobody.",
)(_health(HealthEventKind.ADMISSION))
register(
    key="crisis_presentations", title="Mental-health crisis presentations", kind="before_after", unit="presentations",
    section="before_after", better="lower", source="health",
    definition="Presentations in a mental-health crisis (to A&E, a crisis team or the police under section 136).",
    window=EVENT_WINDOW, counted=COHORT, excluded="Nobody.",
)(_health(HealthEventKind.CRISIS))


@register(
    key="eet_share", title="Time in education, employment or training", kind="before_after", unit="share of days",
    section="before_after", better="higher", source="eet",
    definition=(
        "The share of the recorded days in the window that the young person spent in school, college, "
        "training, an apprenticeship or work, out of the days recorded as either that or not in "
        "education, employment or training (NEET). Days recorded as 'not available' (illness, "
        "pregnancy, caring, custody) and days with no record are left out of both."
    ),
    window=EVENT_WINDOW, counted=COHORT + " Only those with at least one recorded day in both windows are compared.",
    excluded="Young people with no recorded education, employment or training status in a window (no value).",
    evidence="Norfolk: about half of care leavers in education, employment or training.",
)
def eet_share(data: Dataset, index: PersonIndex, span: Span, side: str) -> np.ndarray:
    eet = data.eet
    rows = index.rows(eet.young_person_id)
    in_eet = np.isin(eet.status, [s.value for s in IN_EET])
    neet = eet.status == EETStatus.NEET
    days_in = overlap_days(span, np.where(in_eet, rows, -1), eet.start, eet.end, data.data_end)
    days_neet = overlap_days(span, np.where(neet, rows, -1), eet.start, eet.end, data.data_end)
    recorded = days_in + days_neet
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(recorded > 0, days_in / recorded, np.nan)


@register(
    key="substance_use", title="Substance use (stopped or reduced)", kind="before_after", unit="level (0-3)",
    section="before_after", better="lower", source="substance",
    definition=(
        "The young person's substance use on a scale of 0 (not using), 1 (occasional or experimental), "
        "2 (regular) and 3 (use causing harm). Before: the latest assessment in the 12 months up to and "
        "including the start date (the assessment at the start is the baseline). After: the latest "
        "assessment in the 12 months after the start date. 'Stopped' is a level above 0 before and 0 "
        "after; 'reduced' a lower level after that is not 0."
    ),
    window="As for the other measures, except that an assessment on the start date is the 'before' value.",
    counted=COHORT + " Only those assessed in both windows are compared.",
    excluded="Young people not assessed in a window (no value).",
    evidence="North Yorkshire: substance use stopped or reduced for 32% of the cohort.",
)
def substance_use(data: Dataset, index: PersonIndex, span: Span, side: str) -> np.ndarray:
    assessed = data.substance
    score = np.array([SUBSTANCE_USE_SCORE.get(level, np.nan) for level in assessed.level], dtype=float)
    # The baseline includes the start date; the after window starts the day after.
    shifted = Span(span.lo, span.hi + DAY, span.nominal_lo, span.nominal_hi) if side == "before" else Span(
        span.lo + DAY, span.hi, span.nominal_lo, span.nominal_hi
    )
    shifted = Span(np.minimum(shifted.lo, shifted.hi), shifted.hi, span.nominal_lo, span.nominal_hi)
    return latest_in(shifted, index.rows(assessed.young_person_id), assessed.assessed_on, score)


# --------------------------------------------------------------------------------------------------
# Period indicators
# --------------------------------------------------------------------------------------------------


def _in_period(days: np.ndarray, period: Period) -> np.ndarray:
    lo = np.datetime64(period.date_from, "D")
    hi = np.datetime64(period.date_to, "D")
    return (days >= lo) & (days <= hi)


def _median(values) -> float | None:
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    return float(np.median(values)) if len(values) else None


SUPPORTED = frozenset(DECISION_SUPPORT_TYPE)
DECISION_ROWS = [
    (Decision.OUTREACH, "Outreach support"),
    (Decision.HUB_STAY, "Hub stay"),
    (Decision.EMERGENCY_BED, "Emergency bed"),
    (Decision.HANDOVER, "Warm handover to a named service"),
    ("", "Not yet decided"),
]


@register(
    key="referral_decisions", title="Referral decisions, including warm handovers", kind="period", unit="referrals",
    section="referrals",
    definition=(
        "What became of each referral: outreach support, a hub stay, an emergency bed, or a warm "
        "handover to a named service (no referral is closed without one of these). The time to decide "
        "is from the day the referral was received to the day of the decision."
    ),
    window="Referrals received in the reporting period; decisions made by its last day.",
    counted="Every referral received in the period: a young person referred twice counts twice.",
    excluded=(
        "With a hub chosen: referrals not taken on and referrals not yet decided, which belong to no hub."
    ),
)
def referral_decisions(data: Dataset, period: Period) -> list[Figure]:
    ref = data.referrals
    keep = _in_period(ref.received, period)
    if period.hub_id is not None:
        keep &= ref.involvement_hub == period.hub_id
    ref = ref.where(keep)
    n = len(ref)
    decided = ref.decision != ""
    days_to_decide = np.where(decided, (ref.decision_date - ref.received) / DAY, np.nan)
    rows, people = [], {}
    for code, label in DECISION_ROWS:
        mask = ref.decision == code
        rows.append([label, int(mask.sum()), share(mask.sum(), n), _median(days_to_decide[mask]) if code else None])
        people[label] = ids(ref.young_person_id[mask])
    rows.append(["All referrals", n, 1.0 if n else None, _median(days_to_decide)])
    people["All referrals"] = ids(ref.young_person_id)
    handovers = int((ref.decision == Decision.HANDOVER).sum())
    supported = int(np.isin(ref.decision, list(SUPPORTED)).sum())
    decisions = Figure(
        key="referral_decisions", title="What happened to the referrals received", indicator="referral_decisions",
        columns=["Decision", "Referrals", "Share", "Median days to decide"], rows=rows, people=people,
        percent_columns=("Share",),
        chart=Chart("bar", [r[0] for r in rows[:-1]], {"Referrals": [r[1] for r in rows[:-1]]}, "Referrals",
                    horizontal=True),
        headline={"referrals": n, "supported": supported, "handovers": handovers,
                  "undecided": int((~decided).sum()), "median_days_to_decide": _median(days_to_decide)},
    )
    if period.hub_id is not None:
        decisions.notes.append(
            "For one hub: only referrals that led to support at this hub. Warm handovers and referrals "
            "still waiting belong to no hub and are in the whole-service report."
        )
    source_rows, source_people = [], {}
    for agency in SourceAgency:
        mask = ref.source_agency == agency.value
        if not mask.any():
            continue
        source_rows.append([
            agency.label, int(mask.sum()),
            int((mask & np.isin(ref.decision, list(SUPPORTED))).sum()),
            int((mask & (ref.decision == Decision.HANDOVER)).sum()),
            int((mask & ~decided).sum()),
        ])
        source_people[agency.label] = ids(ref.young_person_id[mask])
    by_source = Figure(
        key="referrals_by_source", title="Referrals by the agency that referred", indicator="referral_decisions",
        columns=["Referred by", "Referrals", "Supported", "Warm handover", "Not yet decided"],
        rows=source_rows, people=source_people,
    )
    return [decisions, by_source]


def looked_after_at(data: Dataset, person_ids: np.ndarray, days: np.ndarray) -> np.ndarray:
    """Whether each person was looked after at the start of the given day: in a period of care that
    began before that day and had not ended by it. (A period beginning that very day is an entry.)"""
    index = PersonIndex(person_ids)
    periods = data.care_periods
    rows = index.rows(periods.young_person_id)
    keep = rows >= 0
    rows, start, end = rows[keep], periods.start[keep], periods.end[keep]
    day = days[rows]
    on = (start < day) & (np.isnat(end) | (end > day))
    return np.bincount(rows[on], minlength=len(index)) > 0


def first_entry_between(data: Dataset, person_ids: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Per person, the first day a period of care began in ``[lo, hi)`` (NaT if none)."""
    index = PersonIndex(person_ids)
    periods = data.care_periods
    rows = index.rows(periods.young_person_id)
    keep = rows >= 0
    rows, start = rows[keep], periods.start[keep]
    inside = (start >= lo[rows]) & (start < hi[rows])
    # The earliest per person, by a minimum over whole days (fancy assignment with repeated rows
    # has no guaranteed order).
    never = np.iinfo(np.int64).max
    earliest = np.full(len(index), never, dtype=np.int64)
    np.minimum.at(earliest, rows[inside], start[inside].astype(np.int64))
    return np.where(earliest == never, NAT, earliest.astype("datetime64[D]"))


def first_referrals(data: Dataset) -> np.ndarray:
    """Row numbers (into ``data.referrals``) of each young person's first referral to the service."""
    ref = data.referrals
    if not len(ref):
        return np.array([], dtype=np.int64)
    order = np.lexsort((ref.id, ref.received, ref.young_person_id))
    person = ref.young_person_id[order]
    first = np.r_[True, person[1:] != person[:-1]]
    return order[first]


@register(
    key="stayed_out_of_care", title="Stayed out of care", kind="period", unit="young people", section="referrals",
    definition=(
        "Of the young people referred while not looked after, the share who were not looked after at "
        "any time from the referral to the as-of date (or to their 18th birthday, if sooner). 'Looked "
        "after when referred' means in a period of care that began before the referral date and had "
        "not ended by it; a period of care that begins on the referral date counts as becoming looked "
        "after. The follow-up is whatever time has passed, so it is shown beside the share: a share "
        "measured after a few weeks is not the same as one measured after two years."
    ),
    window="From the young person's first referral to the as-of date or their 18th birthday, whichever is first.",
    counted="Young people whose first referral to the service was received in the reporting period.",
    excluded=(
        "Young people already looked after when referred, and those 18 or over when referred (nobody "
        "becomes looked after at 18). Later referrals of the same young person."
    ),
    evidence="North Yorkshire: 86% of referred young people stayed out of care.",
)
def stayed_out_of_care(data: Dataset, period: Period) -> list[Figure]:
    ref = data.referrals
    first = first_referrals(data)
    first = first[_in_period(ref.received[first], period)]
    if period.hub_id is not None:
        first = first[ref.involvement_hub[first] == period.hub_id]
    person = ref.young_person_id[first]
    received = ref.received[first]
    decision = ref.decision[first]
    b18 = birthdays(data.dates_of_birth(person), 18)
    adult = ~(received < b18)
    in_care = looked_after_at(data, person, received)
    eligible = ~adult & ~in_care
    follow_end = np.minimum(b18, data.data_end)
    entered = ~np.isnat(first_entry_between(data, person, received, follow_end)) & eligible
    follow_months = (follow_end - received) / DAY / (365.25 / 12)
    groups = [
        ("All referred while not looked after", eligible),
        ("Supported by the service", eligible & np.isin(decision, list(SUPPORTED))),
        ("Warm handover", eligible & (decision == Decision.HANDOVER)),
        ("Not yet decided", eligible & (decision == "")),
    ]
    rows, people = [], {}
    for label, mask in groups:
        n = int(mask.sum())
        out = int((mask & ~entered).sum())
        rows.append([label, n, out, share(out, n), int((mask & entered).sum()), _median(follow_months[mask])])
        people[label] = ids(person[mask])
        people[f"{label}: became looked after"] = ids(person[mask & entered])
    headline_row = rows[0]
    figure = Figure(
        key="stayed_out_of_care", title="Young people who stayed out of care", indicator="stayed_out_of_care",
        columns=["Young people", "Referred", "Stayed out of care", "Share stayed out", "Became looked after",
                 "Median follow-up (months)"],
        rows=rows, people=people, percent_columns=("Share stayed out",),
        headline={"referred": headline_row[1], "stayed_out": headline_row[2], "share": headline_row[3],
                  "median_follow_up_months": headline_row[5]},
    )
    figure.notes.append(
        f"Left out: {int((in_care & ~adult).sum())} already looked after when referred, "
        f"{int(adult.sum())} aged 18 or over when referred."
    )
    if period.hub_id is not None:
        figure.notes.append("For one hub: only young people whose first referral led to support at this hub.")
    return [figure]


def _service_on(data: Dataset, person: np.ndarray, day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each (person, day) pair: had their support begun by that day, and was it open that day?"""
    entries = pl.DataFrame({"row": np.arange(len(person)), "person": person, "day": day})
    inv = pl.DataFrame({
        "person": data.involvements.young_person_id, "start": data.involvements.start, "end": data.involvements.end,
    })
    joined = entries.join(inv, on="person", how="inner").filter(pl.col("start") <= pl.col("day"))
    joined = joined.with_columns(
        (pl.col("end").is_null() | (pl.col("end") > pl.col("day"))).alias("open")
    ).group_by("row").agg(pl.col("open").any())
    known = np.zeros(len(person), dtype=bool)
    supported = np.zeros(len(person), dtype=bool)
    rows = joined["row"].to_numpy()
    known[rows] = True
    supported[rows] = joined["open"].to_numpy()
    return known, supported


def financial_quarter(days: np.ndarray) -> np.ndarray:
    """Financial-year quarter labels ('2024-25 Q1' is April to June 2024)."""
    out = np.empty(len(days), dtype=object)
    for i, day in enumerate(days.astype("datetime64[D]").astype(object)):
        year = day.year if day.month >= 4 else day.year - 1
        out[i] = f"{year}-{(year + 1) % 100:02d} Q{(day.month - 4) % 12 // 3 + 1}"
    return out


@register(
    key="care_entries", title="Entries and re-entries to care (whole council)", kind="period", unit="entries",
    section="care",
    definition=(
        "Periods of care that began in the reporting period, across the whole council. A re-entry is a "
        "period of care of a child who had an earlier one in the records. 'Known to the service' means "
        "the young person's support began on or before the day they entered care; 'supported on the "
        "day' means the support was open that day."
    ),
    window="Periods of care beginning in the reporting period.",
    counted="Every child in the council's care records (not only the service's young people).",
    excluded=(
        "Re-entries whose earlier period ended before the care history begins cannot be recognised "
        "and count as first entries."
    ),
)
def care_entries(data: Dataset, period: Period) -> list[Figure]:
    periods = data.care_periods
    order = np.lexsort((periods.start, periods.young_person_id))
    person, start = periods.young_person_id[order], periods.start[order]
    reentry = np.r_[False, person[1:] == person[:-1]]
    keep = _in_period(start, period)
    person, start, reentry = person[keep], start[keep], reentry[keep]
    b12 = birthdays(data.dates_of_birth(person), 12)
    b18 = birthdays(data.dates_of_birth(person), 18)
    teen = (start >= b12) & (start < b18)
    known, supported = _service_on(data, person, start)
    rows_spec = [
        ("All entries", np.ones(len(person), dtype=bool)),
        ("First entries", ~reentry),
        ("Re-entries", reentry),
        ("Aged 12 to 17 at entry", teen),
        ("Known to the service before entry", known),
        ("Supported by the service on the day of entry", supported),
    ]
    rows, people = [], {}
    for label, mask in rows_spec:
        rows.append([label, int(mask.sum()), len(set(person[mask].tolist()))])
        people[label] = ids(person[mask])
    quarters = financial_quarter(start)
    labels = sorted(set(quarters.tolist()))
    chart = Chart(
        "stacked", labels,
        {"First entries": [int(((quarters == q) & ~reentry).sum()) for q in labels],
         "Re-entries": [int(((quarters == q) & reentry).sum()) for q in labels]},
        "Entries to care",
    )
    figure = Figure(
        key="care_entries", title="Entries and re-entries to care, whole council", indicator="care_entries",
        columns=["Entries to care", "Entries", "Children"], rows=rows, people=people, chart=chart, scope="council",
        headline={"entries": rows[0][1], "reentries": rows[2][1], "teen_entries": rows[3][1]},
    )
    return [figure]


@register(
    key="placements_on_date", title="Children looked after on the last day, by placement", kind="period",
    unit="children", section="care",
    definition=(
        "Children looked after on the last day of the period, by the group of their placement (PLACE and "
        "PLACE_PROVIDER mapped to the ten placement groups; a temporary placement counts in the group "
        "of the placement around it), with how many are placed outside the council's area, how many in "
        "unregulated placements, and the weekly cost of the placements that day."
    ),
    window="The last day of the reporting period.",
    counted="Every child looked after on that day, across the whole council.",
    excluded="Nobody. Placements with no weekly cost recorded add nothing to the cost columns, and are counted in a note.",
)
def placements_on_date(data: Dataset, period: Period) -> list[Figure]:
    ep = data.care_episodes
    day = np.datetime64(period.date_to, "D")
    on = (ep.decom <= day) & (np.isnat(ep.dec) | (ep.dec > day))
    ep = ep.where(on)
    rows, people = [], {}
    for group in PlacementGroup:
        mask = ep.group == group.value
        if not mask.any():
            continue
        cost = ep.weekly_cost[mask]
        rows.append([GROUP_LABELS[group], int(mask.sum()), int((mask & ~ep.in_area).sum()),
                     int((mask & ~ep.regulated).sum()), float(np.nansum(cost)), _median(cost)])
        people[GROUP_LABELS[group]] = ids(ep.young_person_id[mask])
    rows.append(["All placements", len(ep), int((~ep.in_area).sum()), int((~ep.regulated).sum()),
                 float(np.nansum(ep.weekly_cost)), _median(ep.weekly_cost)])
    people["All placements"] = ids(ep.young_person_id)
    figure = Figure(
        key="placements_on_date", title=f"Children looked after on {period.date_to:%-d %B %Y}, by placement",
        indicator="placements_on_date",
        columns=["Placement group", "Looked after", "Out of area", "Unregulated", "Weekly cost (£)",
                 "Median weekly cost (£)"],
        rows=rows, people=people, scope="council", money_columns=("Weekly cost (£)", "Median weekly cost (£)"),
        chart=Chart("bar", [r[0] for r in rows[:-1]], {"Looked after": [r[1] for r in rows[:-1]]},
                    "Children", horizontal=True),
        headline={"looked_after": len(ep), "out_of_area": int((~ep.in_area).sum()),
                  "unregulated": int((~ep.regulated).sum()), "weekly_cost": float(np.nansum(ep.weekly_cost))},
    )
    uncosted = int(np.isnan(ep.weekly_cost).sum())
    if uncosted:
        figure.notes.append(f"{uncosted} placements have no weekly cost recorded.")
    return [figure]


@register(
    key="key_worker_changes", title="Key-worker changes per young person", kind="period", unit="changes",
    section="team",
    definition=(
        "How often a young person's key worker changed: each new key-worker allocation with a reason "
        "other than 'first allocation', dated in the period. The service promises one key worker who "
        "stays, so fewer is better. Also given per year of support, since a young person supported for "
        "the whole period has had more time for a change than one who started last month."
    ),
    window="The reporting period.",
    counted="Young people whose support was open on at least one day of the period.",
    excluded="The first allocation of each involvement (including a new involvement's first key worker).",
)
def key_worker_changes(data: Dataset, period: Period) -> list[Figure]:
    inv = data.involvements
    lo = np.datetime64(period.date_from, "D")
    hi = np.datetime64(period.date_to, "D") + DAY
    open_in = (inv.start < hi) & (np.isnat(inv.end) | (inv.end >= lo))
    if period.hub_id is not None:
        open_in &= inv.hub_id == period.hub_id
    inv = inv.where(open_in)
    support_days = np.maximum(
        (np.minimum(np.where(np.isnat(inv.end), hi, inv.end + DAY), hi) - np.maximum(inv.start, lo)) / DAY, 0
    )
    alloc = data.allocations
    changed = (alloc.reason != AllocationReason.FIRST) & _in_period(alloc.start, period) & np.isin(
        alloc.involvement_id, inv.id
    )
    rows, people = [], {}
    hubs = [("All hubs", None)] + [(data.hubs[h], h) for h in sorted(set(inv.hub_id.tolist()), key=data.hubs.get)]
    for label, hub in hubs:
        imask = np.ones(len(inv), dtype=bool) if hub is None else inv.hub_id == hub
        amask = changed if hub is None else changed & (alloc.hub_id == hub)
        persons = np.unique(inv.young_person_id[imask])
        changes_by_person = np.bincount(
            np.searchsorted(persons, alloc.young_person_id[amask]), minlength=len(persons)
        )[: len(persons)]
        n = len(persons)
        n_changes = int(amask.sum())
        years = support_days[imask].sum() / 365.25
        rows.append([
            label, n, n_changes, share(n_changes, n), None if not years else n_changes / years,
            share(int((changes_by_person == 0).sum()), n),
        ])
        people[label] = ids(persons)
        people[f"{label}: with a change"] = ids(persons[changes_by_person > 0])
    figure = Figure(
        key="key_worker_changes", title="Key-worker changes", indicator="key_worker_changes",
        columns=["Hub", "Young people supported", "Key-worker changes", "Changes per young person",
                 "Changes per year of support", "Share with no change"],
        rows=rows, people=people, percent_columns=("Share with no change",),
        headline={"supported": rows[0][1], "changes": rows[0][2], "per_young_person": rows[0][3],
                  "no_change_share": rows[0][5]},
    )
    return [figure]


@register(
    key="length_of_stay", title="Length of hub stays against plan", kind="period", unit="stays", section="team",
    definition=(
        "For each hub stay that ended in the period: the nights stayed (discharge date less admission "
        "date), the nights planned (planned discharge date less admission date), whether it ended on or "
        "before the planned date, how late the late ones were, whether the ending was the planned one, "
        "and whether the young person went to a family or community setting (home, relatives or "
        "friends, foster care, supported accommodation or independent living)."
    ),
    window="Stays whose discharge date falls in the reporting period.",
    counted="Every hub stay that ended in the period; a young person with two stays counts twice.",
    excluded=(
        "Stays with no planned discharge date are left out of the comparisons with the plan (counted in "
        "a note); stays still open on the last day are counted in a note."
    ),
)
def length_of_stay(data: Dataset, period: Period) -> list[Figure]:
    stays = data.stays
    if period.hub_id is not None:
        stays = stays.where(stays.hub_id == period.hub_id)
    ended = ~np.isnat(stays.discharged) & _in_period(stays.discharged, period)
    day = np.datetime64(period.date_to, "D")
    still_open = np.isnat(stays.discharged)
    overdue = still_open & ~np.isnat(stays.planned_discharge) & (stays.planned_discharge < day)
    stays_ended = stays.where(ended)
    nights = (stays_ended.discharged - stays_ended.admitted) / DAY
    has_plan = ~np.isnat(stays_ended.planned_discharge)
    planned_nights = np.where(has_plan, (stays_ended.planned_discharge - stays_ended.admitted) / DAY, np.nan)
    late_days = np.where(has_plan, (stays_ended.discharged - stays_ended.planned_discharge) / DAY, np.nan)
    family = np.isin(stays_ended.destination, [d.value for d in FAMILY_OR_COMMUNITY])
    groups = [("All stays", np.ones(len(stays_ended), dtype=bool))]
    groups += [(data.hubs[h], stays_ended.hub_id == h) for h in sorted(set(stays_ended.hub_id.tolist()), key=data.hubs.get)]
    groups += [(f"{kind.label} beds", stays_ended.bed_kind == kind.value) for kind in BedKind]
    rows, people = [], {}
    for label, mask in groups:
        n = int(mask.sum())
        planned_mask = mask & has_plan
        on_time = int((planned_mask & (late_days <= 0)).sum())
        late = planned_mask & (late_days > 0)
        rows.append([
            label, n, _median(nights[mask]), _median(planned_nights[planned_mask]),
            share(on_time, int(planned_mask.sum())), _median(late_days[late]),
            share(int((mask & (stays_ended.planned == 1)).sum()), n), share(int((mask & family).sum()), n),
        ])
        people[label] = ids(stays_ended.young_person_id[mask])
        people[f"{label}: ended after the planned date"] = ids(stays_ended.young_person_id[late])
    figure = Figure(
        key="length_of_stay", title="Hub stays that ended, against their plan", indicator="length_of_stay",
        columns=["Stays", "Ended", "Median nights", "Median nights planned", "Ended by the planned date",
                 "Median days late (late stays)", "Planned ending", "To family or community"],
        rows=rows, people=people,
        percent_columns=("Ended by the planned date", "Planned ending", "To family or community"),
        headline={"ended": rows[0][1], "median_nights": rows[0][2], "on_time_share": rows[0][4],
                  "family_share": rows[0][7]},
    )
    figure.notes.append(
        f"{int((~has_plan).sum())} of the stays that ended had no planned discharge date. "
        f"{int(still_open.sum())} stays were still open on the last day, {int(overdue.sum())} of them past "
        "their planned discharge date."
    )
    people["Still open past the planned date"] = ids(stays.young_person_id[overdue])
    return [figure]
