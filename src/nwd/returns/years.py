"""The collection year of each row of a return, from its own dates, as the DfE defines each table.

A year's return holds every episode open at any time in the year (so an episode running across
31 March is in two years' files), the missing episodes likewise, and the reviews held in the year;
the Header and the other tables of one row per child hold the children of the year's episodes. So
a row's own dates say which years it can belong to:

- Episodes, Missing, PlacedAdoption, SWEpisodes, DoLo: the years from its start to its end (still
  open: from its start on);
- Reviews: the year of its date;
- the tables without such dates (Header, UASC, OC2, OC3, AD1, PrevPerm): the years of the child's
  episodes, found in the Episodes file that goes with them (same folder, same name but for the
  table's word) or, failing that, in the Episodes read.

What a file says of its year (its name, a YEAR column) is a *claim*: used for each row it fits, and
reported for each row it does not, which then takes the year its dates allow nearest the claim.
Without a claim, a file is one year's return when one year fits (nearly) all its rows; otherwise it
holds several years and each row takes the latest year it fits, up to the file's last year. So one
stray date (a review planned for 2027, a DEC typed 2072) moves its own row, never the file.

Years are handled here as the calendar year they start in (2025 for 2025-26), as ``Int32``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import polars as pl

from nwd.returns.problems import WARNING, Problem, problem
from nwd.returns.schema import ROW_COL

PERIODS = {
    "Episodes": ("DECOM", "DEC"),
    "Missing": ("MIS_START", "MIS_END"),
    "PlacedAdoption": ("DATE_PLACED", "DATE_PLACED_CEASED"),
    "SWEpisodes": ("SW_DECOM", "SW_DEC"),
    "DoLo": ("DOLO_START", "DOLO_END"),
}
DATED = {"Reviews": "REVIEW"}

# A file is one year's return when one year fits at least this share of its dated rows.
ONE_YEAR_SHARE = 0.9
# A year holding fewer than this share of the busiest year's dates is strays, not the file's data.
STRAY_SHARE = 0.05

LO, HI, CLAIM, OWN = "_lo", "_hi", "_claim", "_own"


def has_own_dates(table: str) -> bool:
    """Whether a row of ``table`` carries dates that place it in a year."""
    return table in PERIODS or table in DATED


def text(start: int | None) -> str | None:
    """2025 as "2025-26"."""
    return None if start is None else f"{start}-{(start + 1) % 100:02d}"


def start_of(year: str | None) -> int | None:
    """"2025-26" as 2025."""
    return None if year is None else int(year[:4])


def _start_year(column: str) -> pl.Expr:
    day = pl.col(column)
    return (day.dt.year() - (day.dt.month() < 4).cast(pl.Int32)).cast(pl.Int32)


def with_bounds(frame: pl.DataFrame, table: str) -> pl.DataFrame:
    """``frame`` with ``_lo`` and ``_hi``: the first and last year its dates allow (null: no bound)."""
    if table in PERIODS:
        start, end = PERIODS[table]
        lo, hi = _start_year(start), _start_year(end)
        crossed = lo.is_not_null() & hi.is_not_null() & (hi < lo)  # ends before it starts: no guide
        return frame.with_columns(
            pl.when(crossed).then(None).otherwise(lo).cast(pl.Int32).alias(LO),
            pl.when(crossed).then(None).otherwise(hi).cast(pl.Int32).alias(HI),
        )
    if table in DATED:
        year = _start_year(DATED[table])
        return frame.with_columns(year.alias(LO), year.alias(HI))
    return frame.with_columns(pl.lit(None, dtype=pl.Int32).alias(LO), pl.lit(None, dtype=pl.Int32).alias(HI))


def fits(year: pl.Expr) -> pl.Expr:
    """Whether ``year`` lies within each row's bounds."""
    return (pl.col(LO).is_null() | (pl.col(LO) <= year)) & (pl.col(HI).is_null() | (year <= pl.col(HI)))


def nearest(year: pl.Expr) -> pl.Expr:
    """The year within each row's bounds nearest ``year``."""
    capped = pl.when(pl.col(HI).is_not_null() & (year > pl.col(HI))).then(pl.col(HI)).otherwise(year)
    return pl.when(pl.col(LO).is_not_null() & (capped < pl.col(LO))).then(pl.col(LO)).otherwise(capped).cast(pl.Int32)


@dataclass(frozen=True)
class FileYears:
    """What a file's dates say of its years: ``one`` year's return (``year``), or ``several`` up
    to ``year`` (its last), or nothing (``none``: no row has a date that places it)."""

    kind: str
    year: int | None


def infer(frame: pl.DataFrame) -> FileYears:
    """One year's return or several years, from the bounds of the rows (``with_bounds``)."""
    dated = frame.filter(pl.col(LO).is_not_null() | pl.col(HI).is_not_null()).select(LO, HI)
    if dated.height == 0:
        return FileYears("none", None)
    candidates = sorted(
        {y for y in dated.get_column(LO).unique().to_list() if y is not None}
        | {y for y in dated.get_column(HI).unique().to_list() if y is not None}
    )
    best, best_votes = None, -1
    for year in candidates:  # the earliest year fitting the most rows
        votes = dated.select(fits(pl.lit(year, dtype=pl.Int32)).sum()).item()
        if votes > best_votes:
            best, best_votes = year, votes
    if best_votes >= ONE_YEAR_SHARE * dated.height:
        return FileYears("one", best)
    support = (
        pl.concat([dated.select(pl.col(LO).alias("_y")), dated.select(pl.col(HI).alias("_y"))])
        .drop_nulls().group_by("_y").len()
    )
    most: int = support.get_column("len").max()  # type: ignore[assignment]  # a count: never null here
    floor = max(1.0, STRAY_SHARE * most)
    last: int = support.filter(pl.col("len") >= floor).get_column("_y").max()  # type: ignore[assignment]
    return FileYears("several", last)


def year_column_shift(frame: pl.DataFrame) -> int:
    """0, or 1 when a YEAR column plainly counts years by their start (2024 for 2024-25) rather than
    by their end as the DfE does: most of its rows fit only so."""
    claimed = frame.filter(pl.col(CLAIM).is_not_null() & (pl.col(LO).is_not_null() | pl.col(HI).is_not_null()))
    if claimed.height < 10:
        return 0
    as_dfe = claimed.select(fits(pl.col(CLAIM)).mean()).item()
    shifted = claimed.select(fits(pl.col(CLAIM) + 1).mean()).item()
    return 1 if as_dfe < 0.5 and shifted >= ONE_YEAR_SHARE else 0


def by_dates(frame: pl.DataFrame, table: str, name: str, said_by: str, found: FileYears) -> tuple[pl.DataFrame, list[Problem]]:
    """Each row's year (``_own``) from its claim (``_claim``, may be null) or the file's years.

    A claim from a YEAR column (``_checked`` true), and any claim about a review, is kept where the
    row's dates fit it; elsewhere the row takes the nearest year its dates allow, and a warning
    (NWD-YEAR-DATES) says so. The year of a file of one year's return (by its name, or the year
    its rows' dates fit) is kept for every episode and missing episode in it: one that does not fit
    is an error of that return, which the DfE's rules name (354, 385, 570...). Rows without a claim
    in a file of several years take the latest year they fit, up to the file's last (a later
    stray is left to those rules too).
    """
    claim = pl.col(CLAIM)
    if found.kind == "one":
        claim = claim.fill_null(pl.lit(found.year, dtype=pl.Int32))
    checked = pl.lit(True) if table in DATED else pl.col("_checked").fill_null(False)
    frame = frame.with_columns(claim.alias("_used"))
    last = pl.lit(found.year, dtype=pl.Int32)
    fallback = (
        (nearest(last) if table in DATED else pl.min_horizontal(nearest(last), last))
        if found.kind == "several" else pl.lit(None, dtype=pl.Int32)
    )
    own = (
        pl.when(pl.col("_used").is_not_null() & checked).then(nearest(pl.col("_used")))
        .when(pl.col("_used").is_not_null()).then(pl.col("_used"))
        .otherwise(fallback)
    )
    frame = frame.with_columns(own.cast(pl.Int32).alias(OWN))
    if found.kind == "several" and table in PERIODS:
        frame = _copies_in_turn(frame, table)
    moved = pl.col("_used").is_not_null() & (pl.col(OWN) != pl.col("_used"))
    problems = [
        _moved(row, table, name, said_by if row[CLAIM] is not None else "the file's other rows")
        for row in frame.filter(moved).iter_rows(named=True)
    ]
    return frame.drop("_used"), problems


def _copies_in_turn(frame: pl.DataFrame, table: str) -> pl.DataFrame:
    """In a file of several years' returns without a YEAR column, an episode open across 31 March is
    there once per year: its copies (same CHILD and start) are read in consecutive years, the last
    (the one that ended, or the last still open) in the year found for it, each earlier one a year
    before, so that no copy is taken for an episode overlapping itself."""
    start, end = PERIODS[table]
    if "CHILD" not in frame.columns:
        return frame
    key = ["CHILD", start]
    unclaimed = pl.col("_used").is_null() & pl.col(start).is_not_null() & pl.col("CHILD").is_not_null()
    frame = frame.with_row_index("_order")
    copies = frame.filter(unclaimed).sort([pl.col(end).is_not_null(), end, ROW_COL, "_order"]).with_columns(
        pl.len().over(key).alias("_copies"),
        pl.int_range(pl.len()).over(key).alias("_turn"),
        pl.col(OWN).last().over(key).alias("_latest"),
    ).filter(pl.col("_copies") > 1)
    if copies.height == 0:
        return frame.drop("_order")
    turned = copies.select(
        "_order",
        pl.max_horizontal(pl.col("_latest") - (pl.col("_copies") - 1 - pl.col("_turn")), pl.col(LO))
        .cast(pl.Int32).alias("_turned"),
    )
    return frame.join(turned, on="_order", how="left").with_columns(
        pl.coalesce(pl.col("_turned"), pl.col(OWN)).alias(OWN)
    ).sort("_order").drop("_order", "_turned")


def _dates(row: dict[str, Any], table: str) -> tuple[str, str]:
    """The row's dates in words, and the years they allow."""
    if table in PERIODS:
        start, end = PERIODS[table]
        shown = f"{start} {_day(row[start])}, {end} {_day(row[end]) if row[end] else 'blank (still open)'}"
    else:
        shown = f"{DATED[table]} {_day(row[DATED[table]])}"
    lo, hi = row[LO], row[HI]
    if lo is not None and hi is not None:
        allows = f"only {text(lo)}" if lo == hi else f"only {text(lo)} to {text(hi)}"
    elif lo is not None:
        allows = f"{text(lo)} or later"
    else:
        allows = f"{text(hi)} or earlier"
    return shown, allows


def _day(value: dt.date | None) -> str:
    return "blank" if value is None else f"{value:%d/%m/%Y}"


def _moved(row: dict[str, Any], table: str, name: str, said_by: str) -> Problem:
    shown, allows = _dates(row, table)
    return problem(
        "NWD-YEAR-DATES",
        f"{said_by} says {text(row['_used'])}, but the row's dates ({shown}) fit {allows}: "
        f"read as {text(row[OWN])}", file=name, row=row[ROW_COL], column=_first_date(table),
        value=row[_first_date(table)], severity=WARNING, table=table, child=row.get("CHILD"),
    )


def _first_date(table: str) -> str:
    return PERIODS[table][0] if table in PERIODS else DATED[table]


# ----------------------------------------------------------------------------------------------
# Tables of one row per child: by the child's episodes

TABLE_WORDS = frozenset({
    "header", "headers", "child", "children", "episodes", "episode", "missing", "uasc", "reviews", "review",
    "oc2", "oc3", "ad1", "placedadoption", "placed", "adoption", "prevperm", "previous", "permanence",
    "swepisodes", "sw", "socialworker", "dolo",
})


def name_key(stem: str) -> str:
    """A file's name without its table's word, so that "SSDA903_2023_Header" and
    "SSDA903_2023_Episodes" (one year's files, named the council's way) have the same key."""
    tokens = [t for t in re.split(r"[^a-z0-9]+", stem.lower()) if t]
    return "_".join(t for t in tokens if t not in TABLE_WORDS)


def jaccard_year(children: set[str], by_year: dict[int, set[str]], share: float = 0.8) -> int | None:
    """The year whose children are (nearly) the file's children, or None."""
    best, best_score = None, 0.0
    for year, known in by_year.items():
        union = len(children | known)
        score = len(children & known) / union if union else 0.0
        if score > best_score:
            best, best_score = year, score
    return best if best_score >= share else None
