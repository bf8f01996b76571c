"""The session warning in a real browser (the machine's Chromium, Playwright's fake clock): the banner
appears before the session ends, "Stay signed in" keeps it going, and silence signs out with a reason."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from nwd.access.roles import Role
from nwd.access.testing import sign_in
from tests.browser.conftest import close_connections_of_the_event_loop
from tests.factories import UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM = Path(os.environ.get("NWD_CHROMIUM", "/usr/bin/chromium"))

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"No Chromium at {CHROMIUM} (set NWD_CHROMIUM)"),
]


@pytest.fixture
def page(live_server, transactional_db):
    from playwright.sync_api import sync_playwright

    user = UserFactory(role=Role.KEY_WORKER)
    client = Client()
    sign_in(client, user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context()
        host = urlparse(live_server.url).hostname
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "domain": host, "path": "/"}])
        page = context.new_page()
        page.problems = []
        page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: page.problems.append(str(e)))
        page.clock.install()
        page.base = live_server.url
        yield page
        browser.close()
        close_connections_of_the_event_loop()


def test_the_session_warning_warns_keeps_alive_and_signs_out(page):
    total = settings.SESSION_COOKIE_AGE
    before = settings.NWD_SESSION_WARNING_SECONDS
    page.goto(page.base + "/")
    banner = page.locator("#nwd-session-warning")
    assert banner.is_hidden()
    page.clock.fast_forward((total - before + 1) * 1000)
    assert banner.is_visible()
    assert banner.get_attribute("role") == "alert"
    assert "minute" in banner.inner_text()
    stay = page.locator("[data-nwd-stay]")
    assert stay.evaluate("element => element === document.activeElement")
    with page.expect_response(lambda r: r.url.endswith("/keep-alive/") and r.status == 200):
        stay.click()
    page.wait_for_function("document.getElementById('nwd-session-warning').hidden")
    # A full period of silence: the server has ended the session; the page goes to sign in, saying why.
    Session.objects.all().delete()
    with page.expect_navigation():
        page.clock.fast_forward((total + 1) * 1000)
    assert "/sign-in/" in page.url and "timeout=1" in page.url
    assert "You were signed out because" in page.content()
    assert not page.problems, page.problems
