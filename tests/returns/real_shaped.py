"""Real-shaped SSDA903 extracts for tests, made from the synthetic returns writer and then made messy
the way councils' files come (issue 10). Everything here is synthetic.

- ``council_folder``: five collection years of one council's return, all tables of all years in
  one folder, named the council's way ("SSDA903_2021_episodes.csv": no "2020-21" in any name);
  every open episode carries a reason ceased (REC) with no end date (the DfE's rule 148); the
  Reviews hold reviews planned up to two years after the data ends; the 2021-22 Episodes were
  extracted in June, so episodes that ended in April or May have their DEC (after the year).
- ``regional_file``: several councils' returns in one file per table, all years in it, LA and
  YEAR columns, dates written yyyy-mm-dd, and a few rows whose YEAR disagrees with their dates.

``plain_open_count`` is the independent count a user makes: the children with an open episode
(DEC blank) in a year's Episodes rows, read from the CSV with the standard library.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from nwd.codelists.codes import year_bounds, year_start
from nwd.returns.synthetic import History, history
from nwd.returns.writer import tables_for_year, write_tables

LAST_YEAR = "2024-25"
YEARS = ("2020-21", "2021-22", "2022-23", "2023-24", "2024-25")
TABLES = ("Header", "Episodes", "Missing", "UASC", "Reviews")
LATE_YEAR = "2021-22"  # its Episodes file was extracted late: DECs after 31 March are filled in


def county_history(children: int = 900, seed: int = 10) -> History:
    return history(children, last_year=LAST_YEAR, seed=seed, years=len(YEARS))


def reviews_for_year(tables: dict[str, pl.DataFrame], year: str, rng: random.Random, planned: bool) -> pl.DataFrame:
    """A review in the year for each child looked after in it; with ``planned``, reviews already
    booked after the year too (for about 40% of the children still in care), up to two years on."""
    first, last = year_bounds(year)
    episodes = tables["Episodes"]
    header = tables["Header"].select("CHILD", "DOB")
    spans = episodes.group_by("CHILD").agg(pl.col("DECOM").min(), pl.col("DEC").max(),
                                            pl.col("DEC").is_null().any().alias("_open"))
    rows = []
    for child, decom, dec, still_open in spans.sort("CHILD").iter_rows():
        start = max(first, decom)
        end = last if still_open or dec is None else min(last, dec)
        if end >= start:
            rows.append((child, start + dt.timedelta(days=rng.randint(0, (end - start).days)), "PN1"))
        if planned and still_open and rng.random() < 0.4:
            rows.append((child, last + dt.timedelta(days=rng.randint(30, 730)), "PN1"))
    frame = pl.DataFrame(rows, schema={"CHILD": pl.Utf8, "REVIEW": pl.Date, "REVIEW_CODE": pl.Utf8}, orient="row")
    return frame.join(header, on="CHILD", how="left").select("CHILD", "DOB", "REVIEW", "REVIEW_CODE")


def year_tables(found: History, year: str, rng: random.Random) -> dict[str, pl.DataFrame]:
    tables = tables_for_year(found.episodes, found.header, found.missing, found.uasc, year)
    if year == LATE_YEAR:
        # Extracted in June: the episodes that ended in April and May have their DEC and REC.
        _, last = year_bounds(year)
        late = found.episodes.filter((pl.col("DEC") > last) & (pl.col("DEC") <= last + dt.timedelta(days=61)))
        late = late.select("CHILD", "DECOM", pl.col("DEC").alias("_dec"), pl.col("REC").alias("_rec"),
                           pl.col("REASON_PLACE_CHANGE").alias("_rpc"), pl.lit(True).alias("_late"))
        tables["Episodes"] = tables["Episodes"].join(late, on=["CHILD", "DECOM"], how="left").with_columns(
            pl.coalesce("_dec", "DEC").alias("DEC"), pl.coalesce("_rec", "REC").alias("REC"),
            pl.when(pl.col("_late")).then(pl.col("_rpc")).otherwise(pl.col("REASON_PLACE_CHANGE"))
            .alias("REASON_PLACE_CHANGE"),
        ).drop("_dec", "_rec", "_rpc", "_late")
    tables["Reviews"] = reviews_for_year(tables, year, rng, planned=year == LAST_YEAR)
    # Every open episode carries a reason ceased with no end date (the DfE's rule 148).
    tables["Episodes"] = tables["Episodes"].with_columns(
        pl.when(pl.col("DEC").is_null()).then(pl.lit("E8")).otherwise(pl.col("REC")).alias("REC")
    )
    return tables


def council_name(year: str, table: str) -> str:
    """How one council names its files: the year the collection ends, the table in lower case."""
    return f"SSDA903_{year_start(year) + 1}_{table.lower()}.csv"


def council_folder(folder: Path, found: History | None = None, seed: int = 1) -> Path:
    """Five years of a council's return, all tables in one folder (see the module docstring)."""
    found = found or county_history()
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    scratch = folder.parent / f"{folder.name}-scratch"
    for year in YEARS:
        tables = year_tables(found, year, rng)
        for path in write_tables({t: tables[t] for t in TABLES}, year, scratch / year):
            path.rename(folder / council_name(year, path.stem))
    return folder


@dataclass(frozen=True)
class Regional:
    path: Path
    councils: tuple[str, ...]
    moved_rows: int  # rows whose YEAR disagrees with their dates


def regional_file(folder: Path, councils: tuple[str, ...] = ("Barnet", "Camden", "Enfield"),
                  children: int = 400, moved: int = 4, by_start: bool = False) -> Regional:
    """Several councils' returns of five years, one file per table, with LA and YEAR columns and
    ISO dates; ``moved`` Episodes rows of the first council carry a YEAR one year too early.
    ``by_start`` writes YEAR as the year each collection year starts in (2024 for 2024-25), not the
    DfE's year it ends in."""
    folder.mkdir(parents=True, exist_ok=True)
    parts: dict[str, list[pl.DataFrame]] = {t: [] for t in TABLES}
    for number, council in enumerate(councils):
        found = history(children, last_year=LAST_YEAR, seed=100 + number, years=len(YEARS))
        rng = random.Random(number)
        for year in YEARS:
            tables = year_tables(found, year, rng)
            for table in TABLES:
                frame = tables[table].select([c for c in tables[table].columns if not c.startswith("_")])
                parts[table].append(frame.with_columns(
                    pl.lit(council).alias("LA"),
                    pl.lit(str(year_start(year) + (0 if by_start else 1))).alias("YEAR")))
    moved_rows = 0
    for table, frames in parts.items():
        frame = pl.concat(frames, how="vertical_relaxed")
        if table == "Episodes" and moved:
            # Rows that began and ended inside 2022-23 belong to it alone: say 2022 (2021-22) instead.
            first, last = year_bounds("2022-23")
            said = str(2022 if by_start else 2023)
            inside = ((pl.col("LA") == councils[0]) & (pl.col("YEAR") == said) & (pl.col("DECOM") >= first)
                      & pl.col("DEC").is_not_null() & (pl.col("DEC") <= last))
            rank = pl.when(inside).then(inside.cast(pl.Int32).cum_sum()).otherwise(0)
            wrong = inside & (rank <= moved)
            moved_rows = frame.select(wrong.sum()).item()
            frame = frame.with_columns(
                pl.when(wrong).then(pl.lit(str(int(said) - 1))).otherwise(pl.col("YEAR")).alias("YEAR"))
        frame = frame.select(["LA", "YEAR", *[c for c in frame.columns if c not in ("LA", "YEAR")]])
        frame.with_columns([pl.col(c).dt.strftime("%Y-%m-%d") for c, t in frame.schema.items() if t == pl.Date]
                           ).write_csv(folder / f"regional_{table.lower()}.csv", null_value="")
    return Regional(folder, councils, moved_rows)


def plain_open_count(path: Path, la: str | None = None, year: str | None = None) -> int:
    """Children with an open episode (DEC blank) in an Episodes CSV (of one LA and YEAR, if given)."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    return len({
        row["CHILD"] for row in rows
        if not row["DEC"].strip() and row["LS"] not in ("V3", "V4")
        and (la is None or row["LA"] == la) and (year is None or row["YEAR"] == year)
    })
