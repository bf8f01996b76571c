"""Issue 16's pages: the people around the young person, corrections and withdrawals from the timeline
(the author or a manager), and the duplicates page with the merge."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from nwd.access.roles import Role
from nwd.access.testing import sign_in
from nwd.casework import services as casework
from nwd.casework.models import SignificantPerson, YoungPerson
from nwd.core import dates
from nwd.events import services as events
from nwd.events.models import PoliceContact
from tests.factories import HubFactory, UserFactory, YoungPersonFactory, open_involvement

pytestmark = pytest.mark.django_db
TODAY = dates.today()


def date_data(name: str, day: dt.date | None) -> dict:
    if day is None:
        return {f"{name}_day": "", f"{name}_month": "", f"{name}_year": ""}
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


@pytest.fixture
def world():
    hub = HubFactory()
    author = UserFactory(role=Role.KEY_WORKER, hub=hub)
    colleague = UserFactory(role=Role.KEY_WORKER, hub=hub)
    manager = UserFactory(role=Role.HUB_MANAGER, hub=hub)
    involvement = open_involvement(hub=hub, key_worker=author, start=TODAY - dt.timedelta(days=30))
    person = involvement.young_person
    police = events.record_police_contact(person, TODAY - dt.timedelta(days=3), "arrest", "Arrested.", by=author)
    return {"hub": hub, "author": author, "colleague": colleague, "manager": manager, "person": person, "police": police}


def client_for(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def test_the_network_is_on_the_page_and_added_with_a_form(world):
    person, author = world["person"], world["author"]
    client = client_for(author)
    page = client.get(f"/young-people/{person.pk}/").content.decode()
    assert "People around them" in page and f"/young-people/{person.pk}/network/" in page
    answer = client.post(f"/young-people/{person.pk}/network/add/", {"name": "", "sharing": "agreed"})
    assert answer.status_code == 422 and "Enter the person&#x27;s name" in answer.content.decode()
    answer = client.post(f"/young-people/{person.pk}/network/add/", {
        "name": "Donna Example", "relationship": "mother", "parental_responsibility": "yes", "may_contact": "no",
        "no_contact_reason": "Court order", "sharing": "nothing", **date_data("ended_on", None)})
    assert answer.status_code in (302, 303), answer.content.decode()[:2000]
    donna = SignificantPerson.objects.get(young_person=person)
    assert not donna.may_contact and donna.recorded_by == author
    listing = client.get(f"/young-people/{person.pk}/network/").content.decode()
    assert "Donna Example" in listing and "Court order" in listing
    assert "do not contact" in client.get(f"/young-people/{person.pk}/").content.decode()
    # A contact form now asks who else was there.
    assert "Donna Example" in client.get(f"/young-people/{person.pk}/record/contact/").content.decode()


def test_the_author_and_the_manager_correct_and_withdraw_a_colleague_does_not(world):
    police, person = world["police"], world["person"]
    url = f"/records/police/{police.pk}/correct/"
    assert url in client_for(world["author"]).get(f"/young-people/{person.pk}/").content.decode()
    assert client_for(world["colleague"]).get(url).status_code == 404
    answer = client_for(world["author"]).post(url, {
        "kind": "arrest", **date_data("occurred_on", police.occurred_on - dt.timedelta(days=1)),
        "summary": "Arrested in town.", "why_corrected": "Wrong day"})
    assert answer.status_code in (302, 303), answer.content.decode()[:3000]
    police.refresh_from_db()
    assert police.summary == "Arrested in town." and police.occurred_on == TODAY - dt.timedelta(days=4)
    manager = client_for(world["manager"])
    answer = manager.post(f"/records/police/{police.pk}/withdraw/", {"reason": ""})
    assert answer.status_code == 422 and "Say why the record is being withdrawn" in answer.content.decode()
    answer = manager.post(f"/records/police/{police.pk}/withdraw/", {"reason": "Wrong young person"})
    assert answer.status_code in (302, 303)
    assert not PoliceContact.objects.filter(pk=police.pk).exists()
    assert PoliceContact.all_objects.get(pk=police.pk).withdrawn_reason == "Wrong young person"
    assert "Arrested in town." not in manager.get(f"/young-people/{person.pk}/").content.decode()
    assert manager.get(url).status_code == 404  # a withdrawn record is no longer found


def test_duplicates_page_and_merge(world):
    person = world["person"]
    twin = YoungPersonFactory(given_name=person.given_name.upper(), family_name=person.family_name,
                              date_of_birth=person.date_of_birth)
    casework.refer  # noqa: B018  (the twin is visible to the hub manager through a referral waiting)
    from tests.factories import ReferralFactory
    ReferralFactory(young_person=twin, received=TODAY)
    assert client_for(world["author"]).get("/duplicates/").status_code == 403
    manager = client_for(world["manager"])
    page = manager.get("/duplicates/").content.decode()
    assert f"/duplicates/{person.pk}/{twin.pk}/merge/" in page
    answer = manager.post(f"/duplicates/{person.pk}/{twin.pk}/merge/", {"keep": str(person.pk), "reason": ""})
    assert answer.status_code == 422
    answer = manager.post(f"/duplicates/{person.pk}/{twin.pk}/merge/", {"keep": str(person.pk), "reason": "Same"})
    assert answer.status_code in (302, 303)
    assert not YoungPerson.objects.filter(pk=twin.pk).exists()
    assert person.referrals.count() == 1
