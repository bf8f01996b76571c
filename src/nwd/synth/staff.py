"""Hubs, beds and the people who work in and around the service.

Scale 1 is the council in the domain: two hubs of four residential and two emergency beds, about
twenty service staff (per hub a manager, a deputy, three key workers, a residential worker and
three portfolio leads; across the service a service manager and one of each specialist), three
partner-agency referrers, an analyst and a data protection officer. Larger scales add hubs with
the same team each, and one more of each service-wide role per unit of scale.

Key workers and residential workers leave and are replaced over the three years (about one in ten
a year): the leaver's account is made inactive, and their young people are handed to the
newcomer with the reason "key worker left the service". That is where most key-worker changes
come from, as in a real service.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from nwd.synth import names, params, places
from nwd.synth.timeline import NEVER, YEAR, Timeline

PORTFOLIOS = ("safety", "relationships", "accommodation", "eet", "resilience", "emotional_health")
SPECIALISTS = ("life_coach", "communication_support", "mental_health", "substance_misuse")
KEY_WORKING_ROLES = ("key_worker", "residential_worker", "hub_manager")

JOB_TITLES = {
    "key_worker": "Key worker",
    "residential_worker": "Residential worker",
    "hub_manager": "Hub manager",
    "service_manager": "Service manager",
    "life_coach": "Life coach (clinical psychologist)",
    "communication_support": "Communication support worker (speech and language therapist)",
    "police_liaison": "Police liaison officer",
    "mental_health": "Mental-health worker",
    "substance_misuse": "Substance-misuse worker",
    "portfolio_lead": "Portfolio lead",
    "partner_referrer": "Partner-agency referrer",
    "analyst": "Performance and data analyst",
    "dpo": "Data protection officer",
}


@dataclass(slots=True)
class HubPlan:
    index: int
    name: str
    code: str
    locality: str
    urn: str
    postcode: str


@dataclass(slots=True)
class BedPlan:
    index: int
    hub: int
    label: str
    kind: str


@dataclass(slots=True)
class StaffPlan:
    index: int
    username: str
    first_name: str
    last_name: str
    role: str
    job_title: str
    hub: int | None = None
    agency: str = ""
    organisation: str = ""
    portfolio_area: str = ""
    joined: int = 0
    left: int = NEVER  # the last day in post; NEVER while still in post
    password: str = ""

    @property
    def is_active(self) -> bool:
        return self.left == NEVER

    def in_post(self, on: int) -> bool:
        return self.joined <= on < self.left


@dataclass
class Staffing:
    hubs: list[HubPlan]
    beds: list[BedPlan]
    staff: list[StaffPlan]
    # Specialists and service-wide roles serving each hub: hub index -> role -> staff indices.
    serving: dict[int, dict[str, list[int]]] = field(default_factory=dict)

    def _members(self, hub: int, roles: tuple[str, ...]) -> list[StaffPlan]:
        key = (hub, roles)
        cache = self.__dict__.setdefault("_cache", {})
        if key not in cache:
            cache[key] = [s for s in self.staff if s.hub == hub and s.role in roles]
        return cache[key]

    def at_hub(self, hub: int, roles: tuple[str, ...], on: int) -> list[int]:
        return [s.index for s in self._members(hub, roles) if s.in_post(on)]

    def key_workers(self, hub: int, on: int) -> list[int]:
        """Who can hold a caseload at a hub on a day: key workers, and residential workers (not the deputy)."""
        return [
            s.index for s in self._members(hub, ("key_worker", "residential_worker"))
            if s.in_post(on) and s.job_title == JOB_TITLES[s.role]
        ]


def _urn(rng: np.random.Generator) -> str:
    return str(int(rng.integers(1_000_000, 10_000_000)))


def build(scale: float, rng: np.random.Generator, timeline: Timeline, book: places.NameBook) -> Staffing:
    n_hubs = max(1, round(params.HUBS_PER_SCALE * scale))
    n_service = max(1, round(scale))
    usernames = names.Usernames()
    hubs: list[HubPlan] = []
    for i in range(n_hubs):
        name, town = places.HUB_TOWNS[i % len(places.HUB_TOWNS)]
        if i >= len(places.HUB_TOWNS):
            name = f"{name} {i // len(places.HUB_TOWNS) + 1}"
        district = places.HUB_DISTRICT.get(town) or places.district_for_hub(i, n_hubs, rng)
        hubs.append(HubPlan(i, name, places.slug(name)[:20], town, _urn(rng), places.postcode_in(district, rng)))
    beds: list[BedPlan] = []
    for hub in hubs:
        for n in range(params.RESIDENTIAL_BEDS):
            beds.append(BedPlan(len(beds), hub.index, f"Room {n + 1}", "residential"))
        for n in range(params.EMERGENCY_BEDS):
            beds.append(BedPlan(len(beds), hub.index, f"Emergency room {n + 1}", "emergency"))

    staff: list[StaffPlan] = []
    start = timeline.go_live

    def person(role: str, hub: int | None = None, title: str | None = None, turnover: bool = False, **extra):
        joined = start - int(rng.integers(0, 90))
        while True:
            first, last = names.staff_name(rng)
            member = StaffPlan(
                len(staff), usernames.make(first, last), first, last, role, title or JOB_TITLES[role],
                hub=hub, joined=joined, password=names.unusable_password(rng), **extra,
            )
            staff.append(member)
            if not turnover:
                return
            stays_for = int(rng.exponential(YEAR / params.STAFF_LEAVING_PER_YEAR))
            if joined + stays_for >= timeline.end:
                return
            member.left = max(joined + 60, joined + stays_for)
            if member.left >= timeline.end:
                member.left = NEVER
                return
            joined = member.left  # the newcomer takes over the caseload the same day

    for hub in hubs:
        person("hub_manager", hub.index)
        person("residential_worker", hub.index, title="Deputy hub manager")
        for _ in range(3):
            person("key_worker", hub.index, turnover=True)
        person("residential_worker", hub.index, turnover=True)
        for k in range(3):
            area = PORTFOLIOS[(hub.index * 3 + k) % len(PORTFOLIOS)]
            person("portfolio_lead", hub.index, title=f"Portfolio lead: {area.replace('_', ' ')}", portfolio_area=area)
    serving: dict[int, dict[str, list[int]]] = {h.index: {} for h in hubs}
    for k in range(n_service):
        for role in ("service_manager", "police_liaison", *SPECIALISTS):
            person(role)
            for hub in hubs:
                if hub.index % n_service == k:
                    serving[hub.index].setdefault(role, []).append(len(staff) - 1)
    town = hubs[0].locality
    for k in range(n_service):
        person("partner_referrer", agency="school", organisation=book.school(), title="Designated safeguarding lead")
        person("partner_referrer", agency="police", organisation=f"Police, {town} safeguarding team",
               title="Police safeguarding officer")
        person("partner_referrer", agency="health", organisation=f"School nursing team, {town}", title="School nurse")
        town = hubs[(k + 1) % len(hubs)].locality
    for _ in range(max(1, round(scale / 4))):
        person("analyst")
    person("dpo")
    return Staffing(hubs, beds, staff, serving)
