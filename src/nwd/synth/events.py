"""Dated events in the young people's lives, at the rates the evidence reports.

Each young person has their own propensity for each kind of event (a gamma draw: most have few,
some many) and their own response to support. Rates are highest in the months before referral
(that is what prompts most referrals) and fall after support starts, by about half for missing
episodes (North Yorkshire: 503 to 253 a year for 355 young people) and by about 40% for arrests,
with a per-person spread around those factors; young people handed over to another service keep
their rates. Events are drawn from 18 months before the first referral to as-of, so that the
evaluation has a full year before support for everyone.

Children in care who never met the service go missing too (the 903 Missing table), a minority of
them often, and only while looked after.

A looked-after child's missing episode is back by the end of the day before their care ends, and by
the end of 31 March of the collection year it began in: the 903 Missing table wants an episode to end
within the period of care it began in (the DfE's rule 577; ending on the day care ends would read as
missing on leaving care, rule 580), and the DfE's validator reads any missing episode still open on
31 March as an error (its rules 575 and 577, after its rule 365 has filled in the end of every open
episode of care: docs/ssda903.md). An episode that would run on is cut short at 23:45 on that day (a
handful a year); one that would begin on the day care ends begins the day after (or, on as-of, is
left out).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from nwd.synth import params, texts
from nwd.synth.care_history import CareHistory
from nwd.synth.service_journeys import ServiceJourneys
from nwd.synth.timeline import NEVER, YEAR, Timeline, age_on, birthday, pick

SCHOOL_PROVIDERS = ("local secondary school", "pupil referral unit", "alternative provision", "special school")
COLLEGE_PROVIDERS = ("further education college: motor vehicle course", "further education college: catering",
                     "sixth-form college", "further education college: hair and beauty", "university")
TRAINING_PROVIDERS = ("construction apprenticeship", "traineeship with a local employer", "Prince's-style youth scheme",
                      "study programme with work experience")
EMPLOYMENT_PROVIDERS = ("part-time job in retail", "kitchen porter", "warehouse work", "farm work", "care assistant")


@dataclass(slots=True)
class MissingPlan:
    person: int
    involvement: int | None
    kind: str
    start_day: int
    start_minutes: int
    hours: float | None  # None while still missing at as-of
    reported_to_police: bool
    offered: bool | None
    accepted: bool | None


@dataclass(slots=True)
class DatedPlan:
    """A police contact, health event, exploitation concern or substance-use assessment."""

    model: str
    person: int
    involvement: int | None
    day: int
    kind: str
    closed: int | None = None
    substances: str = ""
    summary: str = ""


@dataclass(slots=True)
class EETPlan:
    person: int
    involvement: int | None
    status: str
    start: int
    end: int | None
    provider: str


class Events:
    def __init__(self, timeline: Timeline, rng: np.random.Generator, journeys: ServiceJourneys,
                 care: CareHistory) -> None:
        self.timeline = timeline
        self.rng = rng
        self.journeys = journeys
        self.care = care
        self.missing: list[MissingPlan] = []
        self.dated: list[DatedPlan] = []
        self.eet: list[EETPlan] = []
        self.involvements_of: dict[int, list] = {}
        for involvement in journeys.involvements:
            self.involvements_of.setdefault(involvement.person, []).append(involvement)
        self.referrals_of: dict[int, list] = {}
        for referral in journeys.referrals:
            self.referrals_of.setdefault(referral.person, []).append(referral)

    def involvement_on(self, person: int, on: int) -> int | None:
        for involvement in self.involvements_of.get(person, ()):
            if involvement.start <= on < involvement.end or (involvement.start <= on and involvement.end == on):
                return involvement.index
        return None

    def generate(self) -> None:
        for person in sorted(self.referrals_of):
            self._service_person(person)
        served = set(self.referrals_of)
        for period in self.care.periods:
            if period.person not in served:
                self._looked_after_missing(period)
        self._someone_missing_now()

    def _someone_missing_now(self) -> None:
        """Make sure a young person supported by the first hub is missing at as-of (the demo's day one),
        so the police liaison officer's home page has someone to show from the start.

        Only when the draws left nobody missing there; it draws no random number, so the rest of the
        county is the same either way. The one chosen is supported now, not looked after (an episode
        open on 31 March is a return error for a looked-after child), at least 10, and back from every
        earlier episode: they went missing at 21:30 the evening before as-of.
        """
        tl = self.timeline
        day = tl.end - 1
        open_now = [i for i in self.journeys.involvements if i.start <= day and i.end >= tl.end]
        if not open_now:
            return
        first_hub = min(i.hub for i in open_now)
        here = {i.person: i for i in open_now if i.hub == first_hub}
        if any(m.hours is None and m.person in here for m in self.missing):
            return
        rows = self.journeys.people.rows
        back = {}
        for m in self.missing:
            ends = m.start_day * 1440 + m.start_minutes + (m.hours or 0) * 60 if m.hours is not None else NEVER * 1440
            back[m.person] = max(back.get(m.person, 0), ends)
        start = day * 1440 + 21 * 60 + 30
        for person in sorted(here):
            if (age_on(rows[person].dob, day) >= 10 and back.get(person, 0) < start
                    and self.care.person_in_care(person, day) is None
                    and self.care.person_in_care(person, tl.end) is None):
                self.missing.append(MissingPlan(person, here[person].index, "M", day, 21 * 60 + 30, None,
                                                reported_to_police=True, offered=None, accepted=None))
                return

    # --- the service's young people -----------------------------------------------------------

    def _pieces(self, person: int, factor: float) -> list[tuple[int, int, float]]:
        """(from, to, rate multiplier): a rise before referral, the support effect after."""
        tl = self.timeline
        dob = self.journeys.people.rows[person].dob
        first = min(r.received for r in self.referrals_of[person])
        start = max(first - 540, birthday(dob, 10))
        involvements = self.involvements_of.get(person)
        pieces = []
        if involvements:
            support = min(i.start for i in involvements)
            pieces += [(start, min(first - 90, support), 1.0), (max(start, first - 90), support, 1.3),
                       (support, support + 60, (1.0 + factor) / 2), (support + 60, tl.end + 1, factor)]
        else:
            pieces += [(start, first - 90, 1.0), (max(start, first - 90), first, 1.3), (first, tl.end + 1, 0.9)]
        return [(a, min(b, tl.end + 1), m) for a, b, m in pieces if min(b, tl.end + 1) > a]

    def _draw_days(self, pieces, rate: float) -> list[int]:
        rng = self.rng
        days: list[int] = []
        for a, b, multiplier in pieces:
            n = rng.poisson(rate * multiplier * (b - a) / YEAR)
            days.extend(int(d) for d in rng.integers(a, b, size=n))
        return sorted(days)

    def _factor(self, base: float) -> float:
        return float(np.clip(base * self.rng.lognormal(0.0, 0.35), 0.1, 1.5))

    def _service_person(self, person: int) -> None:
        rng, tl = self.rng, self.timeline
        dob = self.journeys.people.rows[person].dob
        supported = person in self.involvements_of
        propensity = float(rng.gamma(0.7, 1 / 0.7))
        missing_days = self._draw_days(
            self._pieces(person, self._factor(params.MISSING_AFTER_FACTOR) if supported else 1.0),
            params.MISSING_PER_YEAR * propensity)
        self._missing(person, [d for d in missing_days if d < tl.end], high_risk=propensity > 1.5)
        offending = float(rng.gamma(1.5, 1 / 1.5))
        arrests = self._draw_days(
            self._pieces(person, self._factor(params.ARREST_AFTER_FACTOR) if supported else 1.0),
            params.ARRESTS_PER_YEAR * offending)
        for d in arrests:
            if age_on(dob, d) < 10:
                continue
            self._dated("police", person, d, "arrest")
            if rng.random() < 0.35:
                charged = d + int(rng.integers(0, 46))
                if charged <= tl.end:
                    self._dated("police", person, charged, "charge")
        other_police = self._pieces(person, self._factor(params.POLICE_OTHER_AFTER_FACTOR) if supported else 1.0)
        for d in self._draw_days(other_police, params.CALL_OUTS_PER_YEAR * (0.5 + offending / 2)):
            self._dated("police", person, d, "call_out")
        for d in self._draw_days(other_police, params.VICTIM_PER_YEAR * (0.5 + propensity / 2)):
            self._dated("police", person, d, "victim")
        health = self._pieces(person, self._factor(params.HEALTH_AFTER_FACTOR) if supported else 1.0)
        wellbeing = float(rng.gamma(0.8, 1 / 0.8))
        for kind, rate in (("ae", params.AE_PER_YEAR), ("admission", params.ADMISSIONS_PER_YEAR),
                           ("crisis", params.CRISIS_PER_YEAR)):
            for d in self._draw_days(health, rate * wellbeing):
                self._dated("health", person, d, kind)
        self._exploitation(person, high_risk=propensity > 1.5)
        for involvement in self.involvements_of.get(person, ()):
            self._substance(person, involvement)
        self._eet(person)

    def _dated(self, model: str, person: int, day: int, kind: str, **extra) -> None:
        self.dated.append(DatedPlan(model, person, self.involvement_on(person, day), day, kind, **extra))

    def _missing(self, person: int, days: list[int], high_risk: bool) -> None:
        rng, tl = self.rng, self.timeline
        dob = self.journeys.people.rows[person].dob
        back_on = -1  # the day the last episode ended: the next starts on a later day (903 rule 574)
        for d in days:
            if age_on(dob, d) < 10 or d <= back_on:
                continue
            minutes = int(rng.integers(15 * 60, 24 * 60))
            start = d * 1440 + minutes
            hours = float(np.clip(rng.lognormal(np.log(9 if not high_risk else 14), 1.1), 1, 24 * 14))
            hours = round(hours * 4) / 4
            if start + hours * 60 >= tl.end * 1440:  # not back by the start of as-of
                hours = None
            bounded = self._bounded(person, d, minutes, hours)
            if bounded is None:
                continue
            d, minutes, hours = bounded
            in_care = self.care.person_in_care(person, d) is not None
            self._add_missing(person, d, minutes, hours, in_care)
            back_on = NEVER if hours is None else int((d * 1440 + minutes + hours * 60) // 1440)

    def _bounded(self, person: int, d: int, minutes: int,
                 hours: float | None) -> tuple[int, int, float | None] | None:
        """A missing episode that begins while looked after ends by 23:45 on the day before that care
        ends and on 31 March of its collection year; one that would begin on the day care ends begins
        the day after, once the child has left care, or not at all if that is as-of (see the module's
        docstring). Returns the day, minutes and hours, or None to leave the episode out."""
        period = next((self.care.periods[i] for i in self.care.by_person.get(person, ())
                       if self.care.periods[i].start <= d <= self.care.periods[i].end), None)
        if period is not None and d == period.end:  # the return would read it as missing on leaving care
            d += 1  # (the DfE's rule 580 wants REC E8 then)
            if d >= self.timeline.end:
                return None
            if hours is not None and d * 1440 + minutes + hours * 60 >= self.timeline.end * 1440:
                hours = None  # not back by the start of as-of
            period = next((self.care.periods[i] for i in self.care.by_person.get(person, ())
                           if self.care.periods[i].start <= d < self.care.periods[i].end), None)
        if period is None:
            return d, minutes, hours
        start_date = dt.date.fromordinal(d)
        year_end = dt.date(start_date.year + (start_date.month >= 4), 3, 31).toordinal()
        limit = min(year_end, period.end - 1)
        if limit >= self.timeline.end:
            return d, minutes, hours  # back before as-of, or still missing then: within the year and the care
        latest = limit * 1440 + 23 * 60 + 45
        minutes = min(minutes, latest - 15 - d * 1440)
        start = d * 1440 + minutes
        if hours is None or start + hours * 60 > latest:
            hours = ((latest - start) // 15) / 4
        return d, minutes, hours

    def _add_missing(self, person: int, d: int, minutes: int, hours: float | None, in_care: bool) -> None:
        rng = self.rng
        kind = "A" if in_care and rng.random() < 0.3 else "M"
        offered = accepted = None
        if hours is not None:
            offered = bool(rng.random() < 0.88)
            accepted = bool(offered and rng.random() < 0.64)
        self.missing.append(MissingPlan(
            person, self.involvement_on(person, d), kind, d, minutes, hours,
            reported_to_police=bool(rng.random() < (0.95 if kind == "M" else 0.35)),
            offered=offered, accepted=accepted,
        ))

    def _exploitation(self, person: int, high_risk: bool) -> None:
        rng, tl = self.rng, self.timeline
        first = min(r.received for r in self.referrals_of[person])
        dob = self.journeys.people.rows[person].dob
        for kind, chance in (("sexual", params.SEXUAL_EXPLOITATION_CHANCE),
                             ("criminal", params.CRIMINAL_EXPLOITATION_CHANCE)):
            if rng.random() >= chance * (1.6 if high_risk else 1.0):
                continue
            raised = int(np.clip(first + rng.normal(-30, 120), max(first - 365, birthday(dob, 10)), tl.end))
            closed = raised + int(rng.integers(60, 400))
            self._dated("exploitation", person, raised, kind, closed=closed if closed <= tl.end else None)

    def _substance(self, person: int, involvement) -> None:
        rng, tl = self.rng, self.timeline
        dob = self.journeys.people.rows[person].dob
        last = min(involvement.end, tl.end)
        on = involvement.start + int(rng.integers(0, 22))
        if on > last:
            return
        age = age_on(dob, on)
        older = min(max(age - 12, 0) / 6, 1.0)
        level = pick(rng, (0.55 - 0.2 * older, 0.25, 0.13 + 0.12 * older, 0.07 + 0.08 * older))
        levels = ("none", "experimental", "regular", "problematic")
        substances = texts.pick(rng, texts.SUBSTANCES) if level else ""
        reduce_at_step = params.SUBSTANCE_REDUCED / 1.6
        while on <= last:
            self._dated("substance", person, on, levels[level], substances=substances)
            on += int(rng.integers(150, 211))
            if level and rng.random() < reduce_at_step:
                level -= 1 if rng.random() < 0.7 else level
            elif level < 3 and rng.random() < 0.06:
                level += 1
            if level and not substances:
                substances = texts.pick(rng, texts.SUBSTANCES)
            if not level:
                substances = ""

    def _eet(self, person: int) -> None:
        """Education, employment or training, one status after another with no gaps or overlaps."""
        rng, tl = self.rng, self.timeline
        dob = self.journeys.people.rows[person].dob
        first = min(r.received for r in self.referrals_of[person])
        on = max(first - 540, birthday(dob, 11))
        involvements = self.involvements_of.get(person, ())
        support = min((i.start for i in involvements), default=NEVER)
        while on <= tl.end:
            age = age_on(dob, on)
            neet = (0.12 if age < 16 else 0.32 if age < 18 else 0.38) * (0.65 if on >= support else 1.0)
            if age < 16:
                options = {"school": 1 - neet - 0.04, "neet": neet, "unavailable": 0.04}
            elif age < 18:
                options = {"college": 0.5 * (1 - neet), "training": 0.3 * (1 - neet),
                           "employment": 0.15 * (1 - neet), "neet": neet, "unavailable": 0.05}
            else:
                options = {"college": 0.3 * (1 - neet), "training": 0.15 * (1 - neet),
                           "employment": 0.45 * (1 - neet), "neet": neet, "unavailable": 0.06}
            statuses = list(options)
            status = statuses[pick(rng, [max(options[s], 0.0) for s in statuses])]
            length = int(np.clip(rng.lognormal(np.log(240), 0.7), 30, 900))
            end = on + length - 1
            provider = {
                "school": SCHOOL_PROVIDERS, "college": COLLEGE_PROVIDERS, "training": TRAINING_PROVIDERS,
                "employment": EMPLOYMENT_PROVIDERS,
            }.get(status)
            self.eet.append(EETPlan(person, self.involvement_on(person, on), status, on,
                                    end if end < tl.end else None, texts.pick(rng, provider) if provider else ""))
            on = end + 1

    # --- children in care the service never met --------------------------------------------------

    def _looked_after_missing(self, period) -> None:
        rng, tl = self.rng, self.timeline
        dob = self.care.people.rows[period.person].dob
        start = max(period.start, birthday(dob, 11), tl.history_start)
        end = min(period.end, tl.end)
        if end <= start:
            return
        rate = params.LAC_MISSING_PER_YEAR * float(rng.gamma(1.0, 1.0)) if rng.random() < params.LAC_MISSING_SHARE \
            else 0.03
        n = rng.poisson(rate * (end - start) / YEAR)
        back_on = -1
        for d in sorted(int(x) for x in rng.integers(start, end, size=n)):
            if d <= back_on:
                continue
            minutes = int(rng.integers(15 * 60, 24 * 60))
            begin = d * 1440 + minutes
            hours = round(float(np.clip(rng.lognormal(np.log(8), 1.0), 1, 24 * 10)) * 4) / 4
            if begin + hours * 60 >= min(end, tl.end) * 1440:
                if period.end != NEVER:
                    continue  # back before the period of care ended, or not counted here
                hours = None
            bounded = self._bounded(period.person, d, minutes, hours)
            if bounded is None:
                continue
            d, minutes, hours = bounded
            self._add_missing(period.person, d, minutes, hours, in_care=True)
            back_on = NEVER if hours is None else int((d * 1440 + minutes + hours * 60) // 1440)
