"""A form being filled, saved as the user types.

Why on the server and not in the browser's storage: a draft holds personal data about a child, so
it must be per user, behind the same login and permissions as the record, gone when it has served
its purpose (deleted on a successful submit) and gone after ``DRAFT_DAYS`` in any case. Browser
storage would outlive the session on a shared office machine and be readable by whoever sits down
next.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Draft(models.Model):
    """The fields of one form, for one user, about one record (the young person, the referral...)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts")
    form = models.CharField(max_length=40, help_text="Which form: contact, missing, referral...")
    record = models.CharField(
        max_length=60, blank=True, help_text="Which record the form is about, e.g. young_person:12; blank for a new referral."
    )
    young_person = models.ForeignKey(
        "casework.YoungPerson", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        help_text="The young person the draft is about, so a subject access request or an erasure finds it.",
    )
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "form", "record"], name="one_draft_per_form_and_record")]
        indexes = [models.Index(fields=["updated_at"])]

    def __str__(self) -> str:
        return f"Draft of {self.form} ({self.record or 'new'}) by {self.user}"
