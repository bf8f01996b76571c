"""Stays in hub beds, given out bed by bed so that no two ever overlap, and spliced into care.

Requests come from the involvements: an emergency bed for days, a residential stay for weeks,
now and then a second stay or an emergency night for someone on outreach. They are served in
date order, each hub's beds kept as "free from" days: a request takes a free bed of its kind (an
emergency request may take a free residential bed), a residential request may wait a fortnight,
and one that still finds no bed is dropped, as a full hub would turn it away. A young person's
own stays never overlap either, and no one under a hub roof is 18 or over (it is a children's home).

A looked-after young person's stay is also a placement: it is spliced into their placement
timeline as K2 with the council as provider (PR1), linked to the stay, and they go back to the
placement they came from, or on to the one planned; the stay's destination is read from where
they went. Stays that are still going at as-of are open, so some beds are occupied that day.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nwd.synth import params
from nwd.synth.care_history import CareHistory, PeriodPlan
from nwd.synth.placements import PlacementMaker
from nwd.synth.service_journeys import ServiceJourneys
from nwd.synth.staff import Staffing
from nwd.synth.timeline import NEVER, Timeline, age_on, birthday, pick

FAMILY_OR_COMMUNITY = {"home", "family", "foster_care", "supported", "independent"}
GROUP_DESTINATION = {
    "kinship_fostering": "family", "in_house_fostering": "foster_care", "agency_fostering": "foster_care",
    "in_house_residential": "childrens_home", "private_residential": "childrens_home", "secure": "secure",
    "supported": "supported", "with_parents": "home", "adoption": "family", "other": "other",
}
REC_DESTINATION = {
    "E4A": "home", "E4B": "home", "E13": "family", "E41": "family", "E45": "family", "E46": "foster_care",
    "E47": "family", "E48": "family", "E5": "supported", "E6": "independent", "E8": "other", "E3": "other",
    "E9": "custody", "E14": "home", "E16": "other", "E7": "supported", "E15": "other", "E17": "supported",
}


@dataclass(slots=True)
class StayPlan:
    index: int
    bed: int
    person: int
    involvement: int
    admitted: int
    planned_discharge: int
    discharged: int  # NEVER while still in the bed at as-of
    destination: str = ""
    planned: bool | None = None


@dataclass(slots=True)
class Request:
    day: int
    kind: str
    length: int
    planned: int
    involvement: int
    follow: tuple | None = None  # a stay that follows this one: (gap days, kind, length, planned)


class Beds:
    def __init__(self, timeline: Timeline, rng: np.random.Generator, staffing: Staffing,
                 journeys: ServiceJourneys, care: CareHistory, maker: PlacementMaker) -> None:
        self.timeline = timeline
        self.rng = rng
        self.staffing = staffing
        self.journeys = journeys
        self.care = care
        self.maker = maker
        self.stays: list[StayPlan] = []

    def _length(self, kind: str) -> tuple[int, int]:
        """(actual, planned) nights: emergency stays of days, residential stays of weeks, left slowly."""
        rng = self.rng
        if kind == "emergency":
            planned = int(rng.choice([1, 2, 3, 5, 7]))
            actual = int(np.clip(rng.lognormal(np.log(params.EMERGENCY_STAY_DAYS[0]), params.EMERGENCY_STAY_DAYS[1]),
                                 1, 14))
            return actual, planned
        median, sigma = params.RESIDENTIAL_STAY_DAYS
        planned = int(np.clip(rng.lognormal(np.log(median), sigma), 21, 180))
        actual = int(np.clip(planned * rng.lognormal(0.08, 0.22), 14, 240))
        return actual, planned

    def requests(self) -> list[Request]:
        rng, tl = self.rng, self.timeline
        out: list[Request] = []
        for involvement in self.journeys.involvements:
            last = min(involvement.end, tl.end)
            if involvement.support_type == "residential":
                actual, planned = self._length("residential")
                follow = None
                if rng.random() < params.SECOND_RESIDENTIAL_STAY:
                    follow = (int(rng.integers(45, 200)), "residential", *self._length("residential"))
                out.append(Request(involvement.start, "residential", actual, planned, involvement.index, follow))
            elif involvement.support_type == "emergency":
                actual, planned = self._length("emergency")
                follow = None
                if rng.random() < 0.3:  # stepped up to a planned residential stay a little later
                    follow = (int(rng.integers(3, 22)), "residential", *self._length("residential"))
                out.append(Request(involvement.start, "emergency", actual, planned, involvement.index, follow))
            else:
                if rng.random() < params.OUTREACH_EMERGENCY_STAY and last - involvement.start > 30:
                    when = involvement.start + int(rng.integers(14, last - involvement.start))
                    actual, planned = self._length("emergency")
                    out.append(Request(when, "emergency", actual, planned, involvement.index))
                if rng.random() < params.OUTREACH_RESIDENTIAL_STAY and last - involvement.start > 60:
                    when = involvement.start + int(rng.integers(30, last - involvement.start))
                    actual, planned = self._length("residential")
                    out.append(Request(when, "residential", actual, planned, involvement.index))
        return out

    def allocate(self) -> None:
        """Serve the requests in date order, bed by bed."""
        tl = self.timeline
        journeys, staffing = self.journeys, self.staffing
        free_from = {bed.index: tl.go_live for bed in staffing.beds}
        busy_until: dict[int, int] = {}
        queue = sorted(self.requests(), key=lambda r: (r.day, r.involvement))
        while queue:
            request = queue.pop(0)
            involvement = journeys.involvements[request.involvement]
            person = journeys.people.rows[involvement.person]
            last_admission = min(involvement.end - 1, tl.end)
            eighteen = birthday(person.dob, 18)
            beds = [b for b in staffing.beds if b.hub == involvement.hub]
            kinds = ("emergency", "residential") if request.kind == "emergency" else ("residential",)
            day = max(request.day, busy_until.get(person.index, 0))
            chosen = None
            for kind in kinds:
                free = [b for b in beds if b.kind == kind and free_from[b.index] <= day]
                if free:
                    chosen = min(free, key=lambda b: (free_from[b.index], b.index))
                    break
            if chosen is None and request.kind == "residential":
                waiting = min((b for b in beds if b.kind == "residential"), key=lambda b: (free_from[b.index], b.index))
                if free_from[waiting.index] - day <= 14:
                    chosen, day = waiting, free_from[waiting.index]
            if chosen is None or day > last_admission or day >= eighteen:
                continue
            discharged = day + request.length
            discharged = min(discharged, involvement.end, eighteen)
            period = self.care.person_in_care(person.index, day)
            if period is not None:
                discharged = min(discharged, period.end)
            discharged = max(discharged, day + 1)
            if discharged > tl.end:
                discharged = NEVER
            stay = StayPlan(len(self.stays), chosen.index, person.index, involvement.index, day,
                            day + request.planned, discharged)
            self.stays.append(stay)
            free_from[chosen.index] = discharged
            busy_until[person.index] = discharged
            if request.follow is not None and discharged != NEVER:
                gap, kind, length, planned = request.follow
                following = Request(discharged + gap, kind, length, planned, request.involvement)
                queue.append(following)
                queue.sort(key=lambda r: (r.day, r.involvement))

    def splice_into_care(self) -> None:
        """Record looked-after young people's stays as K2/PR1 placements, then each stay's destination."""
        for stay in self.stays:
            for index in list(self.care.by_person.get(stay.person, ())):
                period = self.care.periods[index]
                start = max(stay.admitted, period.start)
                end = min(stay.discharged, period.end)
                if start < end:
                    hub = self.staffing.beds[stay.bed].hub
                    placement = self.maker.hub(hub, stay.index, start)
                    splice(period, start, end, placement.index, self.maker, self.timeline.end)
        for stay in self.stays:
            self._destination(stay)

    def _destination(self, stay: StayPlan) -> None:
        rng = self.rng
        if stay.discharged == NEVER:
            return
        person = self.journeys.people.rows[stay.person]
        after = self.care.person_in_care(stay.person, stay.discharged)
        if after is not None:
            placement = self.maker.rows[after.place_on(stay.discharged)]
            stay.destination = GROUP_DESTINATION[placement.group]
        else:
            ended = next((self.care.periods[i] for i in self.care.by_person.get(stay.person, ())
                          if self.care.periods[i].end == stay.discharged), None)
            if ended is not None:
                if ended.rec in {"E17", "E11", "E12"}:
                    ended.rec = "E5"
                stay.destination = REC_DESTINATION.get(ended.rec, "other")
            else:
                age = age_on(person.dob, stay.discharged)
                options = {"home": 0.62, "family": 0.24, "other": 0.06, "hospital": 0.03, "custody": 0.02,
                           "supported": 0.03 if age >= 16 else 0.0, "independent": 0.02 if age >= 17 else 0.0}
                keys = list(options)
                weights = [options[k] for k in keys]
                stay.destination = keys[pick(rng, weights)]
        toward_family = stay.destination in FAMILY_OR_COMMUNITY
        stay.planned = bool(rng.random() < (0.85 if toward_family else 0.3))


def splice(period: PeriodPlan, start: int, end: int, hub_placement: int, maker: PlacementMaker, as_of: int) -> None:
    """Put a hub placement over [start, end) of a period's placement timeline, then resume what was there."""
    resume = None
    if end < period.end and end <= as_of:
        resume = _underlying(period, end, maker)
    period.places = [(d, i) for d, i in period.places if not (start <= d < end)]
    period.places.append((start, hub_placement))
    if resume is not None:
        period.places.append((end, resume))
    period.tidy()


def _underlying(period: PeriodPlan, on: int, maker: PlacementMaker) -> int:
    """The placement in force on a day, looking through a temporary one to the placement around it."""
    candidates = [(d, i) for d, i in period.places if d <= on]
    for _, index in reversed(candidates):
        if not maker.rows[index].temporary and maker.rows[index].stay is None:
            return index
    return candidates[0][1] if candidates else period.places[0][1]
