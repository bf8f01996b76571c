"""The dashboard in the machine's Chromium on the scale-1 county: a service manager signs in, reads the
figures, follows one to the young people behind it and changes the hub; an analyst sees the same
figures with no names. axe-core runs on every page (with every fold opened too) and must find
nothing; the pages are watched for content-security-policy violations (the charts are inline SVG).

One test function on purpose: a browser test is transactional, and the database (with the county)
is emptied when it ends, so the county is used once, last (tests/conftest.py orders it so).
Saves docs/screenshots/dashboard.png for the README.
"""

from __future__ import annotations

import dataclasses
import re

import pytest
from django.core.cache import cache as django_cache
from django.utils import timezone
from playwright.sync_api import expect

from nwd.access.models import User
from nwd.access.roles import Role
from nwd.access.testing import confirmed_device
from nwd.casework.models import YoungPerson
from nwd.evaluation import cache
from nwd.evaluation.forms import default_choice, hub_options
from tests.browser.conftest import CHROMIUM, browse, chromium  # noqa: F401 (fixtures)
from tests.browser.world import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"No Chromium at {CHROMIUM} (set NWD_CHROMIUM)"),
]
OPEN_EVERY_FOLD = "document.querySelectorAll('details').forEach(fold => { fold.open = true; })"
SLOW_PAGE_MS = 90_000  # a shared machine under load


def staff(role: str) -> User:
    """A county user of the role, with a password the test knows and an authenticator."""
    user = User.objects.filter(role=role, is_active=True).order_by("username").first()
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    confirmed_device(user)
    return user


def test_the_dashboard_its_lists_and_the_analysts_view_in_a_browser(county, browse):  # noqa: F811
    django_cache.clear()
    manager, analyst = staff(Role.SERVICE_MANAGER), staff(Role.ANALYST)
    # Work out the default period (and the same for one hub, chosen below) first: the live server runs
    # in this process and shares its cache (a period not kept is worked out by the worker, none here).
    choice = default_choice(timezone.localdate(), hub_options())
    drawn = cache.charts(choice, cache.report(choice))
    norwich = next(hub for hub in hub_options() if hub.name == "Norwich hub")
    at_norwich = dataclasses.replace(choice, hub_id=norwich.pk, hub_code=norwich.code, hub_name=norwich.name)
    cache.charts(at_norwich, cache.report(at_norwich))
    # Which figures have something to draw depends on the county "as at today", so the page is held
    # to the report's own list (at least four, so an empty dashboard still fails).
    assert len(drawn) >= 4, sorted(drawn)

    desk = browse(width=1280, height=1450)
    page = desk.page
    page.set_default_timeout(SLOW_PAGE_MS)
    desk.sign_in(manager, PASSWORD)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Outcomes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Outcomes: All hubs")
    expect(page.locator(".nwd-headline")).to_have_count(6)
    expect(page.locator("svg[role=img] > title")).to_have_count(len(drawn))
    desk.axe("the dashboard as a service manager")
    desk.screenshot("dashboard", full_page=False)
    page.evaluate(OPEN_EVERY_FOLD)
    desk.axe("the dashboard as a service manager, every fold open")

    page.get_by_role("link", name=re.compile(r'^The \d+ young people behind "referrals received"$')).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What happened to the referrals received: All referrals")
    assert page.locator("tbody tr").count() > 0
    desk.axe("the young people behind a figure")
    page.get_by_role("link", name="Back to the outcomes").click()
    page.locator('a[href*="figure=care_entries"][href*="row=All+entries"]').click()
    expect(page.locator(".govuk-inset-text")).to_contain_text("outside your access: their names are not shown")
    desk.axe("a whole-council list, mostly outside the viewer's access")

    desk.go("/evidence/")
    page.get_by_text("Change the period, hub or comparison").click()
    page.get_by_label("Hub", exact=True).select_option(label="Norwich hub")
    page.get_by_role("button", name="Show the figures").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Outcomes: Norwich hub")
    desk.axe("the dashboard for one hub")

    seat = browse(width=1280, height=900)
    seat.page.set_default_timeout(SLOW_PAGE_MS)
    seat.sign_in(analyst, PASSWORD)
    seat.go("/evidence/")
    expect(seat.page.get_by_role("heading", level=1)).to_have_text("Outcomes: All hubs")
    expect(seat.page.locator(".govuk-inset-text")).to_contain_text("no names, lists or identifiers")
    assert seat.page.locator('a[href*="/evidence/people/"], a[href*="/young-people/"]').count() == 0
    seat.page.evaluate(OPEN_EVERY_FOLD)
    seat.axe("the dashboard as an analyst, every fold open")
    shown = seat.page.content()
    names = {f"{p or g} {f}" for g, p, f in YoungPerson.objects.values_list("given_name", "preferred_name", "family_name")}
    assert not [name for name in names if name in shown]
    refused = seat.page.goto(f"{seat.base_url}/evidence/people/?figure=referral_decisions&row=All+referrals")
    assert refused.status == 403

    narrow = browse(width=320, height=700)
    narrow.page.set_default_timeout(SLOW_PAGE_MS)
    narrow.context.add_cookies(seat.context.cookies())  # the analyst's session, signed in above
    narrow.go("/evidence/")
    expect(narrow.page.get_by_role("heading", level=1)).to_be_visible()
    narrow.no_horizontal_scroll()
