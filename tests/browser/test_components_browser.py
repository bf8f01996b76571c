"""One GOV.UK component family: every error in the summary links to its box, a date's to its day box.

Drawn in a real browser with axe-core: the referral form with a date of birth that is not a real
date (a ServiceForm), and the sign-in and audit log forms (Django's own forms, which used to be
drawn by a second family of templates that linked errors differently).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from nwd.access.roles import Role
from tests.browser.world import PASSWORD, _user, build_world

pytestmark = pytest.mark.browser


def test_a_date_error_links_to_the_day_box_and_the_page_passes_axe(browse):
    world = build_world()
    school = browse()
    page = school.page
    school.sign_in(world.users["school"], PASSWORD)
    page.get_by_role("button", name="Make a referral").click()
    expect(page.get_by_role("heading", name="Make a referral")).to_be_visible()
    page.get_by_label("First name").fill("Jordan")
    page.get_by_label("Last name").fill("Ashby")
    page.locator("#id_date_of_birth_day").fill("31")
    page.locator("#id_date_of_birth_month").fill("2")
    page.locator("#id_date_of_birth_year").fill("2011")
    page.get_by_role("button", name="Send referral").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    date_link = summary.locator('a[href="#id_date_of_birth_day"]')
    expect(date_link).to_have_count(1)
    for link in summary.locator("a").all():  # every error links to a box that is on the page
        target = link.get_attribute("href")
        assert target.startswith("#id_") and page.locator(target).count() == 1, target
    school.axe("referral form with a date error")
    date_link.click()
    expect(page.locator("#id_date_of_birth_day")).to_be_focused()
    expect(page.locator("#id_date_of_birth-error")).to_be_visible()


def test_the_sign_in_and_audit_log_errors_link_to_their_boxes(browse):
    build_world()
    dpo = _user("dana.price", "Dana", "Price", Role.DATA_PROTECTION_OFFICER)
    visitor = browse()
    page = visitor.page
    visitor.go("/sign-in/")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.locator('a[href="#id_username"]')).to_have_count(1)
    expect(summary.locator('a[href="#id_password"]')).to_have_count(1)
    visitor.axe("sign in with errors")
    summary.locator('a[href="#id_password"]').click()
    expect(page.locator("#id_password")).to_be_focused()
    expect(page.locator("#id_password")).to_have_attribute("type", "password")

    visitor.sign_in(dpo, PASSWORD)
    visitor.go("/audit/?date_from=yesterday&ip_address=nowhere")
    summary = page.locator(".govuk-error-summary")
    expect(summary.locator('a[href="#id_date_from"]')).to_contain_text("Enter the date as dd/mm/yyyy")
    expect(summary.locator('a[href="#id_ip_address"]')).to_contain_text("Enter an IP address")
    visitor.axe("audit log with errors")
