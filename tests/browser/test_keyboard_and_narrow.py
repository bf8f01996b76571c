"""WCAG 2.2 AA in practice: every main page works at 320 px wide (no sideways scrolling, axe-core clean),
and a contact can be recorded with the keyboard alone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.world import PASSWORD, build_world

pytestmark = pytest.mark.browser


def test_main_pages_at_320_pixels(browse):
    world = build_world()
    pages = {
        "key_worker": ["/", f"/young-people/{world.people['Amira'].pk}/", f"/young-people/{world.people['Kacper'].pk}/",
                       "/search/?q=haddad", f"/young-people/{world.people['Amira'].pk}/record/review/"],
        "manager": ["/", "/referrals/", "/beds/", "/hub/young-people/", f"/involvements/{world.people['Tyler'].involvements.get().pk}/key-worker/"],
        "school": ["/", "/referrals/new/"],
        "police": ["/", f"/young-people/{world.people['Kacper'].pk}/shared-with-police/"],
        "life_coach": ["/", f"/young-people/{world.people['Amira'].pk}/"],
    }
    for role, paths in pages.items():
        narrow = browse(width=320, height=700)
        narrow.use_session_of(world.users[role])
        for path in paths:
            narrow.go(path)
            expect(narrow.page.locator("h1")).to_be_visible()
            narrow.no_horizontal_scroll()
            narrow.axe(f"{path} as {role} at 320px")


def test_recording_a_contact_by_keyboard_alone(browse):
    world = build_world()
    worker = browse()
    page = worker.page
    worker.sign_in(world.users["key_worker"], PASSWORD)
    worker.go(f"/young-people/{world.people['Mia'].pk}/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Add a contact":
            break
    else:
        pytest.fail("Tab never reached 'Add a contact'")
    page.keyboard.press("Enter")
    panel = page.locator("#recording-panel")
    expect(panel.get_by_role("heading", name="Add a contact")).to_be_focused()
    page.keyboard.press("Tab")  # the checked radio of "Kind of contact"
    expect(panel.get_by_label("Face to face")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(panel.get_by_label("Home visit")).to_be_checked()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_summary":
            break
    page.keyboard.type("Home visit; Mia showed me her college timetable.")
    page.keyboard.press("Tab")
    expect(panel.get_by_role("button", name="Save")).to_be_focused()
    page.keyboard.press("Enter")
    expect(panel.locator(".govuk-notification-banner--success")).to_be_focused()
    expect(page.locator("#timeline")).to_contain_text("Mia showed me her college timetable")
