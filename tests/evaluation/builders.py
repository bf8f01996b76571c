"""Hand-built young people for the evaluation's tests: short calls that read like the story.

Support goes through the casework services (so an involvement always has its key worker); care
periods, episodes and events are written straight to the models, since the evaluation only reads them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from nwd.care.models import CareEpisode, CarePeriod
from nwd.casework import services as casework
from nwd.casework.choices import Decision
from nwd.events.models import (
    EETPeriod,
    ExploitationConcern,
    HealthEvent,
    MissingEpisode,
    PoliceContact,
    SubstanceUseAssessment,
)
from nwd.hubs import services as hubs
from nwd.hubs.models import BedKind
from tests.factories import BedFactory, HubFactory, ReferralFactory, UserFactory, YoungPersonFactory

D = dt.date
BORN = D(2008, 1, 15)
OPENED = D(2021, 6, 1)
SMALL_AS_OF = D(2025, 3, 31)


def person(born: dt.date = BORN, **fields):
    return YoungPersonFactory(date_of_birth=born, **fields)


def hub(name: str = "Breckland", code: str | None = None, opened: dt.date = OPENED):
    return HubFactory(name=name, code=code or name.lower(), opened=opened)


def referral(young_person, received: dt.date, decision: str | None = None, decided: dt.date | None = None,
             source: str = "school", handover_service: str = "Family support team"):
    ref = ReferralFactory(young_person=young_person, received=received, source_agency=source)
    if decision:
        casework.decide_referral(ref, decision, decided or received,
                                 handover_service=handover_service if decision == Decision.HANDOVER else "")
    return ref


def support(young_person, start: dt.date, at=None, support_type: str = "outreach", end: dt.date | None = None,
            end_reason: str = "goals_met", referral=None, key_worker=None):
    at = at or hub()
    key_worker = key_worker or UserFactory(role="key_worker", hub=at)
    involvement = casework.start_involvement(young_person, at, support_type, key_worker, start, referral=referral)
    if end is not None:
        casework.close_involvement(involvement, end, end_reason)
    return involvement


def change_key_worker(involvement, on: dt.date, reason: str = "staff_left"):
    worker = UserFactory(role="key_worker", hub=involvement.hub)
    return casework.reallocate_key_worker(involvement, worker, on, reason)


def care(young_person, *episodes, end: dt.date | None = None, rec: str = "E4A"):
    """A period of care made of episodes ``(decom, place, provider, in_area, regulated, weekly_cost, rne)``;
    each episode ends when the next begins (X1 within the period) and the last at ``end``."""
    period = CarePeriod.objects.create(young_person=young_person, start=episodes[0][0], end=end)
    made = []
    for i, spec in enumerate(episodes):
        decom, place, provider, in_area, regulated, cost, rne, *rest = (*spec, *([None] * (7 - len(spec))))
        urn = rest[0] if rest else ""
        last = i == len(episodes) - 1
        dec = end if last else episodes[i + 1][0]
        made.append(CareEpisode.objects.create(
            young_person=young_person, period=period, decom=decom, dec=dec,
            rne=rne or ("S" if i == 0 else "P"), ls="V2", cin="N4", place=place,
            place_provider="" if place.startswith("T") else (provider or "PR1"),
            rec=("" if dec is None else (rec if last else "X1")),
            in_area=True if in_area is None else in_area, regulated=True if regulated is None else regulated,
            weekly_cost=None if cost is None else Decimal(cost), urn=urn or "",
        ))
    return period, made


def missing(young_person, went: dt.datetime, hours: float | None = 10):
    ended = None if hours is None else went + dt.timedelta(hours=hours)
    return MissingEpisode.objects.create(young_person=young_person, started_at=went, ended_at=ended)


def police(young_person, day: dt.date, kind: str = "arrest"):
    return PoliceContact.objects.create(young_person=young_person, occurred_on=day, kind=kind)


def health(young_person, day: dt.date, kind: str = "ae"):
    return HealthEvent.objects.create(young_person=young_person, occurred_on=day, kind=kind)


def exploitation(young_person, day: dt.date, kind: str = "criminal"):
    return ExploitationConcern.objects.create(young_person=young_person, raised_on=day, kind=kind)


def substance(young_person, day: dt.date, level: str):
    return SubstanceUseAssessment.objects.create(young_person=young_person, assessed_on=day, level=level)


def eet(young_person, start: dt.date, end: dt.date | None, status: str):
    return EETPeriod.objects.create(young_person=young_person, start=start, end=end, status=status)


def bed(at, kind: str = BedKind.RESIDENTIAL, label: str | None = None):
    return BedFactory(hub=at, kind=kind, **({"label": label} if label else {}))


def stay(young_person, in_bed, admitted: dt.date, planned: dt.date | None, discharged: dt.date | None = None,
         destination: str = "home", planned_ending: bool | None = True, involvement=None):
    made = hubs.admit(young_person, in_bed, admitted, planned_discharge=planned, involvement=involvement)
    if discharged is not None:
        hubs.discharge(made, discharged=discharged, destination=destination, planned=planned_ending)
    return made


def utc(year, month, day, hour=12):
    return dt.datetime(year, month, day, hour, tzinfo=dt.UTC)


def small_county(seed: int = 7, people: int = 24, as_of: dt.date = SMALL_AS_OF):
    """A small, varied, deterministic county for the report's tests: two hubs, referrals of every
    kind, support at both hubs, hub stays, care histories across the council, and events before and
    after support. Records are bulk-written: only support goes through the services."""
    import random

    rng = random.Random(seed)
    hubs_made = [hub("Breckland", opened=D(2021, 6, 1)), hub("Norwich", opened=D(2021, 9, 1))]
    beds = {h.pk: [bed(h, BedKind.RESIDENTIAL), bed(h, BedKind.EMERGENCY)] for h in hubs_made}
    decisions = ["outreach", "outreach", "hub_stay", "emergency_bed", "handover"]
    places = [("U4", "PR1", True, True, 650), ("U6", "PR4", True, True, 900), ("K2", "PR4", False, True, 4500),
              ("K2", "PR1", True, True, 3000), ("H5", "PR4", False, False, 1600), ("U1", "PR1", True, True, 300)]
    missing_rows, police_rows, health_rows = [], [], []
    made = []
    for i in range(people):
        born = D(2006 + i % 6, 1 + i % 12, 1 + i % 27)
        young = person(born)
        made.append(young)
        received = D(2022, 4, 1) + dt.timedelta(days=rng.randrange(0, 1000))
        received = max(received, dates_birthday(born, 12))
        decision = decisions[i % len(decisions)]
        decided = received + dt.timedelta(days=rng.randrange(0, 6))
        ref = referral(young, received, decision, decided, source=["school", "police", "health", "social_care"][i % 4])
        at = hubs_made[i % 2]
        start = decided
        if decision != "handover":
            kinds = {"outreach": "outreach", "hub_stay": "residential", "emergency_bed": "emergency"}
            ended = start + dt.timedelta(days=rng.randrange(60, 500))
            involvement = support(young, start, at=at, support_type=kinds[decision], referral=ref,
                                  end=ended if ended < as_of else None)
            if i % 3 == 0 and involvement.end is None:
                change_key_worker(involvement, start + dt.timedelta(days=30))
        for _ in range(rng.randrange(1, 6)):
            went = received + dt.timedelta(days=rng.randrange(-360, 360))
            if went < as_of:
                missing_rows.append(MissingEpisode(young_person=young, started_at=utc(went.year, went.month, went.day),
                                                   ended_at=utc(went.year, went.month, went.day) + dt.timedelta(hours=rng.randrange(2, 40))))
        for _ in range(rng.randrange(0, 4)):
            day = received + dt.timedelta(days=rng.randrange(-360, 360))
            if day < as_of:
                police_rows.append(PoliceContact(young_person=young, occurred_on=day,
                                                 kind=["arrest", "charge", "call_out", "victim"][rng.randrange(4)]))
                health_rows.append(HealthEvent(young_person=young, occurred_on=day, kind=["ae", "admission", "crisis"][rng.randrange(3)]))
        if i % 4 == 1:
            substance(young, received, "regular")
            substance(young, received + dt.timedelta(days=200), "experimental" if i % 8 == 1 else "none")
    # The council's wider care population: some before and some after the service began.
    for j in range(people * 2):
        young = made[j] if j < len(made) and j % 3 == 2 else person(D(2004 + j % 14, 1 + j % 12, 1 + j % 28))
        start = D(2019, 1, 1) + dt.timedelta(days=rng.randrange(0, 2200))
        if start >= as_of:
            continue
        place = places[j % len(places)]
        second = start + dt.timedelta(days=rng.randrange(30, 400))
        end = second + dt.timedelta(days=rng.randrange(30, 500))
        spec = [(start, *place[:4], str(place[4]))]
        if second < as_of:
            nxt = places[(j + 1) % len(places)]
            spec.append((second, *nxt[:4], str(nxt[4])))
        care(young, *spec, end=end if end < as_of else None)
    MissingEpisode.objects.bulk_create(missing_rows)
    PoliceContact.objects.bulk_create(police_rows)
    HealthEvent.objects.bulk_create(health_rows)
    # Hub stays: a few ended (some late), one open.
    for k, young in enumerate(made[:6]):
        at = hubs_made[k % 2]
        admitted = D(2024, 1, 10) + dt.timedelta(days=40 * k)
        stay(young, beds[at.pk][k % 2], admitted, admitted + dt.timedelta(days=28),
             admitted + dt.timedelta(days=20 + 5 * k) if k < 5 else None,
             destination=["home", "family", "childrens_home"][k % 3], planned_ending=k % 2 == 0,
             involvement=None)
    return {"hubs": hubs_made, "people": made}


def dates_birthday(born: dt.date, age: int) -> dt.date:
    from nwd.core.dates import birthday

    return birthday(born, age)
