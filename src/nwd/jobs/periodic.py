"""Work the worker starts on a clock: each app registers a kind of job, how often, and how to start it.

The worker (``nwd.jobs.worker``) asks ``start_due`` with each heartbeat: a kind whose last job was
created longer ago than its interval (or never) is started again, unless one is still waiting or
running. Several workers may ask at once; at worst a kind runs twice, so periodic work must be
idempotent (the worklist's clocks are: ``nwd.worklist.clocks``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from nwd.jobs.models import Job, JobState


@dataclass(frozen=True)
class Periodic:
    kind: str
    every: Callable[[], dt.timedelta]
    start: Callable[[], Job]


REGISTERED: dict[str, Periodic] = {}


def register(kind: str, *, every: Callable[[], dt.timedelta], start: Callable[[], Job]) -> None:
    REGISTERED[kind] = Periodic(kind, every, start)


def start_due(now: dt.datetime | None = None) -> list[Job]:
    """Start each registered kind whose interval has passed since its last job; returns the jobs started."""
    now = now or timezone.now()
    started = []
    for periodic in REGISTERED.values():
        jobs = Job.objects.filter(kind=periodic.kind)
        if jobs.filter(state__in=[JobState.QUEUED, JobState.RUNNING]).exists():
            continue
        last = jobs.order_by("-created_at").values_list("created_at", flat=True).first()
        if last is None or now - last >= periodic.every():
            started.append(periodic.start())
    return started
