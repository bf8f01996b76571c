"""Signing in: lockout, the second factor, session expiry, passwords, and the deployment check."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from nwd.access import enrolment
from nwd.access.models import Action, AuditEvent, DemoDatabase, EnrolmentCode
from nwd.access.roles import Role
from nwd.access.testing import current_code, sign_in
from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"
PROJECT = Path(__file__).resolve().parents[2]


def attempt(client, password, username="locksmith"):
    return client.post("/sign-in/", {"username": username, "password": password}, REMOTE_ADDR="192.0.2.50")


@pytest.mark.django_db
def test_the_sixth_attempt_after_five_failures_is_locked_out_and_audited():
    UserFactory(username="locksmith")
    client = Client()
    for _ in range(4):
        response = attempt(client, "not the password")
        assert response.status_code == 200
        assert "Enter a correct user name and password" in response.content.decode()
    fifth = attempt(client, "not the password")
    assert fifth.status_code == 429
    sixth = attempt(client, PASSWORD)  # even the right password
    assert sixth.status_code == 429
    assert "Sign-in is paused" in sixth.content.decode()
    assert "Try again in 15 minutes" in sixth.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login_failure", username="locksmith").count() >= 5
    lockout = AuditEvent.objects.filter(action="lockout", username="locksmith")
    assert lockout.exists()
    assert lockout.first().ip_address == "192.0.2.50"


@pytest.mark.django_db
def test_first_sign_in_sets_up_the_authenticator_then_every_page_needs_the_code(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a person takes longer than the throttle between two tries
    user = UserFactory(username="newstarter", role=Role.HUB_MANAGER)
    code = enrolment.issue(user).code
    client = Client()
    response = client.post("/sign-in/", {"username": "newstarter", "password": PASSWORD, "next": "/audit/"})
    assert response.status_code == 302
    assert response["Location"].startswith("/second-factor/set-up/")
    # Signed in but not verified: every declared page sends them to the second factor.
    assert client.get("/").status_code == 302
    assert client.get("/").headers["Location"].startswith("/second-factor/set-up/")
    assert "Enter your set-up code" in client.get(response["Location"]).content.decode()
    after_code = client.post(response["Location"], {"code": code})
    assert after_code.status_code == 302 and after_code["Location"].startswith("/second-factor/set-up/")
    page = client.get(after_code["Location"])
    body = page.content.decode()
    assert "<svg" in body and "QR code" in body  # inline SVG: nothing fetched from elsewhere
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post(response["Location"], {"code": "000000" if current_code(device) != "000000" else "111111"})
    assert "That code is not right" in wrong.content.decode()
    done = client.post(response["Location"], {"code": current_code(device)})
    assert done.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(user=user, action="otp_enrolled").exists()


@pytest.mark.django_db
def test_a_returning_user_enters_the_code_on_the_verify_page():
    user = UserFactory(username="returning", role=Role.KEY_WORKER)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    response = client.post("/sign-in/", {"username": "returning", "password": PASSWORD})
    assert response["Location"].startswith("/second-factor/")
    assert not response["Location"].startswith("/second-factor/set-up/")
    bad = client.post("/second-factor/", {"code": "12"})
    assert "The code is 6 digits" in bad.content.decode()
    good = client.post("/second-factor/", {"code": current_code(device), "next": "https://evil.example/"})
    assert good.status_code == 302 and good["Location"] == "/"  # never sent off-site
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(user=user, action="otp_verified").exists()


@pytest.mark.django_db
def test_the_second_factor_is_required_of_every_role():
    for role in Role:
        client = Client()
        sign_in(client, UserFactory(role=role), verified=False)
        assert client.get("/").status_code == 302, role


@pytest.mark.django_db
def test_demo_mode_skips_the_second_factor_and_says_so_on_every_page():
    user = UserFactory(role=Role.KEY_WORKER)
    DemoDatabase.objects.create().accounts.add(user)  # the demo's own database
    client = Client()
    sign_in(client, user, verified=False)
    with override_settings(NWD_DEMO=True):
        page = client.get("/")
        assert page.status_code == 200
        assert "data-nwd-demo-banner" in page.content.decode()
        assert "skips the second factor" in page.content.decode()
        assert "data-nwd-demo-banner" in Client().get("/sign-in/").content.decode()
    assert client.get("/").status_code == 302
    assert "data-nwd-demo-banner" not in Client().get("/sign-in/").content.decode()


@pytest.mark.django_db
def test_a_session_ends_after_inactivity_and_the_page_warns_first(settings):
    user = UserFactory(role=Role.KEY_WORKER)
    client = Client()
    sign_in(client, user)
    page = client.get("/")
    body = page.content.decode()
    assert f'data-session-seconds="{settings.SESSION_COOKIE_AGE}"' in body
    assert f'data-warning-seconds="{settings.NWD_SESSION_WARNING_SECONDS}"' in body
    assert "Stay signed in" in body and "nwd/session.js" in body
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    session = Session.objects.get(session_key=client.session.session_key)
    # Activity (the keep-alive) pushes the end back to a full period from now.
    session.expire_date = timezone.now() + dt.timedelta(seconds=60)
    session.save()
    assert client.post("/keep-alive/").json() == {"expires_in": settings.SESSION_COOKIE_AGE}
    session.refresh_from_db()
    assert session.expire_date > timezone.now() + dt.timedelta(minutes=29)
    # Thirty minutes of nothing: the session is gone and the next page asks to sign in again.
    session.expire_date = timezone.now() - dt.timedelta(seconds=1)
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


@pytest.mark.django_db
def test_the_sign_in_page_says_why_after_a_timeout():
    assert "You were signed out because" in Client().get("/sign-in/?timeout=1").content.decode()


def test_passwords_follow_ncsc_guidance():
    for weak in ("short1", "password1234", "123456789012345", "qwertyuiop123"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("purple tractor window 42")  # three random words: long, not common


def test_check_deploy_with_production_settings_reports_nothing(tmp_path):
    # A clean environment, as a server would have: nothing the test run set (DEBUG, demo mode,
    # DJANGO_ALLOW_ASYNC_UNSAFE for the browser tests, a test DATABASE_URL) leaks in.
    environment = {
        **{k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"}},
        "SECRET_KEY": "k8Zq3-production-like-secret-" + "Vx7pL2mN9wR4tY6uB1cE5hJ0sD3fG8aK",
        "ALLOWED_HOSTS": "nwd.example.gov.uk",
        "NWD_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "nwd.settings",
    }
    result = subprocess.run(
        [sys.executable, "-m", "nwd", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=PROJECT, env=environment, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # One silenced: Django's security.W001, which looks for SecurityMiddleware by name; access.W001
    # checks for the service's subclass of it instead.
    assert "System check identified no issues (1 silenced)." in result.stdout


@pytest.mark.django_db
def test_an_administrator_resets_a_lost_second_factor(client):
    """The user's authenticator is removed, their verified session must pass a new one, the reset is audited,
    and the page shows, once, the set-up code they need to set up a new one."""
    worker = UserFactory(role=Role.KEY_WORKER)
    worker_client = Client()
    sign_in(worker_client, worker)
    assert worker_client.get("/").status_code == 200
    admin = get_user_model().objects.create_superuser("resetter", "r@example.org", "a long enough admin password")
    sign_in(client, admin)
    response = client.post("/admin/access/user/", {"action": "reset_second_factor", "_selected_action": [worker.pk]})
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=worker).exists()
    body = response.content.decode()
    shown = re.search(r"<code>([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})</code>", body).group(1)
    assert worker.username in body
    assert response["Cache-Control"] and "no-store" in response["Cache-Control"]
    # Kept only as a hash: the code is nowhere in the database, its digest is.
    stored = EnrolmentCode.objects.get(user=worker)
    assert shown.replace("-", "") not in str(list(EnrolmentCode.objects.values_list()))
    assert stored.code_hash == enrolment.digest(shown) and stored.issued_by == admin
    assert AuditEvent.objects.filter(action=Action.CHANGE, object_id=str(worker.pk), user=admin,
                                     detail__startswith="enrolment code issued").exists()
    assert AuditEvent.objects.filter(action=Action.CHANGE, object_id=str(worker.pk), user=admin,
                                     detail__startswith="second factor reset").exists()
    assert worker_client.get("/").status_code == 302  # back to the second factor, to set up a new one
    set_up = worker_client.post("/second-factor/set-up/", {"code": shown.lower()})  # typed in lower case
    assert set_up.status_code == 302
    assert "QR code" in worker_client.get(set_up["Location"]).content.decode()
