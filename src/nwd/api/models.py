"""API tokens: how a partner system signs in (issue 19; docs/api.md).

A token belongs to an account (the "API client": a named account of a role, a partner referrer for a
partner agency's system, the integration role for the council's case system), so what it may read is
exactly what that account's role may read on the pages: the policy in ``nwd.access.policy`` decides
both. The token itself is shown once, when it is created (``nwd api-token create``); the database
keeps its first characters (to find it, and to name it in lists) and the SHA-256 of the whole (a
random secret of 256 bits: there is no dictionary to try).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from nwd.core.validation import Errors


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens",
                             help_text="The API client: the account whose role decides what the token may do.")
    name = models.CharField(max_length=80, help_text="What the token is for, e.g. 'Mosaic nightly sync'.")
    prefix = models.CharField(max_length=12, unique=True, help_text="The token's first characters, to find it.")
    digest = models.CharField(max_length=64, help_text="SHA-256 of the whole token, in hexadecimal.")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(help_text="After this moment the token is refused.")
    revoked_at = models.DateTimeField(null=True, blank=True, help_text="When the token was revoked, if it was.")
    last_used_at = models.DateTimeField(null=True, blank=True, help_text="About when it was last used (to the minute).")

    history = HistoricalRecords(excluded_fields=["last_used_at"])

    class Meta:
        ordering = ["user__username", "name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], condition=models.Q(revoked_at__isnull=True),
                                    name="api_token_one_live_name_per_client",
                                    violation_error_message="This client already has a token of that name: "
                                                            "revoke it first, or choose another name."),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    def clean(self) -> None:
        errors = Errors()
        if not self.name.strip():
            errors.add("name", "Name the token: what system uses it, for what.")
        if self.expires_at and self.created_at and self.expires_at <= self.created_at:
            errors.add("expires_at", "A token must expire after it is created.")
        if self.user_id and not self.user.is_active:
            errors.add("user", "The account is closed: a token cannot be made for it.")
        errors.raise_if_any()

