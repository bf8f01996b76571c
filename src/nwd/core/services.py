"""Saving a record through its rules: the one path every change takes."""

from __future__ import annotations

from django.db import models


def save_valid(record: models.Model, by=None, exclude: list[str] | None = None) -> models.Model:
    """Check every rule of ``record`` (fields, ``clean()``, constraints), then save it.

    ``by`` becomes ``recorded_by`` on a new record. Raises ValidationError, carrying the
    practitioner-facing messages, and writes nothing if any rule is broken.
    """
    if by is not None and record._state.adding and hasattr(record, "recorded_by_id"):
        record.recorded_by = by
    if by is not None:
        record._history_user = by
    record.full_clean(exclude=exclude)
    record.save()
    return record
