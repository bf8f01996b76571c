"""Saving a record through its rules: the one path every change takes."""

from __future__ import annotations

from typing import TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models

RecordT = TypeVar("RecordT", bound=models.Model)


def save_valid(
    record: RecordT, by: AbstractBaseUser | None = None, exclude: list[str] | None = None
) -> RecordT:
    """Check every rule of ``record`` (fields, ``clean()``, constraints), then save it.

    ``by`` becomes ``recorded_by`` on a new record. Raises ValidationError, carrying the
    practitioner-facing messages, and writes nothing if any rule is broken.
    """
    if by is not None and record._state.adding and hasattr(record, "recorded_by_id"):
        record.recorded_by = by  # type: ignore[attr-defined]  # only records with recorded_by_id
    if by is not None:
        record._history_user = by  # type: ignore[attr-defined]  # django-simple-history reads it
    record.full_clean(exclude=exclude)
    record.save()
    return record
