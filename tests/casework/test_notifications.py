"""Emails about referrals, delivered to a real SMTP server (aiosmtpd) by the queued task (both engines)."""

from __future__ import annotations

import datetime as dt
import email
import socket

import pytest
from aiosmtpd.controller import Controller

from nwd.access.roles import Role
from nwd.casework import services
from nwd.casework.choices import Decision, SourceAgency, Urgency
from nwd.casework.models import Referral
from nwd.jobs.models import Job, JobState
from nwd.jobs.testing import run_queued
from tests.factories import HubFactory, UserFactory, YoungPersonFactory, open_involvement

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], email.message.Message]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp(settings):
    """A real SMTP server on a free port of this machine, and the settings that send to it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.NWD_SITE_URL = "https://nwd.example.gov.uk"
    try:
        yield inbox
    finally:
        controller.stop()


def _referral(urgency: str, by=None) -> Referral:
    person = YoungPersonFactory.build()
    details = {"given_name": person.given_name, "family_name": person.family_name,
               "date_of_birth": person.date_of_birth, "sex": person.sex, "ethnicity": person.ethnicity}
    referral = Referral(source_agency=SourceAgency.SCHOOL, referrer_name="A. Teacher", referrer_contact="01234 567890",
                        received=dt.date.today(), reason="Sleeping at friends' houses; not at school.",
                        urgency=urgency, submitted_by=by)
    return services.refer(details, referral, by=by)


def test_an_emergency_referral_tells_the_hub_managers_of_its_hub_by_email(smtp):
    hub, elsewhere = HubFactory(), HubFactory()
    manager = UserFactory(role=Role.HUB_MANAGER, hub=hub, email="manager@hub.example.org")
    UserFactory(role=Role.HUB_MANAGER, hub=elsewhere, email="other@hub.example.org")
    referral = _referral(Urgency.EMERGENCY)
    open_involvement(young_person=referral.young_person, hub=hub)
    assert smtp.messages == []  # nothing is sent in the request
    assert run_queued() == 1
    [(to, message)] = smtp.messages
    assert to == [manager.email]
    body = message.get_payload()
    ref = f"R-{referral.pk:06d}"
    assert ref in message["Subject"] and ref in body
    assert f"https://nwd.example.gov.uk/referrals/{referral.pk}/" in body
    person = referral.young_person
    for personal in (person.given_name, person.family_name, person.child_id, "Sleeping", "friends"):
        assert personal not in body and personal not in message["Subject"]
    job = Job.objects.get(kind="email-emergency-referral")
    assert (job.state, job.result) == (JobState.DONE, {"sent_to": 1})


def test_a_routine_referral_sends_nothing_and_a_decision_tells_the_partner_who_referred(smtp):
    partner = UserFactory(role=Role.PARTNER_REFERRER, email="referrer@school.example.org")
    referral = _referral(Urgency.ROUTINE, by=partner)
    assert run_queued() == 0
    services.decide_referral(referral, Decision.OUTREACH, dt.date.today(), by=UserFactory(role=Role.HUB_MANAGER))
    assert run_queued() == 1
    [(to, message)] = smtp.messages
    assert to == [partner.email]
    assert f"R-{referral.pk:06d}" in message["Subject"]
    assert f"https://nwd.example.gov.uk/referrals/{referral.pk}/sent/" in message.get_payload()
    assert referral.young_person.given_name not in message.get_payload()


def test_no_email_without_a_mail_server_is_a_failed_job_not_a_failed_referral(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", probe.getsockname()[1]  # nobody listens
    UserFactory(role=Role.HUB_MANAGER, email="manager@hub.example.org")
    referral = _referral(Urgency.EMERGENCY)
    assert run_queued() == 1  # the worker records the failure; the referral is saved regardless
    job = Job.objects.get(kind="email-emergency-referral")
    assert job.state == JobState.FAILED and "unexpected error" in job.error
    assert Referral.objects.filter(pk=referral.pk).exists()
