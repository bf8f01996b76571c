"""Setting up the second factor in the browser: without a set-up code, "ask your administrator"; with
one, the QR code; a wrong code and the lockout page in plain words. axe-core on every page."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from nwd.access import enrolment
from nwd.access.roles import Role
from nwd.access.testing import current_code
from tests.factories import UserFactory

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"  # noqa: S105 (tests.factories.UserFactory's)


def sign_in_with_password(person, username: str, password: str = PASSWORD) -> None:
    person.go("/sign-in/")
    person.page.locator("#id_username").fill(username)
    person.page.locator("#id_password").fill(password)
    person.page.get_by_role("button", name="Sign in").click()
    person.page.wait_for_load_state()


def test_a_new_starter_sets_up_the_authenticator_with_a_set_up_code(browse):
    starter = UserFactory(username="new-starter", role=Role.KEY_WORKER)
    person = browse()
    page = person.page

    sign_in_with_password(person, "new-starter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask your administrator for a set-up code")
    assert "QR code" not in page.content() and "otpauth" not in page.content()
    person.axe("ask for a set-up code")
    page.get_by_role("button", name="Sign out").click()

    issued = enrolment.issue(starter)
    sign_in_with_password(person, "new-starter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your set-up code")
    person.axe("enter your set-up code")
    page.get_by_label("Set-up code").fill("0000-0000-0000")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("That set-up code is not right")
    person.axe("set-up code with an error")
    page.get_by_label("Set-up code").fill(issued.shown)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    person.axe("set up your authenticator app")
    device = TOTPDevice.objects.get(user=starter, confirmed=False)
    page.locator("input[name=code]").fill(current_code(device))
    page.get_by_role("button", name="Continue").click()
    person.past_second_factor()
    assert TOTPDevice.objects.get(user=starter).confirmed


def test_the_lockout_page_says_how_long(browse):
    UserFactory(username="forgetful", role=Role.KEY_WORKER)
    person = browse()
    for _ in range(5):
        sign_in_with_password(person, "forgetful", "not my password")
    expect(person.page.get_by_role("heading", level=1)).to_have_text("Sign-in is paused")
    expect(person.page.locator("main")).to_contain_text("Try again in 15 minutes")
    person.axe("sign-in is paused")
