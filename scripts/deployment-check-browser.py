"""What a person's browser does in scripts/deployment-check, over real HTTP (requests only).

    python scripts/deployment-check-browser.py WEB_ADDRESS HOST LOGIN PASSWORD RETURN_FOLDER

Against `nwd serve` at WEB_ADDRESS (http://127.0.0.1:PORT), as the reverse proxy forwards it (the
Host, `X-Forwarded-Proto: https`, `X-Forwarded-For`): signs in over single sign-on (the service's
/sign-in/sso/, the provider's login form, the service's callback), opens the home page, then uploads
the SSDA903 files of RETURN_FOLDER at /returns/import/, follows the check's job page until the
worker has checked them, imports them and follows the import's job page until it says imported.
Prints each step; exits 1 (with the page's text) at the first thing that is not as expected.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests

WEB, HOST, LOGIN, PASSWORD, FOLDER = sys.argv[1:6]
SITE = f"https://{HOST}"
PROXY = {"Host": HOST, "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
cookies: dict[str, str] = {}  # the service's (secure) cookies: this browser reaches it over the proxy's https


def fail(message: str, response: requests.Response | None = None) -> None:
    print(f"FAILED: {message}")
    if response is not None:
        print(f"  {response.status_code} {response.url}\n{response.text[:1500]}")
    sys.exit(1)


def service(method: str, path: str, **kwargs) -> requests.Response:
    """A request to the service as it arrives through the proxy (no redirect followed)."""
    headers = {**PROXY, **kwargs.pop("headers", {})}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    response = requests.request(method, WEB + path, headers=headers, allow_redirects=False, timeout=30, **kwargs)
    cookies.update(response.cookies.get_dict())
    return response


def local(url: str) -> str:
    """The path of an address of the service (absolute, as the provider sends back, or relative)."""
    parts = urlsplit(urljoin(SITE + "/", url))
    if parts.netloc != HOST:
        fail(f"expected an address of the service, got {url}")
    return parts.path + (f"?{parts.query}" if parts.query else "")


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1) if match else ""


def post_form(path: str, page: requests.Response, data: dict, **kwargs) -> requests.Response:
    """Submit a form of ``page`` (its CSRF token; the Referer and Origin a browser sends over https)."""
    data = {**data, "csrfmiddlewaretoken": csrf_of(page.text)}
    referer = SITE + local(page.url.removeprefix(WEB))
    return service("POST", path, data=data, headers={"Referer": referer, "Origin": SITE}, **kwargs)


def follow_job(started: requests.Response, done_text: str) -> requests.Response:
    if started.status_code != 302 or "/jobs/" not in started.headers.get("Location", ""):
        fail("the form did not start a job", started)
    job_path = local(started.headers["Location"])
    print(f"  job page {job_path}")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        page = service("GET", job_path)
        if page.status_code == 200 and "data-nwd-job-waiting" not in page.text:
            if done_text not in page.text:
                fail(f"the job's page does not say {done_text!r}", page)
            return page
        if page.status_code != 200:
            fail("the job's page", page)
        time.sleep(0.5)
    fail("the job did not finish within 60 s (is nwd worker running?)", page)
    raise AssertionError


# 1. Single sign-on: the service sends the browser to the provider ...
start = service("GET", "/sign-in/sso/")
if start.status_code != 302:
    fail("/sign-in/sso/ did not send the browser to the provider", start)
authorize = start.headers["Location"]
if "redirect_uri=https%3A%2F%2F" + HOST not in authorize:
    fail(f"the callback address is not the service's public https address: {authorize}")
print(f"  /sign-in/sso/ -> {authorize.split('?')[0]}")
# ... whose login form this person fills in (the provider's own cookies, a session of its own) ...
provider = requests.Session()
url, callback = authorize, ""
for _ in range(10):
    response = provider.get(url, allow_redirects=False, timeout=10)
    if response.status_code == 200 and "<form" in response.text:
        action = re.search(r'action="([^"]+)"', response.text).group(1)  # type: ignore[union-attr]
        print(f"  the provider's login form, as {LOGIN}")
        response = provider.post(urljoin(url, action), data={"login": LOGIN, "password": PASSWORD},
                                 allow_redirects=False, timeout=10)
    if response.status_code not in (302, 303):
        fail("the provider", response)
    url = urljoin(url, response.headers["Location"])
    if url.startswith(SITE + "/sign-in/sso/callback/"):
        callback = url
        break
else:
    fail("the provider never sent the browser back to the service")
# ... and which sends it back to the service's callback.
back = service("GET", local(callback))
if back.status_code != 302 or local(back.headers["Location"]) != "/":
    fail("the callback did not sign in (no redirect to the home page)", back)
home = service("GET", "/")
if home.status_code != 200:
    fail("the home page after signing in", home)
print("  callback -> / : 200, signed in")

# 2. An SSDA903 return, checked then imported by the worker, from the pages.
files = [("files", (p.name, p.read_bytes(), "text/csv")) for p in sorted(Path(FOLDER).glob("*.csv"))]
form = service("GET", "/returns/import/")
if form.status_code != 200:
    fail("the import page", form)
checked = follow_job(post_form("/returns/import/", form, {"year": ""}, files=files),
                     "SSDA903 return checked")
token = re.search(r'name="token" value="([^"]+)"', checked.text)
if token is None:
    fail("the check's report offers no import", checked)
print("  checked: the report offers the import")
imported = follow_job(post_form("/returns/import/confirm/", checked, {"token": token.group(1), "mode": "all"}),
                      "SSDA903 return imported")
print("  imported: the job's page says so")
