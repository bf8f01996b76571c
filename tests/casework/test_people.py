"""Issue 16, items 3, 7 and 8: the people around the young person, corrections and withdrawals of any
record (out of every count), and duplicates found and merged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone

from nwd.access.models import AuditEvent
from nwd.access.roles import Role
from nwd.casework import services as casework
from nwd.casework.choices import Relationship, Sharing
from nwd.casework.models import Contact, SignificantPerson, YoungPerson
from nwd.casework.queries import possible_duplicates, with_alerts
from nwd.casework.timeline import count_annotations, timeline
from nwd.core.services import save_valid
from nwd.events import services as events
from nwd.events.models import MissingEpisode, PoliceContact
from nwd.hubs import queries as hub_queries
from nwd.hubs import services as hubs
from nwd.hubs.models import Stay
from nwd.returns import dbframes
from tests.evaluation.conftest import load as evaluation_load
from tests.factories import (
    DAY,
    BedFactory,
    ContactFactory,
    HubFactory,
    UserFactory,
    YoungPersonFactory,
    open_involvement,
)

pytestmark = pytest.mark.django_db
WENT = dt.datetime(2025, 6, 2, 21, 0, tzinfo=dt.UTC)


def _details(**overrides):
    details = {"name": "Dawn Example", "relationship": Relationship.MOTHER, "parental_responsibility": True,
               "may_contact": True, "sharing": Sharing.ANYTHING, "phone": "01603 123456"}
    details.update(overrides)
    return details


# --- The people around the young person --------------------------------------------------------------

@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"may_contact": False}, "no_contact_reason",
     "Say why they may not be contacted, so nobody does by mistake."),
    ({"relationship": Relationship.OTHER}, "relationship_detail",
     "Say in a few words who they are to the young person."),
    ({"relationship": Relationship.SIBLING}, "parental_responsibility",
     "A brother or sister does not hold parental responsibility: check the relationship."),
    ({"phone": "12345"}, "phone", "Enter a phone number with the area code, like 01603 123456 or 07700 900123."),
    ({"name": "  "}, "name", "Enter the person's name."),
    ({"no_contact_reason": "court order"}, "no_contact_reason",
     "Only give a reason when the person may not be contacted."),
])
def test_significant_person_rules(overrides, field, message):
    with pytest.raises(ValidationError) as error:
        casework.add_significant_person(YoungPersonFactory(), details=_details(**overrides))
    assert error.value.message_dict[field] == [message]


def test_a_contact_names_who_it_was_with_and_only_from_their_own_network():
    person, other = YoungPersonFactory(), YoungPersonFactory()
    worker = UserFactory()
    mum = casework.add_significant_person(person, details=_details(), by=worker)
    stranger = casework.add_significant_person(other, details=_details(name="Sam Other"), by=worker)
    contact = casework.add_contact(person, WENT, "face_to_face", "Home visit with mum.", staff=worker, people=[mum])
    assert list(contact.people.all()) == [mum]
    assert list(mum.contacts.all()) == [contact]
    with pytest.raises(ValidationError) as error:
        casework.add_contact(person, WENT, "face_to_face", "Visit.", staff=worker, people=[stranger])
    assert error.value.message_dict["people"] == [casework.OTHER_PERSONS_NETWORK]
    changed = casework.change_significant_person(mum, details={"may_contact": False, "no_contact_reason": "Court order"},
                                                 by=worker)
    assert [v.may_contact for v in changed.history.order_by("history_date")] == [True, False]
    kind = ContentType.objects.get_for_model(SignificantPerson)
    assert AuditEvent.objects.filter(young_person_id=person.pk, content_type=kind, object_id=str(mum.pk),
                                     user=worker).count() == 2


# --- Corrections and withdrawals ---------------------------------------------------------------------

def test_correcting_an_event_keeps_what_it_said_and_why():
    person = YoungPersonFactory()
    worker = UserFactory()
    police = events.record_police_contact(person, DAY, "arrest", "Arrested in town.", by=worker)
    with pytest.raises(ValidationError) as error:
        casework.correct_record(police, changes={"occurred_on": DAY - dt.timedelta(days=1)}, reason=" ", by=worker)
    assert error.value.message_dict["why_corrected"] == ["Say why the record is being corrected."]
    with pytest.raises(ValidationError) as error:
        casework.correct_record(police, changes={"occurred_on": DAY}, reason="typo", by=worker)
    assert error.value.messages == [casework.NOTHING_CORRECTED]
    with pytest.raises(ValidationError) as error:  # the record's own rules run again
        casework.correct_record(police, changes={"occurred_on": dt.date(2100, 1, 1)}, reason="typo", by=worker)
    assert "occurred_on" in error.value.message_dict
    casework.correct_record(police, changes={"occurred_on": DAY - dt.timedelta(days=1)}, reason="Wrong date", by=worker)
    latest = police.history.order_by("-history_date").first()
    assert latest.history_change_reason == "Wrong date" and latest.history_user == worker
    assert police.history.order_by("history_date").first().occurred_on == DAY


def test_only_the_author_or_a_manager_may_change_a_record():
    hub = HubFactory()
    author, colleague = UserFactory(hub=hub), UserFactory(hub=hub)
    manager = UserFactory(role=Role.HUB_MANAGER, hub=hub)
    police = events.record_police_contact(YoungPersonFactory(), DAY, "arrest", by=author)
    assert casework.may_change_record(author, police)
    assert casework.may_change_record(manager, police)
    assert not casework.may_change_record(colleague, police)


def test_a_withdrawal_needs_a_reason_in_the_model_rules():
    police = events.record_police_contact(YoungPersonFactory(), DAY, "arrest")
    police.withdrawn_at = timezone.now()
    with pytest.raises(ValidationError) as error:
        save_valid(police)
    assert error.value.message_dict["withdrawn_reason"] == [
        "Say why the record is being withdrawn (for example, entered for the wrong young person)."]
    with pytest.raises(ValidationError) as error:
        casework.withdraw_record(PoliceContact.objects.get(pk=police.pk), reason="")
    assert "withdrawn_reason" in error.value.message_dict


def test_a_withdrawn_record_leaves_every_count():
    """Each count the platform shows, before and after a withdrawal: the timeline and its counts, the
    'missing now' alert, the evaluation's tables, the SSDA903 missing table, the bed board and free beds."""
    hub = HubFactory()
    manager = UserFactory(role=Role.HUB_MANAGER, hub=hub)
    involvement = open_involvement(hub=hub)
    person = involvement.young_person
    episode = events.record_missing_episode(person, WENT, by=manager)
    bed = BedFactory(hub=hub)
    stay = hubs.admit(person, bed, DAY, involvement=involvement, by=manager)
    contact = ContactFactory(young_person=person)

    def counts():
        row = YoungPerson.objects.filter(pk=person.pk).annotate(**count_annotations()).get()
        alerted = with_alerts(YoungPerson.objects.filter(pk=person.pk), today=DAY).get()
        data = evaluation_load(DAY + dt.timedelta(days=5))
        board = hub_queries.bed_boards(hub_queries.Hub.objects.filter(pk=hub.pk), today=DAY + dt.timedelta(days=1))
        return {
            "timeline missing": row.count_missing, "timeline stays": row.count_stay, "timeline contacts": row.count_contact,
            "timeline entries": len(timeline(person.pk).entries),
            "missing now": alerted.alert_missing,
            "evaluation missing": len(data.missing), "evaluation stays": len(data.stays),
            "903 missing": dbframes.missing(MissingEpisode.objects.filter(young_person=person)).height,
            "bed board": sum(1 for row in board[0].rows if row.stay is not None),
            "free beds": hub_queries.free_beds(hub, DAY + dt.timedelta(days=1)).count(),
        }

    before = counts()
    assert before == {"timeline missing": 1, "timeline stays": 1, "timeline contacts": 1,
                      "timeline entries": before["timeline entries"], "missing now": True,
                      "evaluation missing": 1, "evaluation stays": 1, "903 missing": 1, "bed board": 1, "free beds": 0}
    for record in (episode, stay, contact):
        casework.withdraw_record(record, reason="Recorded for the wrong young person", by=manager)
    after = counts()
    assert after == {"timeline missing": 0, "timeline stays": 0, "timeline contacts": 0,
                     "timeline entries": before["timeline entries"] - 3,  # the episode, the admission, the contact
                     "missing now": False, "evaluation missing": 0, "evaluation stays": 0, "903 missing": 0,
                     "bed board": 0, "free beds": 1}
    # Kept, with why, in the history and the audit log; the bed can be used again.
    kept = MissingEpisode.all_objects.get(pk=episode.pk)
    assert kept.withdrawn_reason == "Recorded for the wrong young person" and kept.withdrawn_by == manager
    assert kept.history.order_by("-history_date").first().history_change_reason.startswith("withdrawn:")
    assert AuditEvent.objects.filter(content_type=ContentType.objects.get_for_model(MissingEpisode),
                                     object_id=str(episode.pk), action="change", user=manager).exists()
    with pytest.raises(ValidationError) as error:
        casework.withdraw_record(kept, reason="again")
    assert error.value.messages == [casework.ALREADY_WITHDRAWN]
    other = open_involvement(hub=hub)
    assert hubs.admit(other.young_person, bed, DAY, involvement=other, by=manager).pk


# --- Duplicates ---------------------------------------------------------------------------------------

def test_possible_duplicates_match_names_and_numbers_typed_differently():
    a = YoungPersonFactory(given_name="Jo-Anne", family_name="O'Neil", date_of_birth=dt.date(2009, 1, 2))
    b = YoungPersonFactory(given_name="joanne", family_name="ONEIL", date_of_birth=dt.date(2009, 1, 2))
    c = YoungPersonFactory(given_name="Kit", nhs_number="9434765919")
    d = YoungPersonFactory(given_name="Kat", nhs_number="943 476 5919", date_of_birth=dt.date(2011, 5, 5))
    e = YoungPersonFactory(given_name="Lee", upn="a123456789012")
    f = YoungPersonFactory(given_name="Lea", upn="A123456789012", date_of_birth=dt.date(2012, 5, 5))
    YoungPersonFactory(given_name="Nobody", upn="UN1")
    YoungPersonFactory(given_name="Nobody2", upn="UN1", date_of_birth=dt.date(2012, 5, 5))
    found = {(p.first.pk, p.second.pk): p.why for p in possible_duplicates(YoungPerson.objects.all())}
    assert found == {(a.pk, b.pk): ("names and date of birth",), (c.pk, d.pk): ("NHS number",), (e.pk, f.pk): ("UPN",)}


def _models_pointing_at_young_people() -> set:
    """Every concrete model with a relation to a young person, found without the merge's own code."""
    found = set()
    for model in apps.get_models(include_auto_created=True):
        if model.__name__.startswith("Historical") or model._meta.label == "access.AuditEvent":
            continue
        if any(getattr(f, "related_model", None) is YoungPerson and f.concrete for f in model._meta.get_fields()):
            found.add(model)
    return found - {YoungPerson}


def test_the_merge_moves_every_kind_of_record():
    """Fails when a model relating to a young person is added and the merge would not move it."""
    moved = {r.related_model if not r.many_to_many else r.through for r in casework.relations_to_young_person()}
    missed = _models_pointing_at_young_people() - moved
    assert not missed, f"the merge does not move {sorted(m._meta.label for m in missed)}"


def test_merge_moves_records_and_says_so():
    hub = HubFactory()
    manager = UserFactory(role=Role.SERVICE_MANAGER, hub=None)
    keep = YoungPersonFactory(given_name="Jo", nhs_number="")
    duplicate = YoungPersonFactory(given_name="Jo", nhs_number="9434765919")
    involvement = open_involvement(young_person=duplicate, hub=hub)
    contact = ContactFactory(young_person=duplicate)
    mum = casework.add_significant_person(duplicate, details=_details())
    police = events.record_police_contact(duplicate, DAY, "arrest")
    casework.withdraw_record(police, reason="twice")  # withdrawn records move too
    casework.merge_young_people(keep, duplicate=duplicate, reason="Same NHS number, school confirmed", by=manager)
    assert not YoungPerson.objects.filter(pk=duplicate.pk).exists()
    for record in (involvement, contact, mum):
        record.refresh_from_db()
        assert record.young_person_id == keep.pk
    assert PoliceContact.all_objects.get(pk=police.pk).young_person_id == keep.pk
    keep.refresh_from_db()
    assert keep.nhs_number == "9434765919"  # a blank filled from the duplicate
    assert keep.history.order_by("-history_date").first().history_change_reason.startswith(
        f"merged with duplicate record {duplicate.child_id}")
    assert contact.history.order_by("-history_date").first().history_change_reason.startswith("merged from duplicate")
    assert AuditEvent.objects.filter(young_person_id=keep.pk, user=manager,
                                     detail__startswith=f"merged duplicate record {duplicate.child_id}").exists()


def test_merge_refuses_what_would_break_the_rules():
    hub = HubFactory()
    keep, duplicate = open_involvement(hub=hub).young_person, open_involvement(hub=hub).young_person
    with pytest.raises(ValidationError) as error:
        casework.merge_young_people(keep, duplicate=duplicate, reason="same", by=None)
    assert error.value.messages == [
        "Both records have open support with the service: end the support on one of them "
        "(the one opened by mistake) before merging."]
    with pytest.raises(ValidationError) as error:
        casework.merge_young_people(keep, duplicate=keep, reason="same")
    assert error.value.messages == ["Choose two different records to merge."]
    with pytest.raises(ValidationError) as error:
        casework.merge_young_people(keep, duplicate=duplicate, reason=" ")
    assert error.value.message_dict["reason"] == ["Say why the records are being merged."]
    assert Contact.objects.count() == 0 and Stay.objects.count() == 0
