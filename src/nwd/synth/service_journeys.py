"""The service's young people: referrals, decisions, involvements, key workers and specialists.

Referrals arrive from go-live to as-of, from every agency, in the proportions of ``params``. Each
is for a young person who is either already looked after (a child taken from the care history,
so the referral links to their real care record), a care leaver, someone looked after before, or
someone the council has never looked after; about one in seven of the last group becomes looked
after within 18 months, and a period of care is added to their history.

Every decided referral has its next step: outreach, a hub stay, an emergency bed, or a warm
handover to a named service. The few received in the last fortnight are still waiting in the
queue at as-of. Each decision other than a handover opens an involvement with one key worker;
key workers change when one leaves the service, and now and then for another recorded reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nwd.synth import names, params, texts
from nwd.synth.care_history import CareHistory
from nwd.synth.people import People, PersonPlan
from nwd.synth.staff import SPECIALISTS, Staffing
from nwd.synth.timeline import NEVER, YEAR, Timeline, age_on, birthday, day, pick

CHANGE_REASONS = ("young_person_asked", "better_match", "long_absence", "workload", "staff_moved", "other")
CHANGE_WEIGHTS = (0.3, 0.2, 0.15, 0.15, 0.12, 0.08)
END_REASONS = ("goals_met", "stable_at_home", "with_family", "supported_housing", "moved_away", "declined",
               "custody", "other")
END_WEIGHTS = (0.33, 0.24, 0.09, 0.08, 0.07, 0.1, 0.02, 0.07)
SPECIALIST_CHANCE = {"life_coach": 0.24, "communication_support": 0.12, "mental_health": 0.2,
                     "substance_misuse": 0.16}
ORGANISATIONS = {
    "police": "Police, {town} safeguarding team", "school": "{town} secondary school",
    "social_care": "Children's Services, {town} assessment team", "health": "GP practice, {town}",
    "camhs": "CAMHS, {town}", "youth_justice": "Youth Justice Service, {town}", "housing": "Housing Options, {town}",
    "family": "", "voluntary": "{town} youth project", "other": "",
}


@dataclass(slots=True)
class ReferralPlan:
    index: int
    person: int
    hub: int
    source: str
    referrer_name: str
    referrer_organisation: str
    referrer_contact: str
    submitted_by: int | None
    received: int
    reason: str
    urgency: str
    status: str
    decision: str = ""
    decision_date: int | None = None
    decided_by: int | None = None
    handover_service: str = ""
    decision_notes: str = ""
    care_status: str = "never"  # in_care, care_leaver, previously, never: how the person was drawn


@dataclass(slots=True)
class InvolvementPlan:
    index: int
    person: int
    referral: int
    hub: int
    support_type: str
    start: int
    end: int  # NEVER while open at as-of
    end_reason: str = ""


@dataclass(slots=True)
class AllocationPlan:
    involvement: int
    staff: int
    start: int
    end: int
    reason: str
    note: str = ""


@dataclass(slots=True)
class SpecialistPlan:
    person: int
    involvement: int
    staff: int
    drawn_in_by: int | None
    start: int
    end: int
    reason: str


class ServiceJourneys:
    def __init__(self, timeline: Timeline, rng: np.random.Generator, scale: float, staffing: Staffing,
                 people: People, care: CareHistory) -> None:
        self.timeline = timeline
        self.rng = rng
        self.scale = scale
        self.staffing = staffing
        self.people = people
        self.care = care
        self.referrals: list[ReferralPlan] = []
        self.involvements: list[InvolvementPlan] = []
        self.allocations: list[AllocationPlan] = []
        self.specialists: list[SpecialistPlan] = []
        self.used: set[int] = set()  # people the service has met
        self.free_from: dict[int, int] = {}  # person -> day their last involvement or referral closed
        self._pool = care.arrays()

    # --- referrals ----------------------------------------------------------------------------

    def generate(self) -> None:
        tl, rng = self.timeline, self.rng
        total = max(2, round(params.REFERRALS_PER_SCALE * self.scale))
        queue = max(1, round(params.QUEUE_PER_SCALE * self.scale))
        days = np.arange(tl.go_live, tl.end - 13)
        weights = np.ones(len(days))
        weights[: 90] = 0.5  # the first months, while partners learn about the service
        weights[np.array([self._month(d) == 8 for d in days])] *= 0.7  # school holidays
        received = np.sort(rng.choice(days, size=total - queue, p=weights / weights.sum()))
        for d in received:
            self._referral(int(d), waiting=False)
        for d in np.sort(rng.integers(tl.end - 13, tl.end + 1, size=queue)):
            self._referral(int(d), waiting=True)
        self._allocate()
        self.allocations_of: dict[int, list[AllocationPlan]] = {}
        for allocation in self.allocations:
            self.allocations_of.setdefault(allocation.involvement, []).append(allocation)
        self._specialists()

    @staticmethod
    def _month(d: int) -> int:
        return day(d).month

    def _referral(self, received: int, waiting: bool) -> None:
        rng, tl = self.rng, self.timeline
        person, care_status = self._person_for(received)
        hub = person.hub if person.hub is not None and person.hub < len(self.staffing.hubs) \
            else int(rng.integers(len(self.staffing.hubs)))
        person.hub = hub
        age = age_on(person.dob, received)
        source = self._source(care_status, age)
        urgency = list(params.URGENCY_SHARES)[pick(rng, list(params.URGENCY_SHARES.values()))]
        submitter = self._partner(source)
        if submitter is not None:
            member = self.staffing.staff[submitter]
            referrer, organisation = f"{member.first_name} {member.last_name}", member.organisation
        else:
            first, last = names.staff_name(rng)
            referrer = "" if source == "family" and rng.random() < 0.5 else f"{first} {last}"
            town = self.staffing.hubs[hub].locality
            organisation = ORGANISATIONS[source].format(town=town)
        contact = f"{referrer.lower().replace(' ', '.')}@partner.example" if referrer else ""
        referral = ReferralPlan(
            index=len(self.referrals), person=person.index, hub=hub, source=source, referrer_name=referrer,
            referrer_organisation=organisation, referrer_contact=contact, submitted_by=submitter,
            received=received, reason=texts.pick(rng, texts.REFERRAL_REASONS[source]), urgency=urgency,
            status="received", care_status=care_status,
        )
        self.referrals.append(referral)
        self.used.add(person.index)
        if care_status in {"never", "previously"} and age <= 17:
            self._maybe_enter_care(person, received)
        if waiting:
            referral.status = "triage" if rng.random() < 0.45 else "received"
            self.free_from[person.index] = NEVER
            return
        decision = self._decision(urgency, age)
        lag = {"emergency": 0, "urgent": int(rng.integers(0, 2))}.get(urgency, int(rng.gamma(2.0, 2.5)))
        referral.status = "closed"
        referral.decision = decision
        referral.decision_date = min(received + lag, tl.end)
        managers = self.staffing.at_hub(hub, ("hub_manager",), referral.decision_date) or \
            self.staffing.at_hub(hub, ("residential_worker",), referral.decision_date)
        referral.decided_by = managers[0] if managers else None
        referral.decision_notes = texts.pick(rng, texts.DECISION_NOTES[decision])
        if decision == "handover":
            referral.handover_service = self._handover(source, age, care_status)
            self.free_from[person.index] = referral.decision_date
            return
        self._involvement(referral, person, decision)

    def _person_for(self, received: int) -> tuple[PersonPlan, str]:
        rng = self.rng
        if rng.random() < params.RE_REFERRAL_CHANCE:
            again = [p for p, free in self.free_from.items()
                     if free + 30 <= received and age_on(self.people.rows[p].dob, received) <= 25]
            if again:
                person = self.people.rows[again[int(rng.integers(len(again)))]]
                in_care = self.care.person_in_care(person.index, received) is not None
                return person, "in_care" if in_care else "again"
        age = params.REFERRAL_AGES[pick(rng, params.REFERRAL_AGE_SHARES)]
        draw = rng.random()
        if age <= 17 and draw < params.IN_CARE_AT_REFERRAL:
            found = self._from_pool(received, age, "in_care")
            if found is not None:
                return found, "in_care"
        elif age <= 17 and draw < params.IN_CARE_AT_REFERRAL + params.PREVIOUSLY_IN_CARE:
            found = self._from_pool(received, age, "previously")
            if found is not None:
                return found, "previously"
        elif age >= 18 and draw < params.CARE_LEAVER_AT_REFERRAL:
            found = self._from_pool(received, age, "care_leaver")
            if found is not None:
                return found, "care_leaver"
        dob = received - int(rng.integers(int(age * YEAR) + 1, int((age + 1) * YEAR) - 1))
        while age_on(dob, received) != age:
            dob += 1 if age_on(dob, received) > age else -1
        return self.people.add(dob), "never"

    def _from_pool(self, on: int, age: int, kind: str) -> PersonPlan | None:
        """A child from the care history who fits: in care now, left care at 18, or looked after before."""
        pool, rng = self._pool, self.rng
        # Dates of birth bounding the ages wanted: born after ``young`` is younger, on or before
        # ``old`` is at least that old (12, or 18 for a care leaver).
        young = [birthday(on, -(a + 1)) for a in (age, 17 if kind != "care_leaver" else 21)]
        old = birthday(on, -12 if kind != "care_leaver" else -18)
        if kind == "in_care":
            mask = (pool["start"] <= on) & (pool["end"] > on) & (pool["dob"] <= old)
            exact = mask & (pool["dob"] > young[0]) & (pool["dob"] <= birthday(on, -age))
        elif kind == "care_leaver":
            mask = (pool["end"] < on) & (pool["dob"] <= old) & (pool["dob"] > young[1])
            exact = mask
        else:
            mask = (pool["end"] < on - 30) & (pool["dob"] <= old) & (pool["dob"] > young[1])
            exact = mask & (pool["dob"] > young[0])
        for candidates in (np.flatnonzero(exact), np.flatnonzero(mask)):
            order = rng.permutation(candidates)
            for i in order[:200]:
                person = int(pool["person"][i])
                if person in self.used:
                    continue
                if kind == "previously" and self.care.person_in_care(person, on) is not None:
                    continue
                if kind == "care_leaver":
                    last = self.care.periods[self.care.by_person[person][-1]]
                    if last.end != birthday(self.people.rows[person].dob, 18):
                        continue
                return self.people.rows[person]
        return None

    def _maybe_enter_care(self, person: PersonPlan, received: int) -> None:
        """About one in seven referred young people not looked after become so within 18 months."""
        rng, tl = self.rng, self.timeline
        if rng.random() >= params.ENTERS_CARE_WITHIN_18_MONTHS:
            return
        eighteen = birthday(person.dob, 18)
        latest = min(received + 540, eighteen - 30)
        if latest <= received + 14:
            return
        entry = int(rng.integers(received + 14, latest + 1))
        if entry > tl.end:
            return
        if any(self.care.periods[i].end >= received for i in self.care.by_person.get(person.index, ())):
            return
        sketch = self.care.sketch(person.dob, entry, False)
        self.care.add_period(person, sketch)

    def _source(self, care_status: str, age: int) -> str:
        rng = self.rng
        shares = list(params.SOURCE_SHARES)
        agencies = params.SOURCE_AGENCIES
        if care_status in {"in_care", "care_leaver"}:
            shares[agencies.index("social_care")] *= 3
        if age >= 18:
            shares[agencies.index("school")] *= 0.15
            shares[agencies.index("housing")] *= 4
        return agencies[pick(rng, shares)]

    def _partner(self, source: str) -> int | None:
        partners = [s.index for s in self.staffing.staff if s.role == "partner_referrer" and s.agency == source]
        if partners and self.rng.random() < 0.6:
            return partners[int(self.rng.integers(len(partners)))]
        return None

    def _decision(self, urgency: str, age: int) -> str:
        rng = self.rng
        shares = dict(params.DECISION_SHARES)
        if urgency == "emergency":
            shares = {"outreach": 0.3, "hub_stay": 0.15, "emergency_bed": 0.45, "handover": 0.1}
        if age >= 18:  # hub beds are in a children's home
            shares["hub_stay"] = shares["emergency_bed"] = 0.0
        options = list(shares)
        weights = [shares[o] for o in options]
        return options[pick(rng, weights)]

    def _handover(self, source: str, age: int, care_status: str) -> str:
        rng = self.rng
        if age >= 18:
            kind = "leaving_care" if care_status == "care_leaver" else str(rng.choice(["housing", "substance", "camhs"]))
        elif source in {"camhs", "health"}:
            kind = "camhs"
        elif source == "youth_justice" or (source == "police" and rng.random() < 0.4):
            kind = "youth_justice"
        elif source == "school" and rng.random() < 0.4:
            kind = "school"
        else:
            kind = str(rng.choice(["early_help", "early_help", "camhs", "substance", "disability", "carers"]))
        return texts.pick(rng, texts.HANDOVER_SERVICES[kind])

    def _involvement(self, referral: ReferralPlan, person: PersonPlan, decision: str) -> None:
        rng, tl = self.rng, self.timeline
        support = {"outreach": "outreach", "hub_stay": "residential", "emergency_bed": "emergency"}[decision]
        start = referral.decision_date + (int(rng.integers(0, 8)) if decision == "outreach" else 0)
        start = min(start, tl.end)
        median, sigma = params.INVOLVEMENT_DAYS
        length = int(np.clip(rng.lognormal(np.log(median), sigma), 30, 1100))
        end = start + length
        reason = END_REASONS[pick(rng, END_WEIGHTS)]
        twenty_six = birthday(person.dob, 26)
        if end >= twenty_six:
            end, reason = twenty_six - 1, "age_limit"
        if self.care.person_in_care(person.index, start) is None:
            period = next((self.care.periods[i] for i in self.care.by_person.get(person.index, ())
                           if start < self.care.periods[i].start < end), None)
            if period is not None and rng.random() < 0.3:  # some leave the service when they come into care
                end, reason = max(period.start, start + 1), "entered_care"
        if end > tl.end:
            end, reason = NEVER, ""
        involvement = InvolvementPlan(len(self.involvements), person.index, referral.index, referral.hub, support,
                                      start, end, reason)
        self.involvements.append(involvement)
        self.free_from[person.index] = end

    # --- key workers ----------------------------------------------------------------------------

    def _allocate(self) -> None:
        rng, staffing = self.rng, self.staffing
        load: dict[int, list[tuple[int, int]]] = {}

        def caseload(member: int, on: int) -> int:
            return sum(1 for s, e in load.get(member, ()) if s <= on < e)

        for involvement in sorted(self.involvements, key=lambda i: (i.start, i.index)):
            hub, start, end = involvement.hub, involvement.start, involvement.end
            candidates = staffing.key_workers(hub, start) or staffing.at_hub(hub, ("hub_manager",), start)
            current = min(candidates, key=lambda m: (caseload(m, start), rng.random()))
            reason, since = "first", start
            changes: list[int] = []
            latest = min(end, self.timeline.end) - 20
            if latest - start > 60 and rng.random() < params.KEY_WORKER_CHANGE_CHANCE:
                changes.append(int(rng.integers(start + 30, latest)))
                if rng.random() < 0.15 and changes[0] + 60 < latest:
                    changes.append(int(rng.integers(changes[0] + 40, latest)))
            while True:
                leaves = staffing.staff[current].left
                upcoming = changes[0] if changes else NEVER
                if leaves < end and leaves <= upcoming:
                    successor = self._successor(current, hub, leaves)
                    new_reason = "staff_left"
                    change_day = leaves
                elif upcoming < end:
                    changes.pop(0)
                    others = [m for m in staffing.key_workers(hub, upcoming) if m != current]
                    if not others or upcoming <= since:
                        continue
                    successor = min(others, key=lambda m: (caseload(m, upcoming), rng.random()))
                    new_reason = CHANGE_REASONS[pick(rng, CHANGE_WEIGHTS)]
                    change_day = upcoming
                else:
                    self._record_allocation(involvement, current, since, end, reason, load)
                    break
                self._record_allocation(involvement, current, since, change_day, reason, load)
                current, since, reason = successor, change_day, new_reason

    def _successor(self, leaver: int, hub: int, on: int) -> int:
        staff = self.staffing.staff
        role = staff[leaver].role
        same = [s.index for s in staff if s.hub == hub and s.role == role and s.joined == on and s.index != leaver]
        if same:
            return same[0]
        others = [m for m in self.staffing.key_workers(hub, on) if m != leaver]
        return others[0] if others else self.staffing.at_hub(hub, ("hub_manager",), on)[0]

    def _record_allocation(self, involvement, member, start, end, reason, load) -> None:
        note = texts.ALLOCATION_NOTES.get(reason, "")
        self.allocations.append(AllocationPlan(involvement.index, member, start, end, reason, note))
        load.setdefault(member, []).append((start, end))

    def key_worker_on(self, involvement: int, on: int) -> int | None:
        """Who was the involvement's key worker on a day (the last one, after it ended)."""
        found = None
        for allocation in self.allocations_of.get(involvement, ()):
            if allocation.start <= on:
                found = allocation.staff
        return found

    # --- specialists ----------------------------------------------------------------------------

    def _specialists(self) -> None:
        rng, tl = self.rng, self.timeline
        for involvement in self.involvements:
            last = min(involvement.end, tl.end)
            for role in SPECIALISTS:
                if rng.random() >= SPECIALIST_CHANCE[role]:
                    continue
                serving = self.staffing.serving[involvement.hub].get(role)
                if not serving:
                    continue
                start = involvement.start + int(rng.integers(7, 121))
                if start > last:
                    continue
                end = start + int(rng.lognormal(np.log(150), 0.5))
                if end > involvement.end:
                    end = involvement.end
                if end > tl.end:
                    end = NEVER
                member = serving[int(rng.integers(len(serving)))]
                self.specialists.append(SpecialistPlan(
                    involvement.person, involvement.index, member, self.key_worker_on(involvement.index, start),
                    start, end, texts.SPECIALIST_REASONS[role],
                ))
