"""The second factor (TOTP, django-otp): who must pass it, enrolment, and the QR code.

Every account must pass it: the issue asks it of every staff role, and the other roles (partner
referrers following referrals, analysts with the SSDA903 return, the data protection officer with
the audit log) see personal data too. The only exception is demo mode (``NWD_DEMO``, set by
``nwd demo``, on a database the demo created: ``nwd.access.demo_mode.active``), and then every page says so.
Setting up an authenticator needs a one-time set-up code (``nwd.access.enrolment``). A person who
signs in through the OpenID Connect provider is past the second factor when the provider asserts it
checked one (``passed_at_provider``); otherwise they are asked for the code as anyone else.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from nwd.access import demo_mode as demo

ISSUER = "No Wrong Door"
# Set at a single sign-on whose provider asserted a second factor (nwd.access.sso): the account's pk.
PROVIDER_SESSION_KEY = "nwd_second_factor_at_provider"


def skipped(request=None) -> bool:
    """Demo mode on the demo's own database skips the second factor (and says so on every page)."""
    return demo.active(request)


def passed(request) -> bool:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if skipped(request):
        return True
    if getattr(request, "session", {}).get(PROVIDER_SESSION_KEY) == user.pk:
        return True
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def passed_at_provider(request, user) -> None:
    """The OpenID Connect provider checked a second factor at this sign-in (its ``amr`` said so:
    ``nwd.access.sso.second_factor_asserted``): the session is past it, as after a code. Signing out
    (or in as anyone else) ends the session and this with it."""
    request.session[PROVIDER_SESSION_KEY] = user.pk


def safe_next(request, default: str = "home") -> str:
    """The ``next`` parameter if it points into this site, else the ``default`` page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return reverse(default)


def redirect_to_second_factor(request):
    """To the verify page if the user has a device, else to enrolment; coming back where they were."""
    name = "access:verify" if user_has_device(request.user, confirmed=True) else "access:enrol"
    query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
    return redirect(reverse(name) + (f"?{query}" if query else ""))


def pending_device(user) -> TOTPDevice:
    """The user's unconfirmed authenticator, created on first visit to the enrolment page."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def qr_svg(text: str) -> str:
    """``text`` as a QR code, an inline SVG element (no image request, nothing fetched from elsewhere)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    svg = image.to_string(encoding="unicode")
    if svg.startswith("<?xml"):
        svg = svg.split("?>", 1)[1]
    return svg.replace("<svg ", '<svg role="img" aria-label="QR code for your authenticator app" focusable="false" ', 1)


def secret_for_typing(device: TOTPDevice) -> str:
    """The device's key in base32, in groups of four, for people who cannot scan the QR code."""
    import base64

    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def config_url(device: TOTPDevice) -> str:
    return device.config_url
