"""The children's home records in the machine's Chromium (issue 15): a residential worker records a
restraint; the hub manager sees the 48-hour sign-off due on their home page and signs it, raises a
regulation 40 notification from a sexual exploitation concern and records who was told, and records
a return interview. axe-core finds nothing on the pages, and they fit 320 px. Hand-built records."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from nwd.access.models import User
from nwd.access.roles import Role
from nwd.core import dates
from nwd.events import services as events
from nwd.hubs import services as hubs
from nwd.safeguarding.models import Notification, RestraintRecord, ReturnInterview
from tests.browser.conftest import CHROMIUM, browse, chromium  # noqa: F401 (fixtures)
from tests.browser.world import PASSWORD
from tests.factories import BedFactory, HubFactory, open_involvement

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"No Chromium at {CHROMIUM} (set NWD_CHROMIUM)"),
]


def _user(username: str, first_name: str, role: str, hub) -> User:
    user = User.objects.create_user(username, password=PASSWORD, first_name=first_name, last_name="Staff",
                                    role=role, hub=hub, email=f"{username}@example.org")
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return user


def _when(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def test_restraint_sign_off_notification_and_return_interview(browse):  # noqa: F811
    hub = HubFactory(name="Journey Hub", code="journeyhub")
    manager = _user("journey_manager", "Mo", Role.HUB_MANAGER, hub)
    worker = _user("journey_worker", "Sam", Role.RESIDENTIAL_WORKER, hub)
    today = dates.today()
    involvement = open_involvement(hub=hub, key_worker=worker, start=today - dt.timedelta(days=20),
                                   support_type="residential")
    person = involvement.young_person
    hubs.admit(person, BedFactory(hub=hub), today - dt.timedelta(days=20), involvement=involvement)
    events.raise_exploitation_concern(person, today - dt.timedelta(days=1), "sexual", summary="Older men at the park.")
    now = timezone.now()
    episode = events.record_missing_episode(person, now - dt.timedelta(hours=30))
    events.record_return(episode, ended_at=now - dt.timedelta(hours=20))

    # The residential worker records a restraint.
    # One browser, desk width then 320 px (a second browser doubles the work on a busy machine).
    desk = narrow = browse(width=1280, height=900)
    desk.page.set_default_timeout(30_000)  # a long journey on a shared machine: patience, not flakiness
    desk.sign_in(worker, PASSWORD)
    desk.page.get_by_role("navigation", name="Menu").get_by_role("link", name="Home records").click()
    expect(desk.page.get_by_role("heading", level=1)).to_have_text("Journey Hub")
    desk.axe("the hub's records")
    desk.page.get_by_role("link", name="Record a restraint").click()
    page = desk.page
    page.get_by_role("button", name="Save the record").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter when it happened")
    desk.axe("the restraint form with errors")
    page.get_by_label("Young person").select_option(str(person.pk))
    page.get_by_label("When it happened").fill(_when(now - dt.timedelta(hours=3)))
    page.get_by_label("Where it happened").fill("Lounge")
    page.get_by_label("Measure used").select_option("restraint")
    page.get_by_label("What led to it").fill("Threw a chair at another young person.")
    page.get_by_label("What was tried first").fill("Talking, offering space.")
    page.get_by_label("How long it lasted (minutes)").fill("4")
    page.get_by_label("Who used it").fill("Two residential workers")
    page.get_by_label("Its effect").fill("Calmed within minutes.")
    page.get_by_role("button", name="Save the record").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(person.full_name)
    desk.axe("a restraint record")
    record = RestraintRecord.objects.get()
    assert record.recorded_by == worker and record.written_at is not None
    # The worker may not sign for the manager.
    expect(page.get_by_role("button", name="Sign the record")).to_have_count(0)

    # The hub manager: the sign-off, the notification and the interview are due on the home page.
    desk.sign_out()
    page = narrow.page
    page.set_viewport_size({"width": 320, "height": 700})
    narrow.sign_in(manager, PASSWORD)
    alerts = page.locator("#childrens-home-alerts")
    expect(alerts).to_contain_text("Manager's talk with the staff member signed: due")
    expect(alerts).to_contain_text("Sexual exploitation concern raised")
    expect(alerts).to_contain_text("Return interview: offer by")
    narrow.no_horizontal_scroll()
    narrow.axe("the hub manager's home page at 320px")
    alerts.get_by_role("link", name="Manager's talk with the staff member signed").click()
    page.get_by_label("What you and the staff member said").fill("Went through it: proportionate, well recorded.")
    page.get_by_role("button", name="Sign the record").click()
    expect(page.get_by_text("Signed by Mo Staff")).to_be_visible()
    record.refresh_from_db()
    assert record.staff_signed_by == manager

    narrow.go("/")
    page.locator("#childrens-home-alerts").get_by_role("link", name="Sexual exploitation concern").click()
    expect(page.get_by_label("Kind of event")).to_have_value("cse")
    narrow.axe("raising a notification at 320px")
    page.get_by_label("What happened").fill("Seen getting into cars with older men.")
    page.get_by_role("button", name="Raise the notification").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Child sexual exploitation")
    page.get_by_label("Who was told").select_option("ofsted")
    page.get_by_label("When they were told").fill(_when(timezone.now()))
    page.get_by_label("How (and any reference)").fill("Online form, ref 123")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Online form, ref 123")).to_be_visible()
    narrow.no_horizontal_scroll()
    narrow.axe("a notification at 320px")
    notification = Notification.objects.get()
    assert notification.exploitation_concern is not None and notification.recipients.get().told_by == manager

    narrow.go("/")
    page.locator("#childrens-home-alerts").get_by_role("link", name="Return interview").click()
    page.get_by_label("When the interview was offered").fill(_when(timezone.now() - dt.timedelta(hours=2)))
    page.get_by_label("When it was held").fill(_when(timezone.now() - dt.timedelta(hours=1)))
    page.get_by_label("Who did it (name and organisation)").fill("Jo Smith, Children's Society")
    page.get_by_label("What was learnt (why they went, where, with whom, any risks)").fill("Went to a party in town.")
    page.get_by_role("button", name="Save the interview").click()
    expect(page.locator("dd", has_text="Went to a party in town.")).to_be_visible()
    narrow.axe("a return interview at 320px")
    assert ReturnInterview.objects.get().conducted_by == "Jo Smith, Children's Society"

    narrow.go(f"/children-homes/{hub.pk}/ofsted-counts/?start={today - dt.timedelta(days=30):%d/%m/%Y}&end={today:%d/%m/%Y}")
    expect(page.locator("table")).to_contain_text("Restraints and other measures")
    narrow.no_horizontal_scroll()
    narrow.axe("Ofsted's counts at 320px")
