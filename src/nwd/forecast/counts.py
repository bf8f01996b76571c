"""Exposure, events, entries and the starting population, counted from the histories.

The rates are estimated as events per day of exposure, so both are counted per state: per single
year of age and placement group (or supported at home). A stretch of care is split at each
birthday, so each day counts at the age the child was on that day; an exit in the week before the
18th birthday is read as leaving care at 18 (many councils end the episode the day before), which
the projection does on the birthday itself, so it is not counted as an exit at 17.

The reference window is [start, end) in days; events count when they happen inside it, exposure
counts the days inside it. The starting population is who is looked after (or supported at home)
at the end of ``as_of``; the projection starts the next day, the jump-off.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import polars as pl

from nwd.forecast.ages import DAY, add_years, age_on
from nwd.forecast.states import (
    AT_HOME,
    CENSORED,
    END_COLUMN,
    LEFT_CARE,
    MOVED,
    N_AGES,
    N_COLUMNS,
    N_GROUPS,
    N_STATES,
)

AGE_OUT_DAYS = 7  # care ending this close before the 18th birthday is read as leaving at 18
CARE_LEAVER_YEARS = 3  # care leavers are counted to the 21st birthday
ENTERED_CARE_DAYS = 7  # support ending this close before a period of care starts led into care


@dataclass(frozen=True)
class Counts:
    """Everything the rates and the starting point are made from (days, children)."""

    exposure: np.ndarray  # (N_AGES, N_STATES) person-days in the window
    events: np.ndarray  # (N_AGES, N_STATES, N_COLUMNS) leaving a state, by age then, to each column
    entries: np.ndarray  # (N_AGES, N_GROUPS) periods of care starting in the window, by first group
    window_start: dt.date
    window_end: dt.date  # exclusive
    stock: np.ndarray  # (N_AGES, N_STATES) at the end of as_of
    stock_age: np.ndarray  # for each child in the stock: age at the jump-off,
    stock_state: np.ndarray  # ... state,
    stock_days_to_birthday: np.ndarray  # ... and days from the jump-off to the next birthday
    care_leaver_days_to_21: np.ndarray  # for each care leaver at the jump-off
    jump_off: dt.date
    with_service_data: bool

    @property
    def window_days(self) -> int:
        return (self.window_end - self.window_start).days


def _days(values: pl.Series) -> np.ndarray:
    days: np.ndarray = values.to_numpy().astype("datetime64[D]")
    return days


def _split_by_age(
    dob: np.ndarray, start: np.ndarray, end: np.ndarray, state: np.ndarray, weights_out: np.ndarray
) -> None:
    """Add the days of each [start, end) to ``weights_out[age, state]``, split at birthdays."""
    first = age_on(dob, start)
    for offset in range(N_AGES + 1):
        age = first + offset
        lo = np.maximum(start, add_years(dob, age))
        hi = np.minimum(end, add_years(dob, age + 1))
        days = (hi - lo).astype(np.int64)
        keep = (days > 0) & (age >= 0) & (age < N_AGES)
        if not keep.any():
            if offset > 0:
                break
            continue
        np.add.at(weights_out, (age[keep], state[keep]), days[keep])


def count(
    segments: pl.DataFrame,
    as_of: dt.date,
    window_start: dt.date,
    spells: pl.DataFrame | None = None,
) -> Counts:
    """Count exposure and events in [window_start, as_of + 1 day), and who is where at as_of."""
    jump_off = as_of + dt.timedelta(days=1)
    w0, w1 = np.datetime64(window_start, "D"), np.datetime64(jump_off, "D")
    dob = _days(segments["DOB"])
    start = _days(segments["START"])
    end_raw = segments["END"].to_numpy().astype("datetime64[D]")
    open_ = np.isnat(end_raw)
    end = np.where(open_, w1, end_raw)
    group = segments["GROUP"].to_numpy().astype(np.int64)
    kind = segments["KIND"].to_numpy().astype(np.int64)
    dest = segments["DEST"].fill_null(-1).to_numpy().astype(np.int64)
    entry = segments["ENTRY"].to_numpy()
    age18 = add_years(dob, 18)

    exposure = np.zeros((N_AGES, N_STATES), dtype=np.float64)
    lo = np.maximum(start, w0)
    hi = np.minimum(np.minimum(end, w1), age18)
    _split_by_age(dob, lo, hi, group, exposure)

    events = np.zeros((N_AGES, N_STATES, N_COLUMNS), dtype=np.float64)
    ends_in_window = ~open_ & (end >= w0) & (end < w1) & (end < age18)
    exit_at_18 = (kind != MOVED) & (end >= age18 - AGE_OUT_DAYS * DAY)
    counted = ends_in_window & (kind != CENSORED) & ~exit_at_18
    column = np.where(kind == MOVED, dest, -1)
    for k, col in END_COLUMN.items():
        column = np.where(kind == k, col, column)
    at = np.maximum(start, end - DAY)
    age_at_event = age_on(dob, at)
    np.add.at(events, (age_at_event[counted], group[counted], column[counted]), 1.0)

    entries = np.zeros((N_AGES, N_GROUPS), dtype=np.float64)
    entering = entry & (start >= w0) & (start < w1)
    entry_age = age_on(dob, start)
    entering &= entry_age < N_AGES
    np.add.at(entries, (entry_age[entering], group[entering]), 1.0)

    stock = np.zeros((N_AGES, N_STATES), dtype=np.float64)
    last_day = w1 - DAY
    in_care = (start <= last_day) & (open_ | (end > last_day)) & (age18 > w1)
    stock_age = age_on(dob, w1)
    in_care &= stock_age < N_AGES
    np.add.at(stock, (stock_age[in_care], group[in_care]), 1.0)
    children_age = stock_age[in_care]
    children_state = group[in_care]
    children_days = (add_years(dob[in_care], children_age + 1) - w1).astype(np.int64)

    # Care leavers: in care on the 18th birthday (or leaving in the week before), within the last
    # three years, still under 21 at the jump-off.
    aged_out = ((open_ & (age18 <= w1)) | (~open_ & (kind != MOVED) & (end >= age18 - AGE_OUT_DAYS * DAY))) & (
        start < age18
    )
    age21 = add_years(dob, 18 + CARE_LEAVER_YEARS)
    leaver = aged_out & (age18 <= w1) & (age21 > w1)
    care_leaver_days_to_21 = (age21[leaver] - w1).astype(np.int64)

    with_service = spells is not None and spells.height > 0
    if spells is not None and with_service:
        home_age, home_days = _count_at_home(spells, segments, w0, w1, exposure, events, stock)
        children_age = np.concatenate([children_age, home_age])
        children_state = np.concatenate([children_state, np.full(len(home_age), AT_HOME)])
        children_days = np.concatenate([children_days, home_days])
    return Counts(
        exposure=exposure,
        events=events,
        entries=entries,
        window_start=window_start,
        window_end=jump_off,
        stock=stock,
        stock_age=children_age,
        stock_state=children_state,
        stock_days_to_birthday=children_days,
        care_leaver_days_to_21=care_leaver_days_to_21,
        jump_off=jump_off,
        with_service_data=with_service,
    )


def _at_home_pieces(
    spells: pl.DataFrame, segments: pl.DataFrame, w1: np.datetime64
) -> Iterator[tuple[np.datetime64, np.datetime64, np.datetime64, str, int]]:
    """Each spell of support with the days in care cut out, and how each piece ended.

    Yields (dob, start, end, ended, first_group): ``ended`` is "care" when the piece ends because
    a period of care starts (then ``first_group`` is its placement group), "ended" when the
    support ends, "open" when it is still going at the jump-off.
    """
    care: dict[str, list[tuple[np.datetime64, np.datetime64, int]]] = {}
    periods = (
        segments.group_by(["CHILD", "PERIOD"], maintain_order=True)
        .agg(pl.col("START").first(), pl.col("END").last(), pl.col("GROUP").first())
        .iter_rows()
    )
    for child, _period, start, end, group in periods:
        care.setdefault(child, []).append(
            (np.datetime64(start, "D"), w1 if end is None else np.datetime64(end, "D"), group)
        )
    grace = ENTERED_CARE_DAYS * DAY
    for child, dob, start, end in spells.select("CHILD", "DOB", "START", "END").iter_rows():
        day = np.datetime64(start, "D")
        stop = w1 if end is None else min(np.datetime64(end, "D"), w1)
        born = np.datetime64(dob, "D")
        for care_start, care_end, group in sorted(care.get(child, [])):
            if care_end <= day:
                continue
            if care_start > stop + (grace if stop < w1 else 0 * DAY):
                break
            if care_start > day:
                yield born, day, min(care_start, stop), "care", group
            day = max(day, care_end)
            if day >= stop:
                break
        if day < stop:
            yield born, day, stop, ("open" if stop >= w1 else "ended"), -1


def _count_at_home(
    spells: pl.DataFrame, segments: pl.DataFrame, w0: np.datetime64, w1: np.datetime64,
    exposure: np.ndarray, events: np.ndarray, stock: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Add the at-home exposure, events and stock; return the stock's ages and days to birthdays."""
    rows = list(_at_home_pieces(spells, segments, w1))
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    dob = np.array([r[0] for r in rows], dtype="datetime64[D]")
    start = np.array([r[1] for r in rows], dtype="datetime64[D]")
    end = np.array([r[2] for r in rows], dtype="datetime64[D]")
    ended = np.array([r[3] for r in rows])
    first_group = np.array([r[4] for r in rows], dtype=np.int64)
    age18 = add_years(dob, 18)
    state = np.full(len(rows), AT_HOME)
    _split_by_age(dob, np.maximum(start, w0), np.minimum(np.minimum(end, w1), age18), state, exposure)
    in_window = (end >= w0) & (end < w1) & (end < age18) & (ended != "open")
    column = np.where(ended == "care", first_group, LEFT_CARE)
    at = np.maximum(start, end - DAY)
    age = age_on(dob, at)
    np.add.at(events, (age[in_window], state[in_window], column[in_window]), 1.0)
    now = (ended == "open") & (start <= w1 - DAY) & (age18 > w1)
    stock_age = age_on(dob, w1)
    now &= stock_age < N_AGES
    np.add.at(stock, (stock_age[now], state[now]), 1.0)
    return stock_age[now], (add_years(dob[now], stock_age[now] + 1) - w1).astype(np.int64)
