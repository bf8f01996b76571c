"""A folder of SSDA903 files (one or several collection years) as the forecast's input.

A thin adapter: ``nwd.returns.reader`` reads the files (CSV or XML) and ``nwd.returns.stitch``
merges the years into one history per child; this module joins each episode to its child's date
of birth and sex from the Header table and says which days the files cover. It stops with an
error only when nothing usable can be read (no Episodes or no Header table, or a required column
missing); every message names the file, and the row where there is one. Problems with single
rows (a date that is not a date) leave that value blank, and the forecast's lenient reading
then leaves the row out of the rates and counts it, naming the file and row.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from nwd.forecast.inputs import InputError
from nwd.forecast.sources import Source
from nwd.returns.codes import year_bounds

REQUIRED = {
    "Episodes": ("CHILD", "DECOM", "DEC", "REC", "PLACE", "PLACE_PROVIDER"),
    "Header": ("CHILD", "DOB"),
}


class Return903Error(InputError):
    """The files cannot be used; ``problems`` holds every reason (each naming file and row)."""

    def __init__(self, message: str, problems: list | None = None):
        super().__init__(message)
        self.problems = list(problems or [])


def load(directory: str | Path) -> Source:
    """The episodes of every 903 file under ``directory``, stitched into one history per child."""
    from nwd.returns.reader import read_files
    from nwd.returns.stitch import stitch

    path = Path(directory)
    if not path.is_dir():
        raise Return903Error(f"{path}: there is no such folder")
    result = read_files([path])
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
    stitched = stitch(result.tables)
    episodes = stitched.tables["Episodes"]
    header = stitched.tables["Header"].select(
        "CHILD", pl.col("DOB"), pl.col("SEX")
    ).unique(subset=["CHILD"], keep="last", maintain_order=True)
    joined = episodes.drop([c for c in ("DOB", "SEX") if c in episodes.columns]).join(
        header, on="CHILD", how="left"
    )
    years = result.years
    as_of = year_bounds(years[-1])[1] if years else None
    observed_from = year_bounds(years[0])[0] if years else None
    notes = tuple(
        [p.message for p in result.problems + stitched.problems]
        + list(result.notices) + list(stitched.notices)
    )
    description = (
        f"903 files in {path}: {len(result.files)} files, collection years "
        f"{years[0]} to {years[-1]}" if years else f"903 files in {path}"
    )
    return Source(
        episodes=joined,
        service_spells=None,
        as_of=_not_after_data(as_of, joined),
        observed_from=observed_from,
        description=description,
        notes=notes,
    )


def _blocks(problem) -> bool:
    """Whether a problem stops the forecast: a column it cannot do without is missing."""
    if not problem.is_error or problem.rule != "NWD-MISSING-COLUMN" or problem.table not in REQUIRED:
        return False
    return any(f"column {column};" in problem.message for column in REQUIRED[problem.table])


def _not_after_data(as_of: dt.date | None, episodes: pl.DataFrame) -> dt.date | None:
    """The end of the latest collection year; never before the latest date actually in the files."""
    if as_of is None:
        return None
    latest = episodes.select(pl.max_horizontal(pl.col("DECOM").max(), pl.col("DEC").max())).item()
    return max(as_of, latest) if latest is not None else as_of
