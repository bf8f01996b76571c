"""The county's care leavers (issue 17): a small step of its own, after the care history is written.

Who is a care leaver is not drawn: it is derived from the episodes already written, with the same
rule the service applies (``nwd.leavers.eligibility``), as on the county's as-of date. Then, at
plausible rates (docs/synthetic-county.md):

- personal advisers: one for about every 22 care leavers (caseloads of 20 to 25 are usual);
- in touch and activity: copied from the young person's OC3 row of the year where they have one
  (so the SSDA903 export, which writes OC3 from these records, says what it said before); others
  in touch about 9 in 10 times, about half in education, employment or training;
- a pathway plan for each, reviewed about every 5 months (about 1 in 12 has a review overdue);
- the adviser's contacts over the last year, every 4 to 9 weeks (about 1 in 10 overdue);
- where they live since leaving care, one to three places; Staying Put for about a quarter of
  those 18 to 20 who left foster care, Staying Close for a few who left a children's home;
- support after 21 ended for about half of those 21 and over.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import numpy as np

from nwd.access.models import User
from nwd.access.roles import Role
from nwd.care.models import CareEpisode, CareLeaverOutcome
from nwd.casework.models import YoungPerson
from nwd.codelists.codes import collection_year_of, year_bounds
from nwd.core.dates import age_on, birthday
from nwd.leavers import eligibility
from nwd.leavers.choices import AdviserContactKind, Arrangement, Category
from nwd.leavers.models import (
    Accommodation,
    AdviserContact,
    CareLeaver,
    PathwayPlan,
    PathwayReview,
    StayingArrangement,
)
from nwd.synth import names
from nwd.synth.writer import STAFF_EMAIL_DOMAIN, Writer

PER_ADVISER = 22
IN_TOUCH_SHARE = 0.9
ACTIVITIES = ("F1", "F2", "P2", "F4", "P4", "F5", "P5", "G4", "G5", "G6")
ACTIVITY_SHARES = (0.07, 0.15, 0.04, 0.2, 0.09, 0.1, 0.2, 0.06, 0.06, 0.03)
HOMES = ("U1", "D1", "E1", "T1", "B1", "Z1", "K1", "V1", "W2", "S2")
HOME_SHARES = (0.3, 0.2, 0.1, 0.1, 0.1, 0.08, 0.05, 0.03, 0.02, 0.02)
FOSTER = ("U1", "U2", "U3", "U4", "U5", "U6")
HOMES_PLACE = ("K2", "R1")


def write(as_of: dt.date, writer: Writer, rng: np.random.Generator) -> None:
    """Write the care leavers of the county already in the database (with its staff's domain)."""
    histories: dict[int, list[tuple[dt.date, dt.date | None, str]]] = defaultdict(list)
    last_place: dict[int, str] = {}
    for person_id, decom, dec, ls, place in (CareEpisode.objects.order_by("young_person_id", "decom")
                                             .values_list("young_person_id", "decom", "dec", "ls", "place")):
        histories[person_id].append((decom, dec, ls))
        last_place[person_id] = place
    dobs = dict(YoungPerson.objects.filter(pk__in=list(histories)).values_list("pk", "date_of_birth"))
    this_year = collection_year_of(as_of)
    held = {pid: (t, a, c) for pid, t, a, c in CareLeaverOutcome.objects.filter(collection_year=this_year)
            .values_list("young_person_id", "in_touch", "activity", "accommodation")}
    leavers = []
    for person_id in sorted(histories):
        derived = eligibility.derive(dobs[person_id], histories[person_id], as_of)
        if derived.category is not None:
            leavers.append((person_id, derived))
    if not leavers:
        return
    advisers = max(1, round(len(leavers) / PER_ADVISER))
    staff = []
    for n in range(advisers):
        first, last = names.staff_name(rng)
        username = f"{first}.{last}.pa{n + 1:02d}".lower().replace(" ", "").replace("'", "")
        staff.append(User(username=username, first_name=first, last_name=last,
                          email=f"{username}@{STAFF_EMAIL_DOMAIN}", role=Role.PERSONAL_ADVISER,
                          job_title="Personal adviser", password=names.unusable_password(rng)))
    adviser_pk = writer.write(User, staff, lambda u: u, len(staff), True)
    plans: list[dict[str, Any]] = []
    for person_id, derived in leavers:
        plans.append(_draw(person_id, dobs[person_id], derived, as_of, held.get(person_id), last_place[person_id],
                           adviser_pk[int(rng.integers(0, len(adviser_pk)))], rng))
    leaver_pk = writer.write(CareLeaver, plans, lambda p: CareLeaver(**p["leaver"]), len(plans), True)
    for pk, plan in zip(leaver_pk, plans, strict=True):
        plan["pk"] = pk
    plan_pk = writer.write(PathwayPlan, plans, lambda p: PathwayPlan(
        care_leaver_id=p["pk"], started=p["plan_started"], summary="Pathway plan agreed with the young person."),
        len(plans), True)
    reviews = [(plan_pk[i], on, p["leaver"]["personal_adviser_id"])
               for i, p in enumerate(plans) for on in p["reviews"]]
    writer.write(PathwayReview, reviews, lambda r: PathwayReview(
        plan_id=r[0], reviewed_on=r[1], reviewed_by_id=r[2], summary="Plan reviewed."), len(reviews))
    contacts = [(p["pk"], on, kind, p["leaver"]["personal_adviser_id"]) for p in plans for on, kind in p["contacts"]]
    writer.write(AdviserContact, contacts, lambda c: AdviserContact(
        care_leaver_id=c[0], on=c[1], kind=c[2], adviser_id=c[3], summary="Caught up."), len(contacts))
    homes = [(p["pk"], start, code, in_area) for p in plans for start, code, in_area in p["homes"]]
    writer.write(Accommodation, homes, lambda h: Accommodation(
        care_leaver_id=h[0], start=h[1], accommodation=h[2], in_area=h[3]), len(homes))
    arrangements = [(p["pk"], *p["arrangement"]) for p in plans if p["arrangement"]]
    writer.write(StayingArrangement, arrangements, lambda a: StayingArrangement(
        care_leaver_id=a[0], kind=a[1], start=a[2], with_whom=a[3]), len(arrangements))


def _pick(rng: np.random.Generator, options: tuple[str, ...], shares: tuple[float, ...]) -> str:
    weights = np.array(shares) / sum(shares)
    return options[int(rng.choice(len(options), p=weights))]


def _days(rng: np.random.Generator, low: int, high: int) -> dt.timedelta:
    return dt.timedelta(days=int(rng.integers(low, high + 1)))


def _draw(person_id: int, dob: dt.date, derived: eligibility.Derived, as_of: dt.date,
          held: tuple[str, str, str] | None, place: str, adviser: int, rng: np.random.Generator) -> dict[str, Any]:
    left = derived.left_care
    since = left or birthday(dob, 16)
    age = age_on(dob, as_of)
    first_of_year, _ = year_bounds(collection_year_of(as_of))
    # Homes since leaving care: the first on the day they left, then a move or two.
    homes: list[tuple[dt.date, str, bool]] = []
    if left is not None:
        start = left
        for _ in range(int(rng.integers(1, 4))):
            if start > as_of:
                break
            homes.append((start, _pick(rng, HOMES, HOME_SHARES), bool(rng.random() < 0.8)))
            start = start + _days(rng, 120, 500)
    # In touch and activity: this year's OC3 row where the export would write it back the same.
    in_touch = activity = ""
    status_on: dt.date | None = None
    if held is not None and left is not None:
        touch, act, accom = held
        if touch == "YES" and act not in ("", "0") and accom not in ("", "0"):
            in_touch, activity = touch, act
            homes = [h for h in homes if h[0] < as_of - dt.timedelta(days=30)] or homes[:1]
            homes[-1] = (homes[-1][0], accom, homes[-1][2])
        elif touch not in ("", "YES") and act in ("0",) and accom in ("0",):
            in_touch, activity = touch, "0"
        if in_touch:
            status_on = max(first_of_year, homes[-1][0] if homes else first_of_year, as_of - _days(rng, 0, 30))
            status_on = min(status_on, as_of)
    elif left is not None and age >= 22:
        in_touch = "YES" if rng.random() < IN_TOUCH_SHARE else "NO"
        activity = _pick(rng, ACTIVITIES, ACTIVITY_SHARES) if in_touch == "YES" else "0"
        status_on = as_of - _days(rng, 0, 30)
    # The pathway plan, reviewed about every 5 months; about 1 in 12 overdue.
    plan_started = min(max(since, as_of - dt.timedelta(days=900)), as_of)
    reviews: list[dt.date] = []
    on = plan_started + _days(rng, 130, 170)
    overdue = rng.random() < 1 / 12
    while on <= as_of - (dt.timedelta(days=200) if overdue else dt.timedelta(days=0)):
        reviews.append(on)
        on = on + _days(rng, 130, 175)
    # Contacts over the last year, every 4 to 9 weeks; about 1 in 10 overdue.
    contacts: list[tuple[dt.date, str]] = []
    late = rng.random() < 0.1
    on = max(since, as_of - dt.timedelta(days=365)) + _days(rng, 3, 20)
    stop = as_of - (dt.timedelta(days=75) if late else dt.timedelta(days=0))
    kinds = (AdviserContactKind.VISIT, AdviserContactKind.PHONE, AdviserContactKind.MEETING)
    while on <= stop:
        contacts.append((on, kinds[int(rng.choice(3, p=[0.6, 0.25, 0.15]))]))
        on = on + _days(rng, 28, 60)
    arrangement: tuple[str, dt.date, str] | None = None
    if left is not None and 18 <= age <= 20:
        if place in FOSTER and rng.random() < 0.25:
            arrangement = (Arrangement.STAYING_PUT, left, "Former foster carers")
        elif place in HOMES_PLACE and rng.random() < 0.1:
            arrangement = (Arrangement.STAYING_CLOSE, left, "Flat near the children's home")
    support_ended = None
    if age >= 21 and rng.random() < 0.5:
        support_ended = min(birthday(dob, 21) + _days(rng, 0, 300), as_of)
    if left is not None and support_ended is not None and support_ended < left:
        support_ended = left
    return {
        "leaver": {
            "young_person_id": person_id, "category": derived.category or Category.QUALIFYING,
            "category_reason": derived.reason[:300], "left_care": left, "personal_adviser_id": adviser,
            "in_touch": in_touch, "activity": activity, "status_on": status_on, "support_ended": support_ended,
        },
        "plan_started": plan_started, "reviews": reviews, "contacts": contacts, "homes": homes,
        "arrangement": arrangement,
    }
