"""A form half filled survives the session ending: the session warns first, then ends; after signing in
again the draft is there, exactly as typed, and goes away once the form is saved."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from nwd.drafts.models import Draft
from tests.browser.world import PASSWORD, build_world

pytestmark = pytest.mark.browser
SESSION_SECONDS = 8


def test_draft_survives_the_session_expiring(browse, settings):
    settings.SESSION_COOKIE_AGE = SESSION_SECONDS
    settings.NWD_SESSION_WARNING_SECONDS = 3
    world = build_world()
    amira = world.people["Amira"]
    worker = browse()
    page = worker.page
    worker.sign_in(world.users["key_worker"], PASSWORD)
    worker.go(f"/young-people/{amira.pk}/")
    page.get_by_role("link", name="Add a contact", exact=True).click()
    panel = page.locator("#recording-panel")
    panel.get_by_label("Phone call").check()
    panel.get_by_label("What happened").fill("Amira called from college, upset about a falling-out with")
    expect(panel.locator("[data-nwd-draft-status]")).to_contain_text("Draft saved at")
    draft_saved = time.monotonic()

    # The session warns first, then ends: the page goes to the sign-in page saying why.
    expect(page.locator("#nwd-session-warning")).to_be_visible(timeout=SESSION_SECONDS * 1000)
    page.wait_for_url("**/sign-in/**", timeout=SESSION_SECONDS * 2000)
    time.sleep(max(0.0, SESSION_SECONDS + 1 - (time.monotonic() - draft_saved)))
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
