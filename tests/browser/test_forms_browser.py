"""Issue 12 #7, #8, #11, #15 in the browser, at 320 px with axe-core: every message at once on the
referral and contact forms, the "already supported" confirmation, alert and queue mark, and the queue's
referrals past their decision target."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from nwd.casework.models import REFERRER_CONTACT_MESSAGE, Referral, YoungPerson
from nwd.core import dates
from tests.browser.world import PASSWORD, build_world

pytestmark = pytest.mark.browser


def _narrow(browse):
    """A 320-pixel browser, patient with a machine shared by many test runs."""
    browser = browse(width=320, height=700)
    browser.context.set_default_timeout(30_000)
    return browser


def test_forms_queue_and_alerts_at_320_pixels(browse):
    world = build_world()
    today = dates.today()
    late = YoungPerson.objects.create(child_id="R0000901", given_name="Owen", family_name="Late",
                                      date_of_birth=today.replace(year=today.year - 15), sex="1")
    Referral.objects.create(young_person=late, source_agency="school", received=today - dt.timedelta(days=20),
                            reason="Not in school for a month.", urgency="routine", referrer_contact="01362 000000")
    tyler = world.people["Tyler"]

    staff = _narrow(browse)
    staff.sign_in(world.users["residential"], PASSWORD)
    page = staff.page
    staff.go("/referrals/new/")
    page.locator("#id_given_name").fill("Tyler")
    page.locator("#id_family_name").fill("Reeve")
    born = tyler.date_of_birth
    page.locator("#id_date_of_birth_day").fill(str(born.day))
    page.locator("#id_date_of_birth_month").fill(str(born.month))
    page.locator("#id_date_of_birth_year").fill(str(born.year))
    page.locator("#id_sex_0").check()
    page.get_by_label("Police", exact=True).check()
    page.locator("#id_upn").fill("A12")
    page.locator("#id_referrer_contact").fill("x")
    page.get_by_role("button", name="Send referral").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(REFERRER_CONTACT_MESSAGE)
    expect(summary).to_contain_text("Say what is happening for the young person")
    expect(summary).to_contain_text("A unique pupil number (UPN) has 13 characters")
    staff.no_horizontal_scroll()
    staff.axe("the referral form with every message at once at 320px")

    page.locator("#id_upn").fill("")
    page.locator("#id_referrer_contact").fill("07700 900123")
    page.locator("#id_reason").fill("Seen with older men near the station.")
    page.get_by_role("button", name="Send referral").click()
    expect(page.locator("#already-supported")).to_contain_text("Tyler Reeve is already supported by Breckland Hub")
    staff.no_horizontal_scroll()
    staff.axe("the referral sent page, already supported, at 320px")

    staff.go(f"/young-people/{world.people['Mia'].pk}/record/contact/")
    tomorrow = today + dt.timedelta(days=1)
    page.locator("#id_date_day").fill(str(tomorrow.day))
    page.locator("#id_date_month").fill(str(tomorrow.month))
    page.locator("#id_date_year").fill(str(tomorrow.year))
    page.locator("#id_summary").fill("")
    page.locator("main form button.govuk-button[type=submit]").first.click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The date of the contact cannot be in the future.")
    expect(summary).to_contain_text("Write what happened in a sentence or two")
    staff.no_horizontal_scroll()
    staff.axe("the contact form with every message at once at 320px")

    worker = _narrow(browse)
    worker.sign_in(world.users["key_worker"], PASSWORD)
    expect(worker.page.get_by_text("Referred again: a referral is waiting for a decision")).to_be_visible()
    worker.no_horizontal_scroll()
    worker.axe("the key worker's home with a referred-again alert at 320px")

    manager = _narrow(browse)
    manager.sign_in(world.users["manager"], PASSWORD)
    for path in ("/referrals/", "/"):
        manager.go(path)
        main = manager.page.locator("main")
        expect(main).to_contain_text("Past target")
        expect(main).to_contain_text("Already supported")
        manager.no_horizontal_scroll()
        manager.axe(f"{path} with the decision targets at 320px")
