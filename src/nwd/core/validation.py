"""Collects every broken rule of a record so the practitioner sees them all at once, by field."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

# The database constraints' message for a period that ends before it starts (involvements,
# allocations, specialists, EET periods): one wording wherever the rule is enforced.
END_NOT_BEFORE_START = "The end date must be on or after the start date."


class Errors:
    """Gather ValidationErrors from several rule checks, then raise them together."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str | None, message: str) -> None:
        self.by_field.setdefault(field or NON_FIELD_ERRORS, []).append(message)

    def check(self, rule: Callable[..., None], *args, field: str | None = None, **kwargs) -> None:
        """Run ``rule``; file what it raises under its own fields, or ``field`` if it names none."""
        try:
            rule(*args, **kwargs)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, messages in error.message_dict.items():
                    for message in messages:
                        self.add(name, message)
            else:
                for message in error.messages:
                    self.add(field, message)

    def __bool__(self) -> bool:
        return bool(self.by_field)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)
