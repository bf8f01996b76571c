"""Issue 12 in the browser: the sign-in page and the audit log at 320 pixels (#3), the data protection
officer's way from the audit log to a record's trail (#1), no font request that answers 404 (#4),
the young person's page after support ends (#10) and for a key worker who cannot end it (#12), long
text folded, with and without JavaScript (#14), and the dashboard's contents (#6). Axe-core runs on
every page changed, at 320 pixels."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from nwd.access.models import Action, AuditEvent, DemoDatabase, User
from nwd.access.roles import Role
from nwd.casework import services as casework
from nwd.casework.choices import InvolvementEndReason
from nwd.casework.models import YoungPerson
from nwd.core import dates
from tests.browser.world import PASSWORD, _user, build_world
from tests.factories import ReferralFactory

pytestmark = pytest.mark.browser

LONG_REASON = " ".join(f"Note {n}: found with older men in a flat in the city; school worried." for n in range(1, 300))[:10_000]


def opened(browse, **size):
    """A browser (see ``browse``) patient enough for a machine shared by many test runs."""
    browser = browse(**size)
    browser.context.set_default_timeout(60_000)
    return browser


def narrow_checks(browser, what: str) -> None:
    expect(browser.page.locator("h1")).to_be_visible()
    browser.no_horizontal_scroll()
    browser.axe(f"{what} at 320px")


def test_the_sign_in_page_with_the_demo_logins_fits_320_pixels(browse, settings):
    world = build_world()
    _user("dana.officer", "Dana", "Officer", Role.DATA_PROTECTION_OFFICER)
    _user("service.manager.long-name", "Alexandra", "Montgomery-Fitzwilliam", Role.SERVICE_MANAGER)
    marker = DemoDatabase.objects.create()
    marker.accounts.set(User.objects.all())
    settings.NWD_DEMO = True
    visitor = opened(browse, width=320, height=700)
    visitor.go("/sign-in/")
    expect(visitor.page.get_by_role("heading", name="Demo logins")).to_be_visible()
    expect(visitor.page.locator(".nwd-demo-logins")).to_contain_text(world.users["manager"].username)
    narrow_checks(visitor, "the sign-in page with the demo logins")


def test_the_officer_goes_from_the_audit_log_to_who_viewed_and_the_changes_at_320_pixels(browse):
    world = build_world()
    officer = _user("dana.officer", "Dana", "Officer", Role.DATA_PROTECTION_OFFICER)
    tyler = world.people["Tyler"]
    reader = world.users["key_worker"]
    AuditEvent.objects.create(action=Action.LIST, detail="home page", user=reader, username=reader.username,
                              young_person_id=tyler.pk, ip_address="2001:db8:85a3::8a2e:370:7334", method="GET",
                              path="/young-people/?a-rather-long-query-string-that-would-not-wrap-on-its-own=1")
    dpo = opened(browse, width=320, height=700)
    dpo.sign_in(officer, PASSWORD)
    page = dpo.page
    dpo.go("/audit/")
    narrow_checks(dpo, "the audit log")
    row = page.locator("tr", has_text="Saw the young person listed on the home page").first
    expect(row).to_contain_text("Tyler Reeve")
    row.get_by_role("link", name="Who viewed Tyler Reeve's record").click()
    expect(page.get_by_role("heading", name="Who has viewed this record")).to_be_visible()
    narrow_checks(dpo, "who has viewed this record")
    page.go_back()
    page.locator("tr", has_text="Saw the young person listed on the home page").first.get_by_role(
        "link", name="Changes to Tyler Reeve's record").click()
    expect(page.locator("h1")).to_contain_text("hange")
    narrow_checks(dpo, "the change history")


def test_a_name_with_a_character_arial_lacks_requests_no_font(browse):
    world = build_world()
    YoungPerson.objects.filter(pk=world.people["Mia"].pk).update(given_name="Mia \U0001F98A\u2728")
    failed, fonts = [], []
    worker = opened(browse)
    worker.page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    worker.page.on("request", lambda r: fonts.append(r.url) if r.resource_type == "font" else None)
    worker.sign_in(world.users["key_worker"], PASSWORD)
    worker.go(f"/young-people/{world.people['Mia'].pk}/")
    expect(worker.page.locator("h1")).to_contain_text("\U0001F98A")
    worker.page.wait_for_load_state("networkidle")
    assert not fonts and not failed, (fonts, failed)


def test_after_support_ends_and_who_ends_it_and_long_text_folds(browse, chromium, live_server):
    world = build_world()
    today = dates.today()
    ellie = world.people["Ellie"]
    casework.close_involvement(ellie.involvements.get(), today - dt.timedelta(days=1), InvolvementEndReason.GOALS_MET)
    tyler = world.people["Tyler"]
    ReferralFactory(young_person=tyler, reason=LONG_REASON, received=today)

    manager = opened(browse, width=320, height=700)
    manager.sign_in(world.users["manager"], PASSWORD)
    page = manager.page
    manager.go(f"/young-people/{ellie.pk}/")
    expect(page.locator("main")).to_contain_text("Support ended")
    expect(page.locator("main")).not_to_contain_text("next review due")
    expect(page.get_by_role("link", name="Draw in a specialist")).to_have_count(0)
    narrow_checks(manager, "the young person's page after support ended")

    worker = opened(browse, width=320, height=700)
    worker.sign_in(world.users["key_worker"], PASSWORD)
    page = worker.page
    worker.go(f"/young-people/{tyler.pk}/")
    expect(page.locator(".nwd-who-ends")).to_have_text(
        "Ending support is the hub manager's decision: ask Helen Marsh (or the service manager).")
    more = page.locator(".nwd-timeline .nwd-fold__more summary").first
    expect(page.locator(".nwd-timeline").get_by_text("Note 1:", exact=False)).to_be_visible()
    expect(page.get_by_text("Note 120:", exact=False)).not_to_be_visible()
    narrow_checks(worker, "the young person's page with a long referral reason, folded")
    more.click()
    expect(page.get_by_text("Note 120:", exact=False)).to_be_visible()
    worker.axe("the young person's page with the long reason shown")

    # Without JavaScript: the same page, the same fold, opened by the browser's own <details>.
    plain = chromium.new_context(java_script_enabled=False, viewport={"width": 320, "height": 700})
    try:
        plain.add_cookies(worker.context.cookies())
        no_js = plain.new_page()
        no_js.goto(f"{live_server.url}/young-people/{tyler.pk}/")
        expect(no_js.get_by_text("Note 120:", exact=False)).not_to_be_visible()
        no_js.locator(".nwd-timeline .nwd-fold__more summary").first.click()
        expect(no_js.get_by_text("Note 120:", exact=False)).to_be_visible()
    finally:
        plain.close()

    referral = tyler.referrals.get(reason=LONG_REASON)
    manager.go(f"/referrals/{referral.pk}/")
    narrow_checks(manager, "the referral with a long reason")

    # The decision page shows the same reason, folded, and fits 320 pixels too.
    casework.start_triage(referral, world.users["manager"])
    manager.go(f"/referrals/{referral.pk}/decide/")
    expect(manager.page.get_by_role("heading", name="Record the decision")).to_be_visible()
    expect(manager.page.get_by_text("Note 120:", exact=False)).not_to_be_visible()
    narrow_checks(manager, "the decision on a referral with a long reason")
