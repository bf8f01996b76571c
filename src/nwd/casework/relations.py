"""The relations over casework's records that the permission policy names, answered here.

``nwd.access.policy`` is the one table of who may do what; it names each relation over a young
person, a referral or a contact and says what it means (``declared``). Answering one reads casework's
records (involvements, key-worker allocations, referrals...), which sit above access in the layers,
so the answers live with the records and are registered with access when casework's app is ready
(``CaseworkConfig.ready``): access imports nothing of casework, and there is no cycle between them.
Each answer is a pair, for one record and in the database (``nwd.access.relations``); the tests
check that the pair agrees.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from nwd.access.policy import CONTACT, REFERRAL, YOUNG_PERSON
from nwd.access.relations import NOTHING, answer, register_kind, relation
from nwd.casework.choices import ReferralStatus
from nwd.casework.models import (
    Contact,
    Involvement,
    KeyWorkerAllocation,
    Referral,
    SpecialistInvolvement,
    YoungPerson,
)


def _involved(**filters) -> Q:
    return Q(Exists(Involvement.objects.filter(young_person=OuterRef("pk"), **filters)))


@relation(YoungPerson, lambda user: _involved(hub_id=user.hub_id) if user.hub_id else NOTHING)
def works_at_hub_of(user, young_person) -> bool:
    """The young person has (or had) an involvement at the hub the user works at."""
    return bool(user.hub_id) and Involvement.objects.filter(young_person=young_person, hub_id=user.hub_id).exists()


@relation(
    YoungPerson,
    lambda user: Q(
        Exists(
            KeyWorkerAllocation.objects.filter(
                involvement__young_person=OuterRef("pk"), key_worker_id=user.pk, end__isnull=True
            )
        )
    ),
)
def is_key_worker_of(user, young_person) -> bool:
    """The user is the young person's current key worker."""
    return KeyWorkerAllocation.objects.filter(
        involvement__young_person=young_person, key_worker_id=user.pk, end__isnull=True
    ).exists()


@relation(
    YoungPerson,
    lambda user: Q(
        Exists(
            SpecialistInvolvement.objects.filter(young_person=OuterRef("pk"), specialist_id=user.pk, end__isnull=True)
        )
    ),
)
def is_drawn_in_for(user, young_person) -> bool:
    """The key worker has drawn the user in as a specialist, and the involvement is still open."""
    return SpecialistInvolvement.objects.filter(
        young_person=young_person, specialist_id=user.pk, end__isnull=True
    ).exists()


UNDECIDED = [ReferralStatus.RECEIVED, ReferralStatus.TRIAGE]


@relation(
    YoungPerson,
    lambda user: Q(Exists(Referral.objects.filter(young_person=OuterRef("pk"), status__in=UNDECIDED))),
)
def is_awaiting_decision(user, young_person) -> bool:
    """The young person has a referral waiting for a decision (so the triaging manager may read it)."""
    return Referral.objects.filter(young_person=young_person, status__in=UNDECIDED).exists()


@relation(
    YoungPerson,
    lambda user: Q(Exists(Referral.objects.filter(young_person=OuterRef("pk")))) | _involved(),
)
def is_known_to_service(user, young_person) -> bool:
    """The young person has been referred to, or supported by, the service (not only in care data)."""
    return (
        Referral.objects.filter(young_person=young_person).exists()
        or Involvement.objects.filter(young_person=young_person).exists()
    )


def _supported_where(user) -> Q:
    open_now = Involvement.objects.open_for(OuterRef("pk"))
    if user.hub_id:
        open_now = open_now.filter(hub_id=user.hub_id)
    return Q(Exists(open_now))


@relation(YoungPerson, _supported_where)
def is_supported_near_me(user, young_person) -> bool:
    """The young person is supported by the service now (at the user's hub, if the user has one)."""
    open_involvements = Involvement.objects.open_for(young_person)
    if user.hub_id:
        open_involvements = open_involvements.filter(hub_id=user.hub_id)
    return open_involvements.exists()


RestrictedTo = YoungPerson.restricted_to.through


@relation(
    YoungPerson,
    lambda user: Q(restricted=False)
    | Q(Exists(RestrictedTo.objects.filter(youngperson_id=OuterRef("pk"), user_id=user.pk))),
)
def named_on_restricted_record(user, young_person) -> bool:
    """The record is not restricted, or the user is one of the people named on it."""
    if not young_person.restricted:
        return True
    return RestrictedTo.objects.filter(youngperson_id=young_person.pk, user_id=user.pk).exists()


def _my_agency_where(user) -> Q:
    mine = Q(submitted_by_id=user.pk)
    if user.agency and user.organisation:
        mine |= Q(submitted_by__agency=user.agency, submitted_by__organisation=user.organisation)
    return mine


@relation(Referral, _my_agency_where)
def referred_by_my_agency(user, referral) -> bool:
    """The user sent the referral, or a colleague of the same agency and organisation did."""
    if referral.submitted_by_id is None:
        return False
    if referral.submitted_by_id == user.pk:
        return True
    sender = referral.submitted_by
    return bool(user.agency and user.organisation) and (
        sender.agency == user.agency and sender.organisation == user.organisation
    )


@relation(Contact, lambda user: Q(staff_id=user.pk))
def wrote_this_note(user, contact) -> bool:
    """The user made the contact and wrote its note."""
    return contact.staff_id == user.pk


def register() -> None:
    """Tell access which models its kinds of record are, and answer the relations its policy declares."""
    register_kind(YOUNG_PERSON, YoungPerson)
    register_kind(REFERRAL, Referral)
    register_kind(CONTACT, Contact)
    for answered in (
        works_at_hub_of, is_key_worker_of, is_drawn_in_for, is_awaiting_decision, is_known_to_service,
        is_supported_near_me, named_on_restricted_record, referred_by_my_agency, wrote_this_note,
    ):
        answer(answered)
