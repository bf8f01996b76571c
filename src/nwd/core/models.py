"""The abstract base every casework record shares."""

from django.conf import settings
from django.db import models


class Recorded(models.Model):
    """A record that says when it was written and by whom.

    ``recorded_by`` is who entered it (not necessarily who did the work: a contact has its own
    ``staff`` for that). The full change history of each record is kept by simple-history.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True
