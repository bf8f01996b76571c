"""Screenshots are tracked files: a test run writes them only when asked (``make screenshots``)."""

from __future__ import annotations

from tests.browser import helpers


class FakePage:
    def __init__(self):
        self.saved = []

    def screenshot(self, path, full_page):
        self.saved.append(path)


def browser_with(page):
    browser = helpers.Browser.__new__(helpers.Browser)  # no Chromium: only screenshot() is exercised
    browser.page = page
    return browser


def test_a_plain_test_run_writes_no_screenshot(monkeypatch):
    monkeypatch.delenv(helpers.SCREENSHOTS_WANTED, raising=False)
    page = FakePage()
    browser_with(page).screenshot("young-person")
    assert page.saved == []


def test_make_screenshots_writes_them_into_docs(monkeypatch, tmp_path):
    monkeypatch.setenv(helpers.SCREENSHOTS_WANTED, "1")
    monkeypatch.setattr(helpers, "SCREENSHOTS", tmp_path / "screenshots")
    page = FakePage()
    browser_with(page).screenshot("young-person")
    assert page.saved == [str(tmp_path / "screenshots" / "young-person.png")]
