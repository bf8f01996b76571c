"""A form half filled survives the session ending: the session warns first, then ends; after signing in
again the draft is there, exactly as typed, and goes away once the form is saved.

The session's period is the real one (30 minutes), without waiting for it: the page's timers run on
Playwright's clock, moved on past the warning and then past the end (as tests/web/test_shell_browser.py
does), and the server's end of the session is its expiry passing in the database (what a period
without requests leaves; tests/access/test_login.py shows the expiry moving with each request).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import expect

from nwd.drafts.models import Draft
from tests.browser.world import PASSWORD, build_world

pytestmark = pytest.mark.browser


def test_draft_survives_the_session_expiring(browse):
    total, before = settings.SESSION_COOKIE_AGE, settings.NWD_SESSION_WARNING_SECONDS
    world = build_world()
    amira = world.people["Amira"]
    worker = browse()
    page = worker.page
    page.clock.install()  # time flows as usual until the test moves it on
    worker.sign_in(world.users["key_worker"], PASSWORD)
    worker.go(f"/young-people/{amira.pk}/")
    page.get_by_role("link", name="Add a contact", exact=True).click()
    panel = page.locator("#recording-panel")
    panel.get_by_label("Phone call").check()
    panel.get_by_label("What happened").fill("Amira called from college, upset about a falling-out with")
    expect(panel.locator("[data-nwd-draft-status]")).to_contain_text("Draft saved at")

    # The session warns first, then ends: the page goes to the sign-in page saying why.
    banner = page.locator("#nwd-session-warning")
    expect(banner).to_be_hidden()
    page.clock.fast_forward((total - before + 1) * 1000)
    expect(banner).to_be_visible()
    assert "/sign-in/" not in page.url
    # A whole period without a request: the server's session has expired (nothing moved it on).
    ended = Session.objects.filter(expire_date__gt=timezone.now()).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert ended == 1
    with page.expect_navigation():
        page.clock.fast_forward(before * 1000)
    page.wait_for_url("**/sign-in/**")
    assert "timeout=1" in page.url
    worker.go(f"/young-people/{amira.pk}/")
    page.wait_for_url("**/sign-in/**")  # the server has ended the session too

    worker.sign_in(world.users["key_worker"], PASSWORD)
    expect(page.get_by_role("heading", name="Amira Haddad")).to_be_visible()
    page.get_by_role("link", name="Add a contact", exact=True).click()
    expect(panel).to_contain_text("We kept what you were typing")
    expect(panel.get_by_label("What happened")).to_have_value("Amira called from college, upset about a falling-out with")
    expect(panel.get_by_label("Phone call")).to_be_checked()
    worker.axe("contact form restored from a draft")

    panel.get_by_label("What happened").fill("Amira called from college, upset about a falling-out with a friend.")
    panel.get_by_role("button", name="Save").click()
    expect(panel).to_contain_text("Contact recorded")
    assert not Draft.objects.exists()
