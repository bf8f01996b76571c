"""The county's children's home records (issue 15): a small step of its own, after the stays are written.

Read back from the hubs and stays already in the database, at plausible rates (docs/synthetic-county.md):

- the independent person's visit (regulation 44) every 3 to 5 weeks from the hub's opening, so most
  months have one and now and then one is late; 0 to 2 recommendations each, as actions owned by the
  hub's staff, due in 2 to 6 weeks, most done (about 1 in 8 still open, some of them overdue); the hub
  manager's response signed within 10 days;
- the quality of care review (regulation 45) every 5½ to 6½ months, its report sent to Ofsted within 5
  to 27 days (about 1 in 10 late), the latest one perhaps not sent yet;
- the daily log of the last 3 weeks of each stay (older entries would only fill the database): 1 to 3
  entries a day and a handover for most shifts;
- visitors over the last 90 days, about 5 a week at each hub, half of them to a young person staying.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import numpy as np
from django.utils import timezone

from nwd.access.models import User
from nwd.access.roles import Role
from nwd.homes.choices import SHIFT_STARTS, Shift
from nwd.homes.models import Action, Handover, IndependentVisit, LogEntry, QualityReview, Visitor
from nwd.hubs.models import Hub, Stay
from nwd.synth.writer import Writer

LOG_DAYS = 21
VISITOR_DAYS = 90
PERSONS = ("Pat Ives", "Jo Marsh", "Sam Okafor", "Lee Whitmore")
FINDINGS = ("Young people spoke warmly of staff; records up to date.",
            "The home is clean and homely; one fire door was propped open.",
            "Two young people said they would like more say in activities.",
            "Missing-from-home records complete; return interviews held.",
            "Staff supervision is regular; training matrix has gaps.")
RECOMMENDATIONS = ("Fit a closer to the kitchen fire door.", "Hold a young people's meeting on activities.",
                   "Complete the refresher training in restraint-free de-escalation.",
                   "Update the location risk assessment.", "Review the medication audit with the pharmacist.")
ENTRIES = ("Up on time, breakfast with staff, off to college.", "Quiet afternoon; played pool with staff.",
           "Phone call with mum went well.", "Cooked tea together; talked about the weekend.",
           "Upset after a message from a friend; talked it through, settled.", "In by curfew, bed at 11.",
           "Went to the gym with their key worker.", "Slept well; checked at 2 and 4.")
HANDOVERS = ("Settled; nothing new.", "Appointment at CAMHS tomorrow 10am: needs a lift.",
             "Low mood after contact: check in before bed.", "Money for college bus needed in the morning.",
             "Asked to ring dad tonight: agreed for 7pm.")
VISITORS = (("Parent", True), ("Social worker", True), ("Plumber", False), ("Independent advocate", True),
            ("Grandparent", True), ("Youth worker", True), ("Fire safety officer", False))


def _when(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour % 24, minute))


def write(as_of: dt.date, writer: Writer, rng: np.random.Generator) -> None:
    """Write the children's home records of the county's hubs and stays."""
    staff: dict[int, list[User]] = defaultdict(list)
    managers: dict[int, User] = {}
    for user in User.objects.filter(hub__isnull=False, is_active=True).order_by("pk"):
        hub_id = int(user.hub_id or 0)
        if user.role == Role.HUB_MANAGER:
            managers.setdefault(hub_id, user)
        if user.role in (Role.RESIDENTIAL_WORKER, Role.KEY_WORKER, Role.HUB_MANAGER):
            staff[hub_id].append(user)
    visits, reviews, visitors = [], [], []
    actions: list[tuple[int, Action]] = []
    for hub in Hub.objects.order_by("pk"):
        owners, manager = staff.get(hub.pk, []), managers.get(hub.pk)
        day = hub.opened + dt.timedelta(days=int(rng.integers(20, 35)))
        while day <= as_of:
            visit = IndependentVisit(hub=hub, visited_on=day, independent_person=PERSONS[hub.pk % len(PERSONS)],
                                     summary=str(rng.choice(FINDINGS)), children_spoken_to=int(rng.integers(0, 4)))
            _sign(visit, day, manager, as_of, rng)
            visits.append(visit)
            for _ in range(int(rng.integers(0, 3)) if owners else 0):
                actions.append((len(visits) - 1, _action(day, owners, as_of, rng)))
            day += dt.timedelta(days=int(rng.integers(21, 36)))
        start = hub.opened
        day = hub.opened + dt.timedelta(days=int(rng.integers(165, 196)))
        while day <= as_of:
            sent = day + dt.timedelta(days=int(rng.integers(29, 36) if rng.random() < 0.1 else rng.integers(5, 28)))
            review = QualityReview(hub=hub, reviewed_on=day, period_start=start, summary=str(rng.choice(FINDINGS)),
                                   sent_to_ofsted=sent if sent <= as_of else None)
            _sign(review, day, manager, as_of, rng)
            reviews.append(review)
            start, day = day, day + dt.timedelta(days=int(rng.integers(165, 196)))
        visitors += _visitors(hub, as_of, rng)
    visit_pks = writer.write(IndependentVisit, visits, lambda v: v, len(visits), True)
    writer.write(QualityReview, reviews, lambda r: r, len(reviews))
    for index, action in actions:
        action.visit_id = visit_pks[index]
    writer.write(Action, [a for _, a in actions], lambda a: a, len(actions))
    writer.write(Visitor, visitors, lambda v: v, len(visitors))
    entries, handovers = _daily_logs(as_of, staff, rng)
    writer.write(LogEntry, entries, lambda e: e, len(entries))
    writer.write(Handover, handovers, lambda h: h, len(handovers))


def _sign(report: IndependentVisit | QualityReview, day: dt.date, manager: User | None, as_of: dt.date,
          rng: np.random.Generator) -> None:
    signed = day + dt.timedelta(days=int(rng.integers(1, 11)))
    if manager is not None and signed <= as_of:
        report.response, report.signed_off_by, report.signed_off_on = "Read with the team; actions agreed.", manager, signed


def _action(day: dt.date, owners: list[User], as_of: dt.date, rng: np.random.Generator) -> Action:
    due = day + dt.timedelta(days=int(rng.integers(14, 43)))
    done = day + dt.timedelta(days=int(rng.integers(3, 40)))
    finished = done <= as_of and rng.random() < 0.875
    return Action(recommendation=str(rng.choice(RECOMMENDATIONS)), owner=owners[int(rng.integers(len(owners)))],
                  due=due, done_on=done if finished else None, outcome="Done and checked." if finished else "")


def _visitors(hub: Hub, as_of: dt.date, rng: np.random.Generator) -> list[Visitor]:
    stays = list(Stay.objects.filter(bed__hub=hub, admitted__lte=as_of,
                                     admitted__gte=as_of - dt.timedelta(days=VISITOR_DAYS + 120))
                 .values_list("young_person_id", "admitted", "discharged"))
    found = []
    for back in range(VISITOR_DAYS, 0, -1):
        day = as_of - dt.timedelta(days=back)
        there = [p for p, admitted, discharged in stays if admitted <= day and (discharged is None or discharged >= day)]
        for _ in range(int(rng.poisson(0.7))):
            capacity, to_person = VISITORS[int(rng.integers(len(VISITORS)))]
            arrived = _when(day, int(rng.integers(9, 19)), int(rng.integers(0, 60)))
            person = int(rng.choice(there)) if to_person and there else None
            found.append(Visitor(hub=hub, name=f"Visitor {int(rng.integers(100, 999))}", capacity=capacity,
                                 young_person_id=person, visiting="" if person else "Staff", arrived=arrived,
                                 left=arrived + dt.timedelta(minutes=int(rng.integers(20, 180))),
                                 id_checked=bool(rng.random() < 0.9)))
    return found


def _daily_logs(as_of: dt.date, staff: dict[int, list[User]], rng: np.random.Generator
                ) -> tuple[list[LogEntry], list[Handover]]:
    since = as_of - dt.timedelta(days=LOG_DAYS)
    entries: list[LogEntry] = []
    handovers: list[Handover] = []
    stays = (Stay.objects.filter(admitted__lt=as_of).exclude(discharged__lt=since)
             .values_list("pk", "admitted", "discharged", "bed__hub_id"))
    for stay_id, admitted, discharged, hub_id in stays:
        writers: list[User | None] = list(staff.get(hub_id, [])) or [None]
        day = max(admitted, since)
        last = min(discharged or as_of, as_of - dt.timedelta(days=1))
        while day <= last:
            for _ in range(int(rng.integers(1, 4))):
                hour = int(rng.integers(7, 23))
                shift = Shift.EARLY if hour < 15 else Shift.LATE
                entries.append(LogEntry(stay_id=stay_id, at=_when(day, hour, int(rng.integers(0, 60))), shift=shift,
                                        text=str(rng.choice(ENTRIES)),
                                        recorded_by=writers[int(rng.integers(len(writers)))]))
            for shift in SHIFT_STARTS:
                if rng.random() < 0.85 and (shift != Shift.NIGHT or day < last):
                    handovers.append(Handover(stay_id=stay_id, on=day, shift=shift, summary=str(rng.choice(HANDOVERS)),
                                              recorded_by=writers[int(rng.integers(len(writers)))]))
            day += dt.timedelta(days=1)
    return entries, handovers
