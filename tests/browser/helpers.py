"""Signing in as a user would (password, then a real TOTP code), axe-core checks, and screenshots."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "docs" / "screenshots"
AXE_URL_PATH = "/__tests__/axe.min.js"
SCREENSHOTS_WANTED = "NWD_SCREENSHOTS"  # set (to 1) by `make screenshots`


def screenshot_folder() -> Path | None:
    """Where the README's screenshots go, or None when no one asked for them (``make screenshots``).

    A test run must leave the checkout as it found it: screenshots are tracked files, and Chromium
    never draws them byte for byte the same twice, so a plain test run writes none.
    """
    return SCREENSHOTS if os.environ.get(SCREENSHOTS_WANTED) else None


def totp_code(user) -> str:
    """The code the user's authenticator shows: now, or in the next 30 seconds if now's was used.

    django-otp refuses a code from a time step already used (a replay) and learns the phone's drift
    from the last code (a code typed at the end of one step and checked in the next is taken as
    one step behind: drift -1). The step asked for is now's as the verifier counts it (its drift
    included), or the one after the last used; the code is that step's, which the verifier accepts
    (tolerance 1). Building the time from the step and letting ``TOTP`` add the drift again gave
    the used step's code back, and the second sign-in of the same user was refused.
    """
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    now = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    now.time = time.time()
    step = now.t() if device.last_t is None or now.t() > device.last_t else device.last_t + 1
    return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"


class Browser:
    """One browser context (one person at one machine) with a page, watched for console errors."""

    def __init__(self, chromium, base_url: str, width: int, height: int):
        self.base_url = base_url
        self.context = chromium.new_context(viewport={"width": width, "height": height}, locale="en-GB",
                                            timezone_id="Europe/London")
        self.context.set_default_timeout(10_000)
        # axe-core is served from node_modules at a same-origin path, so the page's content security
        # policy (scripts from 'self' only) stays on while it runs.
        self.context.route(f"**{AXE_URL_PATH}", lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"))
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"{self.page.url}: {error}"))

    def _console(self, message) -> None:
        if message.type == "error" and "Failed to load resource: the server responded with a status of 4" not in message.text:
            self.problems.append(f"{self.page.url}: {message.text}")

    def close(self) -> None:
        self.context.close()

    def go(self, path: str) -> None:
        self.page.goto(self.base_url + path)

    def follow(self, link) -> None:
        """Click a link and wait for the page it leads to (a bare click returns before it has loaded)."""
        # The page's own scripts first (a success banner takes the focus and may scroll the page under
        # the pointer), then the click, and the page it leads to.
        self.page.wait_for_load_state("load")
        with self.page.expect_navigation():
            link.click()

    def sign_in(self, user, password: str) -> None:
        page = self.page
        if "/sign-in/" not in page.url:
            self.go("/sign-in/")
        page.locator("#id_username").fill(user.username)
        page.locator("#id_password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/second-factor/**")
        page.locator("input[name=code]").fill(totp_code(user))
        page.get_by_role("button", name="Continue").click()
        self.past_second_factor()

    def use_session_of(self, user) -> None:
        """Be signed in as ``user``, second factor passed, without the sign-in pages: a session made on
        the server as ``sign_in`` leaves one (``nwd.access.testing.new_session``), its cookie given to
        this browser. For tests of the pages behind the sign-in that sign many users in: the forms cost
        the browser two pages more each time, and are walked, as a user would, by the journeys."""
        from django.conf import settings

        from nwd.access.testing import new_session

        self.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": new_session(user),
                                   "url": self.base_url, "httpOnly": True, "sameSite": "Lax"}])

    def past_second_factor(self) -> None:
        """Wait for the page after the code: the click returns before the answer to the POST has loaded,
        so reading the address at once may still find the code page (a flaky failure under load)."""
        try:
            self.page.wait_for_url(lambda url: "/second-factor/" not in url)
        except PlaywrightTimeout:
            raise AssertionError(f"still on the code page: {self.page.content()[:2000]}") from None

    def sign_out(self) -> None:
        self.page.get_by_role("button", name="Sign out").click()
        self.page.wait_for_url("**/sign-in/**")

    def axe(self, what: str) -> None:
        """Run axe-core on the page as it is now; fail with the violations, described, if there are any."""
        page = self.page
        page.wait_for_load_state("load")  # after a form's submission, say; links go through follow()
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(url=self.base_url + AXE_URL_PATH)
        results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        violations = [
            {"rule": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in results["violations"]
        ]
        assert not violations, f"axe-core on {what} ({page.url}):\n{json.dumps(violations, indent=1)}"

    def screenshot(self, name: str, full_page: bool = True) -> None:
        """Save the page as docs/screenshots/NAME.png, only when screenshots were asked for."""
        folder = screenshot_folder()
        if folder is None:
            return
        folder.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(folder / f"{name}.png"), full_page=full_page)

    def no_horizontal_scroll(self) -> None:
        width = self.page.evaluate("document.documentElement.scrollWidth")
        viewport = self.page.viewport_size["width"]
        assert width <= viewport, f"{self.page.url} scrolls sideways at {viewport}px ({width}px wide)"
