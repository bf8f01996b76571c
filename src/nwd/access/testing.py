"""Helpers for tests of pages behind the sign-in: sign a test client in, second factor passed.

    from nwd.access.testing import sign_in
    sign_in(client, user)          # signed in and verified, as after a real TOTP code
    sign_in(client, user, verified=False)   # signed in, not yet past the second factor
"""

from __future__ import annotations

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


def current_code(device: TOTPDevice) -> str:
    """The code the user's authenticator app shows now (for tests of the real verify page)."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"
