"""Single sign-on's pages in the browser at 320 px: the sign-in page offering the provider beside the
password form, and the page that refuses a sign-in (here a state this browser never started). axe-core
on both. The sign-in itself through the real provider is tested in tests/access/test_single_sign_on.py."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_single_sign_on_pages_pass_axe_and_fit_320_px(browse, settings):
    settings.NWD_OIDC_CLIENT_ID, settings.NWD_OIDC_PROVIDER_NAME = "nwd-test", "Test Council"
    person = browse(width=320)
    page = person.page
    person.go("/sign-in/")
    expect(page.get_by_role("button", name="Sign in with Test Council")).to_be_visible()
    expect(page.get_by_role("heading", name="Or sign in with a user name and password")).to_be_visible()
    person.axe("the sign-in page with single sign-on")
    person.no_horizontal_scroll()
    person.go("/sign-in/sso/callback/?state=never-started&code=anything")
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot sign in with Test Council")
    expect(page.locator("main")).to_contain_text("not started from this browser")
    person.axe("a refused single sign-on")
    person.no_horizontal_scroll()
