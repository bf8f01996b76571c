"""The young person's timeline offers to raise a regulation 40 notification from a police contact,
health event, exploitation concern or missing episode once: not from an event one was raised from."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from nwd.access.roles import Role
from nwd.access.testing import sign_in
from nwd.events import services as events
from nwd.hubs import services as hubs
from nwd.safeguarding import services as safeguarding
from tests.factories import BedFactory, HubFactory, UserFactory, open_involvement

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.HUB_MANAGER, Role.SERVICE_MANAGER])
def test_an_event_notified_already_offers_no_second_notification(role):
    hub = HubFactory()
    involvement = open_involvement(hub=hub, start=dt.date(2025, 5, 1), support_type="residential")
    person = involvement.young_person
    hubs.admit(person, BedFactory(hub=hub), dt.date(2025, 5, 1), involvement=involvement)
    manager = UserFactory(role=Role.HUB_MANAGER, hub=hub)
    notified = events.record_police_contact(person, dt.date(2025, 6, 2), "arrest", "Arrested in town.")
    other = events.record_police_contact(person, dt.date(2025, 6, 3), "arrest", "Arrested again.")
    safeguarding.raise_notification(hub, young_person=person, summary="Arrested.", source=notified, by=manager)
    viewer = manager if role == Role.HUB_MANAGER else UserFactory(role=role)
    client = Client()
    sign_in(client, viewer)
    page = client.get(reverse("web:young_person", args=[person.pk])).content.decode()
    assert page.count("Raise a regulation 40 notification") == 1
    assert reverse("safeguarding:raise_from_police", args=[other.pk]) in page
    assert reverse("safeguarding:raise_from_police", args=[notified.pk]) not in page
    # The timeline's own fragment ("Show older", the filter) says the same.
    fragment = client.get(reverse("web:young_person", args=[person.pk]) + "?kind=police",
                          HTTP_HX_REQUEST="true", HTTP_HX_TARGET="timeline").content.decode()
    assert fragment.count("Raise a regulation 40 notification") == 1
    assert reverse("safeguarding:raise_from_police", args=[notified.pk]) not in fragment
