"""The 903's outcome tables: OC2 for children looked after a year at 31 March, OC3 for care leavers.

OC2 (``AnnualOutcome``): each child looked after continuously for at least 12 months at 31 March,
each year of the history: strengths and difficulties score for ages 4-16 (or the reason there is
none), convictions and substance misuse from age 10, health checks, immunisations, teeth, and the
development assessment of the under-fives. OC3 (``CareLeaverOutcome``): each young person who left
care at 16 or over, in the collection year of each of their 17th to 21st birthdays: in touch or
not, their activity and their accommodation (domain: about half of care leavers are in education,
employment or training).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from nwd.synth.care_history import CareHistory
from nwd.synth.timeline import Timeline, age_on, birthday, pick

IN_TOUCH = ("YES", "NO", "REFU", "NREQ")
IN_TOUCH_SHARES = (0.86, 0.05, 0.05, 0.04)
ACTIV = ("F1", "P1", "F2", "P2", "F4", "P4", "G4", "G5", "G6", "F5", "P5")
ACTIV_SHARES = (0.06, 0.01, 0.2, 0.03, 0.17, 0.05, 0.07, 0.27, 0.02, 0.06, 0.06)
ACCOM = ("B1", "C1", "D1", "E1", "T1", "U1", "Z1", "K1", "V2", "W2", "S2", "X2", "Y1")
ACCOM_SHARES = (0.12, 0.03, 0.2, 0.07, 0.08, 0.25, 0.08, 0.04, 0.03, 0.01, 0.02, 0.03, 0.04)
SDQ_REASONS = ("SDQ2", "SDQ3", "SDQ4", "SDQ5")


@dataclass(slots=True)
class AnnualPlan:
    person: int
    collection_year: str
    sdq_score: int | None
    sdq_reason: str
    convicted: bool | None
    health_check: bool
    immunisations: bool
    teeth_check: bool
    health_assessment: bool | None
    substance_misuse: bool | None
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


def annual(care: CareHistory, timeline: Timeline, rng: np.random.Generator) -> list[AnnualPlan]:
    out: list[AnnualPlan] = []
    people = care.people.rows
    first = dt.date.fromordinal(timeline.history_start).year
    for year in range(first, dt.date.fromordinal(timeline.end).year + 1):
        march = dt.date(year + 1, 3, 31).toordinal()
        if march > timeline.end:
            break
        for period in care.periods:
            if not (period.start <= march - 365 and period.end > march):
                continue
            person = people[period.person]
            age = age_on(person.dob, march)
            score, reason = None, ""
            if 4 <= age <= 16:
                if rng.random() < 0.78:
                    score = int(np.clip(rng.normal(14, 7), 0, 40))
                else:
                    reason = SDQ_REASONS[pick(rng, (0.3, 0.15 if person.disability else 0.02, 0.3, 0.25))]
            else:
                reason = "SDQ1"
            misuse = bool(rng.random() < 0.05) if age >= 10 else None
            out.append(AnnualPlan(
                person=period.person, collection_year=_year(year), sdq_score=score, sdq_reason=reason,
                convicted=bool(rng.random() < 0.03) if age >= 10 else None,
                health_check=bool(rng.random() < 0.9), immunisations=bool(rng.random() < 0.85),
                teeth_check=bool(rng.random() < 0.78), health_assessment=bool(rng.random() < 0.9) if age < 5 else None,
                substance_misuse=misuse, intervention_received=bool(rng.random() < 0.6) if misuse else None,
                intervention_offered=bool(rng.random() < 0.9) if misuse else None,
            ))
    return out


def leavers(care: CareHistory, timeline: Timeline, rng: np.random.Generator) -> list[LeaverPlan]:
    out: list[LeaverPlan] = []
    people = care.people.rows
    for person_index, period_indexes in care.by_person.items():
        last = care.periods[period_indexes[-1]]
        person = people[person_index]
        if last.is_open or age_on(person.dob, last.end) < 16 or last.rec in {"E2", "E3", "E15", "E16", "E11", "E12"}:
            continue
        in_work = rng.random() < 0.5  # domain: about half of care leavers in EET
        for age in range(17, 22):
            on = birthday(person.dob, age)
            if on <= last.end or on < timeline.history_start or on > timeline.end:
                continue
            start = dt.date.fromordinal(on)
            year = start.year if start.month >= 4 else start.year - 1
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
