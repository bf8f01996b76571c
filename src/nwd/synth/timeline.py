"""The county's calendar: as-of, go-live, the start of the care history, and day arithmetic.

Inside the generator a day is an integer (``date.toordinal()``): it keeps arrays numeric and makes
"no two stays overlap" a comparison of integers. Dates are made only when rows are written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from zoneinfo import ZoneInfo

from nwd.core import dates
from nwd.synth import params

LONDON = ZoneInfo("Europe/London")
YEAR = 365.25
NEVER = 10**7  # an ordinal far beyond any date: the end of something still open


def day(value: int) -> dt.date:
    return dt.date.fromordinal(int(value))


def ordinal(value: dt.date) -> int:
    return value.toordinal()


def birthday(dob: int, age: int) -> int:
    """The day someone born on ``dob`` turns ``age`` (29 February birthdays fall on 1 March)."""
    return dates.birthday(day(dob), age).toordinal()


def age_on(dob: int, on: int) -> int:
    return dates.age_on(day(dob), day(on))


def moment(on: int, minutes: int) -> dt.datetime:
    """A local date and time (minutes after midnight) as an aware datetime."""
    base = day(on)
    return dt.datetime(base.year, base.month, base.day, minutes // 60, minutes % 60, tzinfo=LONDON)


@dataclass(frozen=True)
class Timeline:
    as_of: dt.date

    @cached_property
    def end(self) -> int:
        """As-of as an ordinal: the last day anything may be dated."""
        return self.as_of.toordinal()

    @cached_property
    def go_live(self) -> int:
        """The service went live three years before as-of (both hubs opened that day)."""
        return birthday(self.end, -params.SERVICE_YEARS)

    @cached_property
    def history_start(self) -> int:
        """The care history the forecast back-tests on starts ten years before as-of."""
        return birthday(self.end, -params.HISTORY_YEARS)

    @cached_property
    def burn_in_start(self) -> int:
        return birthday(self.history_start, -params.BURN_IN_YEARS)


def pick(rng, weights) -> int:
    """The index of one draw with these weights (they need not add up to 1).

    ``rng.choice(n, p=...)`` validates and normalises ``p`` on every call, which dominates when it
    is called a million times for a handful of options; this is the same draw in plain Python.
    """
    total = float(sum(weights))
    r = rng.random() * total
    for i, w in enumerate(weights):
        r -= w
        if r < 0:
            return i
    return len(weights) - 1
