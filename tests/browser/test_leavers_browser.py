"""Care leaver pages and the Annex A page in Chromium: within 320 pixels and clean under axe-core (issue 17)."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from nwd.access.roles import Role
from nwd.care.models import CareEpisode, CarePeriod
from nwd.casework.models import YoungPerson
from nwd.core import dates
from nwd.leavers import services
from tests.browser.world import PASSWORD, _user

pytestmark = pytest.mark.browser


def _care_leaver(adviser):
    today = dates.today()
    person = YoungPerson.objects.create(child_id="C200301", given_name="Jordan", family_name="Whitfield-Abernathy",
                                        date_of_birth=today - dt.timedelta(days=365 * 19 + 40), sex="1",
                                        ethnicity="WBRI")
    left = today - dt.timedelta(days=400)
    period = CarePeriod.objects.create(young_person=person, start=left - dt.timedelta(days=900), end=left)
    CareEpisode.objects.create(young_person=person, period=period, decom=period.start, dec=left, rne="S", ls="C2",
                               cin="N1", place="U4", place_provider="PR1", rec="E17")
    leaver = services.start_care_leaver(person, personal_adviser=adviser)
    services.record_pathway_plan(leaver, started=left, by=adviser)
    services.record_move(leaver, start=left, accommodation="Z1", by=adviser)
    services.record_contact(leaver, on=today - dt.timedelta(days=90), kind="visit", adviser=adviser,
                            summary="Talked about college and the money for the flat.")
    return person


def test_care_leaver_and_annex_a_pages_at_320_pixels(browse):
    adviser = _user("morgan.pa", "Morgan", "Ellis", Role.PERSONAL_ADVISER)
    manager = _user("dee.sm", "Dee", "Quinn", Role.SERVICE_MANAGER)
    analyst = _user("ash.an", "Ash", "Patel", Role.ANALYST)
    person = _care_leaver(adviser)
    pages = {
        adviser: ["/care-leavers/", f"/care-leavers/{person.pk}/"],
        manager: ["/care-leavers/annex-a/", "/care-leavers/"],
        analyst: ["/care-leavers/annex-a/", "/care-leavers/annex-a/download/?on=31%2F02%2F2025"],
    }
    for user, paths in pages.items():
        narrow = browse(width=320, height=700)
        narrow.use_session_of(user)  # the forms are walked below, by the adviser
        for path in paths:
            narrow.go(path)
            expect(narrow.page.locator("h1")).to_be_visible()
            narrow.no_horizontal_scroll()
            narrow.axe(f"{path} as {user.role} at 320px")
    # The adviser's page says what is overdue and records a contact.
    wide = browse()
    wide.sign_in(adviser, PASSWORD)
    wide.go(f"/care-leavers/{person.pk}/")
    expect(wide.page.get_by_text("Adviser visit overdue")).to_be_visible()
    wide.page.locator("#id_on").fill(dates.today().strftime("%d/%m/%Y"))
    wide.page.get_by_role("button", name="Save the contact").click()
    wide.page.wait_for_load_state()
    expect(wide.page.get_by_text("Adviser visit overdue")).to_have_count(0)
    wide.axe("the care leaver's page after a contact")
