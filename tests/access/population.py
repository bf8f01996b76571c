"""A small, hand-built service in which every relation of the policy occurs exactly where we say.

One user per role (hub roles at ``HUB``), and young people, referrals and contacts each standing in
a known relation to those users. The expected answers of the policy table are written against
these names in ``expected.py``, from the meanings in docs/permissions.md, never from the code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from nwd.access.models import User
from nwd.access.roles import HUB_ROLES, SPECIALIST_ROLES, Role
from nwd.care.models import CareEpisode, CarePeriod
from nwd.casework.choices import Decision, ReferralStatus, SourceAgency
from nwd.casework.models import (
    Contact,
    Involvement,
    KeyWorkerAllocation,
    Plan,
    PlanGoal,
    PlanReview,
    Referral,
    SpecialistInvolvement,
    YoungPerson,
)
from nwd.events.models import (
    EETPeriod,
    ExploitationConcern,
    HealthEvent,
    MissingEpisode,
    PoliceContact,
    SubstanceUseAssessment,
)
from nwd.hubs.models import Bed, Hub, Stay

START = dt.date(2025, 1, 6)
ORG = "Example High School"


@dataclass
class Population:
    hub: Hub
    other_hub: Hub
    users: dict[str, User] = field(default_factory=dict)  # role -> the user under test
    extras: dict[str, User] = field(default_factory=dict)
    people: dict[str, YoungPerson] = field(default_factory=dict)
    referrals: dict[str, Referral] = field(default_factory=dict)
    contacts: dict[str, Contact] = field(default_factory=dict)
    documents: dict = field(default_factory=dict)  # documents (issue 16): key -> Document

    @property
    def hubs(self) -> dict[str, Hub]:
        return {"hub": self.hub, "other_hub": self.other_hub}


def _user(username: str, role: str, hub=None, **extra) -> User:
    return User.objects.create_user(
        username=username, password="a long enough test password", first_name=username.title(),
        last_name="Staff", role=role, hub=hub, **extra,
    )


def _person(key: str, n: int, **extra) -> YoungPerson:
    return YoungPerson.objects.create(
        child_id=f"POP{n:04d}", given_name=f"Given{key.title().replace('_', '')}", family_name="Population",
        date_of_birth=dt.date(2010, 1, 1) + dt.timedelta(days=37 * n), sex="1", ethnicity="WBRI", **extra,
    )


def _involve(person, hub, key_worker, end=None) -> Involvement:
    involvement = Involvement.objects.create(
        young_person=person, hub=hub, support_type="outreach", start=START, end=end,
        end_reason="goals_met" if end else "",
    )
    KeyWorkerAllocation.objects.create(
        involvement=involvement, key_worker=key_worker, start=START, end=end, reason="first"
    )
    return involvement


def _referral(person, status=ReferralStatus.CLOSED, submitted_by=None, decision=Decision.OUTREACH, **extra):
    closed = status == ReferralStatus.CLOSED
    return Referral.objects.create(
        young_person=person, source_agency=SourceAgency.SCHOOL, received=START - dt.timedelta(days=7),
        reason="Worried about them.", status=status, submitted_by=submitted_by,
        decision=decision if closed else "", decision_date=START if closed else None, **extra,
    )


def _contact(person, staff) -> Contact:
    return Contact.objects.create(
        young_person=person, at=timezone.make_aware(dt.datetime(2025, 2, 3, 10, 0)), kind="face_to_face",
        staff=staff, summary=f"Note by {staff.username}.",
    )


def build() -> Population:
    hub = Hub.objects.create(name="Population Hub", code="pophub", locality="Dereham", opened=dt.date(2021, 6, 1))
    other = Hub.objects.create(name="Other Hub", code="othhub", locality="Norwich", opened=dt.date(2021, 6, 1))
    pop = Population(hub=hub, other_hub=other)
    for role in Role:
        extra = {}
        if role == Role.PARTNER_REFERRER:
            extra = {"agency": SourceAgency.SCHOOL, "organisation": ORG}
        pop.users[role.value] = _user(f"pop_{role.value}", role, hub if role in HUB_ROLES else None, **extra)
    kw2 = pop.extras["kw2"] = _user("pop_kw2", Role.KEY_WORKER, hub)
    kw_other = pop.extras["kw_other"] = _user("pop_kw_other", Role.KEY_WORKER, other)
    colleague = pop.extras["colleague"] = _user(
        "pop_colleague", Role.PARTNER_REFERRER, agency=SourceAgency.SCHOOL, organisation=ORG)
    other_org = pop.extras["other_org"] = _user(
        "pop_other_org", Role.PARTNER_REFERRER, agency=SourceAgency.SCHOOL, organisation="Another Academy")
    health = pop.extras["health"] = _user(
        "pop_health", Role.PARTNER_REFERRER, agency=SourceAgency.HEALTH, organisation="Example Practice")
    me_kw = pop.users[Role.KEY_WORKER.value]
    partner = pop.users[Role.PARTNER_REFERRER.value]
    specialists = [pop.users[r.value] for r in SPECIALIST_ROLES]

    people = pop.people
    keys = ["keyworked", "hub", "hub_closed", "other_hub", "drawn", "drawn_ended", "referred", "handover",
            "care_only", "restricted", "restricted_named"]
    for n, key in enumerate(keys, start=1):
        people[key] = _person(key, n, restricted=key.startswith("restricted"))
    _involve(people["keyworked"], hub, me_kw)
    _involve(people["hub"], hub, kw2)
    _involve(people["hub_closed"], hub, kw2, end=START + dt.timedelta(days=60))
    _involve(people["other_hub"], other, kw_other)
    _involve(people["drawn"], other, kw_other)
    _involve(people["drawn_ended"], other, kw_other)
    _involve(people["restricted"], hub, me_kw)
    _involve(people["restricted_named"], hub, me_kw)
    people["restricted_named"].restricted_to.set([*pop.users.values(), *pop.extras.values()])
    for specialist in specialists:
        SpecialistInvolvement.objects.create(young_person=people["drawn"], specialist=specialist, start=START)
        SpecialistInvolvement.objects.create(
            young_person=people["drawn_ended"], specialist=specialist, start=START, end=START + dt.timedelta(days=30))
    period = CarePeriod.objects.create(young_person=people["care_only"], start=dt.date(2023, 4, 1))
    CareEpisode.objects.create(
        young_person=people["care_only"], period=period, decom=dt.date(2023, 4, 1), rne="S", ls="C2", cin="N1",
        place="U1",
    )

    refs = pop.referrals
    refs["referred"] = _referral(people["referred"], ReferralStatus.RECEIVED, partner)
    refs["colleague"] = _referral(people["hub"], submitted_by=colleague)
    refs["other_org"] = _referral(people["other_hub"], submitted_by=other_org)
    refs["handover"] = _referral(people["handover"], submitted_by=health, decision=Decision.HANDOVER,
                                 handover_service="Early help team")
    refs["keyworked"] = _referral(people["keyworked"])
    refs["restricted"] = _referral(people["restricted"], ReferralStatus.RECEIVED, partner)
    refs["drawn"] = _referral(people["drawn"])

    notes = pop.contacts
    notes["hub"] = _contact(people["hub"], kw2)
    notes["other_hub"] = _contact(people["other_hub"], kw_other)
    notes["drawn_by_key_worker"] = _contact(people["drawn"], kw_other)
    notes["restricted"] = _contact(people["restricted"], me_kw)
    for specialist in specialists:
        notes[f"drawn_by_{specialist.role}"] = _contact(people["drawn"], specialist)
        notes[f"drawn_ended_by_{specialist.role}"] = _contact(people["drawn_ended"], specialist)
    for role in sorted(HUB_ROLES):  # a note by each hub role's user about a young person of the hub
        notes[f"hub_by_{role}"] = _contact(people["hub"], pop.users[role])
    notes[f"by_{Role.SERVICE_MANAGER.value}"] = _contact(people["other_hub"], pop.users[Role.SERVICE_MANAGER.value])
    _care_leavers(pop)
    _records_of_every_kind(pop)
    _home_records(pop)
    _childrens_home(pop)
    _documents(pop)
    return pop


def _home_records(pop: Population) -> None:
    """A children's home's records at each hub (issue 15), so their pages have records to try."""
    from nwd.homes.models import Action, IndependentVisit, QualityReview, Visitor

    for key in ("hub", "other_hub"):
        stay = pop.people[key].stays.get()
        hub = stay.bed.hub
        visit = IndependentVisit.objects.create(hub=hub, visited_on=START, independent_person="Pat Ives", summary="Ok")
        review = QualityReview.objects.create(hub=hub, reviewed_on=START, period_start=START - dt.timedelta(days=180),
                                              summary="Good")
        owner = pop.users[Role.HUB_MANAGER.value]
        Action.objects.create(visit=visit, recommendation="Fix the gate", owner=owner, due=START)
        Action.objects.create(review=review, recommendation="Train staff", owner=owner, due=START)
        Visitor.objects.create(hub=hub, name="A Visitor", capacity="Aunt", young_person=pop.people[key],
                               arrived=timezone.make_aware(dt.datetime(2025, 3, 2, 14, 0)), id_checked=True)


def _childrens_home(pop: Population) -> None:
    """The hubs as children's homes (issue 15): a restraint, a notification and a return interview at
    each hub, and the inspector's grants: running at "hub", expired at "other_hub"."""
    from nwd.safeguarding.models import InspectorGrant, Notification, RestraintRecord, ReturnInterview

    now = timezone.now()
    when = timezone.make_aware(dt.datetime(2025, 2, 1, 20, 0))
    for key in ("hub", "other_hub"):
        person = pop.people[key]
        home = person.involvements.get().hub
        RestraintRecord.objects.create(hub=home, young_person=person, occurred_at=when, place="Lounge",
                                       measure="restraint", used_by="A. Worker")
        Notification.objects.create(hub=home, young_person=person, kind="police", event_at=when, summary="Arrest.")
        episode = MissingEpisode.objects.create(young_person=person, involvement=person.involvements.get(),
                                                started_at=when, ended_at=when + dt.timedelta(hours=5))
        ReturnInterview.objects.create(missing_episode=episode, offered_at=when + dt.timedelta(hours=30))
    inspector = pop.users[Role.INSPECTOR.value]
    InspectorGrant.objects.create(inspector=inspector, hub=pop.hub, starts=now - dt.timedelta(days=1),
                                  expires=now + dt.timedelta(days=6), reason="Full inspection")
    InspectorGrant.objects.create(inspector=inspector, hub=pop.other_hub, starts=now - dt.timedelta(days=20),
                                  expires=now - dt.timedelta(days=10), reason="Earlier inspection")



# Documents (issue 16): one about each of these young people, and one shared with police about the
# first two. A key "<person>_police" is shared with police; the young person is the key without it.
DOCUMENT_PEOPLE = ("keyworked", "hub", "hub_closed", "other_hub", "drawn", "drawn_ended", "referred", "care_only",
                   "restricted", "restricted_named", "leaver_mine")
POLICE_DOCUMENTS = ("hub", "other_hub", "hub_closed", "restricted")


def _documents(pop: Population) -> None:
    from nwd.documents.models import Document

    def make(key: str, person_key: str, shared: bool):
        pop.documents[key] = Document.objects.create(
            young_person=pop.people[person_key], title=f"Letter {key}", kind="letter", original_name="letter.pdf",
            content_type="application/pdf", size=10, sha256="0" * 64, shared_with_police=shared,
            scan_state="clean", scanned_at=timezone.now(), file=f"documents/{key}.pdf")

    for key in DOCUMENT_PEOPLE:
        make(key, key, False)
    for key in POLICE_DOCUMENTS:
        make(f"{key}_police", key, True)


def _care_leavers(pop: Population) -> None:
    """Two care leavers known only from care data: one the personal adviser under test advises, one
    another adviser does (issue 17)."""
    from nwd.leavers.models import CareLeaver

    other_adviser = pop.extras["pa_other"] = _user("pop_pa_other", Role.PERSONAL_ADVISER)
    for n, (key, adviser) in enumerate(
            (("leaver_mine", pop.users[Role.PERSONAL_ADVISER.value]), ("leaver_other", other_adviser)), start=90):
        person = pop.people[key] = _person(key, n)
        CareLeaver.objects.create(young_person=person, category="former_relevant", left_care=dt.date(2024, 5, 1),
                                  personal_adviser=adviser)


def _records_of_every_kind(pop: Population) -> None:
    """Events, plans and stays for a few young people, so every kind of record page has records to try."""
    when = timezone.make_aware(dt.datetime(2025, 3, 1, 20, 0))
    for key in ("keyworked", "hub", "other_hub", "drawn", "restricted"):
        person = pop.people[key]
        involvement = person.involvements.get()
        MissingEpisode.objects.create(young_person=person, involvement=involvement, started_at=when)
        PoliceContact.objects.create(young_person=person, involvement=involvement, occurred_on=START, kind="arrest")
        HealthEvent.objects.create(young_person=person, involvement=involvement, occurred_on=START, kind="ae")
        ExploitationConcern.objects.create(young_person=person, involvement=involvement, raised_on=START,
                                           kind="criminal")
        SubstanceUseAssessment.objects.create(young_person=person, involvement=involvement, assessed_on=START,
                                              level="regular")
        EETPeriod.objects.create(young_person=person, involvement=involvement, status="school", start=START)
        plan = Plan.objects.create(young_person=person, involvement=involvement, started=START)
        PlanGoal.objects.create(plan=plan, area="safety", description="Stay safe at night.")
        PlanReview.objects.create(plan=plan, reviewed_on=START + dt.timedelta(days=28),
                                  reviewed_by=involvement.allocations.get().key_worker)
        if key in ("hub", "other_hub", "restricted"):
            bed = Bed.objects.create(hub=involvement.hub, label=f"Room {key}", kind="residential")
            Stay.objects.create(bed=bed, young_person=person, involvement=involvement, admitted=START)
