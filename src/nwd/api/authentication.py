"""Bearer tokens (``Authorization: Bearer nwd_...``) and the limit of calls per client."""

from __future__ import annotations

from django.conf import settings
from rest_framework import authentication, exceptions, throttling

from nwd.api.services import live_token

REFUSED = "The token is missing, wrong, expired or revoked."


class TokenAuthentication(authentication.BaseAuthentication):
    """The API client is the account the token belongs to; its role decides everything else."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(REFUSED)
        try:
            secret = header[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed(REFUSED) from None
        token = live_token(secret)
        if token is None:
            raise exceptions.AuthenticationFailed(REFUSED)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="nwd"'


class PerClient(throttling.SimpleRateThrottle):
    """At most NWD_API_RATE calls per token (e.g. ``120/minute``), counted in Django's cache."""

    scope = "api_client"

    def get_rate(self) -> str:
        return settings.NWD_API_RATE

    def get_cache_key(self, request, view):
        token = getattr(request, "auth", None)
        if token is None:
            return None  # refused before the count: authentication failed
        return self.cache_format % {"scope": self.scope, "ident": token.prefix}
