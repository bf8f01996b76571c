"""The SSDA903 check page in the machine's Chromium (issue 12 #2): an analyst uploads a return with
errors, reads how many problems there are in all and by rule, follows the link to the full report
(CSV), which downloads; axe-core finds nothing on the page, and at 320 pixels it does not scroll sideways.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from nwd.access.models import Action, AuditEvent
from nwd.access.roles import Role
from nwd.access.testing import confirmed_device
from nwd.jobs.testing import run_queued
from tests.browser.conftest import CHROMIUM, browse, chromium  # noqa: F401 (fixtures)
from tests.browser.world import PASSWORD
from tests.factories import UserFactory
from tests.returns.conftest import EPISODES, HEADER, MISSING

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"No Chromium at {CHROMIUM} (set NWD_CHROMIUM)"),
]
# A2's episode ends before it begins (rule 356), and its DECOM is not a real date.
WRONG = EPISODES.replace("A2,01/09/2025,S,V2,N4,U6,PR4,01/12/2025", "A2,31/02/2025,S,V2,N4,U6,PR4,01/08/2025")


def analyst():
    user = UserFactory(role=Role.ANALYST)
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    confirmed_device(user)
    return user


def check(browser, folder) -> None:
    page = browser.page
    browser.go("/returns/import/")
    paths = []
    for name, text in (("Header", HEADER), ("Episodes", WRONG), ("Missing", MISSING)):
        path = folder / f"{name}_2025-26.csv"
        path.write_text(text)
        paths.append(str(path))
    page.locator("#id_files").set_input_files(paths)
    page.get_by_role("button", name="Check the files").click()
    # The check is a background job: its page waits (and passes axe), then shows the report.
    expect(page.get_by_role("heading", level=1)).to_have_text("Check an SSDA903 return")
    expect(page.get_by_role("status")).to_contain_text("Waiting to start")
    browser.axe("the SSDA903 check's progress page")
    browser.no_horizontal_scroll()
    run_queued()
    expect(page.get_by_role("heading", level=1)).to_have_text("SSDA903 return checked", timeout=15_000)


def test_the_check_page_counts_every_problem_and_offers_the_full_report(browse, tmp_path, settings):  # noqa: F811
    settings.NWD_DATA_DIR = tmp_path / "data"
    user = analyst()
    desk = browse(width=1280, height=900)
    desk.sign_in(user, PASSWORD)
    check(desk, tmp_path)
    page = desk.page
    listing = page.locator("#listing")
    expect(listing).to_contain_text("In all, 1 error and 0 warnings, counted by rule below.")
    link = listing.get_by_role("link", name="the full report (CSV)")
    expect(link).to_be_visible()
    desk.axe("the SSDA903 check page")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "ssda903-import-report.csv"
    assert "not a real date" in Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert AuditEvent.objects.filter(user=user, action=Action.DOWNLOAD, detail__contains="import-report").exists()

    narrow = browse(width=320, height=700)
    narrow.context.add_cookies(desk.context.cookies())  # the analyst's session, signed in above
    check(narrow, tmp_path)
    narrow.no_horizontal_scroll()
