"""Demo mode: on only when ``NWD_DEMO`` is set *and* the database carries the demo's marker.

Demo mode (no second factor, no HSTS, cookies without ``Secure`` so the demo works over plain
http on 127.0.0.1, the logins and password on the sign-in page) is on only when ``NWD_DEMO`` is
set *and* the database carries the marker (``active``): the variable alone weakens nothing. The
marker is ``access.DemoDatabase``, written by ``nwd demo`` (``nwd.demo.logins``) when it loads the
county; this module only reads it, so access's sign-in and second factor may ask it.
"""

from __future__ import annotations

from django.conf import settings
from django.middleware.security import SecurityMiddleware

from nwd.access.models import DemoDatabase

_REQUEST_ATTRIBUTE = "_nwd_demo_active"


def marked() -> bool:
    """Whether this database carries the demo's marker."""
    return DemoDatabase.objects.exists()


def active(request=None) -> bool:
    """Demo mode: ``NWD_DEMO`` is set and the database is one the demo created.

    Asks the database only when ``NWD_DEMO`` is set (so never in production), at most once per
    request.
    """
    if not settings.NWD_DEMO:
        return False
    if request is None:
        return marked()
    if not hasattr(request, _REQUEST_ATTRIBUTE):
        setattr(request, _REQUEST_ATTRIBUTE, marked())
    return getattr(request, _REQUEST_ATTRIBUTE)


class DemoAwareSecurityMiddleware(SecurityMiddleware):
    """Django's SecurityMiddleware, relaxed only in demo mode (``active``), which serves plain http
    on 127.0.0.1: there, no redirect to https, no HSTS header and no ``Secure`` flag on the session
    and CSRF cookies (a browser would not send them back over http). Everywhere else, and whatever
    ``NWD_DEMO`` says on a database the demo did not create, the production settings hold.
    """

    def process_request(self, request):
        if active(request):
            return None
        return super().process_request(request)

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if active(request):
            response.headers.pop("Strict-Transport-Security", None)
            for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME):
                if name in response.cookies:
                    response.cookies[name]["secure"] = ""
        return response
