"""The pages issue 11's need-to-know fixes changed, in the machine's Chromium with axe-core: the hub
manager links a partner's referral to the existing record offered at triage, and the bed board shows a
restricted young person's bed as occupied, unnamed."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from nwd.access.roles import Role
from nwd.casework import services as casework
from nwd.casework.models import Referral
from nwd.core import dates
from nwd.hubs import services as hubs
from tests.browser.conftest import CHROMIUM, browse, chromium  # noqa: F401 (fixtures)
from tests.browser.world import PASSWORD, _user
from tests.factories import BedFactory, HubFactory, YoungPersonFactory, open_involvement

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"No Chromium at {CHROMIUM} (set NWD_CHROMIUM)"),
]


def test_linking_at_triage_and_the_restricted_bed_in_a_browser(browse):  # noqa: F811
    today = dates.today()
    hub = HubFactory(name="Breckland Hub", code="breckland")
    manager = _user("morgan", "Morgan", "Manager", Role.HUB_MANAGER, hub=hub)
    partner = _user("school", "Sam", "Lane", Role.PARTNER_REFERRER, agency="school", organisation="Dereham High")
    known = YoungPersonFactory(given_name="Casey", family_name="Realname", nhs_number="9434765919",
                               date_of_birth=today.replace(year=today.year - 15))
    open_involvement(young_person=known, hub=hub, start=today - dt.timedelta(days=30))
    details = {"given_name": "Made", "family_name": "Up", "date_of_birth": today.replace(year=today.year - 14),
               "sex": "1", "nhs_number": "943 476 5919"}
    referral = casework.refer(details, Referral(source_agency="school", received=today, reason="Worried."), by=partner)
    hidden = YoungPersonFactory(given_name="Hidden", family_name="Bedperson", restricted=True)
    stay_involvement = open_involvement(young_person=hidden, hub=hub, start=today - dt.timedelta(days=10),
                                        support_type="residential")
    hubs.admit(hidden, BedFactory(hub=hub, label="Room 1"), today - dt.timedelta(days=5), involvement=stay_involvement)

    browser = browse()
    page = browser.page
    browser.sign_in(manager, PASSWORD)
    browser.go(f"/referrals/{referral.pk}/")
    expect(page.get_by_role("heading", name="Already known to the service?")).to_be_visible()
    browser.axe("referral with a possible match")
    page.get_by_role("button", name="Link to this record (Casey Realname)").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Referral linked to Casey Realname's record")
    browser.axe("referral linked")
    browser.go("/beds/")
    expect(page.locator("main")).to_contain_text("Room 1")
    expect(page.locator("main")).not_to_contain_text("Bedperson")
    browser.axe("bed board with a restricted young person")
