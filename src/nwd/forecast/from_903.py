"""A folder of SSDA903 files (one or several collection years) as the forecast's input.

A thin adapter: ``nwd.returns.reader`` reads the files (CSV or XML; each row in its own collection
year, one council at a time) and ``nwd.returns.stitch`` merges the years into one history per
child; this module joins each episode to its child's date of birth and sex from the Header table
and says which days the files cover. It stops with an error only when nothing usable can be read
(no Episodes or no Header table, a required column missing, several councils and none named); every
message names the file, and the row where there is one.

Rows are never dropped silently:

- an open episode (no DEC) that carries a reason ceased (REC) is the DfE's rule 148, an error in
  the row, not an ending: it is kept as an open episode, and counted in a note;
- what the forecast then leaves out of its rates is counted by the DfE's rule it breaks
  (``left_out_by_rule``), in notes too;
- the data's last day is the end of the latest collection year of the Episodes (a year holding a
  few stray rows, a date typed years ahead, does not count), so the forecast starts from the
  children a plain count of open episodes gives on that day (``looked_after_on``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from nwd.codelists.codes import year_bounds
from nwd.forecast.histories import looked_after_on
from nwd.forecast.inputs import Excluded, InputError, clean_episodes
from nwd.forecast.sources import Source
from nwd.returns.blocks import stitch_in_blocks
from nwd.returns.problems import Problem
from nwd.returns.reader import read_files
from nwd.returns.schema import YEAR_COL

REQUIRED = {
    "Episodes": ("CHILD", "DECOM", "DEC", "REC", "PLACE", "PLACE_PROVIDER"),
    "Header": ("CHILD", "DOB"),
}
# A collection year with fewer Episodes rows than this share of the fullest year's is strays.
STRAY_YEAR_SHARE = 0.05
EXAMPLES = 3

# The DfE's rule broken by each kind of row the forecast leaves out of its rates (by the start of
# the reason ``nwd.forecast.inputs`` gives); None where the row breaks no rule of the return.
RULE_OF_REASON = (
    ("no child id", "NWD-CHILD"),
    ("the child's rows give different dates of birth", "203"),
    ("no date of birth", "102"),
    ("no start date", "141"),
    ("ends (DEC) before it starts", "356"),
    ("has a reason ceased (REC) but no end date", "148"),
    ("no placement", "146"),
    ("unknown placement code", "146"),
    ("unknown reason ceased", "149"),
    ("starts (DECOM) before the date of birth", "302"),
    ("starts (DECOM) on or after the 18th birthday", "352"),
    ("starts the same day (DECOM) as another episode", "501"),
    ("open (no DEC) but the child has a later episode", "142"),
    ("starts (DECOM) before the child's previous episode ended", "501"),
    ("short breaks", None),
    ("starts after", None),
)


class Return903Error(InputError):
    """The files cannot be used; ``problems`` holds every reason (each naming file and row)."""

    def __init__(self, message: str, problems: list[Any] | None = None, councils: list[str] | None = None):
        super().__init__(message)
        self.problems = list(problems or [])
        self.councils = list(councils or [])


@dataclass(frozen=True)
class JumpOff:
    """The day the data runs to and a plain count of the children looked after at its end."""

    date: dt.date
    looked_after: int


def load(directory: str | Path, la: str | None = None) -> Source:
    """The episodes of every 903 file under ``directory``, stitched into one history per child.

    ``la`` picks one council from files with an LA column; it is required when they hold several.
    """
    path = Path(directory)
    if not path.is_dir():
        raise Return903Error(f"{path}: there is no such folder")
    result = read_files([path], la=la)
    if any(p.rule == "NWD-LA" and p.is_error for p in result.problems):
        message = "; ".join(p.message for p in result.problems if p.rule == "NWD-LA")
        raise Return903Error(message, result.problems, result.councils)
    blocking = [p for p in result.problems if _blocks(p)]
    missing = [t for t in REQUIRED if t not in result.tables or result.tables[t].height == 0]
    if missing or blocking:
        shown = blocking + [p for p in result.problems if p.row is None and p not in blocking]
        what = (
            f"no {' or '.join(missing)} rows could be read from {path}" if missing
            else f"the 903 files in {path} cannot be used"
        )
        detail = "; ".join(p.message for p in shown) or "the folder holds no .csv or .xml file"
        raise Return903Error(f"{what}: {detail}", result.problems)
    years = episode_years(result.tables["Episodes"])
    stitched = stitch_in_blocks(result.tables)  # a block of children at a time: memory grows with the block
    result.tables.clear()
    episodes, open_with_rec = open_rows_kept(stitched.tables["Episodes"])
    header = stitched.tables["Header"].select(
        "CHILD", pl.col("DOB"), pl.col("SEX")
    ).unique(subset=["CHILD"], keep="last", maintain_order=True)
    joined = episodes.drop([c for c in ("DOB", "SEX") if c in episodes.columns]).join(
        header, on="CHILD", how="left"
    )
    as_of = year_bounds(years[-1])[1] if years else None
    observed_from = year_bounds(years[0])[0] if years else None
    notes = [*_by_rule(result.problems + stitched.problems), *result.notices, *stitched.notices]
    if open_with_rec:
        notes.append(open_with_rec)
    if as_of is not None:
        notes += [f"left out of the rates: {line}" for line in left_out_by_rule(joined, as_of, observed_from)]
    council = f" ({result.council})" if result.council else ""
    description = (
        f"903 files in {path}{council}: {len(result.files)} files, collection years "
        f"{years[0]} to {years[-1]}" if years else f"903 files in {path}{council}"
    )
    return Source(
        episodes=joined,
        service_spells=None,
        as_of=as_of,
        observed_from=observed_from,
        description=description,
        notes=tuple(notes),
    )


def jump_off(source: Source) -> JumpOff | None:
    """The day the data runs to and a plain count of open episodes' children then (None when the
    source leaves the day to the data)."""
    if source.as_of is None:
        return None
    return JumpOff(source.as_of, looked_after_on(source.episodes, source.as_of))


def episode_years(episodes: pl.DataFrame) -> list[str]:
    """The collection years the Episodes rows fill, oldest first: a year holding fewer rows than
    ``STRAY_YEAR_SHARE`` of the fullest year's is a few stray rows (a date typed years ahead), not
    a year of data, and is left out, so it cannot move the forecast's start."""
    counts = episodes.get_column(YEAR_COL).drop_nulls().value_counts()
    if counts.height == 0:
        return []
    fullest: int = counts.get_column("count").max()  # type: ignore[assignment]  # a count: never null here
    floor = STRAY_YEAR_SHARE * fullest
    return sorted(counts.filter(pl.col("count") >= floor).get_column(YEAR_COL).to_list())


def open_rows_kept(episodes: pl.DataFrame) -> tuple[pl.DataFrame, str | None]:
    """Open episodes (no DEC) with a reason ceased (REC) kept as open, REC cleared; and a note.

    The DfE's rule 148 says DEC and REC are given together: a REC without a DEC is an error in the
    row, not an ending (whole extracts come with a REC on every open episode). Dropping those rows
    would start the forecast from nobody; reading them as ended would invent exits.
    """
    flagged = pl.col("DEC").is_null() & pl.col("REC").is_not_null()
    rows = episodes.filter(flagged)
    if rows.height == 0:
        return episodes, None
    examples = "; ".join(_where(row) for row in rows.head(EXAMPLES).iter_rows(named=True))
    note = (
        f"rule 148: {rows.height:,} open episode{'s' if rows.height != 1 else ''} (no DEC) carry a reason "
        "ceased (REC), which the DfE reads as an error in the row, not an ending: kept as open episodes "
        f"(for example {examples})"
    )
    return episodes.with_columns(pl.when(flagged).then(None).otherwise(pl.col("REC")).alias("REC")), note


def left_out_by_rule(episodes: pl.DataFrame, as_of: dt.date, observed_from: dt.date | None) -> list[str]:
    """What the forecast's rates will leave out, counted by the DfE rule each row breaks."""
    try:
        clean = clean_episodes(episodes, as_of=as_of, observed_from=observed_from)
    except InputError:
        return []
    return [_rule_line(e) for e in clean.excluded]


def rule_of(reason: str) -> str | None:
    """The DfE rule a row left out of the rates for ``reason`` breaks, if any."""
    for start, rule in RULE_OF_REASON:
        if reason.startswith(start):
            return rule
    return None


def _rule_line(excluded: Excluded) -> str:
    rule = rule_of(excluded.reason)
    label = f"rule {rule}" if rule else "no rule broken"
    return f"{label}: {excluded}"


def _by_rule(problems: list[Any]) -> list[str]:
    """Reading's problems as one note per rule: the count and the first example."""
    counts = Counter(p.rule for p in problems)
    first: dict[str, str] = {}
    for p in problems:
        first.setdefault(p.rule, p.message)
    return [
        first[rule] if count == 1 else f"rule {rule}: {count:,} rows, for example {first[rule]}"
        for rule, count in counts.items()
    ]


def _where(row: dict[str, Any]) -> str:
    return f"{row.get('_file') or '?'} row {row.get('_row')} (CHILD {row.get('CHILD')})"


def _blocks(problem: Problem) -> bool:
    """Whether a problem stops the forecast: a column it cannot do without is missing."""
    if not problem.is_error or problem.rule != "NWD-MISSING-COLUMN" or problem.table not in REQUIRED:
        return False
    return any(f"column {column};" in problem.message for column in REQUIRED[problem.table])
