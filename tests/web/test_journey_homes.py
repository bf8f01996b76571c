"""The hubs as children's homes in Chromium (issue 15): a residential worker writes a daily log entry and
the shift handover, seen on the bed board and the young person's page; the hub manager records a
regulation 44 visit with an action, sees it on the home page, and reads the admission register. Every
page within 320 pixels and clean under axe-core."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from nwd.access.roles import Role
from nwd.casework import services as casework
from nwd.core import dates
from nwd.homes import services as homes
from nwd.hubs import services as hubs
from nwd.hubs.models import Bed, BedKind, Hub
from tests.browser.conftest import browse, chromium  # noqa: F401  (the browser fixtures, used by name)
from tests.browser.world import PASSWORD, _person, _user

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM = Path(os.environ.get("NWD_CHROMIUM", "/usr/bin/chromium"))

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"No Chromium at {CHROMIUM} (set NWD_CHROMIUM)"),
]


def _open(browse, **size):  # noqa: F811
    """A browser with patience: the machine the suite shares may be slow to answer the first request."""
    browser = browse(**size)
    browser.context.set_default_timeout(60_000)
    browser.context.set_default_navigation_timeout(60_000)
    return browser


def test_daily_log_handover_visit_and_register(browse):  # noqa: F811
    today = dates.today()
    hub = Hub.objects.create(name="Breckland Hub", code="breckland", locality="Dereham", opened=dt.date(2021, 6, 1))
    bed = Bed.objects.create(hub=hub, label="Room 1", kind=BedKind.RESIDENTIAL)
    worker = _user("rhys.rw", "Rhys", "Walker", Role.RESIDENTIAL_WORKER, hub=hub)
    manager = _user("hana.hm", "Hana", "Moss", Role.HUB_MANAGER, hub=hub)
    person = _person("C300401", "Kai", "Thornbury-Lennox", 15)
    casework.start_involvement(person, hub, "residential", worker, today - dt.timedelta(days=20))
    stay = hubs.admit(person, bed, today - dt.timedelta(days=10))
    homes.record_visit(hub, visited_on=today - dt.timedelta(days=45), independent_person="Pat Ives", summary="Ok")

    narrow = _open(browse, width=320, height=700)
    narrow.sign_in(worker, PASSWORD)
    narrow.go(f"/homes/stay/{stay.pk}/log/")
    narrow.page.locator("#id_text").fill("Back from college at 4, cooked tea with staff.")
    narrow.page.get_by_role("button", name="Add to the log").click()
    narrow.page.wait_for_load_state()
    expect(narrow.page.get_by_text("Back from college at 4")).to_be_visible()
    narrow.page.get_by_label("Late (3pm to 11pm)").check()
    narrow.page.locator("#id_summary").fill("Phone call with dad upset Kai: check in before bed.")
    narrow.page.get_by_role("button", name="Save the handover").click()
    narrow.page.wait_for_load_state()
    expect(narrow.page.locator("#handovers").get_by_text("Phone call with dad upset Kai")).to_be_visible()
    narrow.no_horizontal_scroll()
    narrow.axe("the daily log at 320px")
    for path, shows_handover in (("/beds/", True), (f"/young-people/{person.pk}/", True),
                                 (f"/homes/{hub.code}/visitors/", False)):
        narrow.go(path)
        if shows_handover:
            expect(narrow.page.get_by_text("Phone call with dad upset Kai").first).to_be_visible()
        narrow.no_horizontal_scroll()
        narrow.axe(f"{path} as the residential worker at 320px")

    wide = _open(browse)
    wide.sign_in(manager, PASSWORD)
    expect(wide.page.get_by_text("Independent person's visit (regulation 44) overdue")).to_be_visible()
    wide.go(f"/homes/{hub.code}/reports/")
    wide.page.locator("#id_visit-visited_on").fill(today.strftime("%d/%m/%Y"))
    wide.page.locator("#id_visit-independent_person").fill("Pat Ives")
    wide.page.locator("#id_visit-children_spoken_to").fill("1")
    wide.page.locator("#id_visit-summary").fill("Kai spoke well of staff. The garden gate does not latch.")
    wide.page.get_by_role("button", name="Save the visit").click()
    wide.page.wait_for_load_state()
    expect(wide.page.locator("h1")).to_contain_text("Regulation 44 visit on")
    wide.page.locator("#id_recommendation").fill("Repair the garden gate latch.")
    wide.page.locator("#id_owner").select_option(label="Rhys Walker")
    wide.page.locator("#id_due").fill((today + dt.timedelta(days=14)).strftime("%d/%m/%Y"))
    wide.page.get_by_role("button", name="Add the action").click()
    wide.page.wait_for_load_state()
    expect(wide.page.get_by_text("Repair the garden gate latch.")).to_be_visible()
    wide.page.locator("#id_response").fill("Gate repaired this week; Kai's views shared with the team.")
    wide.page.get_by_role("button", name="Sign off the response").click()
    wide.page.wait_for_load_state()
    expect(wide.page.get_by_text("Signed by Hana Moss")).to_be_visible()
    wide.axe("the regulation 44 visit with its action")
    wide.go("/")
    expect(wide.page.get_by_text("Independent person's visit (regulation 44) overdue")).to_have_count(0)
    wide.axe("the hub manager's home page")

    manager_narrow = _open(browse, width=320, height=700)
    manager_narrow.context.add_cookies(wide.context.cookies())  # the manager's session, signed in above
    for path in (f"/homes/{hub.code}/admissions/", f"/homes/{hub.code}/reports/", "/homes/"):
        manager_narrow.go(path)
        expect(manager_narrow.page.locator("h1")).to_be_visible()
        manager_narrow.no_horizontal_scroll()
        manager_narrow.axe(f"{path} as the hub manager at 320px")
    manager_narrow.go(f"/homes/{hub.code}/admissions/")
    expect(manager_narrow.page.get_by_text("Thornbury-Lennox")).to_be_visible()
    expect(manager_narrow.page.get_by_text(
        "Not looked after: no care episode covers the admission", exact=False)).to_be_visible()
