"""Regulation 40 notifications raised from the event's own timeline entry (issue 15, item 3), and the
page where a hub's registered manager or the service manager gives an inspector time-limited access
and ends it (issue 15, item 7)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from nwd.access.models import AuditEvent
from nwd.access.roles import Role
from nwd.access.testing import sign_in
from nwd.events import services as events
from nwd.events.models import ExploitationKind, HealthEventKind, PoliceContactKind
from nwd.safeguarding.models import InspectorGrant, NotifiableKind, Notification
from tests.factories import HubFactory, UserFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 6, 2)


def _client(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def test_a_notification_is_raised_from_a_police_contact_or_a_health_event_on_the_timeline(home):
    police = events.record_police_contact(home.person, DAY, PoliceContactKind.ARREST, summary="Arrested at 2am.",
                                          by=home.worker)
    health = events.record_health_event(home.person, occurred_on=DAY, kind=HealthEventKind.ADMISSION,
                                        summary="Broken arm.", by=home.worker)
    concern = events.raise_exploitation_concern(home.person, DAY, ExploitationKind.CRIMINAL, by=home.worker)
    client = _client(home.worker)
    page = client.get(f"/young-people/{home.person.pk}/").content.decode()
    for url in (f"/children-homes/notify/police/{police.pk}/", f"/children-homes/notify/health/{health.pk}/",
                f"/children-homes/notify/exploitation/{concern.pk}/"):
        assert url in page
    form = client.get(f"/children-homes/notify/police/{police.pk}/").content.decode()
    assert "Arrested at 2am." in form and "02/06/2025 00:00" in form  # pre-filled from the event
    made = client.post(f"/children-homes/notify/health/{health.pk}/", {
        "kind": NotifiableKind.SERIOUS_INJURY, "event_at": "02/06/2025 10:00", "summary": "Broken arm at football."})
    assert made.status_code == 302
    notification = Notification.objects.get()
    assert (notification.health_event, notification.hub, notification.young_person) == (health, home.hub, home.person)
    assert AuditEvent.objects.filter(user=home.worker, action="create", object_id=str(notification.pk)).exists()
    shown = client.get(made["Location"]).content.decode()
    assert f"/young-people/{home.person.pk}/#timeline" in shown  # the link to the event is kept
    # Staff of another hub see neither the link nor the form.
    stranger = UserFactory(role=Role.HUB_MANAGER, hub=HubFactory(code="elsewhere"))
    assert _client(stranger).get(f"/children-homes/notify/police/{police.pk}/").status_code in (403, 404)
    # The police liaison officer reads the police contact but records no notification.
    officer = _client(UserFactory(role=Role.POLICE_LIAISON))
    assert officer.get(f"/children-homes/notify/police/{police.pk}/").status_code == 404


def test_the_registered_manager_gives_an_inspector_access_and_ends_it(home):
    inspector = UserFactory(username="ofsted.i", first_name="Ida", last_name="Inspector", role=Role.INSPECTOR)
    client = _client(home.manager)
    assert f"/children-homes/{home.hub.pk}/inspectors/" in client.get(f"/children-homes/{home.hub.pk}/").content.decode()
    now = timezone.localtime()
    refused = client.post(f"/children-homes/{home.hub.pk}/inspectors/", {
        "inspector": inspector.pk, "starts": now.strftime("%d/%m/%Y %H:%M"),
        "expires": (now + dt.timedelta(days=30)).strftime("%d/%m/%Y %H:%M"), "reason": "Full inspection"})
    assert refused.status_code == 422 and "lasts at most 14 days" in refused.content.decode()
    given = client.post(f"/children-homes/{home.hub.pk}/inspectors/", {
        "inspector": inspector.pk, "starts": (now - dt.timedelta(minutes=1)).strftime("%d/%m/%Y %H:%M"),
        "expires": (now + dt.timedelta(days=3)).strftime("%d/%m/%Y %H:%M"), "reason": "Full inspection"})
    assert given.status_code == 302
    grant = InspectorGrant.objects.get()
    assert grant.recorded_by == home.manager and inspector.has_perm("safeguarding.view_records", home.hub)
    assert AuditEvent.objects.filter(user=home.manager, action="create", object_id=str(grant.pk)).exists()
    assert "Ida Inspector" in client.get(f"/children-homes/{home.hub.pk}/inspectors/").content.decode()
    # A residential worker, the inspector and another hub's manager may not give or end access.
    for user in (home.worker, inspector, UserFactory(role=Role.HUB_MANAGER, hub=HubFactory(code="hub2"))):
        assert _client(user).get(f"/children-homes/{home.hub.pk}/inspectors/").status_code in (403, 404)
        assert _client(user).post(f"/children-homes/inspectors/{grant.pk}/end/").status_code in (403, 404)
    # A reason holding NUL (PostgreSQL cannot store one) is refused with the plain message; access goes on.
    refused = client.post(f"/children-homes/inspectors/{grant.pk}/end/", {"why": "Finished\x00"}, follow=True)
    assert "null character" in refused.content.decode()
    grant.refresh_from_db()
    assert grant.expires > timezone.now()
    ended = client.post(f"/children-homes/inspectors/{grant.pk}/end/", {"why": "Inspection finished early"})
    assert ended.status_code == 302
    grant.refresh_from_db()
    assert grant.expires <= timezone.now() and not inspector.has_perm("safeguarding.view_records", home.hub)
    assert grant.history.latest().history_change_reason == "access ended early: Inspection finished early"
    assert AuditEvent.objects.filter(user=home.manager, action="change", object_id=str(grant.pk)).exists()
    # The service manager may give access to any hub.
    assert _client(UserFactory(role=Role.SERVICE_MANAGER)).get(
        f"/children-homes/{home.hub.pk}/inspectors/").status_code == 200
