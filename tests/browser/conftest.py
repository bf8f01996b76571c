"""Browser tests: Playwright (Python, sync API) driving the machine's Chromium against pytest-django's live server.

Marked ``browser``; skipped, saying why, when /usr/bin/chromium is not there. Playwright's sync API
runs an event loop in the test thread, which Django would take for async code and refuse the ORM:
DJANGO_ALLOW_ASYNC_UNSAFE lets the test thread build its records (the live server has its own thread).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("NWD_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(pytest.mark.skip(reason=f"No Chromium at {CHROMIUM} (set NWD_CHROMIUM to another path)"))


@pytest.fixture(scope="module")
def chromium():
    """Chromium for one test module. Not for the session: Playwright's sync API keeps an event loop
    running while it is started, and another module starting its own would find it and refuse."""
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    close_connections_of_the_event_loop()
    playwright.stop()


def close_connections_of_the_event_loop() -> None:
    """Close the database connections this thread opened while Playwright's event loop ran in it.

    While the loop runs, Django keeps the thread's connections apart from its plain ones (asgiref
    keys them by async context), so a test's queries then use a connection of their own; left open,
    it outlives the loop and keeps the test database in use when it is dropped (PostgreSQL refuses).
    Call it while the loop still runs, before Playwright stops.
    """
    from django.db import connections

    connections.close_all()


@pytest.fixture
def browse(chromium, live_server, transactional_db):
    """``browse(width=1280)`` opens a fresh browser context (its own cookies) on the live server.

    Every page is watched: a content-security-policy violation or a JavaScript error fails the test
    at the end, so the pages are tested under the policy the service really sends.
    """
    from tests.browser.helpers import Browser

    opened: list[Browser] = []

    def open_browser(width: int = 1280, height: int = 900) -> Browser:
        browser = Browser(chromium, live_server.url, width, height)
        opened.append(browser)
        return browser

    yield open_browser
    problems = [problem for browser in opened for problem in browser.problems]
    for browser in opened:
        browser.close()
    assert not problems, "Console errors on the pages:\n" + "\n".join(problems)
