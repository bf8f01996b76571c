"""The placement pages in the machine's Chromium: axe-core finds nothing on any of them, at desk width
and at 320 px (where nothing scrolls sideways but the tables, each in its own focusable region), and the
commissioning officer records a concern with the form. Hand-built records, not the county: a browser
test is transactional and would empty the session's county."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from nwd.access.models import User
from nwd.access.roles import Role
from tests.browser.conftest import CHROMIUM, browse, chromium  # noqa: F401 (fixtures)
from tests.browser.world import PASSWORD
from tests.placements.test_figures import build

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"No Chromium at {CHROMIUM} (set NWD_CHROMIUM)"),
]


def _user(username: str, role: str) -> User:
    user = User.objects.create_user(username, password=PASSWORD, first_name="Cam", last_name="Commissioner", role=role,
                                    email=f"{username}@example.org")
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return user


def test_the_placement_pages_pass_axe_and_fit_320_pixels(browse):  # noqa: F811
    _, providers = build()
    cache.clear()
    officer = _user("commissioner", Role.COMMISSIONING_OFFICER)
    paths = ["/placements/providers/", f"/placements/providers/{providers['supported'].pk}/",
             "/placements/flagged/", "/placements/flagged/?show=all", "/placements/sufficiency/",
             "/placements/sufficiency/?share=x"]
    desk = browse(width=1280, height=900)
    desk.sign_in(officer, PASSWORD)
    desk.page.get_by_role("navigation", name="Menu").get_by_role("link", name="Sufficiency").click()
    expect(desk.page.get_by_role("heading", level=1)).to_have_text("Sufficiency: the places the council has and will need")
    desk.axe("the sufficiency page at 1280px")  # the charts at full width; every page at 320px below
    narrow = browse(width=320, height=700)
    narrow.context.add_cookies(desk.context.cookies())  # the officer's session, signed in above
    for path in paths:
        narrow.go(path)
        expect(narrow.page.locator("h1")).to_be_visible()
        narrow.no_horizontal_scroll()
        narrow.axe(f"{path} at 320px")
    # A concern recorded through the form, and a message for one without its summary.
    narrow.go(f"/placements/providers/{providers['private'].pk}/")
    page = narrow.page
    page.get_by_role("radio", name="Concern").check()
    page.get_by_role("button", name="Record it").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say what the visit found")
    narrow.axe("a provider's page with an error at 320px")
    page.get_by_label("What was found, or what the concern or complaint is").fill("Night staffing below agreed levels.")
    page.get_by_role("button", name="Record it").click()
    expect(page.get_by_text("Night staffing below agreed levels.")).to_be_visible()
