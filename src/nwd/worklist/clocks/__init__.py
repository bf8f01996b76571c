"""The clocks that raise tasks: a small registry, one module per app whose records keep a clock.

A clock is a function from a day to what is due on it (``Due``: the condition's key, the owner, the
due date, the young person). ``run`` raises a task for each condition not raised before and closes
the open tasks whose condition is no longer due (the review was held, the referral decided, a later
due date replaced an earlier one), so running it twice raises no duplicates and a task closes by
itself when its clock's condition is met.

Adding a clock is one small module in this package (``@clock(...)`` on a function) named in
``MODULES``. Clocks run as a periodic job on the queue (``nwd worker``: ``register_periodic``) and
by ``nwd raise-tasks``.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django_tasks import task

from nwd.core import dates
from nwd.jobs import periodic
from nwd.jobs import services as jobs
from nwd.jobs.runner import run as run_job
from nwd.jobs.services import finishing
from nwd.worklist import services

if TYPE_CHECKING:
    from nwd.jobs.models import Job

# One module per app that keeps a clock: each registers its clocks when imported.
MODULES = ["casework", "leavers", "safeguarding", "homes"]
JOB_KIND = "raise-tasks"


@dataclass(frozen=True)
class Due:
    """One condition a clock finds due: raise (or keep) the task for it."""

    key: str
    title: str
    owner: Any  # nwd.access.models.User
    due: dt.date
    young_person: Any = None  # nwd.casework.models.YoungPerson
    details: str = ""


@dataclass(frozen=True)
class Clock:
    name: str
    description: str
    met: str  # the outcome written on a task closed because its condition is no longer due
    find: Callable[[dt.date], Iterable[Due]]


CLOCKS: dict[str, Clock] = {}


def clock(name: str, *, description: str, met: str) -> Callable[[Callable[[dt.date], Iterable[Due]]], Callable[[dt.date], Iterable[Due]]]:
    """Register the decorated function as the clock ``name``."""
    def register(find: Callable[[dt.date], Iterable[Due]]) -> Callable[[dt.date], Iterable[Due]]:
        CLOCKS[name] = Clock(name, description, met, find)
        return find
    return register


def load() -> dict[str, Clock]:
    for module in MODULES:
        importlib.import_module(f"nwd.worklist.clocks.{module}")
    return CLOCKS


def run(today: dt.date | None = None, *, only: Iterable[str] = (), tell: bool = True) -> dict[str, dict[str, int]]:
    """Run every clock (or those named in ``only``) as of ``today``: raise what is due, close what is met.

    Returns, per clock, how many tasks were raised and closed.
    """
    today = today or dates.today()
    wanted = set(only)
    counts: dict[str, dict[str, int]] = {}
    for name, found in load().items():
        if wanted and name not in wanted:
            continue
        raised, keys = 0, []
        for due in found.find(today):
            keys.append(due.key)
            _, new = services.raise_clock_task(due.young_person, clock=name, key=due.key, title=due.title,
                                               owner=due.owner, due=due.due, details=due.details, tell=tell)
            raised += new
        closed = services.close_met(name, still_due=keys, on=today, why=found.met)
        counts[name] = {"raised": raised, "closed": closed}
    return counts


def _run_job(job: Job) -> None:
    counts = run()
    with finishing(job) as locked:
        locked.result = counts


@task()
def raise_tasks(job_id: int) -> dict[str, Any]:
    return run_job(job_id, _run_job)


def start_job() -> Job:
    return jobs.start(JOB_KIND, title="Raise the tasks the clocks say are due", task=raise_tasks)


def register_periodic() -> None:
    """The worker starts the clocks' job every NWD_CLOCKS_EVERY_SECONDS (``nwd.jobs.periodic``)."""
    periodic.register(JOB_KIND, every=lambda: dt.timedelta(seconds=settings.NWD_CLOCKS_EVERY_SECONDS), start=start_job)
