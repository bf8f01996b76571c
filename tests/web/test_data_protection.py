"""Rectification of identity details and restriction of a record, from the young person's page (the
service manager) or the data protection page (the data protection officer): who may, the messages,
the change history with its reason, and the audit log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from nwd.access.models import Action, AuditEvent
from nwd.access.roles import Role
from nwd.access.testing import sign_in
from nwd.casework.models import YoungPerson
from nwd.core import dates
from tests.factories import UserFactory, YoungPersonFactory, open_involvement

pytestmark = pytest.mark.django_db
TODAY = dates.today()
HTMX = {"HTTP_HX_REQUEST": "true"}


def date_data(name: str, day: dt.date | None) -> dict:
    if day is None:
        return {f"{name}_day": "", f"{name}_month": "", f"{name}_year": ""}
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


@pytest.fixture
def key_worker(hub):
    return UserFactory(role=Role.KEY_WORKER, hub=hub, username="kw_dp")


@pytest.fixture
def person(hub, key_worker):
    person = YoungPersonFactory(given_name="Jordan", family_name="Ashby", date_of_birth=dt.date(2010, 3, 14),
                                nhs_number="9434765919")
    open_involvement(young_person=person, hub=hub, key_worker=key_worker, start=TODAY - dt.timedelta(days=30))
    return person


@pytest.fixture
def dpo():
    return UserFactory(role=Role.DATA_PROTECTION_OFFICER, username="dpo_dp", first_name="Dana", last_name="Officer")


@pytest.fixture
def service_manager():
    return UserFactory(role=Role.SERVICE_MANAGER, username="sm_dp", first_name="Sam", last_name="Manager")


def as_user(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def identity_data(person: YoungPerson, **changes) -> dict:
    data = {
        "given_name": person.given_name, "family_name": person.family_name, "preferred_name": person.preferred_name,
        "sex": person.sex, "gender": person.gender, "ethnicity": person.ethnicity, "nhs_number": person.nhs_number,
        "upn": person.upn, "home_postcode": person.home_postcode, "reason": "",
        **date_data("date_of_birth", person.date_of_birth), **date_data("date_of_death", person.date_of_death),
    }
    for name, value in changes.items():
        if isinstance(value, dt.date) or (value is None and name.startswith("date_")):
            data.update(date_data(name, value))
        else:
            data[name] = value
    return data


@pytest.mark.parametrize("role", list(Role))
def test_only_the_data_protection_officer_and_the_service_manager_may_correct_or_restrict(role, hub, person):
    user = UserFactory(role=role, hub=hub if role in {Role.KEY_WORKER, Role.RESIDENTIAL_WORKER, Role.HUB_MANAGER,
                                                      Role.PORTFOLIO_LEAD} else None)
    client = as_user(user)
    allowed = role in (Role.DATA_PROTECTION_OFFICER, Role.SERVICE_MANAGER)
    for name in ("web:data_protection", "web:identity", "web:restriction"):
        status = client.get(reverse(name, args=[person.pk])).status_code
        assert (status == 200) is allowed, (role, name, status)
        assert status in (200, 403, 404)
    response = client.post(reverse("web:identity", args=[person.pk]), identity_data(person, given_name="Jo", reason="x"))
    person.refresh_from_db()
    assert (person.given_name == "Jo") is allowed
    if not allowed:
        assert response.status_code in (403, 404)


def test_the_officer_corrects_a_name_and_the_history_keeps_the_old_one_and_the_reason(person, dpo):
    client = as_user(dpo)
    page = client.get(reverse("web:data_protection", args=[person.pk])).content.decode()
    assert "943 476 5919" in page or "9434765919" in page
    assert reverse("web:identity", args=[person.pk]) in page
    url = reverse("web:identity", args=[person.pk])
    form = client.get(url).content.decode()
    assert 'value="Jordan"' in form and "Why are you correcting these details?" in form
    events_before = AuditEvent.objects.filter(action=Action.CHANGE, young_person_id=person.pk).count()

    response = client.post(url, identity_data(person, given_name="Jordon"))
    assert response.status_code == 422
    assert "Say why the details are being corrected" in response.content.decode()

    response = client.post(url, identity_data(person, given_name="Jordon", reason="Spelling, from the birth certificate"))
    assert response.status_code == 303 and response["Location"] == reverse("web:data_protection", args=[person.pk])
    person.refresh_from_db()
    assert person.given_name == "Jordon"
    latest, before = person.history.order_by("-history_id")[:2]
    assert (latest.history_change_reason, latest.history_user, before.given_name) == (
        "Spelling, from the birth certificate", dpo, "Jordan")
    changes = AuditEvent.objects.filter(action=Action.CHANGE, young_person_id=person.pk)
    assert changes.count() == events_before + 1
    assert changes.first().user == dpo
    history_page = client.get(reverse("access:change_history", args=[person.pk])).content.decode()
    assert "Reason: Spelling, from the birth certificate" in history_page and "Jordon" in history_page


@pytest.mark.parametrize(("changes", "message"), [
    ({"nhs_number": "943 476 5918"}, "This is not a valid NHS number"),
    ({"upn": "12345"}, "A unique pupil number (UPN) has 13 characters"),
    ({"given_name": ""}, "Enter the young person&#x27;s first name"),
    ({"date_of_birth": TODAY + dt.timedelta(days=3)}, "The date of birth cannot be in the future"),
    ({"date_of_death": dt.date(2009, 1, 1)}, "The date of death must be on or after the date of birth"),
    ({"date_of_death": TODAY + dt.timedelta(days=1)}, "The date of death cannot be in the future"),
    ({}, "Nothing has changed: correct a detail, or cancel"),
    ({"reason": "x" * 101}, "Say why in 100 characters or fewer"),
])
def test_identity_messages(person, service_manager, changes, message):
    client = as_user(service_manager)
    data = identity_data(person, **{"reason": "Checked with the young person", **changes})
    response = client.post(reverse("web:identity", args=[person.pk]), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert person.history.count() == YoungPerson.objects.get(pk=person.pk).history.count()
    assert YoungPerson.objects.get(pk=person.pk).given_name == "Jordan"


def test_a_date_of_death_is_recorded_and_normalised_identifiers_are_kept(person, service_manager):
    client = as_user(service_manager)
    died = TODAY - dt.timedelta(days=2)
    response = client.post(reverse("web:identity", args=[person.pk]), identity_data(
        person, date_of_death=died, upn="a123456789012", home_postcode="nr19 1aa", reason="Notified by the coroner"))
    assert response.status_code == 303
    person.refresh_from_db()
    assert (person.date_of_death, person.upn, person.home_postcode) == (died, "A123456789012", "NR19 1AA")


def test_the_service_manager_finds_the_forms_on_the_young_persons_page(person, service_manager, key_worker):
    page = as_user(service_manager).get(reverse("web:young_person", args=[person.pk])).content.decode()
    assert reverse("web:data_protection", args=[person.pk]) in page
    page = as_user(key_worker).get(reverse("web:young_person", args=[person.pk])).content.decode()
    assert reverse("web:data_protection", args=[person.pk]) not in page


def test_the_officer_finds_the_data_protection_page_from_search(person, dpo):
    page = as_user(dpo).get(reverse("web:search"), {"q": "Ashby"}).content.decode()
    assert reverse("web:data_protection", args=[person.pk]) in page


def restriction_data(restricted: str, named=(), others: str = "", reason: str = "A member of staff is a relative"):
    return {"restricted": restricted, "named": [u.pk for u in named], "others": others, "reason": reason}


def test_the_officer_restricts_a_record_to_named_users_in_one_audited_version(hub, person, dpo, key_worker):
    colleague = UserFactory(role=Role.KEY_WORKER, hub=hub, username="kw_colleague")
    assert colleague.has_perm("casework.view_young_person", person)
    client = as_user(dpo)
    url = reverse("web:restriction", args=[person.pk])
    form = client.get(url).content.decode()
    for user in (dpo, key_worker):  # the team and the officers are offered, as checkboxes
        assert f'name="named" type="checkbox" value="{user.pk}"' in form
    versions = person.history.count()
    changes = AuditEvent.objects.filter(action=Action.CHANGE, young_person_id=person.pk).count()

    response = client.post(url, restriction_data("yes", [dpo, key_worker], reason="Staff member's nephew"))
    assert response.status_code == 303
    person = YoungPerson.objects.get(pk=person.pk)
    assert person.restricted and set(person.restricted_to.all()) == {dpo, key_worker}
    assert key_worker.has_perm("casework.view_young_person", person)
    assert not colleague.has_perm("casework.view_young_person", person)
    assert as_user(colleague).get(reverse("web:young_person", args=[person.pk])).status_code in (403, 404)
    assert person.history.count() == versions + 1  # one version, not one per name
    latest = person.history.order_by("-history_id").first()
    assert (latest.history_change_reason, latest.history_user, latest.restricted) == (
        "Staff member's nephew", dpo, True)
    assert {row.user_id for row in latest.restricted_to.all()} == {dpo.pk, key_worker.pk}
    assert AuditEvent.objects.filter(action=Action.CHANGE, young_person_id=person.pk).count() == changes + 1
    page = client.get(reverse("web:data_protection", args=[person.pk])).content.decode()
    assert "This record is restricted" in page and "Change the restriction" in page
    history_page = client.get(reverse("access:change_history", args=[person.pk])).content.decode()
    names = ", ".join(sorted(str(u) for u in (dpo, key_worker)))
    assert "Reason: Staff member&#x27;s nephew" in history_page and f"<td class=\"govuk-table__cell\">{names}</td>" in history_page

    # Lifting it removes the names; the history keeps them.
    response = client.post(url, restriction_data("no", reason="No longer needed"))
    assert response.status_code == 303
    person = YoungPerson.objects.get(pk=person.pk)
    assert not person.restricted and not person.restricted_to.exists()
    assert colleague.has_perm("casework.view_young_person", person)


@pytest.mark.parametrize(("data", "message"), [
    (lambda u: restriction_data("yes", []), "Name at least one person who may see the record"),
    (lambda u: restriction_data("yes", [u["key_worker"]]), "Name at least one data protection officer or service manager"),
    (lambda u: restriction_data("yes", [u["dpo"]], others="nobody_here"), "There is no active user called nobody_here"),
    (lambda u: restriction_data("yes", [u["dpo"]], reason=""), "Say why the restriction is changing"),
    (lambda u: restriction_data("", [u["dpo"]]), "Select yes or no: restrict this record"),
    (lambda u: restriction_data("no", []), "Nothing has changed"),
])
def test_restriction_messages(person, dpo, key_worker, data, message):
    response = as_user(dpo).post(reverse("web:restriction", args=[person.pk]),
                                 data({"dpo": dpo, "key_worker": key_worker}))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not YoungPerson.objects.get(pk=person.pk).restricted


def test_anyone_can_be_named_by_user_name_and_a_manager_may_restrict_a_record_from_themselves(person, service_manager,
                                                                                            dpo):
    partner = UserFactory(role=Role.PARTNER_REFERRER, username="far_away_partner")
    response = as_user(service_manager).post(reverse("web:restriction", args=[person.pk]),
                                             restriction_data("yes", [dpo], others="far_away_partner"))
    assert response.status_code == 303 and response["Location"] == reverse("home")  # no longer theirs to open
    person = YoungPerson.objects.get(pk=person.pk)
    assert set(person.restricted_to.all()) == {dpo, partner}
    assert not partner.has_perm("casework.view_identity", person)  # naming never widens a role


def test_on_a_restricted_record_the_officer_must_be_named_too(person, dpo, service_manager):
    person.restricted = True
    person.save()
    person.restricted_to.add(service_manager)
    assert as_user(dpo).get(reverse("web:data_protection", args=[person.pk])).status_code in (403, 404)
    assert as_user(service_manager).get(reverse("web:identity", args=[person.pk])).status_code == 200
