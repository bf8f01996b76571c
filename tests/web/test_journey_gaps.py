"""The gaps closed after issues 15 and 16, in Chromium at 320 pixels, as a hub manager: a regulation 40
notification raised from a police contact on the timeline, a daily log entry corrected, a task about
no young person, and an inspector's time-limited access given and ended. Every page within 320 pixels
and clean under axe-core."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from nwd.access.roles import Role
from nwd.casework import services as casework
from nwd.core import dates
from nwd.events import services as events
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


def test_notify_from_the_timeline_correct_the_log_a_team_task_and_an_inspectors_access(browse):  # noqa: F811
    today = dates.today()
    hub = Hub.objects.create(name="Norwich Hub", code="norwich", locality="Norwich", opened=dt.date(2021, 6, 1))
    bed = Bed.objects.create(hub=hub, label="Room 2", kind=BedKind.RESIDENTIAL)
    manager = _user("gail.hm", "Gail", "Marsh", Role.HUB_MANAGER, hub=hub)
    _user("ivo.ofsted", "Ivo", "Okafor", Role.INSPECTOR)
    person = _person("C300777", "Remy", "Ashworth-Delacroix", 15)
    casework.start_involvement(person, hub, "residential", manager, today - dt.timedelta(days=20))
    stay = hubs.admit(person, bed, today - dt.timedelta(days=10))
    events.record_police_contact(person, today - dt.timedelta(days=1), "arrest", summary="Arrested after a fight.",
                                 by=manager)
    homes.write_log_entry(stay, text="Home at 9, quiet evening.", by=manager)

    narrow = browse(width=320, height=700)
    narrow.context.set_default_timeout(60_000)
    narrow.context.set_default_navigation_timeout(60_000)
    narrow.sign_in(manager, PASSWORD)

    def check(what: str) -> None:
        expect(narrow.page.locator("h1")).to_be_visible()
        narrow.no_horizontal_scroll()
        narrow.axe(f"{what} at 320px")

    narrow.go(f"/young-people/{person.pk}/")
    narrow.follow(narrow.page.get_by_role("link", name="Raise a regulation 40 notification").first)
    expect(narrow.page.locator("#id_summary")).to_contain_text("Arrested after a fight.")
    check("the notification form from a police contact")
    narrow.follow(narrow.page.get_by_role("button", name="Raise the notification"))
    expect(narrow.page.get_by_text("Raised from:")).to_be_visible()
    check("the notification raised")

    narrow.go(f"/homes/stay/{stay.pk}/log/")
    narrow.follow(narrow.page.locator("#log").get_by_role("link", name="Correct").first)
    narrow.page.locator("#id_text").fill("Home at 10, quiet evening.")
    narrow.page.locator("#id_why_corrected").fill("wrong time")
    check("correcting a log entry")
    narrow.follow(narrow.page.get_by_role("button", name="Save the correction"))
    expect(narrow.page.get_by_text("Home at 10, quiet evening.")).to_be_visible()

    narrow.go("/tasks/")
    narrow.follow(narrow.page.get_by_role("link", name="Set a task about no young person"))
    narrow.page.locator("#id_title").fill("Book the fire safety check")
    narrow.page.locator("#id_due_day").fill(str(today.day))
    narrow.page.locator("#id_due_month").fill(str(today.month))
    narrow.page.locator("#id_due_year").fill(str(today.year))
    check("a task about no young person")
    narrow.follow(narrow.page.get_by_role("button", name="Set the task"))
    expect(narrow.page.get_by_text("Book the fire safety check")).to_be_visible()

    narrow.go(f"/children-homes/{hub.pk}/inspectors/")
    narrow.page.locator("#id_inspector").select_option(label="Ivo Okafor")
    narrow.page.locator("#id_reason").fill("Full inspection, week of the visit")
    narrow.follow(narrow.page.get_by_role("button", name="Give access"))
    expect(narrow.page.get_by_role("button", name="End the access now")).to_be_visible()
    check("an inspector's access")
    narrow.follow(narrow.page.get_by_role("button", name="End the access now"))
    expect(narrow.page.get_by_text("No inspector has access now.")).to_be_visible()
