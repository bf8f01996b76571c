"""A work-around for django-tasks 0.9 on Python 3.11: results built as ``TaskResult[T](...)`` fail.

django-tasks' results are frozen dataclasses with ``slots=True`` on Python 3.11. Python 3.11's
dataclasses build a slotted class anew but leave its generated ``__setattr__`` pointing at the
class it replaced (CPython gh-90562, fixed in 3.12), so any attempt to set an attribute raises
``TypeError: super(type, obj)`` instead of ``FrozenInstanceError``. ``typing`` sets
``__orig_class__`` on every ``Generic[T](...)`` instance and only forgives ``AttributeError``, so
the database backend cannot queue a task. The replacement ``__setattr__`` raises what the frozen
dataclass meant to raise; django-tasks itself changes results with ``object.__setattr__``, which
this does not touch. Applied once, from ``JobsConfig.ready()``.
"""

from __future__ import annotations

import dataclasses
import sys
from typing import Any


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def patch_frozen_results() -> None:
    if sys.version_info >= (3, 12):
        return
    from django_tasks.backends.database.backend import TaskResult as DatabaseTaskResult
    from django_tasks.base import TaskResult

    for cls in (TaskResult, DatabaseTaskResult):
        cls.__setattr__ = _frozen_setattr  # type: ignore[method-assign]
