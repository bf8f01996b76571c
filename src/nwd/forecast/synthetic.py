"""A made-up county's care histories with known true rates, for tests, the benchmark and demos.

Children come into care at a steady rate (per year, with a fixed mix of ages), stay in a
placement for an exponential time with a known hazard per placement group, then move or leave
care with known probabilities, and leave on their 18th birthday at the latest. Episodes carry
legal-status breaks (X1 with RNE L) and short hospital stays (T1) like real returns, so the
forecast's reading of them is exercised; ``messy`` adds the faults real extracts have.
Entirely synthetic: seeded random numbers, no real child.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import polars as pl

from nwd.codelists.groups import PlacementGroup as G

# How each group is written in a 903 return.
PLACEMENT_CODES = {
    G.KINSHIP_FOSTERING: ("U3", "PR1"),
    G.IN_HOUSE_FOSTERING: ("U6", "PR1"),
    G.AGENCY_FOSTERING: ("U6", "PR4"),
    G.IN_HOUSE_RESIDENTIAL: ("K2", "PR1"),
    G.PRIVATE_RESIDENTIAL: ("K2", "PR4"),
    G.SECURE: ("K1", "PR1"),
    G.SUPPORTED: ("H5", "PR4"),
    G.WITH_PARENTS: ("P1", "PR0"),
    G.ADOPTION: ("A4", "PR1"),
    G.OTHER: ("R3", "PR1"),
}

# Yearly hazard of leaving each group, and the chance that leaving is leaving care.
HAZARD = {
    G.KINSHIP_FOSTERING: 0.45, G.IN_HOUSE_FOSTERING: 0.55, G.AGENCY_FOSTERING: 0.5,
    G.IN_HOUSE_RESIDENTIAL: 1.2, G.PRIVATE_RESIDENTIAL: 0.9, G.SECURE: 4.0, G.SUPPORTED: 1.0,
    G.WITH_PARENTS: 1.3, G.ADOPTION: 2.5, G.OTHER: 1.5,
}
EXIT_SHARE = {
    G.KINSHIP_FOSTERING: 0.5, G.IN_HOUSE_FOSTERING: 0.35, G.AGENCY_FOSTERING: 0.3,
    G.IN_HOUSE_RESIDENTIAL: 0.25, G.PRIVATE_RESIDENTIAL: 0.2, G.SECURE: 0.1, G.SUPPORTED: 0.5,
    G.WITH_PARENTS: 0.8, G.ADOPTION: 0.95, G.OTHER: 0.4,
}
RETURN_HOME_SHARE = 0.35  # of exits (not from adoption): planned returns home (E4A)

# Entries: share by age 0-17, then first placement by age.
ENTRY_AGE = np.array([14, 5, 5, 4, 4, 4, 4, 4, 4, 4, 5, 5, 6, 7, 8, 8, 7, 3], dtype=float)
ENTRY_AGE /= ENTRY_AGE.sum()
ENTRY_CUMULATIVE = np.minimum(np.cumsum(ENTRY_AGE), 1.0)


def first_placement(age: int) -> dict[G, float]:
    if age < 10:
        return {G.KINSHIP_FOSTERING: 0.2, G.IN_HOUSE_FOSTERING: 0.45, G.AGENCY_FOSTERING: 0.25,
                G.WITH_PARENTS: 0.05, G.OTHER: 0.05}
    if age < 16:
        return {G.KINSHIP_FOSTERING: 0.15, G.IN_HOUSE_FOSTERING: 0.3, G.AGENCY_FOSTERING: 0.25,
                G.IN_HOUSE_RESIDENTIAL: 0.1, G.PRIVATE_RESIDENTIAL: 0.15, G.SECURE: 0.05}
    return {G.IN_HOUSE_FOSTERING: 0.15, G.AGENCY_FOSTERING: 0.15, G.PRIVATE_RESIDENTIAL: 0.2,
            G.SUPPORTED: 0.45, G.SECURE: 0.05}


def move_to(age: int, current: G) -> dict[G, float]:
    options = dict(first_placement(age))
    if age < 10 and current in (G.IN_HOUSE_FOSTERING, G.AGENCY_FOSTERING, G.KINSHIP_FOSTERING):
        options[G.ADOPTION] = 0.3
    options.pop(current, None)
    return options


@dataclass(frozen=True)
class County:
    episodes: pl.DataFrame
    spells: pl.DataFrame
    start: dt.date
    end: dt.date


KeyT = TypeVar("KeyT")


def _pick(rng: np.random.Generator, weights: Mapping[KeyT, float]) -> KeyT:
    keys = list(weights)
    total = sum(weights.values())
    draw, running = rng.random() * total, 0.0
    for key in keys:
        running += weights[key]
        if draw < running:
            return key
    return keys[-1]


def _birthday(dob: dt.date, years: int) -> dt.date:
    try:
        return dob.replace(year=dob.year + years)
    except ValueError:  # 29 February
        return dt.date(dob.year + years, 3, 1)


def county(
    entries_per_year: float = 400,
    years: int = 8,
    end: dt.date = dt.date(2024, 3, 31),
    seed: int = 0,
    messy: float = 0.0,
    spells_per_year: float = 0.0,
) -> County:
    """Episodes (and the service's spells at home) of a county over ``years`` years to ``end``.

    ``messy`` is the share of children given one fault of the kinds real extracts have.
    """
    rng = np.random.default_rng(seed)
    start = dt.date(end.year - years, 4, 1)
    span = (end - start).days + 1
    n = rng.poisson(entries_per_year * span / 365.25)
    rows: list[dict[str, Any]] = []
    for number in range(n):
        entered = start + dt.timedelta(days=int(rng.integers(span)))
        age = int(np.searchsorted(ENTRY_CUMULATIVE, rng.random(), side="right"))
        dob = entered - dt.timedelta(days=int(age * 365.25 + rng.integers(365)))
        child = f"S{seed:02d}{number:06d}"
        _one_child(rng, rows, child, dob, entered, end)
    frame = pl.DataFrame(
        rows,
        schema={
            "CHILD": pl.Utf8, "SEX": pl.Utf8, "DOB": pl.Date, "DECOM": pl.Date, "DEC": pl.Date, "RNE": pl.Utf8,
            "LS": pl.Utf8, "CIN": pl.Utf8, "PLACE": pl.Utf8, "PLACE_PROVIDER": pl.Utf8, "REC": pl.Utf8,
        },
        orient="row",
    )
    if messy > 0:
        frame = _make_messy(frame, rng, messy)
    spells = _spells(rng, start, end, spells_per_year)
    return County(episodes=frame, spells=spells, start=start, end=end)


def _one_child(
    rng: np.random.Generator, rows: list[dict[str, Any]], child: str, dob: dt.date, day: dt.date, end: dt.date
) -> None:
    age18 = _birthday(dob, 18)
    sex = str(rng.integers(1, 3))
    group = _pick(rng, first_placement(_age(dob, day)))
    rne = "S"
    while True:
        stay = max(1, int(rng.exponential(365.25 / HAZARD[group])))
        leave = day + dt.timedelta(days=stay)
        place, provider = PLACEMENT_CODES[group]
        pieces = _pieces(rng, day, min(leave, age18, end + dt.timedelta(days=1)), place, provider)
        if leave >= age18 or leave > end:
            final: tuple[dt.date | None, str | None] = (age18, "E8") if age18 <= end else (None, None)
            _write(rows, child, sex, dob, pieces, rne, final)
            return
        if rng.random() < EXIT_SHARE[group]:
            rec = "E11" if group == G.ADOPTION else ("E4A" if rng.random() < RETURN_HOME_SHARE else "E8")
            _write(rows, child, sex, dob, pieces, rne, (leave, rec))
            return
        _write(rows, child, sex, dob, pieces, rne, (leave, "X1"))
        group = _pick(rng, move_to(_age(dob, leave), group))
        day, rne = leave, "P"


def _age(dob: dt.date, day: dt.date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def _pieces(
    rng: np.random.Generator, start: dt.date, stop: dt.date, place: str, provider: str | None
) -> list[tuple[dt.date, str, str | None]]:
    """A placement as episodes: sometimes a legal status break (X1, RNE L) or a week in hospital."""
    pieces = [(start, place, provider)]
    length = (stop - start).days
    if length > 60 and rng.random() < 0.25:
        cut = start + dt.timedelta(days=int(rng.integers(20, length - 20)))
        if rng.random() < 0.5:
            back = cut + dt.timedelta(days=int(rng.integers(3, 10)))
            pieces += [(cut, "T1", None), (back, place, provider)]
        else:
            pieces.append((cut, place, provider))
    return pieces


def _write(
    rows: list[dict[str, Any]], child: str, sex: str, dob: dt.date, pieces: list[tuple[dt.date, str, str | None]],
    rne: str, final: tuple[dt.date | None, str | None],
) -> None:
    for i, (decom, place, provider) in enumerate(pieces):
        last = i == len(pieces) - 1
        dec, rec = final if last else (pieces[i + 1][0], "X1")
        rows.append({
            "CHILD": child, "SEX": sex, "DOB": dob, "DECOM": decom, "DEC": dec,
            "RNE": rne if i == 0 else ("T" if place == "T1" or pieces[i - 1][1] == "T1" else "L"),
            "LS": "C2", "CIN": "N1", "PLACE": place, "PLACE_PROVIDER": provider, "REC": rec,
        })


def _spells(rng: np.random.Generator, start: dt.date, end: dt.date, per_year: float) -> pl.DataFrame:
    span = (end - start).days + 1
    n = rng.poisson(per_year * span / 365.25) if per_year > 0 else 0
    rows = []
    for number in range(n):
        begin = start + dt.timedelta(days=int(rng.integers(span)))
        age = int(rng.integers(12, 17))
        dob = begin - dt.timedelta(days=int(age * 365.25 + rng.integers(365)))
        stop = begin + dt.timedelta(days=int(rng.exponential(220)))
        rows.append({"CHILD": f"H{number:06d}", "DOB": dob, "START": begin, "END": None if stop > end else stop})
    return pl.DataFrame(rows, schema={"CHILD": pl.Utf8, "DOB": pl.Date, "START": pl.Date, "END": pl.Date},
                        orient="row")


FAULTS = ("rec_without_dec", "dec_before_decom", "duplicate", "no_dob", "unknown_place", "overlap")


def _make_messy(frame: pl.DataFrame, rng: np.random.Generator, share: float) -> pl.DataFrame:
    """Give a share of children one fault each (see FAULTS), in the rows' own data."""
    rows = frame.to_dicts()
    children = sorted({r["CHILD"] for r in rows})
    faulty = {c: FAULTS[int(rng.integers(len(FAULTS)))] for c in children if rng.random() < share}
    out: list[dict[str, Any]] = []
    done: set[str] = set()
    for row in rows:
        fault = faulty.get(row["CHILD"])
        if fault and row["CHILD"] not in done:
            done.add(row["CHILD"])
            if fault == "rec_without_dec" and row["DEC"] is not None:
                row = {**row, "DEC": None}
            elif fault == "dec_before_decom" and row["DEC"] is not None:
                row = {**row, "DEC": row["DECOM"] - dt.timedelta(days=5)}
            elif fault == "duplicate":
                out.append(dict(row))
            elif fault == "no_dob":
                row = {**row, "DOB": None}
            elif fault == "unknown_place":
                row = {**row, "PLACE": "Q9"}
            elif fault == "overlap" and row["DEC"] is not None:
                out.append({**row, "DECOM": row["DECOM"] + dt.timedelta(days=1), "REC": "E8"})
        out.append(row)
    return pl.DataFrame(out, schema=frame.schema, orient="row")


def true_hazard_per_day(group: G) -> float:
    """The hazard the county was made with (for tests that check the estimates recover it)."""
    return HAZARD[group] / 365.25

