"""Every casework rule rejects bad input with the message a practitioner sees."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from nwd.access.roles import Role
from nwd.casework import services
from nwd.casework.choices import AllocationReason, Decision, InvolvementEndReason, ReferralStatus
from nwd.casework.models import (
    Contact,
    Involvement,
    KeyWorkerAllocation,
    Plan,
    PlanReview,
    Referral,
    YoungPerson,
)
from nwd.core import dates
from nwd.core.services import save_valid
from tests.factories import (
    DAY,
    HubFactory,
    ReferralFactory,
    UserFactory,
    YoungPersonFactory,
    open_involvement,
)

pytestmark = pytest.mark.django_db

TOMORROW = dates.today() + dt.timedelta(days=1)


def messages(error: ValidationError, field: str) -> list[str]:
    return error.message_dict.get(field, [])


def test_referral_age_must_be_12_to_25():
    person = YoungPersonFactory(given_name="Kai", family_name="Example", date_of_birth=dt.date(2014, 1, 1))
    with pytest.raises(ValidationError) as error:
        services.submit_referral(ReferralFactory.build(young_person=person, received=dt.date(2025, 6, 1)))
    assert messages(error.value, "received") == [
        "The service takes referrals for young people aged 12 to 25: Kai Example was 11 on 01/06/2025."
    ]
    old = YoungPersonFactory(given_name="Sam", family_name="Example", date_of_birth=dt.date(1999, 5, 1))
    with pytest.raises(ValidationError) as error:
        services.submit_referral(ReferralFactory.build(young_person=old, received=dt.date(2025, 6, 1)))
    assert "Sam Example was 26 on 01/06/2025" in messages(error.value, "received")[0]
    assert not Referral.objects.exists()


def test_referral_at_exactly_12_and_25_is_accepted():
    twelve = YoungPersonFactory(date_of_birth=dt.date(2013, 6, 1))
    services.submit_referral(ReferralFactory.build(young_person=twelve, received=dt.date(2025, 6, 1)))
    twenty_five = YoungPersonFactory(date_of_birth=dt.date(2000, 6, 2))
    services.submit_referral(ReferralFactory.build(young_person=twenty_five, received=dt.date(2025, 6, 1)))
    assert Referral.objects.count() == 2


def test_referral_received_in_the_future_is_refused():
    with pytest.raises(ValidationError) as error:
        services.submit_referral(ReferralFactory.build(young_person=YoungPersonFactory(), received=TOMORROW))
    assert messages(error.value, "received") == ["The date received cannot be in the future."]


def test_date_of_birth_in_the_future_is_refused():
    with pytest.raises(ValidationError) as error:
        save_valid(YoungPersonFactory.build(date_of_birth=TOMORROW))
    assert messages(error.value, "date_of_birth") == ["The date of birth cannot be in the future."]


def test_nhs_number_is_checked():
    with pytest.raises(ValidationError) as error:
        save_valid(YoungPersonFactory.build(nhs_number="9434765918"))
    assert messages(error.value, "nhs_number") == ["This is not a valid NHS number: check the digits again."]
    save_valid(YoungPersonFactory.build(nhs_number="943 476 5919"))


def test_a_referral_cannot_be_closed_without_a_next_step():
    referral = services.submit_referral(ReferralFactory.build(young_person=YoungPersonFactory()))
    referral.status = ReferralStatus.CLOSED
    with pytest.raises(ValidationError) as error:
        save_valid(referral)
    assert messages(error.value, "decision") == [
        "A referral cannot be closed without a next step: choose outreach, a hub stay, "
        "an emergency bed or a warm handover to a named service."
    ]


def test_the_database_refuses_a_closed_referral_without_a_next_step():
    referral = services.submit_referral(ReferralFactory.build(young_person=YoungPersonFactory()))
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(status=ReferralStatus.CLOSED)


def test_a_warm_handover_must_name_the_service():
    referral = services.submit_referral(ReferralFactory.build(young_person=YoungPersonFactory()))
    with pytest.raises(ValidationError) as error:
        services.decide_referral(referral, Decision.HANDOVER, DAY, handover_service="  ")
    assert messages(error.value, "handover_service") == ["Name the service the young person is being handed over to."]
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.RECEIVED
    services.decide_referral(referral, Decision.HANDOVER, DAY, handover_service="Early Help Hub")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CLOSED and referral.handover_service == "Early Help Hub"


def test_the_decision_cannot_come_before_the_referral():
    referral = services.submit_referral(ReferralFactory.build(young_person=YoungPersonFactory()))
    with pytest.raises(ValidationError) as error:
        services.decide_referral(referral, Decision.OUTREACH, DAY - dt.timedelta(days=1))
    assert messages(error.value, "decision_date") == [
        "The decision date must be on or after the date the referral was received."
    ]


def test_a_decided_referral_cannot_be_decided_again():
    referral = services.submit_referral(ReferralFactory.build(young_person=YoungPersonFactory()))
    services.decide_referral(referral, Decision.OUTREACH, DAY)
    with pytest.raises(ValidationError) as error:
        services.decide_referral(referral, Decision.HUB_STAY, DAY)
    assert error.value.messages == ["This referral has already been decided."]


def test_an_involvement_starts_with_exactly_one_key_worker():
    involvement = open_involvement()
    assert involvement.allocations.count() == 1
    assert services.current_allocation(involvement).reason == AllocationReason.FIRST


def test_involvement_cannot_start_without_a_valid_key_worker_and_writes_nothing():
    hub = HubFactory()
    analyst = UserFactory(role=Role.ANALYST, hub=None)
    with pytest.raises(ValidationError) as error:
        services.start_involvement(YoungPersonFactory(), hub, "outreach", analyst, DAY)
    assert messages(error.value, "key_worker") == [f"{analyst} is not a key worker."]
    assert not Involvement.objects.exists()


def test_involvement_end_not_before_start():
    involvement = open_involvement()
    with pytest.raises(ValidationError) as error:
        services.close_involvement(involvement, DAY - dt.timedelta(days=1), InvolvementEndReason.GOALS_MET)
    assert messages(error.value, "end") == ["The end date must be on or after the start date."]


def test_involvement_end_needs_a_reason():
    involvement = open_involvement()
    with pytest.raises(ValidationError) as error:
        services.close_involvement(involvement, DAY, "")
    assert messages(error.value, "end_reason") == ["Say why the involvement ended."]


def test_one_open_involvement_per_young_person():
    involvement = open_involvement()
    with pytest.raises(ValidationError) as error:
        open_involvement(young_person=involvement.young_person, hub=involvement.hub)
    assert "This young person already has an open involvement with the service." in error.value.messages


def test_reallocation_is_dated_with_a_reason_and_counted():
    involvement = open_involvement()
    first = services.current_allocation(involvement).key_worker
    second = UserFactory(role=Role.KEY_WORKER, hub=involvement.hub)
    with pytest.raises(ValidationError) as error:
        services.reallocate_key_worker(involvement, second, DAY + dt.timedelta(days=30), "")
    assert messages(error.value, "reason") == ["Say why the key worker is changing."]
    services.reallocate_key_worker(involvement, second, DAY + dt.timedelta(days=30), AllocationReason.STAFF_LEFT)
    allocations = list(KeyWorkerAllocation.objects.filter(involvement=involvement).order_by("start"))
    assert [(a.key_worker, a.end) for a in allocations] == [(first, DAY + dt.timedelta(days=30)), (second, None)]
    assert services.key_worker_changes(involvement.young_person) == 1


def test_two_current_key_workers_are_refused_by_the_database():
    involvement = open_involvement()
    other = UserFactory(role=Role.KEY_WORKER, hub=involvement.hub)
    with pytest.raises(IntegrityError), transaction.atomic():
        KeyWorkerAllocation.objects.create(involvement=involvement, key_worker=other, start=DAY, reason="other")


def test_closing_ends_the_key_worker_allocation():
    involvement = open_involvement()
    services.close_involvement(involvement, DAY + dt.timedelta(days=90), InvolvementEndReason.STABLE_AT_HOME)
    assert not KeyWorkerAllocation.objects.filter(involvement=involvement, end__isnull=True).exists()


def test_specialists_are_drawn_in_once_and_their_work_ends_in_order():
    involvement = open_involvement()
    person, psychologist = involvement.young_person, UserFactory(role=Role.LIFE_COACH, hub=None)
    with pytest.raises(ValidationError) as error:
        services.draw_in_specialist(person, UserFactory(role=Role.POLICE_LIAISON, hub=None), DAY)
    assert messages(error.value, "specialist")[0].endswith("is not one of the service's specialists.")
    with pytest.raises(ValidationError) as error:
        services.draw_in_specialist(person, psychologist, TOMORROW)
    assert messages(error.value, "start") == ["The start date cannot be in the future."]
    drawn_in = services.draw_in_specialist(person, psychologist, DAY + dt.timedelta(days=3))
    with pytest.raises(ValidationError) as error:
        services.draw_in_specialist(person, psychologist, DAY + dt.timedelta(days=4))
    assert error.value.messages == ["This specialist is already working with this young person."]
    for end, field, message in ((TOMORROW, "end", "The end date cannot be in the future."),
                                (DAY, "end", "The end date must be on or after the start date")):
        with pytest.raises(ValidationError) as error:
            services.end_specialist_involvement(drawn_in, end=end)
        assert messages(error.value, field)[0].startswith(message), error.value
        drawn_in.refresh_from_db()
    services.end_specialist_involvement(drawn_in, end=DAY + dt.timedelta(days=40))
    with pytest.raises(ValidationError) as error:
        services.end_specialist_involvement(drawn_in, end=DAY + dt.timedelta(days=41))
    assert error.value.messages[0].endswith("work with this young person has already ended.")
    services.draw_in_specialist(person, psychologist, DAY + dt.timedelta(days=50))  # drawn in again later


def test_closing_support_ends_the_specialists_work():
    involvement = open_involvement()
    drawn_in = services.draw_in_specialist(involvement.young_person, UserFactory(role=Role.MENTAL_HEALTH, hub=None), DAY)
    services.close_involvement(involvement, DAY + dt.timedelta(days=90), InvolvementEndReason.STABLE_AT_HOME)
    drawn_in.refresh_from_db()
    assert drawn_in.end == DAY + dt.timedelta(days=90)


def test_contact_in_the_future_and_without_summary_is_refused():
    involvement = open_involvement()
    contact = Contact(
        young_person=involvement.young_person,
        at=dt.datetime.combine(TOMORROW, dt.time(10), tzinfo=dt.UTC) + dt.timedelta(days=1),
        kind="phone",
        staff=services.current_allocation(involvement).key_worker,
        summary=" ",
    )
    with pytest.raises(ValidationError) as error:
        save_valid(contact)
    assert messages(error.value, "at") == ["The date of the contact cannot be in the future."]
    assert messages(error.value, "summary") == ["Write what happened in a sentence or two."]


def test_a_correction_needs_a_reason_and_keeps_the_contact_rules():
    involvement = open_involvement()
    worker = involvement.allocations.get().key_worker
    at = timezone.make_aware(dt.datetime.combine(DAY, dt.time(10)))
    contact = services.add_contact(involvement.young_person, at, "face_to_face", "Met in town.", staff=worker)
    fields = {"at": at, "kind": "phone", "contact_with": "young_person", "summary": "Phoned."}
    with pytest.raises(ValidationError) as error:
        services.correct_contact(contact, **fields, reason=" ")
    assert messages(error.value, "reason") == ["Say why the note is being corrected."]
    future = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.correct_contact(contact, **{**fields, "at": future}, reason="Wrong date")
    assert messages(error.value, "at") == ["The date of the contact cannot be in the future."]
    contact.refresh_from_db()
    assert contact.summary == "Met in town."


def test_plan_review_not_before_the_plan():
    person = YoungPersonFactory()
    plan = save_valid(Plan(young_person=person, started=DAY))
    reviewer = UserFactory()
    with pytest.raises(ValidationError) as error:
        save_valid(PlanReview(plan=plan, reviewed_on=DAY - dt.timedelta(days=1), reviewed_by=reviewer))
    assert messages(error.value, "reviewed_on") == ["The review date must be on or after the plan's start date."]


def test_uasc_ceased_needs_the_uasc_flag():
    with pytest.raises(ValidationError) as error:
        save_valid(YoungPersonFactory.build(uasc=False, uasc_ceased=DAY))
    assert messages(error.value, "uasc_ceased") == [
        "Only an unaccompanied asylum-seeking child can have a date UASC status ceased."
    ]


def test_young_person_display_name_prefers_the_preferred_name():
    person = YoungPerson(given_name="Alexandra", preferred_name="Lexi", family_name="Example")
    assert person.full_name == "Lexi Example"
