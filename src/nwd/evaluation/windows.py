"""Windows of time around the start of support, and counting dated records inside them.

Pure numpy, no Django: every measure of the evaluation is "how many of these, or how many days of
that, fell in this person's window", so the windows are built once for the whole cohort as arrays
and each measure is one vectorised pass over the records (no loop over young people, no query per
young person).

Conventions, kept in one place because every figure depends on them:

* A window is half-open, ``[lo, hi)`` in whole days. The 12 months *before* support are
  ``[start - 12 months, start)`` and the 12 months *after* are ``[start, start + 12 months)``, so an
  event on the start date counts in the *after* window. That is the cautious choice: the crisis that
  brought a young person in on their first day is counted against the service, never for it.
* Months are calendar months; a day the target month lacks becomes its last day (31 August plus
  18 months is 28 or 29 February).
* Windows are clipped to the data: never before the first date a source holds records for, never
  after the as-of date. Measures about care also stop at the 18th birthday, because nobody can
  become or stay looked after after it (a fall in care days at 18 is not an improvement).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, replace

import numpy as np

DAY = np.timedelta64(1, "D")
NAT = np.datetime64("NaT", "D")


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole calendar months; a missing day becomes the month's last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def to_days(values) -> np.ndarray:
    """Dates (or None) as a ``datetime64[D]`` array; None becomes NaT."""
    return np.array([np.datetime64(v, "D") if v is not None else NAT for v in values], dtype="datetime64[D]")


def shift_months(days: np.ndarray, months: int) -> np.ndarray:
    """Each date of a ``datetime64[D]`` array moved by calendar months (NaT stays NaT), as
    ``add_months`` does one date, for the whole array at once."""
    days = np.asarray(days, dtype="datetime64[D]")
    month = days.astype("datetime64[M]")
    day_of_month = (days - month.astype("datetime64[D]")).astype(np.int64)
    target = month + np.timedelta64(months, "M")
    last_day = (target + np.timedelta64(1, "M")).astype("datetime64[D]") - DAY
    shifted = target.astype("datetime64[D]") + day_of_month.astype("timedelta64[D]")
    return np.where(np.isnat(days), NAT, np.minimum(shifted, last_day))


def birthdays(dates_of_birth: np.ndarray, age: int) -> np.ndarray:
    """The day each person turns ``age``. A 29 February birthday falls on 1 March in other years,
    as in ``nwd.core.dates.birthday`` (the legal convention for ages)."""
    born = np.asarray(dates_of_birth, dtype="datetime64[D]")
    same_day = shift_months(born, 12 * age)
    leap_day = (born.astype("datetime64[M]").astype(np.int64) % 12 == 1) & (
        (born - born.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) == 28
    )
    moved = leap_day & ((same_day - same_day.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) != 28)
    return np.where(moved, same_day + DAY, same_day)


@dataclass(frozen=True)
class Span:
    """One half-open window ``[lo, hi)`` per person, and the nominal window it was clipped from."""

    lo: np.ndarray
    hi: np.ndarray
    nominal_lo: np.ndarray
    nominal_hi: np.ndarray

    @property
    def days(self) -> np.ndarray:
        """Length in days (0 where the window is empty)."""
        return np.maximum((self.hi - self.lo) / DAY, 0).astype(np.int64)

    @property
    def empty(self) -> np.ndarray:
        return self.hi <= self.lo

    @property
    def full(self) -> np.ndarray:
        return (self.lo == self.nominal_lo) & (self.hi == self.nominal_hi)

    def clip(self, lo: np.ndarray | np.datetime64 | None = None, hi: np.ndarray | np.datetime64 | None = None) -> Span:
        """The window narrowed to ``[lo, hi)`` (scalars or per-person arrays; NaT means no limit)."""
        new_lo, new_hi = self.lo, self.hi
        if lo is not None:
            lo = np.broadcast_to(np.asarray(lo, dtype="datetime64[D]"), self.lo.shape)
            new_lo = np.where(np.isnat(lo), new_lo, np.maximum(new_lo, lo))
        if hi is not None:
            hi = np.broadcast_to(np.asarray(hi, dtype="datetime64[D]"), self.hi.shape)
            new_hi = np.where(np.isnat(hi), new_hi, np.minimum(new_hi, hi))
        return replace(self, lo=new_lo, hi=new_hi)


@dataclass(frozen=True)
class SupportWindows:
    """The before and after windows of every young person in a cohort, in cohort order."""

    start: np.ndarray
    before: Span
    after: Span

    @classmethod
    def around(cls, starts: np.ndarray, months: int = 12) -> SupportWindows:
        """Nominal windows of ``months`` calendar months either side of each start date."""
        starts = np.asarray(starts, dtype="datetime64[D]")
        before_lo = shift_months(starts, -months)
        after_hi = shift_months(starts, months)
        return cls(
            start=starts,
            before=Span(before_lo, starts, before_lo, starts),
            after=Span(starts, after_hi, starts, after_hi),
        )

    def clip(self, lo=None, hi=None) -> SupportWindows:
        """Both windows clipped to the same limits (data start, as-of, 18th birthday...)."""
        return replace(self, before=self.before.clip(lo, hi), after=self.after.clip(lo, hi))


class PersonIndex:
    """Maps young person ids to their row in the cohort, for any number of records at once."""

    def __init__(self, person_ids: np.ndarray):
        self.ids = np.asarray(person_ids, dtype=np.int64)
        self.order = np.argsort(self.ids, kind="stable")
        self.sorted_ids = self.ids[self.order]

    def __len__(self) -> int:
        return len(self.ids)

    def rows(self, person_ids: np.ndarray) -> np.ndarray:
        """The cohort row of each id, or -1 for people outside the cohort."""
        person_ids = np.asarray(person_ids, dtype=np.int64)
        if len(self.ids) == 0 or len(person_ids) == 0:
            return np.full(person_ids.shape, -1, dtype=np.int64)
        pos = np.searchsorted(self.sorted_ids, person_ids)
        pos_clipped = np.minimum(pos, len(self.ids) - 1)
        found = self.sorted_ids[pos_clipped] == person_ids
        return np.where(found, self.order[pos_clipped], -1)


def count_in(span: Span, rows: np.ndarray, days: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Per person, how many records (or the sum of their weights) fall on a day inside the window.

    ``rows`` is each record's cohort row (-1 outside the cohort) and ``days`` its date.
    """
    n = len(span.lo)
    keep = rows >= 0
    rows, days = rows[keep], days[keep]
    w = None if weights is None else np.asarray(weights, dtype=float)[keep]
    inside = (days >= span.lo[rows]) & (days < span.hi[rows]) & ~np.isnat(days)
    return np.bincount(rows[inside], weights=None if w is None else w[inside], minlength=n).astype(float)


def overlap_days(span: Span, rows: np.ndarray, starts: np.ndarray, ends: np.ndarray, open_end: np.datetime64) -> np.ndarray:
    """Per person, the days that intervals ``[start, end)`` share with the window.

    An interval with no end (NaT) runs to ``open_end`` (the day after the as-of date). Intervals of
    one person that overlap each other are each counted: the callers' records do not overlap.
    """
    n = len(span.lo)
    keep = (rows >= 0) & ~np.isnat(starts)
    rows, starts, ends = rows[keep], starts[keep], ends[keep]
    ends = np.where(np.isnat(ends), open_end, ends)
    lo = np.maximum(starts, span.lo[rows])
    hi = np.minimum(ends, span.hi[rows])
    days = np.maximum((hi - lo) / DAY, 0)
    return np.bincount(rows, weights=days, minlength=n)


def latest_in(span: Span, rows: np.ndarray, days: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Per person, the value of the latest record inside the window (NaN where there is none).

    Records on the same day: the one given last wins, so callers pass them in recording order.
    """
    n = len(span.lo)
    out = np.full(n, np.nan)
    keep = rows >= 0
    rows, days, values = rows[keep], days[keep], np.asarray(values, dtype=float)[keep]
    inside = (days >= span.lo[rows]) & (days < span.hi[rows])
    rows, days, values = rows[inside], days[inside], values[inside]
    order = np.lexsort((np.arange(len(days)), days, rows))
    rows, values = rows[order], values[order]
    if len(rows):
        last = np.r_[rows[1:] != rows[:-1], True]
        out[rows[last]] = values[last]
    return out
