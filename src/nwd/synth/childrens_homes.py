"""The hubs as children's homes (issue 15): a small step of its own, after the stays and events are written.

Drawn from the records already in the database, at plausible rates (docs/synthetic-county.md):

- restraints and other measures: about 6 a month for every 10 young people staying (0.02 a stay-day),
  a third of them physical restraint; the record written within 24 hours 19 times in 20 (a late one
  says why), the manager's signed talk with the staff member within 48 hours 9 times in 10, the talk
  with the young person within 5 days 12 times in 13; a step that would fall after the county's
  as-of moment is left undone (so the demo has alerts due and overdue);
- regulation 40 notifications: every concern of child sexual exploitation raised during support, a
  third of arrests and charges (serious police incidents), half of hospital admissions (serious
  illness), and each missing episode from a hub bed (the default local addition); every body told,
  within hours, 19 times in 20;
- return home interviews: for each return from missing during support, offered within 72 hours
  about 22 times in 25, late about 2 in 25, not at all 1 in 25; of those offered, about two thirds
  held, a quarter declined.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import numpy as np
from django.conf import settings
from django.utils import timezone

from nwd.access.models import User
from nwd.access.roles import Role
from nwd.events.models import ExploitationConcern, HealthEvent, MissingEpisode, PoliceContact
from nwd.hubs.models import Stay
from nwd.safeguarding.models import (
    REQUIRED_BODIES,
    InspectorGrant,
    Measure,
    NotifiableKind,
    Notification,
    NotificationRecipient,
    RestraintRecord,
    ReturnInterview,
)
from nwd.synth import names
from nwd.synth.writer import STAFF_EMAIL_DOMAIN, Writer

RESTRAINT_PER_DAY = 0.02
EPISODES_FROM_HOME_PER_DAY = 0.01
MEASURES = (Measure.RESTRAINT, Measure.GUIDE, Measure.CONTROL, Measure.SEARCH)
MEASURE_SHARES = (0.33, 0.37, 0.25, 0.05)
PLACES = ("Lounge", "Kitchen", "Hallway", "Bedroom", "Garden", "Dining room", "Office", "Minibus")
LEAD_UPS = ("Argument over phone time escalated; threw a mug.", "Tried to leave at night with an older adult waiting.",
            "Hit out at another young person.", "Self-harm attempt with a broken plate.", "Damaged the office door.")
INTERVIEWERS = ("Return worker, Children's Society", "Independent return worker, Barnardo's",
                "Key worker (the young person asked for them)")
LEARNT = ("Stayed with friends in the town; no adult involved; agreed a safety plan.",
          "Went to meet an older male met online; shared with the police and the exploitation team.",
          "Argued at the hub and slept at a relative's; wants more time with family.",
          "Went to a party; was given alcohol; knows the boundary and how to call.")


def _at(day: dt.date, minutes: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minutes))


def _hours(rng: np.random.Generator, low: float, high: float) -> dt.timedelta:
    return dt.timedelta(minutes=int(rng.integers(int(low * 60), int(high * 60) + 1)))


def write(as_of: dt.date, writer: Writer, rng: np.random.Generator) -> None:
    """Write the children's home records of the county already in the database."""
    now = min(timezone.now(), _at(as_of + dt.timedelta(days=1), 0))
    managers = dict(User.objects.filter(role=Role.HUB_MANAGER, hub__isnull=False).order_by("pk")
                    .values_list("hub_id", "pk"))
    workers: dict[int, list[int]] = defaultdict(list)
    for hub_id, pk in User.objects.filter(role=Role.RESIDENTIAL_WORKER, hub__isnull=False).values_list("hub_id", "pk"):
        workers[hub_id].append(pk)
    stays = list(Stay.objects.values_list("bed__hub_id", "young_person_id", "admitted", "discharged"))
    _restraints(stays, managers, workers, as_of, now, writer, rng)
    _episodes_from_the_home(now, writer, rng)
    _notifications(stays, managers, now, writer, rng)
    _interviews(now, writer, rng)
    _inspector(managers, writer, rng)


def _inspector(managers, writer, rng) -> None:
    """An Ofsted inspector with access to the first hub's records for a fortnight from now (the demo's
    inspector login), and an earlier grant to it that has expired."""
    if not managers:
        return
    first, last = names.staff_name(rng)
    username = f"{first}.{last}.inspector".lower().replace(" ", "").replace("'", "")
    inspector = User(username=username, first_name=first, last_name=last, email=f"{username}@{STAFF_EMAIL_DOMAIN}",
                     role=Role.INSPECTOR, job_title="Social care regulatory inspector (Ofsted)",
                     password=names.unusable_password(rng))
    pk = writer.write(User, [inspector], lambda u: u, 1, True)[0]
    hub_id, started = min(managers), timezone.now()
    grants = [(started - dt.timedelta(days=200), started - dt.timedelta(days=196), "Interim inspection"),
              (started - dt.timedelta(hours=1), started + dt.timedelta(days=13), "Full inspection")]
    writer.write(InspectorGrant, grants, lambda g: InspectorGrant(
        inspector_id=pk, hub_id=hub_id, starts=g[0], expires=g[1], reason=g[2]), len(grants))


def _restraints(stays, managers, workers, as_of, now, writer, rng) -> None:
    plans: list[dict[str, Any]] = []
    for hub_id, person_id, admitted, discharged in stays:
        days = ((discharged or as_of) - admitted).days
        if days <= 0 or hub_id not in managers:
            continue
        for _ in range(int(rng.poisson(days * RESTRAINT_PER_DAY))):
            at = _at(admitted + dt.timedelta(days=int(rng.integers(0, days))), int(rng.integers(0, 24 * 60)))
            if at > now:
                continue
            measure = MEASURES[int(rng.choice(len(MEASURES), p=MEASURE_SHARES))]
            late = rng.random() < 0.05
            written = at + (_hours(rng, 25, 40) if late else _hours(rng, 1, 20))
            staff_at = at + (_hours(rng, 2, 46) if rng.random() < 0.9 else _hours(rng, 49, 96))
            talk_at = at + (_hours(rng, 6, 110) if rng.random() < 12 / 13 else _hours(rng, 121, 200))
            staff = workers.get(hub_id) or [managers[hub_id]]
            plans.append({
                "hub_id": hub_id, "young_person_id": person_id, "occurred_at": at, "measure": measure,
                "place": PLACES[int(rng.integers(0, len(PLACES)))],
                "led_to": LEAD_UPS[int(rng.integers(0, len(LEAD_UPS)))],
                "duration_minutes": int(rng.integers(1, 16)) if measure == Measure.RESTRAINT else int(rng.integers(1, 4)),
                "tried_first": "Talking down, offering space, distraction.",
                "used_by": "Two residential workers (team-teach trained)", "present": "Shift leader",
                "effect": "Calmed; apologised later; no further incident that shift.",
                "injury": bool(rng.random() < 0.04),
                "written_at": written if written <= now else None,
                "late_reason": "Staff member went off shift unwell; written on return." if late else "",
                "staff_spoken_at": staff_at if staff_at <= now and written <= staff_at else None,
                "staff_signed_by_id": managers[hub_id], "young_person_spoken_at": talk_at if talk_at <= now else None,
                "young_person_spoken_by_id": staff[int(rng.integers(0, len(staff)))],
            })
    for plan in plans:
        if plan["injury"]:
            plan["injury_treatment"] = "Graze to the forearm; first aid given, checked by the nurse next day."
        if plan["staff_spoken_at"] is None:
            plan["staff_signed_by_id"] = None
        else:
            plan["staff_notes"] = "Went through what happened and what was tried first; proportionate."
        if plan["young_person_spoken_at"] is None:
            plan["young_person_spoken_by_id"] = None
        else:
            plan["young_person_view"] = "Said they felt it was fair once calm; wants a quiet space offered sooner."
    writer.write(RestraintRecord, plans, lambda p: RestraintRecord(**p), len(plans))


def _episodes_from_the_home(now, writer, rng) -> None:
    """Missing and away episodes of young people while staying in a hub bed (Ofsted counts both),
    about one a month for every 10 staying, a quarter of them away from placement (whereabouts known)
    when the young person is looked after. The events step draws its episodes over the whole of
    support, so without this the homes would look calmer than children's homes are. Each is short
    (2 to 20 hours, back the same or next day), inside the stay and, for a child in care, inside one
    period of care and one collection year, clear of its first and last day (the SSDA903 rules), and
    clear of the young person's other episodes."""
    from nwd.care.models import CarePeriod

    periods: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for person_id, start, end in CarePeriod.objects.values_list("young_person_id", "start", "end"):
        periods[person_id].append((start, end))
    taken: dict[int, list[tuple[dt.datetime, dt.datetime | None]]] = defaultdict(list)
    for person_id, started, ended in MissingEpisode.objects.values_list("young_person_id", "started_at", "ended_at"):
        taken[person_id].append((started, ended))
    rows = []
    for person_id, involvement_id, admitted, discharged in Stay.objects.filter(
            involvement__isnull=False).values_list("young_person_id", "involvement_id", "admitted", "discharged"):
        last = (discharged or now.date()) - dt.timedelta(days=2)
        days = (last - admitted).days
        if days <= 1:
            continue
        for _ in range(int(rng.poisson(days * EPISODES_FROM_HOME_PER_DAY))):
            day = admitted + dt.timedelta(days=int(rng.integers(1, days)))
            care = next(((a, b) for a, b in periods[person_id] if a < day and (b is None or day < b - dt.timedelta(days=1))), None)
            if care is None and rng.random() < 0.5:
                continue  # a child not in care goes missing from a short stay less often
            started = _at(day, int(rng.integers(15 * 60, 23 * 60)))
            ended = started + _hours(rng, 2, 20)
            crosses_year_end = (day.month, day.day) == (3, 31)
            leaves_care = care is not None and care[1] is not None and ended.date() >= care[1] - dt.timedelta(days=1)
            if ended >= now or crosses_year_end or leaves_care:
                continue
            if any(s < ended and (e is None or e > started) for s, e in taken[person_id]):
                continue
            taken[person_id].append((started, ended))
            away = care is not None and rng.random() < 0.25
            rows.append(MissingEpisode(
                young_person_id=person_id, involvement_id=involvement_id, kind="A" if away else "M",
                started_at=started, ended_at=ended, reported_to_police=not away or rng.random() < 0.35,
                return_interview_offered=None if away else bool(rng.random() < 0.88)))
    for row in rows:
        if row.return_interview_offered:
            row.return_interview_accepted = bool(rng.random() < 0.64)
    writer.write(MissingEpisode, rows, lambda m: m, len(rows))


def _notifications(stays, managers, now, writer, rng) -> None:
    by_person: dict[int, list[tuple[int, dt.date, dt.date | None]]] = defaultdict(list)
    for hub_id, person_id, admitted, discharged in stays:
        by_person[person_id].append((hub_id, admitted, discharged))

    def hub_on(person_id: int, day: dt.date) -> int | None:
        for hub_id, admitted, discharged in by_person.get(person_id, ()):
            if admitted <= day and (discharged is None or day < discharged):
                return hub_id
        return None

    raised: list[tuple[dict[str, Any], int]] = []
    for pk, person_id, hub_id, on in (ExploitationConcern.objects.filter(kind="sexual", involvement__isnull=False)
                                      .values_list("pk", "young_person_id", "involvement__hub_id", "raised_on")):
        raised.append(({"exploitation_concern_id": pk, "young_person_id": person_id, "hub_id": hub_id,
                        "kind": NotifiableKind.CSE, "event_at": _at(on, 0),
                        "summary": "Concern of child sexual exploitation raised."}, managers.get(hub_id, 0)))
    for pk, person_id, hub_id, on in (PoliceContact.objects.filter(kind__in=("arrest", "charge"), involvement__isnull=False)
                                      .values_list("pk", "young_person_id", "involvement__hub_id", "occurred_on")):
        if rng.random() < 1 / 3:
            raised.append(({"police_contact_id": pk, "young_person_id": person_id, "hub_id": hub_id,
                            "kind": NotifiableKind.POLICE, "event_at": _at(on, 0),
                            "summary": "Arrested after an incident at the home."}, managers.get(hub_id, 0)))
    for pk, person_id, hub_id, on in (HealthEvent.objects.filter(kind="admission", involvement__isnull=False)
                                      .values_list("pk", "young_person_id", "involvement__hub_id", "occurred_on")):
        if rng.random() < 0.5:
            raised.append(({"health_event_id": pk, "young_person_id": person_id, "hub_id": hub_id,
                            "kind": NotifiableKind.SERIOUS_INJURY, "event_at": _at(on, 0),
                            "summary": "Admitted to hospital."}, managers.get(hub_id, 0)))
    if "missing" in settings.NWD_REG40_LOCAL_EVENTS:
        for pk, person_id, started in MissingEpisode.objects.filter(kind="M").values_list("pk", "young_person_id",
                                                                                           "started_at"):
            hub_id = hub_on(person_id, timezone.localtime(started).date())
            if hub_id is not None:
                raised.append(({"missing_episode_id": pk, "young_person_id": person_id, "hub_id": hub_id,
                                "kind": NotifiableKind.MISSING, "event_at": started,
                                "summary": "Missing from the home; reported to the police."}, managers.get(hub_id, 0)))
    raised = [(fields, manager) for fields, manager in raised if manager and fields["event_at"] <= now]
    pks = writer.write(Notification, raised, lambda r: Notification(**r[0]), len(raised), True)
    told: list[NotificationRecipient] = []
    for pk, (fields, manager) in zip(pks, raised, strict=True):
        for body in REQUIRED_BODIES[fields["kind"]]:
            if rng.random() < 0.012:
                continue  # about 1 in 20 notifications has a body never recorded as told
            at = fields["event_at"] + _hours(rng, 1, 20 if rng.random() < 0.95 else 40)
            if at <= now:
                told.append(NotificationRecipient(notification_id=pk, body=body, told_at=at, told_by_id=manager,
                                                  how="Phone, then the online form" if body == "ofsted" else "Phone"))
    writer.write(NotificationRecipient, told, lambda r: r, len(told))


def _interviews(now, writer, rng) -> None:
    plans = []
    for pk, ended in MissingEpisode.objects.filter(ended_at__isnull=False, involvement__isnull=False).values_list(
            "pk", "ended_at"):
        assert ended is not None  # filtered above
        draw = rng.random()
        if draw < 0.04:
            continue
        offered = ended + (_hours(rng, 1, 70) if draw < 0.92 else _hours(rng, 73, 140))
        if offered > now:
            continue
        fate = rng.random()
        held = offered + _hours(rng, 2, 72) if fate < 0.66 else None
        if held is not None and held > now:
            held = None
        plans.append(ReturnInterview(
            missing_episode_id=pk, offered_at=offered, held_at=held, declined=0.66 <= fate < 0.91,
            conducted_by=INTERVIEWERS[int(rng.integers(0, len(INTERVIEWERS)))] if held else "",
            learnt=LEARNT[int(rng.integers(0, len(LEARNT)))] if held else ""))
    writer.write(ReturnInterview, plans, lambda p: p, len(plans))
