"""The week-to-week record of each involvement: the plan, its reviews, and the contacts.

Each involvement gets a plan within three weeks of starting, with three to six goals across the
six portfolio areas, reviewed about every six weeks by the key worker of the day, each goal's
progress moving on (or not) at each review at a pace that differs from one young person to the
next. Contacts are weekly-ish, busier in the first two months and while the young person is in a
hub bed (when residential workers record them too), and by kind and by whom in the mix a key
worker's diary would show.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nwd.synth import texts
from nwd.synth.service_journeys import ServiceJourneys
from nwd.synth.staff import Staffing
from nwd.synth.stays import StayPlan
from nwd.synth.timeline import NEVER, Timeline, pick

AREAS = ("safety", "relationships", "accommodation", "eet", "resilience", "emotional_health")
AREA_WEIGHTS = np.array([0.24, 0.18, 0.12, 0.18, 0.12, 0.16])
KINDS = ("face_to_face", "home_visit", "school_visit", "phone", "video", "message", "group", "attempted")
KIND_WEIGHTS = (0.28, 0.16, 0.07, 0.18, 0.04, 0.16, 0.05, 0.06)
WITH = ("young_person", "parent_carer", "family", "professional", "meeting")
WITH_WEIGHTS = (0.68, 0.15, 0.04, 0.09, 0.04)
REVIEW_EVERY = 42


@dataclass(slots=True)
class PlanPlan:
    index: int
    person: int
    involvement: int
    started: int
    next_review_due: int | None


@dataclass(slots=True)
class GoalPlan:
    index: int
    plan: int
    area: str
    description: str
    target_date: int


@dataclass(slots=True)
class ReviewPlan:
    index: int
    plan: int
    reviewed_on: int
    reviewed_by: int
    summary: str


@dataclass(slots=True)
class ProgressPlan:
    review: int
    goal: int
    progress: str


@dataclass(slots=True)
class ContactPlan:
    person: int
    involvement: int
    day: int
    minutes: int
    kind: str
    contact_with: str
    staff: int
    summary: str


class Casework:
    def __init__(self, timeline: Timeline, rng: np.random.Generator, staffing: Staffing, journeys: ServiceJourneys,
                 stays: list[StayPlan]) -> None:
        self.timeline = timeline
        self.rng = rng
        self.staffing = staffing
        self.journeys = journeys
        self.stays_of: dict[int, list[StayPlan]] = {}
        for stay in stays:
            self.stays_of.setdefault(stay.involvement, []).append(stay)
        self.specialists_of: dict[int, list] = {}
        for specialist in journeys.specialists:
            self.specialists_of.setdefault(specialist.involvement, []).append(specialist)
        self.plans: list[PlanPlan] = []
        self.goals: list[GoalPlan] = []
        self.reviews: list[ReviewPlan] = []
        self.progress: list[ProgressPlan] = []
        self.contacts: list[ContactPlan] = []

    def generate(self) -> None:
        for involvement in self.journeys.involvements:
            self._plan(involvement)
            self._contacts(involvement)

    def _plan(self, involvement) -> None:
        rng, tl = self.rng, self.timeline
        last = min(involvement.end, tl.end)
        started = involvement.start + int(rng.integers(3, 22))
        if started > last:
            return
        plan = PlanPlan(len(self.plans), involvement.person, involvement.index, started, None)
        self.plans.append(plan)
        n_goals = int(rng.integers(3, 7))
        areas = rng.choice(len(AREAS), size=n_goals, replace=False, p=AREA_WEIGHTS / AREA_WEIGHTS.sum())
        goals = []
        for area_index in sorted(int(a) for a in areas):
            area = AREAS[area_index]
            goal = GoalPlan(len(self.goals), plan.index, area, texts.pick(rng, texts.GOALS[area]),
                            started + int(rng.integers(60, 241)))
            self.goals.append(goal)
            goals.append(goal)
        pace = float(rng.uniform(0.25, 0.95))  # how quickly this young person's goals move
        state = {goal.index: "not_started" for goal in goals}
        on = started + REVIEW_EVERY + int(rng.integers(-7, 8))
        previous = started
        while on <= last:
            by = self.journeys.key_worker_on(involvement.index, on)
            review = ReviewPlan(len(self.reviews), plan.index, on, by, texts.pick(rng, texts.REVIEW_SUMMARIES))
            self.reviews.append(review)
            for goal in goals:
                state[goal.index] = _next_progress(state[goal.index], pace, rng)
                self.progress.append(ProgressPlan(review.index, goal.index, state[goal.index]))
            previous = on
            on += REVIEW_EVERY + int(rng.integers(-7, 8))
        if involvement.end == NEVER:
            plan.next_review_due = previous + REVIEW_EVERY

    def _contacts(self, involvement) -> None:
        rng, tl = self.rng, self.timeline
        first, last = involvement.start, min(involvement.end, tl.end - 1)  # times on as-of itself may be to come
        if last < first:
            return
        pieces = [(first, min(first + 56, last + 1), 1.6 / 7), (min(first + 56, last + 1), last + 1, 1.0 / 7)]
        days: list[tuple[int, bool]] = []
        for start, end, rate in pieces:
            if end > start:
                n = rng.poisson(rate * (end - start))
                days.extend((int(d), False) for d in rng.integers(start, end, size=n))
        for stay in self.stays_of.get(involvement.index, ()):
            end = min(stay.discharged, last + 1)
            if end > stay.admitted:
                n = rng.poisson(2.5 / 7 * (end - stay.admitted))
                days.extend((int(d), True) for d in rng.integers(stay.admitted, end, size=n))
        hub = involvement.hub
        specialists = self.specialists_of.get(involvement.index, [])
        for d, in_hub in sorted(days):
            key_worker = self.journeys.key_worker_on(involvement.index, d)
            draw = rng.random()
            if in_hub:
                others = self.staffing.at_hub(hub, ("residential_worker", "hub_manager"), d)
                staff = others[int(rng.integers(len(others)))] if others and draw < 0.75 else key_worker
                kind = "face_to_face" if rng.random() < 0.8 else "group"
                minutes = int(rng.integers(8 * 60, 21 * 60))
            else:
                staff = key_worker
                if draw > 0.85:
                    current = [s.staff for s in specialists if s.start <= d < s.end]
                    if current:
                        staff = current[int(rng.integers(len(current)))]
                elif draw > 0.72:
                    others = self.staffing.at_hub(hub, ("portfolio_lead", "residential_worker", "hub_manager"), d)
                    if others:
                        staff = others[int(rng.integers(len(others)))]
                kind = KINDS[pick(rng, KIND_WEIGHTS)]
                weekend = rng.random() < 0.1
                minutes = int(rng.integers(11 * 60, 17 * 60)) if weekend else int(rng.integers(9 * 60, 18 * 60 + 30))
            if staff is None:
                continue
            contact_with = WITH[pick(rng, WITH_WEIGHTS)] if not in_hub else "young_person"
            if contact_with == "young_person" or kind == "attempted":
                summary = texts.pick(rng, texts.CONTACT_SUMMARIES[kind])
            else:
                summary = texts.CONTACT_WITH_OTHER[contact_with]
                if contact_with == "meeting" and kind not in {"face_to_face", "video"}:
                    kind = "face_to_face"
            self.contacts.append(ContactPlan(involvement.person, involvement.index, d, minutes, kind, contact_with,
                                             staff, summary))


def _next_progress(state: str, pace: float, rng: np.random.Generator) -> str:
    draw = rng.random()
    if state in {"achieved", "stopped"}:
        return state
    if draw < 0.02:
        return "stopped"
    if state == "not_started":
        return "some" if draw < 0.2 + 0.6 * pace else state
    if state == "some":
        return "good" if draw < 0.45 * pace else state
    if draw < 0.08:
        return "some"  # a setback
    return "achieved" if draw < 0.08 + 0.35 * pace else state
