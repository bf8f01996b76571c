"""Issue 11 #3, #4, #9 and #6 (the user name's length): enrolment by one-time code, demo mode only on
the demo's database, lockout per account and per address with progressive locks, the client address
from a trusted proxy, and a long user name refused before django-axes sees it."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.core import checks
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from nwd.access import enrolment, lockout
from nwd.access.models import Action, AuditEvent, DemoDatabase, EnrolmentCode
from nwd.access.roles import Role
from nwd.access.testing import current_code, sign_in
from tests.factories import UserFactory, YoungPersonFactory

PASSWORD = "correct horse battery staple"
PROJECT = Path(__file__).resolve().parents[2]


def post_sign_in(client, username, password, address="192.0.2.10", **extra):
    return client.post("/sign-in/", {"username": username, "password": password}, REMOTE_ADDR=address, **extra)


# --- #3 The second factor needs a one-time set-up code ----------------------------------------


@pytest.mark.django_db
def test_the_password_alone_never_shows_the_authenticator_key():
    UserFactory(username="golive", role=Role.KEY_WORKER)  # go-live: no authenticator, no code
    client = Client()
    response = post_sign_in(client, "golive", PASSWORD)
    assert response["Location"].startswith("/second-factor/set-up/")
    page = client.get(response["Location"]).content.decode()
    assert "Ask your administrator for a set-up code" in page
    assert "<svg" not in page and "QR code" not in page and "otpauth" not in page
    assert not TOTPDevice.objects.exists()  # no key was even made
    guessed = client.post("/second-factor/set-up/", {"code": "7K3M-Q9XD-2HPA"}).content.decode()
    assert "<svg" not in guessed and not TOTPDevice.objects.exists()
    assert client.get("/").status_code == 302  # and nothing else opens


@pytest.mark.django_db
def test_a_set_up_code_works_once_and_is_audited(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = UserFactory(username="newstarter", role=Role.KEY_WORKER)
    issued = enrolment.issue(user)
    assert len(issued.code) == 12 and issued.shown.count("-") == 2
    stored = EnrolmentCode.objects.get(user=user)
    assert stored.code_hash != issued.code and issued.code not in stored.code_hash
    assert stored.expires_at - stored.issued_at == dt.timedelta(hours=72)
    assert AuditEvent.objects.filter(action=Action.CHANGE, object_id=str(user.pk),
                                     detail__startswith="enrolment code issued", username="command line").exists()

    first = Client()
    post_sign_in(first, "newstarter", PASSWORD)
    assert "Enter your set-up code" in first.get("/second-factor/set-up/").content.decode()
    wrong = first.post("/second-factor/set-up/", {"code": "0000-0000-0000"}).content.decode()
    assert "That set-up code is not right" in wrong and "<svg" not in wrong
    bad_shape = first.post("/second-factor/set-up/", {"code": "12"}).content.decode()
    assert "The set-up code is 12 letters and numbers" in bad_shape
    accepted = first.post("/second-factor/set-up/", {"code": issued.shown})
    assert accepted.status_code == 302
    page = first.get(accepted["Location"]).content.decode()
    assert "<svg" in page and "QR code" in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert first.post("/second-factor/set-up/", {"code": current_code(device)}).status_code == 302
    assert first.get("/").status_code == 200
    stored.refresh_from_db()
    assert stored.used_at is not None
    assert AuditEvent.objects.filter(action=Action.CHANGE, object_id=str(user.pk), detail="enrolment code used").exists()
    assert AuditEvent.objects.filter(action=Action.OTP_FAILURE, detail="wrong enrolment code").exists()

    # Spent: a second session with the password and the same code gets nowhere near a key.
    TOTPDevice.objects.filter(user=user).delete()
    second = Client()
    post_sign_in(second, "newstarter", PASSWORD, address="192.0.2.11")
    again = second.post("/second-factor/set-up/", {"code": issued.code})
    assert again.status_code == 200 and "<svg" not in again.content.decode()
    assert "Ask your administrator for a set-up code" in again.content.decode()


@pytest.mark.django_db
def test_a_code_expires_is_replaced_by_a_newer_one_and_is_withdrawn_after_five_wrong_tries():
    user = UserFactory(role=Role.KEY_WORKER)
    old = enrolment.issue(user)
    new = enrolment.issue(user)
    assert not enrolment.redeem(user, old.code)  # replaced
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + dt.timedelta(hours=73)):
        assert not enrolment.redeem(user, new.code)  # expired
    newest = enrolment.issue(user)
    for _ in range(enrolment.MAX_WRONG_TRIES):
        assert not enrolment.redeem(user, "0000-0000-0000")
    assert not enrolment.has_outstanding(user)
    assert not enrolment.redeem(user, newest.code)  # withdrawn: guessing is bounded
    last = enrolment.issue(user)
    assert enrolment.redeem(user, last.code.lower().replace("0", "o"))  # read as typed
    assert not enrolment.redeem(user, last.code)  # single use


@pytest.mark.django_db
def test_nwd_enrolment_code_prints_a_code_once_for_go_live():
    user = UserFactory(username="golive2", role=Role.ANALYST)
    out = io.StringIO()
    call_command("enrolment-code", "golive2", stdout=out)
    text = out.getvalue()
    shown = text.split("One-time set-up code for golive2: ", 1)[1].split()[0]
    assert EnrolmentCode.objects.get(user=user).code_hash == enrolment.digest(shown)
    assert "not shown again" in text
    with pytest.raises(CommandError, match="no account"):
        call_command("enrolment-code", "nobody-here")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    with pytest.raises(CommandError, match="--reset"):
        call_command("enrolment-code", "golive2")
    call_command("enrolment-code", "golive2", "--reset", stdout=io.StringIO())
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(object_id=str(user.pk), detail__startswith="second factor reset").exists()


# --- #4 Demo mode only on the demo's own database ---------------------------------------------


@pytest.mark.django_db
def test_nwd_demo_refuses_a_database_with_accounts_it_did_not_create():
    real = UserFactory(username="aaa-real-manager", role=Role.HUB_MANAGER)  # first of its role by name
    YoungPersonFactory()  # imported records: the county is "already loaded" as far as the old demo knew
    password_before = real.password
    with override_settings(NWD_DEMO=True), pytest.raises(CommandError, match="not a demo database"):
        call_command("demo", no_serve=True, stdout=io.StringIO())
    real.refresh_from_db()
    assert real.password == password_before  # nothing changed
    assert not DemoDatabase.objects.exists()


@pytest.mark.django_db
def test_nwd_demo_keeps_a_database_it_made_and_sets_only_its_own_logins():
    demo_user = UserFactory(username="demo-key-worker", role=Role.KEY_WORKER)
    DemoDatabase.objects.create().accounts.add(demo_user)
    YoungPersonFactory()
    out = io.StringIO()
    with override_settings(NWD_DEMO=True):
        call_command("demo", no_serve=True, stdout=out)
    assert "already loaded: keeping it" in out.getvalue() and "demo-key-worker" in out.getvalue()
    demo_user.refresh_from_db()
    assert demo_user.check_password("demo-only-password")
    UserFactory(username="imported-later")
    with override_settings(NWD_DEMO=True), pytest.raises(CommandError, match="1 account"):
        call_command("demo", no_serve=True, stdout=io.StringIO())


@pytest.mark.django_db
def test_nwd_demo_on_a_database_the_demo_did_not_create_weakens_nothing():
    user = UserFactory(role=Role.KEY_WORKER)
    client = Client()
    sign_in(client, user, verified=False)
    strict = {"SECURE_SSL_REDIRECT": True, "SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True,
              "SECURE_HSTS_SECONDS": 31536000, "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https")}
    with override_settings(NWD_DEMO=True, **strict):
        assert client.get("/", HTTP_X_FORWARDED_PROTO="https").status_code == 302  # the second factor is still asked
        sign_in_page = Client().get("/sign-in/", HTTP_X_FORWARDED_PROTO="https")
        body = sign_in_page.content.decode()
        assert "data-nwd-demo-banner" not in body and "demo-only-password" not in body
        assert sign_in_page["Strict-Transport-Security"].startswith("max-age=31536000")
        assert sign_in_page.cookies["csrftoken"]["secure"] is True
        assert Client().get("/sign-in/").status_code == 301  # http still goes to https
        DemoDatabase.objects.create().accounts.add(user)  # the same settings on the demo's own database
        demo_page = Client().get("/sign-in/")
        assert demo_page.status_code == 200 and "data-nwd-demo-banner" in demo_page.content.decode()
        assert not demo_page.cookies["csrftoken"]["secure"]
        assert client.get("/").status_code == 200


def _settings_under(environment: dict) -> str:
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "TMPDIR"}}
    env.update(environment)
    code = ("import nwd.settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
            "s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT)")
    result = subprocess.run([sys.executable, "-c", code], env={**env, "PYTHONPATH": str(PROJECT / "src")},
                            capture_output=True, text=True, timeout=60, cwd=PROJECT)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_nwd_demo_in_the_environment_leaves_hsts_and_secure_cookies_on(tmp_path):
    assert _settings_under({"NWD_DEMO": "1", "NWD_DATA_DIR": str(tmp_path)}) == "True True 31536000 True"


@pytest.mark.django_db
def test_check_deploy_warns_of_demo_mode_and_of_the_second_factor_off():
    def ids():
        return {message.id for message in checks.run_checks(include_deployment_checks=True, tags=["security"])}

    assert not {"access.W010", "access.W011"} & ids()
    with override_settings(NWD_DEMO=True):
        assert "access.W010" in ids() and "access.W011" not in ids()
        DemoDatabase.objects.create()
        assert {"access.W010", "access.W011"} <= ids()


def test_check_deploy_says_nwd_demo_is_set(tmp_path):
    environment = {
        **{k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"}},
        "SECRET_KEY": "k8Zq3-production-like-secret-" + "Vx7pL2mN9wR4tY6uB1cE5hJ0sD3fG8aK",
        "ALLOWED_HOSTS": "nwd.example.gov.uk", "NWD_DATA_DIR": str(tmp_path), "NWD_DEMO": "1",
        "DJANGO_SETTINGS_MODULE": "nwd.settings", "PYTHONPATH": str(PROJECT / "src"),
    }
    result = subprocess.run([sys.executable, "-m", "nwd", "check", "--deploy"], cwd=PROJECT, env=environment,
                            capture_output=True, text=True, timeout=120)
    assert "access.W010" in result.stdout + result.stderr and "NWD_DEMO is set" in result.stdout + result.stderr


# --- #9 Lockout per account, per address, progressive, behind a trusted proxy -----------------


@contextlib.contextmanager
def at(moment: dt.datetime):
    """Run sign-ins as if it were ``moment`` (django-axes and Django both read the clock)."""
    with mock.patch("django.utils.timezone.now", return_value=moment), \
            mock.patch("axes.handlers.proxy.now", return_value=moment):
        yield


@pytest.mark.django_db
def test_guesses_at_one_account_from_five_addresses_lock_the_account():
    UserFactory(username="target")
    for guess in range(5):
        post_sign_in(Client(), "target", f"guess {guess}", address=f"198.51.100.{guess}")
    refused = post_sign_in(Client(), "target", PASSWORD, address="198.51.100.99")  # even the right one
    assert refused.status_code == 429 and "Sign-in is paused" in refused.content.decode()
    assert post_sign_in(Client(), UserFactory(username="colleague").username, PASSWORD,
                        address="198.51.100.99").status_code == 302  # the address itself is not locked


@pytest.mark.django_db
def test_the_owner_signing_in_does_not_give_a_guesser_fresh_guesses():
    UserFactory(username="owner")
    for guess in range(4):
        post_sign_in(Client(), "owner", f"guess {guess}", address="198.51.100.50")
    assert post_sign_in(Client(), "owner", PASSWORD, address="192.0.2.1").status_code == 302
    post_sign_in(Client(), "owner", "guess 5", address="198.51.100.50")
    assert post_sign_in(Client(), "owner", PASSWORD, address="192.0.2.1").status_code == 429


@pytest.mark.django_db
def test_a_spray_from_one_address_locks_the_address_not_the_office():
    UserFactory(username="sprayed-last")
    for n in range(19):  # 19 accounts, one guess each: a few colleagues' typos would never get here
        post_sign_in(Client(), f"account{n}", "Winter2025!", address="203.0.113.7")
    assert post_sign_in(Client(), "account19", "Winter2025!", address="203.0.113.7").status_code == 429
    assert post_sign_in(Client(), "sprayed-last", PASSWORD, address="203.0.113.7").status_code == 429
    assert post_sign_in(Client(), "sprayed-last", PASSWORD, address="203.0.113.8").status_code == 302


@pytest.mark.django_db
def test_locks_are_short_at_first_then_longer_and_guessing_into_one_does_not_extend_it():
    UserFactory(username="progressive")
    start = timezone.now()

    def attempt(minutes, password="wrong password"):  # noqa: S107
        with at(start + dt.timedelta(minutes=minutes)):
            return post_sign_in(Client(), "progressive", password, address="192.0.2.77").status_code

    for n in range(5):
        attempt(n * 0.1)
    assert attempt(10) == 429  # refused during the first lock (and not counted)
    assert attempt(14) == 429
    assert [attempt(16 + n * 0.1) for n in range(5)] == [200, 200, 200, 200, 429]  # 15 minutes after the last
    assert attempt(16.4 + 29) == 429  # the second lock in a day lasts 30 minutes
    assert attempt(16.4 + 31, PASSWORD) == 302
    assert lockout.lock_length(1) == dt.timedelta(minutes=15)
    assert lockout.lock_length(3) == dt.timedelta(hours=1)
    assert lockout.lock_length(9) == lockout.LONGEST_LOCK == dt.timedelta(hours=4)


def test_the_client_address_is_the_one_the_trusted_proxy_appended():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")
    assert lockout.client_ip(request) == "10.0.0.2"  # no proxy configured: the header is not believed
    with override_settings(NWD_TRUSTED_PROXY_HEADER_META="HTTP_X_FORWARDED_FOR"):
        assert lockout.client_ip(request) == "203.0.113.5"  # the client's own "1.2.3.4" is ignored
        assert lockout.client_ip(RequestFactory().get("/", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"
        junk = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not an address")
        assert lockout.client_ip(junk) == "10.0.0.2"


@pytest.mark.django_db
@override_settings(NWD_TRUSTED_PROXY_HEADER_META="HTTP_X_FORWARDED_FOR")
def test_behind_the_proxy_a_sprayer_is_locked_and_the_people_beside_them_are_not():
    UserFactory(username="behind-proxy")
    proxy = {"address": "10.0.0.2"}
    for n in range(20):
        post_sign_in(Client(), f"victim{n}", "Winter2025!", HTTP_X_FORWARDED_FOR="203.0.113.66", **proxy)
    assert post_sign_in(Client(), "behind-proxy", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.66",
                        **proxy).status_code == 429
    assert post_sign_in(Client(), "behind-proxy", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.20",
                        **proxy).status_code == 302
    assert AccessAttempt.objects.filter(ip_address="203.0.113.66").exists()
    assert not AccessAttempt.objects.filter(ip_address="10.0.0.2").exists()


# --- #6 A user name longer than any account's ------------------------------------------------


@pytest.mark.django_db
def test_a_user_name_of_256_characters_or_more_gets_a_message_not_a_server_error():
    for length in (256, 300, 5000, 151):
        response = post_sign_in(Client(), "x" * length, "any password")
        assert response.status_code == 200
        assert "A user name is at most 150 characters" in response.content.decode()
    assert not AccessAttempt.objects.exists()  # never reached django-axes
