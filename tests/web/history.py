"""Build a young person with a history of any length, fast (bulk inserts), for query-count tests.

The same builder makes a short and a long history, so a test can assert the page costs the same
number of queries for both: the count must not grow with the history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from nwd.access.roles import Role
from nwd.care.models import CareEpisode, CarePeriod
from nwd.casework import services as casework
from nwd.casework.choices import AllocationReason, Decision, PortfolioArea, Progress
from nwd.casework.models import Contact, GoalProgress, PlanGoal, PlanReview
from nwd.core import dates
from nwd.events.models import (
    EETPeriod,
    ExploitationConcern,
    HealthEvent,
    MissingEpisode,
    PoliceContact,
    SubstanceUseAssessment,
)
from nwd.hubs.models import Bed, BedKind, Stay
from tests.factories import BedFactory, HubFactory, ReferralFactory, UserFactory, YoungPersonFactory


@dataclass
class History:
    person: object
    hub: object
    key_worker: object
    involvement: object
    plan: object
    beds: list


def build_history(contacts: int = 500, events: int = 100, reviews: int = 10, hub=None, key_worker=None) -> History:
    """A young person referred two years ago, supported since, with ``contacts`` contacts and ``events`` events.

    Events are split evenly between missing episodes (all returned), police contacts, health
    events and exploitation concerns. There are also EET periods, substance-use assessments, past
    hub stays, care episodes, key-worker changes and a plan with a goal in every area and
    ``reviews`` reviews.
    """
    today = dates.today()
    start = today - dt.timedelta(days=730)
    hub = hub or HubFactory()
    key_worker = key_worker or UserFactory(role=Role.KEY_WORKER, hub=hub)
    others = [UserFactory(role=Role.KEY_WORKER, hub=hub) for _ in range(2)]
    person = YoungPersonFactory(date_of_birth=today - dt.timedelta(days=15 * 365))
    referral = ReferralFactory(young_person=person, received=start)
    casework.decide_referral(referral, Decision.OUTREACH, start)
    involvement = casework.start_involvement(person, hub, "outreach", others[0], start, referral=referral)
    casework.reallocate_key_worker(involvement, others[1], start + dt.timedelta(days=100), AllocationReason.STAFF_LEFT)
    casework.reallocate_key_worker(involvement, key_worker, start + dt.timedelta(days=200), AllocationReason.WORKLOAD)

    def moment(i: int, n: int) -> dt.datetime:
        day = start + dt.timedelta(days=1 + (i * 700) // max(n, 1))
        return timezone.make_aware(dt.datetime.combine(day, dt.time(10 + i % 8, 0)))

    Contact.objects.bulk_create(
        Contact(young_person=person, involvement=involvement, at=moment(i, contacts), kind="face_to_face",
                staff=key_worker, summary=f"Contact {i}")
        for i in range(contacts)
    )
    quarter = events // 4
    MissingEpisode.objects.bulk_create(
        MissingEpisode(young_person=person, involvement=involvement, started_at=moment(i, quarter),
                       ended_at=moment(i, quarter) + dt.timedelta(hours=6))
        for i in range(quarter)
    )
    PoliceContact.objects.bulk_create(
        PoliceContact(young_person=person, involvement=involvement, occurred_on=moment(i, quarter).date(), kind="call_out")
        for i in range(quarter)
    )
    HealthEvent.objects.bulk_create(
        HealthEvent(young_person=person, involvement=involvement, occurred_on=moment(i, quarter).date(), kind="ae")
        for i in range(quarter)
    )
    ExploitationConcern.objects.bulk_create(
        ExploitationConcern(young_person=person, involvement=involvement, raised_on=moment(i, quarter).date(),
                            kind="criminal", closed_on=moment(i, quarter).date())
        for i in range(events - 3 * quarter)
    )
    SubstanceUseAssessment.objects.bulk_create(
        SubstanceUseAssessment(young_person=person, assessed_on=start + dt.timedelta(days=100 * i), level="experimental")
        for i in range(5)
    )
    EETPeriod.objects.bulk_create(
        EETPeriod(young_person=person, status="school" if i % 2 else "neet", start=start + dt.timedelta(days=100 * i),
                  end=start + dt.timedelta(days=100 * i + 99) if i < 4 else None)
        for i in range(5)
    )
    beds = [BedFactory(hub=hub, label=f"Room {person.pk}", kind=BedKind.RESIDENTIAL),
            BedFactory(hub=hub, label=f"Emergency {person.pk}", kind=BedKind.EMERGENCY)]
    Stay.objects.bulk_create(
        Stay(bed=beds[i % 2], young_person=person, involvement=involvement, admitted=start + dt.timedelta(days=50 * i + 10),
             discharged=start + dt.timedelta(days=50 * i + 20), destination="home", planned=True)
        for i in range(5)
    )
    period = CarePeriod.objects.create(young_person=person, start=start - dt.timedelta(days=400), end=start - dt.timedelta(days=10))
    CareEpisode.objects.bulk_create(
        CareEpisode(young_person=person, period=period, decom=period.start + dt.timedelta(days=70 * i),
                    dec=period.start + dt.timedelta(days=70 * i + 69) if i < 4 else period.end, rne="S" if i == 0 else "P",
                    ls="V2", cin="N4", place="U4", place_provider="PR1", rec="X1" if i < 4 else "E4A")
        for i in range(5)
    )
    plan = casework.start_plan(person, start + dt.timedelta(days=5), next_review_due=today + dt.timedelta(days=3))
    goals = PlanGoal.objects.bulk_create(
        PlanGoal(plan=plan, area=area, description=f"A goal about {area}") for area, _ in PortfolioArea.choices
    )
    for i in range(reviews):
        review = PlanReview.objects.create(plan=plan, reviewed_on=start + dt.timedelta(days=10 + 60 * i), reviewed_by=key_worker)
        GoalProgress.objects.bulk_create(
            GoalProgress(review=review, goal=goal, progress=Progress.SOME if i % 2 else Progress.GOOD) for goal in goals
        )
    return History(person=person, hub=hub, key_worker=key_worker, involvement=involvement, plan=plan, beds=beds)


def fill_beds(hub, occupied: int, free: int) -> list[Bed]:
    """Beds at ``hub``: ``occupied`` with a young person in them now, ``free`` empty."""
    today = dates.today()
    beds = []
    first = Bed.objects.filter(hub=hub).count() + 1
    for i in range(occupied + free):
        bed = BedFactory(hub=hub, label=f"Bed {first + i}", kind=BedKind.EMERGENCY if i % 3 == 2 else BedKind.RESIDENTIAL)
        beds.append(bed)
        if i < occupied:
            Stay.objects.create(bed=bed, young_person=YoungPersonFactory(), admitted=today - dt.timedelta(days=i + 1),
                                planned_discharge=today + dt.timedelta(days=i * 3 - 2))
    return beds
