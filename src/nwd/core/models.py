"""The abstract base every casework record shares."""

from django.conf import settings
from django.core.exceptions import ValidationError
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


class CurrentManager(models.Manager):
    """The default manager of a withdrawable record: a record entered in error is out of every count.

    Every ``Model.objects`` query, every reverse relation (``young_person.stays``) and every
    ``Exists``/``Subquery`` built on them leave withdrawn records out; ``all_objects`` (and Django's
    base manager, which forward relations and deletion use) still see them, for the history, the
    audit and the merge of duplicates. Joins written as lookups (``stays__bed__hub``) do not pass
    through a manager: those say ``withdrawn_at__isnull=True`` themselves.
    """

    def get_queryset(self):  # the model's own queryset type, as Django's
        return super().get_queryset().filter(withdrawn_at__isnull=True)


class Withdrawable(models.Model):
    """A record that can be withdrawn as entered in error, with a reason, by whom and when.

    A withdrawn record is not deleted: its change history and the audit log keep it (and why), but it
    is out of every count, list, timeline, alert and export (the default manager leaves it out).
    """

    withdrawn_at = models.DateTimeField("withdrawn", null=True, blank=True,
                                        help_text="Set when the record was withdrawn as entered in error.")
    withdrawn_reason = models.CharField("why it was withdrawn", max_length=200, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )

    objects = CurrentManager()
    all_objects = models.Manager()  # noqa: DJ012  (after objects: the first manager declared is the default)

    class Meta:
        abstract = True

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def full_clean(self, exclude=None, validate_unique=True, validate_constraints=True) -> None:
        """The record's own rules, and the withdrawal's: a withdrawn record says why."""
        errors: dict = {}
        try:
            super().full_clean(exclude=exclude, validate_unique=validate_unique,
                               validate_constraints=validate_constraints)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if self.withdrawn_at is not None and not (self.withdrawn_reason or "").strip():
            errors.setdefault("withdrawn_reason", []).append(WITHDRAWAL_NEEDS_REASON)
        if errors:
            raise ValidationError(errors)


WITHDRAWAL_NEEDS_REASON = "Say why the record is being withdrawn (for example, entered for the wrong young person)."
