"""Security headers Django does not set itself: the content security policy, permissions policy
and no caching of pages about people.

Written here rather than taken from django-csp because the policy is one fixed string (no nonces:
the pages have no inline scripts or styles; every script is a static file) and a dozen lines are
easier to keep than a dependency. Django sets the others (HSTS, nosniff, referrer policy,
cross-origin opener policy, X-Frame-Options) from settings.
"""

from __future__ import annotations

from django.conf import settings


def policy_header(directives: dict[str, list[str]]) -> str:
    return "; ".join(f"{name} {' '.join(values)}".strip() for name, values in directives.items())


class SecurityHeaders:
    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = policy_header(settings.NWD_CONTENT_SECURITY_POLICY)
        self.permissions_policy = settings.NWD_PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.csp)
        response.setdefault("Permissions-Policy", self.permissions_policy)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Pages about young people must not stay in a shared computer's cache or a proxy.
            response["Cache-Control"] = "no-store, private"
        return response
