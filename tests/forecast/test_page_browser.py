"""The forecast page in the machine's Chromium: an analyst signs in, finds the page in the menu, reads the
fan charts (each run a background job: its progress page, then the figures), changes a number and reruns (the page says it is working, the button disabled, while it waits)
and sees the changed scenario beside the default one, and sees a message for a number out of range. axe-core runs on
every state of the page (folds open too) and must find nothing; the page is watched for content
security policy violations (the charts are inline SVG). Saves docs/screenshots/forecast.png.

The records are the session's scale-1 synthetic county (``county``, seed 2021): a browser test is
transactional and empties the database when it ends, and tests/conftest.py writes the county again for
a test after it that asks for it, so this test finds the county already there when an earlier test on
its worker had it.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from nwd.access.roles import Role
from nwd.jobs.testing import run_queued
from tests.browser.conftest import CHROMIUM, browse, chromium  # noqa: F401 (fixtures)
from tests.browser.world import PASSWORD
from tests.evaluation.test_dashboard_browser import OPEN_EVERY_FOLD, staff

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"No Chromium at {CHROMIUM} (set NWD_CHROMIUM)"),
]
SLOW_PAGE_MS = 60_000  # the job's page reloads itself when the run is done (seconds; more on a loaded host)
REACH = "Young people aged 12 to 17 supported at home instead of coming into care (%)"


def run_job(page) -> None:
    """Run the waiting job as ``nwd worker`` would, the page away meanwhile: the live server shares
    the test's database connection, so the page's polling must not query it while the job runs."""
    address = page.url
    page.goto("about:blank")
    assert run_queued() == 1
    page.goto(address)


def test_an_analyst_changes_a_number_and_reruns(county, browse):  # noqa: F811
    cache.clear()
    analyst = staff(Role.ANALYST)

    desk = browse(width=1280, height=1700)
    page = desk.page
    page.set_default_timeout(SLOW_PAGE_MS)
    desk.sign_in(analyst, PASSWORD)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Forecast").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Children looked after and the cost of care, with and without the service")
    desk.axe("the forecast page before a run")
    # The run is a background job: its page waits (and passes axe), then shows the figures.
    page.get_by_role("button", name="Run forecast").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Run the forecast")
    expect(page.get_by_role("status")).to_contain_text("Waiting to start")
    desk.axe("the forecast's progress page")
    run_job(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Children looked after and the cost of care, with and without the service", timeout=SLOW_PAGE_MS)
    expect(page.locator("svg[role=img] > title")).to_have_count(3)
    first = page.locator(".nwd-forecast-headline__value").first.inner_text()
    desk.axe("the forecast page")
    desk.screenshot("forecast", full_page=False)

    page.get_by_label(REACH).fill("10")
    # While a run is under way the page says so and the button is disabled (nwd/busy.js). To see that
    # state, the first submit is stopped from leaving the page (a listener after busy.js's cancels it).
    page.evaluate("document.addEventListener('submit', (event) => event.preventDefault(), {once: true})")
    page.get_by_role("button", name="Run forecast").click()
    expect(page.locator("[data-nwd-busy-status]")).to_contain_text("Running the forecast")
    expect(page.locator("[data-nwd-busy-status]")).to_have_attribute("aria-live", "polite")
    expect(page.get_by_role("button", name="Run forecast")).to_be_disabled()
    desk.axe("the forecast page while it runs")
    page.locator("form[data-nwd-busy]").evaluate(
        "form => { form.querySelectorAll('button').forEach(b => b.disabled = false); form.submit(); }")
    expect(page.get_by_role("heading", level=1)).to_have_text("Run the forecast")
    run_job(page)
    expect(page.get_by_text("with numbers changed on the forecast page")).to_be_visible(timeout=SLOW_PAGE_MS)
    expect(page.get_by_label(REACH)).to_have_value("10")
    savings = page.locator("table:has(#table-net) tbody tr").last.locator("td").first.inner_text()
    page.get_by_label(REACH).fill("80")
    page.get_by_role("button", name="Run forecast").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Run the forecast")
    run_job(page)
    expect(page.get_by_label(REACH)).to_have_value("80", timeout=SLOW_PAGE_MS)
    assert page.locator("table:has(#table-net) tbody tr").last.locator("td").first.inner_text() != savings
    # The changed scenario beside the default one (issue 12 #17): a chart with its title and a table.
    expect(page.get_by_role("heading", name="The changed scenario beside the default one")).to_be_visible()
    expect(page.locator("#compare ~ .nwd-chart svg[role=img] > title")).to_have_text(
        "Net savings, the changed scenario beside the default one")
    expect(page.locator("table:has(#table-compare) thead th")).to_have_text(
        ["Figure", "Default scenario", "Changed scenario", "Difference (changed less default)"])
    page.evaluate(OPEN_EVERY_FOLD)
    desk.axe("the forecast page after a rerun, every fold open")
    assert first  # the default run showed a probability

    page.get_by_label("Draws").fill("9000")
    page.get_by_role("button", name="Run forecast").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("The number of draws must be between 100 and 5,000")
    desk.axe("the forecast page with a message")

    narrow = browse(width=320, height=700)
    narrow.page.set_default_timeout(SLOW_PAGE_MS)
    narrow.sign_in(staff(Role.SERVICE_MANAGER), PASSWORD)
    narrow.go("/forecast/")
    expect(narrow.page.get_by_role("heading", level=1)).to_be_visible()
    narrow.no_horizontal_scroll()
    narrow.go("/forecast/?reach=10")
    run_job(narrow.page)
    expect(narrow.page.get_by_role("heading", name="The changed scenario beside the default one")).to_be_visible(
        timeout=SLOW_PAGE_MS)
    narrow.no_horizontal_scroll()
    narrow.axe("the forecast page at 320 pixels, comparing a changed scenario")
