"""A small, believable hub for the browser tests and the README screenshots (synthetic names only).

Built through the services where the rules matter (involvements, allocations, stays, plans) and
with bulk inserts for history, so the pages look like a working week at a hub: a caseload with
alerts, beds taken and free, a plan with progress. Every user has a confirmed authenticator device,
so the tests sign in through the real second factor.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from nwd.access.models import User
from nwd.access.roles import Role
from nwd.casework import services as casework
from nwd.casework.choices import AllocationReason, Progress
from nwd.casework.models import Contact, GoalProgress, PlanReview, YoungPerson
from nwd.core import dates
from nwd.events import services as events
from nwd.hubs import services as hubs
from nwd.hubs.models import Bed, BedKind, Hub

PASSWORD = "a long synthetic test password"  # noqa: S105


@dataclass
class World:
    hub: Hub
    other_hub: Hub
    users: dict[str, User] = field(default_factory=dict)
    people: dict[str, YoungPerson] = field(default_factory=dict)


def _user(username: str, first: str, last: str, role: str, hub=None, **extra) -> User:
    user = User.objects.create_user(username, password=PASSWORD, first_name=first, last_name=last, role=role, hub=hub,
                                    email=f"{username}@example.org", **extra)
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return user


def _person(child_id: str, given: str, family: str, age_years: int, days: int = 40, **extra) -> YoungPerson:
    born = dates.today().replace(month=1, day=15) - dt.timedelta(days=365 * age_years + days)
    return YoungPerson.objects.create(child_id=child_id, given_name=given, family_name=family, date_of_birth=born,
                                      sex=extra.pop("sex", "1"), ethnicity="WBRI", **extra)


def build_world() -> World:
    today = dates.today()
    now = timezone.now()
    hub = Hub.objects.create(name="Breckland Hub", code="breckland", locality="Dereham", opened=dt.date(2021, 6, 1))
    other = Hub.objects.create(name="Norwich Hub", code="norwich", locality="Norwich", opened=dt.date(2021, 6, 1))
    for label in ("Room 1", "Room 2", "Room 3", "Room 4"):
        Bed.objects.create(hub=hub, label=label, kind=BedKind.RESIDENTIAL)
    for label in ("Emergency 1", "Emergency 2"):
        Bed.objects.create(hub=hub, label=label, kind=BedKind.EMERGENCY)
    Bed.objects.create(hub=other, label="Room 1", kind=BedKind.RESIDENTIAL)

    world = World(hub=hub, other_hub=other)
    u = world.users
    u["key_worker"] = _user("sam.okafor", "Sam", "Okafor", Role.KEY_WORKER, hub, job_title="Key worker")
    u["key_worker_2"] = _user("priya.shah", "Priya", "Shah", Role.KEY_WORKER, hub)
    u["residential"] = _user("lee.brown", "Lee", "Brown", Role.RESIDENTIAL_WORKER, hub)
    u["manager"] = _user("helen.marsh", "Helen", "Marsh", Role.HUB_MANAGER, hub)
    u["life_coach"] = _user("ruth.adeyemi", "Ruth", "Adeyemi", Role.LIFE_COACH)
    u["police"] = _user("pc.dan.hale", "Dan", "Hale", Role.POLICE_LIAISON)
    u["school"] = _user("chris.lane", "Chris", "Lane", Role.PARTNER_REFERRER, agency="school",
                        organisation="Dereham High School")

    start = today - dt.timedelta(days=120)
    specs = [
        ("C100201", "Tyler", "Reeve", 15, "outreach"),
        ("C100202", "Amira", "Haddad", 16, "residential"),
        ("C100203", "Kacper", "Nowak", 14, "outreach"),
        ("C100204", "Ellie", "Watts", 17, "outreach"),
        ("C100205", "Jayden", "Cole", 13, "residential"),
        ("C100206", "Mia", "Ford", 16, "outreach"),
    ]
    rooms = iter(Bed.objects.filter(hub=hub, kind=BedKind.RESIDENTIAL).order_by("label"))
    for i, (child_id, given, family, age, support) in enumerate(specs):
        person = _person(child_id, given, family, age, days=30 * i, sex="2" if given in ("Amira", "Ellie", "Mia") else "1")
        world.people[given] = person
        involvement = casework.start_involvement(person, hub, support, u["key_worker_2"] if i == 2 else u["key_worker"],
                                                 start + dt.timedelta(days=i))
        if i == 2:  # Kacper's key worker changed once
            casework.reallocate_key_worker(involvement, u["key_worker"], start + dt.timedelta(days=40),
                                           AllocationReason.WORKLOAD)
        if support == "residential":
            hubs.admit(person, next(rooms), today - dt.timedelta(days=12 + 3 * i),
                       planned_discharge=today + dt.timedelta(days=(6 if i == 1 else -2)), involvement=involvement)
        quiet = given == "Ellie"
        Contact.objects.bulk_create(
            Contact(young_person=person, involvement=involvement, staff=u["key_worker"], kind=kind,
                    at=now - dt.timedelta(days=(20 if quiet else 2) + 6 * n, hours=3 * n), summary=summary)
            for n, (kind, summary) in enumerate([
                ("face_to_face", f"Met {given} at the hub after school; talked about the week and what went well."),
                ("phone", f"Called {given}'s mum to plan the weekend; agreed a time to be home."),
                ("school_visit", f"Meeting with {given}'s head of year about attendance; part-time timetable agreed."),
                ("home_visit", f"Home visit: {given} showed me the room they have been decorating."),
            ])
        )
        plan = casework.start_plan(person, start + dt.timedelta(days=i + 5),
                                   next_review_due=today + dt.timedelta(days=(-3 if given == "Tyler" else 21)))
        goals = casework.add_plan_goals(plan, [
            ("safety", "Home by 10pm on school nights, and tells someone where they are.", None),
            ("relationships", "Spend Sunday afternoons with Gran.", None),
            ("eet", "Back to school three days a week by half term.", today + dt.timedelta(days=40)),
            ("emotional_health", "Weekly sessions with the life coach.", None),
        ])
        review = PlanReview.objects.create(plan=plan, reviewed_on=start + dt.timedelta(days=60), reviewed_by=u["key_worker"],
                                           summary="Good month: school attendance up.")
        GoalProgress.objects.bulk_create(
            GoalProgress(review=review, goal=goal, progress=level)
            for goal, level in zip(goals, [Progress.GOOD, Progress.SOME, Progress.SOME, Progress.ACHIEVED])
        )
        events.change_eet_status(person, "school", start, provider="Dereham High School")
    casework.draw_in_specialist(world.people["Amira"], u["life_coach"], start + dt.timedelta(days=10), by=u["key_worker"],
                                reason="Sleep and anxiety")
    events.record_missing_episode(world.people["Kacper"], now - dt.timedelta(hours=5), notes="Did not come home after school.")
    events.record_police_contact(world.people["Jayden"], today - dt.timedelta(days=9), "call_out", "Police called to a row at home.")
    return world
