"""Helpers for tests of pages behind the sign-in: sign a test client in, second factor passed.

    from nwd.access.testing import sign_in
    sign_in(client, user)          # signed in and verified, as after a real TOTP code
    sign_in(client, user, verified=False)   # signed in, not yet past the second factor
    new_session(user)              # the key of a session as sign_in leaves it (a browser's cookie)
"""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKEND = "django.contrib.auth.backends.ModelBackend"


def confirmed_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)
    return device


def sign_in(client, user, verified: bool = True) -> None:
    client.force_login(user, backend=BACKEND)
    if verified:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = confirmed_device(user).persistent_id
        session.save()


def new_session(user) -> str:
    """The key of a new session holding what ``sign_in`` leaves in one (the user, the backend, the
    password's hash, the second factor passed), written in one go.

    For tests that sign many users in only to ask what they may open (the URL walk signs every role in
    afresh for each of its hundreds of URLs) or to look at pages in a browser: ``sign_in`` goes through
    ``login()`` (a new session key, the last-login update, the audit of the sign-in, django-axes's
    handler) and saves the session three times, about as much work as the page asked for after it; a
    browser signing in by its forms loads two pages more. How users sign in is tested on its own
    (tests/access/test_login.py, test_sessions.py, the browser journeys).
    """
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = BACKEND
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = confirmed_device(user).persistent_id
    session.save(must_create=True)
    return str(session.session_key)


def current_code(device: TOTPDevice) -> str:
    """The code the user's authenticator app shows now (for tests of the real verify page)."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"
