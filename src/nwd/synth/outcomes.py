"""The 903's outcome tables, and motherhood: OC2 for children looked after a year at 31 March, OC3
for care leavers, MOTHER and MC_DOB for girls in care.

OC2 (``AnnualOutcome``): each child looked after continuously through a collection year (from 1 April
or before, to 31 March or after, as the DfE's validation reads "looked after for 12 months at 31
March"), each year of the history, with the items the DfE asks for at each age: the strengths and
difficulties score (SDQ_SCORE, or SDQ_REASON for none) from the year a child turns 4 to the year
they turn 17; CONVICTED from 10 at 31 March; HEALTH_CHECK (the under-fives' development assessment)
under 5 at 31 March only; IMMUNISATIONS, TEETH_CHECK, HEALTH_ASSESSMENT (the annual health
assessment) and SUBSTANCE_MISUSE for every child; INTERVENTION_RECEIVED for a substance misuse
problem, and INTERVENTION_OFFERED only when none was received.

OC3 (``CareLeaverOutcome``): a care leaver (looked after at least 13 weeks after their 14th
birthday, including a day after their 16th: a relevant or former relevant child) who left care
before the birthday, in the collection year of their 17th, 18th or 19th birthday, when their care
after 14 falls in that year or the year before: in touch or not, their activity and their
accommodation (domain: about half of care leavers are in education, employment or training). The
DfE asks for OC3 up to the 21st birthday; the 20th and 21st, and years whose care is further back,
are left out because the DfE's validator, which sees only this year's and last year's return,
reports them as errors (its rules 1001 and 1002: docs/synthetic-county.md, "Deliberately unrealistic").
Nor is there an OC3 row for a young mother in the year after she left care: the return must leave
her MOTHER and MC_DOB blank then (rules 628, 612), and the validator reads a blank MC_DOB after last
year's as a contradiction (its rule 624).

MOTHER and MC_DOB (``mothers``): every girl in care is asked (MOTHER 0 or 1, the DfE's rule 393); a
few become mothers while in care at 15 or over, MC_DOB the day within an episode of care.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from nwd.synth.care_history import CareHistory
from nwd.synth.episodes import EpisodeRow
from nwd.synth.timeline import NEVER, Timeline, age_on, birthday, day, pick

IN_TOUCH = ("YES", "NO", "REFU", "NREQ")
IN_TOUCH_SHARES = (0.86, 0.05, 0.05, 0.04)
ACTIV = ("F1", "P1", "F2", "P2", "F4", "P4", "G4", "G5", "G6", "F5", "P5")
ACTIV_SHARES = (0.06, 0.01, 0.2, 0.03, 0.17, 0.05, 0.07, 0.27, 0.02, 0.06, 0.06)
ACCOM = ("B1", "C1", "D1", "E1", "T1", "U1", "Z1", "K1", "V2", "W2", "S2", "X2", "Y1")
ACCOM_SHARES = (0.12, 0.03, 0.2, 0.07, 0.08, 0.25, 0.08, 0.04, 0.03, 0.01, 0.02, 0.03, 0.04)
SDQ_REASONS = ("SDQ2", "SDQ3", "SDQ4", "SDQ5")
NOT_CARE_LEAVERS = frozenset({"E2", "E3", "E15", "E16", "E11", "E12"})  # died, moved away, adult, adopted
MOTHER_CHANCE = 0.05  # of girls looked after for half a year or more from 15: England's few mothers in care


@dataclass(slots=True)
class AnnualPlan:
    person: int
    collection_year: str
    sdq_score: int | None
    sdq_reason: str
    convicted: bool | None
    health_check: bool | None
    immunisations: bool
    teeth_check: bool
    health_assessment: bool
    substance_misuse: bool
    intervention_received: bool | None
    intervention_offered: bool | None


@dataclass(slots=True)
class LeaverPlan:
    person: int
    collection_year: str
    in_touch: str
    activity: str
    accommodation: str


def _year(start: int) -> str:
    return f"{start}-{(start + 1) % 100:02d}"


def _bounds(start_year: int) -> tuple[int, int]:
    """1 April and 31 March of the collection year starting in ``start_year``, as ordinals."""
    return dt.date(start_year, 4, 1).toordinal(), dt.date(start_year + 1, 3, 31).toordinal()


def anniversary(dob: int, years: int) -> int:
    """``dob`` plus ``years`` as the DfE's validator counts it (a 29 February birthday on the 28th)."""
    born = day(dob)
    try:
        return born.replace(year=born.year + years).toordinal()
    except ValueError:
        return dt.date(born.year + years, 2, 28).toordinal()


def annual(care: CareHistory, timeline: Timeline, rng: np.random.Generator) -> list[AnnualPlan]:
    out: list[AnnualPlan] = []
    people = care.people.rows
    first = dt.date.fromordinal(timeline.history_start).year
    for year in range(first, dt.date.fromordinal(timeline.end).year + 1):
        april, march = _bounds(year)
        if march > timeline.end:
            break
        for period in care.periods:
            if not (period.start <= april and period.end >= march):
                continue
            dob = people[period.person].dob
            age = age_on(dob, march)
            score, reason = None, ""
            if anniversary(dob, 4) <= march and anniversary(dob, 17) >= april:  # turns 4 to turns 17 in the year
                edge = anniversary(dob, 4) > april or anniversary(dob, 17) <= march
                if edge:  # turned 4 or 17 during the year: a score, or none as under 4 or over 17 then
                    if rng.random() < 0.5:
                        score = int(np.clip(rng.normal(14, 7), 0, 40))
                    else:
                        reason = "SDQ1"
                elif rng.random() < 0.78:
                    score = int(np.clip(rng.normal(14, 7), 0, 40))
                else:
                    disabled = people[period.person].disability
                    reason = SDQ_REASONS[pick(rng, (0.3, 0.15 if disabled else 0.02, 0.3, 0.25))]
            misuse = bool(rng.random() < 0.05) if age >= 10 else False
            received = bool(rng.random() < 0.6) if misuse else None
            out.append(AnnualPlan(
                person=period.person, collection_year=_year(year), sdq_score=score, sdq_reason=reason,
                convicted=bool(rng.random() < 0.03) if age >= 10 else None,
                health_check=bool(rng.random() < 0.88) if age < 5 else None,
                immunisations=bool(rng.random() < 0.85), teeth_check=bool(rng.random() < 0.78),
                health_assessment=bool(rng.random() < 0.9), substance_misuse=misuse,
                intervention_received=received,
                intervention_offered=bool(rng.random() < 0.7) if received is False else None,
            ))
    return out


def _days_after(spans: list[tuple[int, int]], from_day: int) -> int:
    """Days in care on or after ``from_day`` over ``spans`` of (DECOM, DEC)."""
    return sum(max(0, end - max(start, from_day)) for start, end in spans)


def leavers(care: CareHistory, episodes: list[EpisodeRow], timeline: Timeline,
            rng: np.random.Generator) -> list[LeaverPlan]:
    out: list[LeaverPlan] = []
    people = care.people.rows
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for episode in episodes:
        spans[episode.person].append((episode.decom, NEVER if episode.dec is None else episode.dec))
    for person_index, period_indexes in care.by_person.items():
        last = care.periods[period_indexes[-1]]
        person = people[person_index]
        if last.is_open or last.rec in NOT_CARE_LEAVERS:
            continue
        mine = spans[person_index]
        fourteen, sixteen = anniversary(person.dob, 14), anniversary(person.dob, 16)
        if _days_after(mine, fourteen) < 91 or _days_after(mine, sixteen) < 1:
            continue  # not a relevant or former relevant child
        in_work = rng.random() < 0.5  # domain: about half of care leavers in EET
        for age in range(17, 20):
            on = birthday(person.dob, age)
            if on <= last.end or on < timeline.history_start or on > timeline.end:
                continue
            start = dt.date.fromordinal(on)
            year = start.year if start.month >= 4 else start.year - 1
            if not _seen(mine, person.dob, year):
                continue
            first_day, _ = _bounds(year)
            if person.mother_child_dob is not None and person.mother_child_dob < first_day and last.end < first_day:
                continue  # the validator's rules 624 and 628 contradict each other for her (see above)
            in_touch = IN_TOUCH[pick(rng, IN_TOUCH_SHARES)]
            if in_touch != "YES":
                out.append(LeaverPlan(person_index, _year(year), in_touch, "0", "0"))
                continue
            shares = [s * (3 if (i < 6) == in_work else 0.5) for i, s in enumerate(ACTIV_SHARES)]
            accommodation = ACCOM[pick(rng, ACCOM_SHARES)]
            if accommodation == "Z1" and last.rec != "E17":
                accommodation = "D1"  # staying with former foster carers follows staying put (E17)
            out.append(LeaverPlan(person_index, _year(year), in_touch, ACTIV[pick(rng, shares)], accommodation))
    return out


def _seen(spans: list[tuple[int, int]], dob: int, year: int) -> bool:
    """Whether the year's return and the one before show the care that makes a care leaver: 13 weeks
    after the 14th birthday and a day after the 16th, in the episodes open in those two years, and
    the young person under 20 at the year's end (what the DfE's validator can check: rules 1001, 1002)."""
    first, _ = _bounds(year - 1)
    _, last = _bounds(year)
    if anniversary(dob, 20) <= last:
        return False
    shown = [(start, min(end, last)) for start, end in spans if start <= last and end >= first]
    return _days_after(shown, anniversary(dob, 14)) >= 91 and _days_after(shown, anniversary(dob, 16)) >= 1


def mothers(care: CareHistory, episodes: list[EpisodeRow], timeline: Timeline, rng: np.random.Generator) -> None:
    """MOTHER for every girl in care (False unless she has a child), and a few mothers with MC_DOB.

    MC_DOB is a day of an episode of care from her 15th birthday, not after as-of, chosen so that
    the return of the year of the birth shows it before any end of care that year: the DfE's rule
    625 compares MC_DOB with the latest DEC of the year's episodes, an X1 change of placement
    included, so a birth after a move within the year but in an episode still open then is avoided.
    """
    people = care.people.rows
    by_person: dict[int, list[EpisodeRow]] = defaultdict(list)
    for episode in episodes:
        by_person[episode.person].append(episode)
    for person_index in sorted(care.by_person):
        person = people[person_index]
        if person.sex != "F":
            continue
        person.mother = False
        fifteen = birthday(person.dob, 15)
        mine = by_person[person_index]
        windows = [(max(e.decom, fifteen), min(timeline.end + 1, NEVER if e.dec is None else e.dec)) for e in mine]
        windows = [(a, b) for a, b in windows if b > a]
        if sum(b - a for a, b in windows) < 183 or rng.random() >= MOTHER_CHANCE:
            continue
        for _ in range(20):
            a, b = windows[int(rng.integers(len(windows)))]
            born = int(rng.integers(a, b))
            if _shown_before_leaving(mine, born):
                person.mother, person.mother_child_dob = True, born
                break


def _shown_before_leaving(episodes: list[EpisodeRow], born: int) -> bool:
    """No episode of the year of ``born`` shows a DEC in that year, or the latest one is on or after it."""
    start = day(born)
    first, last = _bounds(start.year if start.month >= 4 else start.year - 1)
    ends = [e.dec for e in episodes if e.dec is not None and first <= e.dec <= last]
    return not ends or max(ends) >= born
