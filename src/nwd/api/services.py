"""Creating, revoking and checking API tokens (``nwd api-token``; the API's authentication)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from nwd.access import audit
from nwd.access.models import Action, User
from nwd.api.models import ApiToken
from nwd.core.services import save_valid

SCHEME = "nwd_"  # every token starts so, so a leaked one is easy to recognise (and to scan for)
PREFIX_LENGTH = 12
LAST_USED_EVERY = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class Issued:
    """A token just created: the only moment the token itself exists outside the client's hands."""

    token: ApiToken
    secret: str


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_token(user: User, *, name: str, days: int, by: User | None = None) -> Issued:
    """A new token for ``user`` (the API client), valid for ``days`` days, shown once."""
    if days < 1:
        raise ValidationError({"expires_at": "A token must be valid for at least a day."})
    secret = SCHEME + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken(user=user, name=name.strip(), prefix=secret[:PREFIX_LENGTH], digest=digest_of(secret),
                     created_at=now, expires_at=now + dt.timedelta(days=days))
    save_valid(token, by)
    audit.record(None, Action.CHANGE, user, username="command line", detail=f"API token created: {token}")
    return Issued(token, secret)


@transaction.atomic
def revoke_token(token: ApiToken, *, by: User | None = None) -> ApiToken:
    """Refuse ``token`` from now on (a revoked token is kept, with when, for the record)."""
    if token.revoked_at is not None:
        raise ValidationError("This token is already revoked.")
    token.revoked_at = timezone.now()
    save_valid(token, by)
    audit.record(None, Action.CHANGE, token.user, username="command line", detail=f"API token revoked: {token}")
    return token


def live_token(secret: str) -> ApiToken | None:
    """The live token ``secret`` is (not expired, not revoked, its account active), or None."""
    if not secret.startswith(SCHEME) or len(secret) < PREFIX_LENGTH:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=secret[:PREFIX_LENGTH]).first()
    if token is None or not secrets.compare_digest(token.digest, digest_of(secret)):
        return None
    if not token.is_live or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # no history row for a use
        token.last_used_at = now
    return token
