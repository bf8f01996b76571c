"""Notifications in the platform and by email (a real SMTP server, aiosmtpd, as the referral emails'
tests), each person's choice of email per kind, and no personal data in an email."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from nwd.access.roles import Role
from nwd.access.testing import sign_in
from nwd.casework import services as casework
from nwd.casework.choices import SourceAgency, Urgency
from nwd.casework.models import Referral
from nwd.events import services as events
from nwd.jobs.testing import run_queued
from nwd.worklist import services
from nwd.worklist.choices import NotificationKind
from nwd.worklist.models import Notification
from tests.casework.test_notifications import _referral, smtp  # noqa: F401 (the real SMTP server fixture)
from tests.factories import HubFactory, UserFactory, open_involvement

pytestmark = pytest.mark.django_db


def _body(message) -> str:
    return message["Subject"] + message.get_payload()


def test_a_task_assigned_tells_its_owner_in_the_platform_and_by_email_with_a_reference_only(smtp):  # noqa: F811
    involvement = open_involvement()
    person = involvement.young_person
    owner = UserFactory(role=Role.KEY_WORKER, hub=involvement.hub, email="owner@hub.example.org")
    manager = UserFactory(role=Role.HUB_MANAGER, hub=involvement.hub)
    task = services.add_task(person, title=f"Ring {person.given_name}'s school", owner=owner,
                             due=dt.date.today() + dt.timedelta(days=3), by=manager)
    [note] = Notification.objects.filter(user=owner)
    assert note.kind == NotificationKind.TASK_ASSIGNED and note.reference == task.reference and note.emailed
    assert note.link == f"/tasks/{task.pk}/"
    assert smtp.messages == []  # nothing is sent in the request
    assert run_queued() == 1
    [(to, message)] = smtp.messages
    assert to == [owner.email]
    body = _body(message)
    assert task.reference in body and f"https://nwd.example.gov.uk/notifications/{note.pk}/" in body
    for personal in (person.given_name, person.family_name, person.child_id, "school", "Ring"):
        assert personal not in body
    # A task one sets oneself tells nobody.
    services.add_task(person, title="Write up", owner=manager, due=dt.date.today(), by=manager)
    assert not Notification.objects.filter(user=manager).exists()


def test_each_person_chooses_email_or_not_per_kind(smtp):  # noqa: F811
    owner = UserFactory(role=Role.KEY_WORKER, email="owner@hub.example.org")
    services.set_email_choice(owner, kind=NotificationKind.TASK_ASSIGNED, email=False, by=owner)
    services.add_task(None, title="Read the new policy", owner=owner, due=dt.date.today(), by=UserFactory())
    assert Notification.objects.filter(user=owner, emailed=False).count() == 1  # told in the platform only
    assert run_queued() == 0 and smtp.messages == []
    nobody = UserFactory(role=Role.KEY_WORKER, email="")
    with pytest.raises(Exception, match="no email address"):
        services.set_email_choice(nobody, kind=NotificationKind.MISSING, email=True, by=nobody)


def test_an_emergency_referral_tells_the_hub_managers_and_emails_only_those_who_want_it(smtp):  # noqa: F811
    hub = HubFactory()
    wants = UserFactory(role=Role.HUB_MANAGER, hub=hub, email="wants@hub.example.org")
    declines = UserFactory(role=Role.HUB_MANAGER, hub=hub, email="declines@hub.example.org")
    services.set_email_choice(declines, kind=NotificationKind.EMERGENCY_REFERRAL, email=False, by=declines)
    referral = _referral(Urgency.EMERGENCY)
    told = Notification.objects.filter(kind=NotificationKind.EMERGENCY_REFERRAL)
    assert set(told.values_list("user", flat=True)) == {wants.pk, declines.pk}
    assert run_queued() == 1  # casework's own email, one job
    [(to, message)] = smtp.messages
    assert to == [wants.email] and f"R-{referral.pk:06d}" in message["Subject"]


def test_a_young_person_supported_now_referred_again_tells_their_key_worker_once(client):
    involvement = open_involvement()
    person, worker = involvement.young_person, involvement.allocations.get().key_worker
    staff = UserFactory(role=Role.KEY_WORKER, hub=involvement.hub)
    details = {"given_name": person.given_name, "family_name": person.family_name,
               "date_of_birth": person.date_of_birth, "sex": person.sex, "ethnicity": person.ethnicity}
    referral = casework.refer(details, Referral(source_agency=SourceAgency.SCHOOL, referrer_name="A. Teacher",
                                                referrer_contact="01234 567890", received=dt.date.today(),
                                                reason="Worries again."), by=staff)
    assert referral.young_person == person  # staff referrals match the existing record
    [note] = Notification.objects.filter(user=worker, kind=NotificationKind.REFERRED_AGAIN)
    assert note.reference == f"R-{referral.pk:06d}"
    referral.save()  # a later save tells nobody twice
    assert Notification.objects.filter(user=worker, kind=NotificationKind.REFERRED_AGAIN).count() == 1
    # The referral's page says so.
    manager = UserFactory(role=Role.HUB_MANAGER, hub=involvement.hub)
    sign_in(client, manager)
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Already supported" in page and "who has been told of this referral" in page


def test_a_missing_episode_tells_the_key_worker_and_the_header_counts_it(client):
    involvement = open_involvement()
    person, worker = involvement.young_person, involvement.allocations.get().key_worker
    episode = events.record_missing_episode(person, timezone.now() - dt.timedelta(hours=2))
    [note] = Notification.objects.filter(user=worker, kind=NotificationKind.MISSING)
    assert note.reference == f"M-{episode.pk:06d}" and person.given_name not in note.text
    sign_in(client, worker)
    home = client.get("/").content.decode()
    assert 'id="unread-count">1<' in home
    listing = client.get("/notifications/").content.decode()
    assert note.text in listing
    opened = client.get(f"/notifications/{note.pk}/")
    assert opened.status_code == 302 and opened["Location"] == f"/young-people/{person.pk}/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert 'id="unread-count"' not in client.get("/").content.decode()
    other = UserFactory(role=Role.KEY_WORKER)
    sign_in(client, other)
    assert client.get(f"/notifications/{note.pk}/").status_code == 404  # not theirs
