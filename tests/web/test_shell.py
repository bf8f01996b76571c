"""The web shell: the GOV.UK layout, its assets from the npm registry, the security headers, the
navigation by role and the error pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client, override_settings

from nwd.access.roles import Role
from nwd.access.testing import sign_in
from nwd.web.navigation import ITEMS
from tests.factories import UserFactory

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)


def signed_in_client(role=Role.KEY_WORKER) -> tuple[Client, object]:
    user = UserFactory(role=role)
    client = Client()
    sign_in(client, user)
    return client, user


def test_the_front_end_comes_from_node_modules_through_staticfiles():
    for path in ("frontend/govuk-frontend.min.css", "govuk/govuk-frontend.min.js", "htmx/htmx.min.js",
                 "nwd/init.mjs", "nwd/session.js", "nwd/nwd.css"):
        assert finders.find(path), f"{path} not found: run npm install"


@pytest.mark.django_db
def test_the_layout_references_its_assets_and_has_no_inline_script():
    client, _ = signed_in_client()
    for body in (Client().get("/sign-in/").content.decode(), client.get("/").content.decode()):
        assert 'href="/static/frontend/govuk-frontend.min.css"' in body
        assert 'src="/static/nwd/init.mjs"' in body and 'type="module"' in body
        for attributes, content in SCRIPT.findall(body):
            assert "src=" in attributes and not content.strip(), "inline script: the CSP would block it"
        assert ' style="' not in body
        assert "cdn" not in body.lower()


def test_the_styles_declare_no_font_and_point_at_no_unserved_asset():
    """GOV.UK Frontend is built from its Sass with a system font: no @font-face at all (the
    precompiled CSS declared GDS Transport at /assets/fonts/, a 404 the moment a character Arial
    lacks sent the browser there), and every url() in the styles is a static file that is served."""
    for path in ("frontend/govuk-frontend.min.css", "nwd/nwd.css"):
        css = Path(finders.find(path)).read_text(encoding="utf-8")
        assert "@font-face" not in css and "GDS Transport" not in css, path
        for url in re.findall(r"url\(\"?([^)\"]+)\"?\)", css):
            assert url.startswith("/static/") and finders.find(url.removeprefix("/static/")), f"{path}: {url}"


@pytest.mark.django_db
def test_every_response_carries_the_security_headers():
    response = Client().get("/sign-in/")
    csp = response["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'",
                      "object-src 'none'", "base-uri 'none'", "form-action 'self'"):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_pages_about_people_are_never_cached():
    client, _ = signed_in_client()
    assert client.get("/").headers["Cache-Control"] == "no-store, private"


@pytest.mark.django_db
def test_the_sign_in_page_is_accessible_gov_uk_markup():
    body = Client().get("/sign-in/").content.decode()
    assert '<html lang="en-GB"' in body
    assert 'class="govuk-skip-link"' in body and 'id="main-content"' in body
    assert '<label class="govuk-label" for="id_username">' in body
    assert 'autocomplete="current-password"' in body
    errors = Client().post("/sign-in/", {"username": "", "password": ""}).content.decode()
    assert "govuk-error-summary" in errors and 'href="#id_username"' in errors
    assert "<title>Sign in (error)" in errors


@pytest.mark.django_db
def test_navigation_shows_only_what_the_role_may_use():
    from django.urls import NoReverseMatch, reverse

    def exists(name):
        try:
            reverse(name)
        except NoReverseMatch:
            return False
        return True

    for role in Role:
        client, user = signed_in_client(role)
        body = client.get("/").content.decode()
        nav = body.split('id="navigation"', 1)[1].split("</nav>", 1)[0] if 'id="navigation"' in body else ""
        for item in ITEMS:
            if not exists(item.url_name):
                continue
            shown = f'href="{reverse(item.url_name)}"' in nav
            may = item.permission is None or user.has_perm(item.permission)
            assert shown == may, f"{role}: {item.label}"


@pytest.mark.django_db
def test_error_pages_say_nothing_about_the_record():
    client, _ = signed_in_client(Role.PARTNER_REFERRER)
    refused = client.get("/audit/")
    assert refused.status_code == 403
    assert "You cannot see this page" in refused.content.decode()
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404 and "Page not found" in missing.content.decode()


@pytest.mark.django_db
def test_the_server_error_page_renders_without_a_request():
    from nwd.web.views import server_error

    response = server_error(None)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


@pytest.mark.django_db
def test_keep_alive_is_post_only():
    client, _ = signed_in_client()
    assert client.get("/keep-alive/").status_code == 405


@pytest.mark.django_db
@override_settings(NWD_DEMO=False)
def test_no_demo_banner_outside_demo_mode():
    assert "data-nwd-demo-banner" not in Client().get("/sign-in/").content.decode()
