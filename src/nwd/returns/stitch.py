"""Several collection years of a return made into one history per child.

Each year's return holds every episode open at any time in that year, so an episode that runs
across 31 March appears in two (or more) years' files: open (DEC blank) in the earlier, and open
again or ended in the later. Such rows are one episode, known by CHILD and DECOM; the later year's
row wins, so its DEC and REC end the episode. The same goes for missing episodes (CHILD and
MIS_START), decisions to place for adoption, social worker episodes and deprivation-of-liberty
periods. Per-child tables (Header, UASC, PrevPerm) keep the latest year's row.

Rows that say different things about the same episode are conflicts and are reported: the later
year's row is kept, and the importer decides (with ``--skip-invalid``) whether to skip the child.
A code the DfE retired before the later year (H5, P2, Z1 from 2025-26) may be re-coded in the later
year's file without that being a conflict, as the DfE's own rule 503D allows.

Outcome tables that belong to one year (OC2, OC3, AD1, Reviews) keep a row per year; only exact
duplicates are merged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from nwd.codelists.codes import LISTS, places_without_provider, places_without_urn, sex_for_year, year_start
from nwd.returns.problems import WARNING, Problem, describe, problem
from nwd.returns.schema import FILE_COL, META_COLUMNS, ROW_COL, TABLES, YEAR_COL


@dataclass(frozen=True)
class Periods:
    """How to stitch a table of periods: its key, the columns that close a period, the rest."""

    key: tuple[str, ...]
    closing: tuple[str, ...]


PERIOD_TABLES = {
    "Episodes": Periods(("CHILD", "DECOM"), ("DEC", "REC", "REASON_PLACE_CHANGE")),
    "Missing": Periods(("CHILD", "MIS_START"), ("MIS_END",)),
    "PlacedAdoption": Periods(("CHILD", "DATE_PLACED"), ("DATE_PLACED_CEASED", "REASON_PLACED_CEASED")),
    "SWEpisodes": Periods(("CHILD", "SW_DECOM"), ("SW_DEC", "SW_REASON")),
    "DoLo": Periods(("CHILD", "DOLO_START"), ("DOLO_END",)),
}

PER_CHILD_TABLES = {
    # table -> columns whose change between years is worth a warning (DfE rules 202, 203, 204)
    "Header": {"SEX": "202", "DOB": "203", "ETHNIC": "204"},
    "UASC": {},
    "PrevPerm": {},
}

PER_YEAR_TABLES = ("OC2", "OC3", "AD1", "Reviews")


@dataclass
class StitchResult:
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    # Rows merged, by table and kind ("merged": the same record in several files or years;
    # "duplicates": exact copies): what the notices say, kept as numbers so that an import in
    # blocks of children can add them up (``notices_for``).
    merged: dict[tuple[str, str], int] = field(default_factory=dict)


def notices_for(merged: dict[tuple[str, str], int]) -> list[str]:
    """The notices of stitching, from the numbers of rows merged by table and kind."""
    notices = []
    for (table, kind), n in merged.items():
        if not n:
            continue
        if kind == "merged":
            notices.append(f"{table}: {n} row{'s' if n != 1 else ''} found in more than one file or year "
                           "were merged with the later one")
        else:
            notices.append(f"{table}: {n} exact duplicate row{'s' if n != 1 else ''} merged")
    return notices


def stitch(tables: dict[str, pl.DataFrame]) -> StitchResult:
    """One history per child from the tables of one or several collection years."""
    result = StitchResult()
    for table, frame in tables.items():
        if table in PERIOD_TABLES:
            result.tables[table] = _stitch_periods(frame, table, PERIOD_TABLES[table], result)
        elif table in PER_CHILD_TABLES:
            result.tables[table] = _stitch_per_child(frame, table, PER_CHILD_TABLES[table], result)
        else:
            result.tables[table] = _drop_exact_duplicates(frame, table, result)
    return result


def _ordered(frame: pl.DataFrame) -> pl.DataFrame:
    """Oldest year first; within a year, file then row, so "last" means the latest word."""
    return frame.sort([YEAR_COL, FILE_COL, ROW_COL], nulls_last=False, maintain_order=True)


def _values_equal(columns: list[str], suffix: str = "_last") -> pl.Expr:
    return pl.all_horizontal([pl.col(c).eq_missing(pl.col(f"{c}{suffix}")) for c in columns])


def _stitch_periods(frame: pl.DataFrame, table: str, periods: Periods, result: StitchResult) -> pl.DataFrame:
    if frame.height == 0:
        return frame
    key = list(periods.key)
    data_columns = [c for c in TABLES[table] if c in frame.columns]
    closing = [c for c in periods.closing if c in frame.columns]
    steady = [c for c in data_columns if c not in key and c not in closing]
    frame = _ordered(frame).with_row_index("_order")
    keyed = frame.filter(pl.all_horizontal([pl.col(c).is_not_null() for c in key]))
    unkeyed = frame.filter(~pl.all_horizontal([pl.col(c).is_not_null() for c in key]))
    counts = keyed.group_by(key).len()
    multi = counts.filter(pl.col("len") > 1)
    if multi.height == 0:
        return frame.drop("_order")
    grouped = keyed.join(multi.select(key), on=key, how="semi")
    singles = keyed.join(multi.select(key), on=key, how="anti")
    last = grouped.group_by(key).agg(pl.all().sort_by("_order").last())
    carried = list(dict.fromkeys([*key, *data_columns, *META_COLUMNS, "_order"]))
    with_last = grouped.join(last.select(carried), on=key, suffix="_last")
    earlier = with_last.filter(pl.col("_order") != pl.col("_order_last"))
    # An earlier row agrees with the kept one when its steady columns are the same and it was
    # either still open (no end date: a REC without a DEC is the DfE's rule 148, an error in the
    # row, not an ending) or closed the same way.
    was_open = pl.col(closing[0]).is_null() if closing else pl.lit(True)
    agrees = _values_equal(steady) & (was_open | _values_equal(closing))
    disagreeing = earlier.filter(~agrees)
    same_year = earlier.filter(agrees & (pl.col(YEAR_COL).eq_missing(pl.col(f"{YEAR_COL}_last"))))
    for row in same_year.iter_rows(named=True):
        if all(row[c] == row[f"{c}_last"] for c in steady + closing):
            result.problems.append(
                problem("NWD-DUPLICATE", f"this row repeats {row[f'{FILE_COL}_last']} row {row[f'{ROW_COL}_last']}; "
                        "one copy was kept", file=row[FILE_COL], row=row[ROW_COL], column=key[-1],
                        value=row[key[-1]], severity=WARNING, table=table, child=row["CHILD"])
            )
    for row in disagreeing.iter_rows(named=True):
        result.problems.extend(_conflicts(row, table, key, steady, closing))
    merged = earlier.height
    if merged:
        result.merged[(table, "merged")] = merged
        result.notices.extend(notices_for({(table, "merged"): merged}))
    kept = pl.concat([singles, last.select(frame.columns), unkeyed], how="vertical")
    return kept.sort("_order").drop("_order")


def _conflicts(row: dict[str, Any], table: str, key: list[str], steady: list[str], closing: list[str]) -> list[Problem]:
    found: list[Problem] = []
    later = f"{row[f'{FILE_COL}_last']} row {row[f'{ROW_COL}_last']}"
    later_year = row[f"{YEAR_COL}_last"]
    for column in steady:
        before, after = row[column], row[f"{column}_last"]
        if before == after or _retired_recode(column, before, later_year) or _not_recorded_then(column, row):
            continue
        found.append(
            problem("NWD-CONFLICT",
                    f"the same {_noun(table)} (CHILD {row['CHILD']}, {key[-1]} {describe(row[key[-1]])}) has "
                    f"{column} {describe(after)} in {later}; the later value was kept",
                    file=row[FILE_COL], row=row[ROW_COL], column=column, value=before, table=table,
                    child=row["CHILD"])
        )
    if not closing or row[closing[0]] is None:  # it was open then (rule 148: a REC alone ends nothing)
        return found
    for column in closing:
        before, after = row[column], row[f"{column}_last"]
        if before == after:
            continue
        found.append(
            problem("NWD-CONFLICT",
                    f"the same {_noun(table)} (CHILD {row['CHILD']}, {key[-1]} {describe(row[key[-1]])}) was "
                    f"already ended here but has {column} {describe(after)} in {later}; the later value was kept",
                    file=row[FILE_COL], row=row[ROW_COL], column=column, value=before, table=table,
                    child=row["CHILD"])
        )
    return found


def _not_recorded_then(column: str, row: dict[str, Any]) -> bool:
    """Whether a PLACE_PROVIDER or URN given in one year is blank in another whose rules record none
    for that placement (Z1 to 2024-25; H5's URN to 2022-23, P2's to 2023-24): not a conflict."""
    if column not in ("PLACE_PROVIDER", "URN"):
        return False
    blanks = [(row.get(YEAR_COL), row.get("PLACE"))] if row[column] is None else []
    if row[f"{column}_last"] is None:
        blanks.append((row.get(f"{YEAR_COL}_last"), row.get("PLACE_last")))
    unrecorded = places_without_provider if column == "PLACE_PROVIDER" else places_without_urn
    return bool(blanks) and all(year is not None and place in unrecorded(year_start(year)) for year, place in blanks)


def _retired_recode(column: str, before: object, later_year: str | None) -> bool:
    """Whether ``before`` is a code the DfE retired before ``later_year`` (so re-coding is expected)."""
    if column not in LISTS or before is None or later_year is None:
        return False
    start = year_start(later_year)
    return any(c.code == before and c.last < start for c in LISTS[column])


def _noun(table: str) -> str:
    return {
        "Episodes": "episode",
        "Missing": "missing episode",
        "PlacedAdoption": "decision to place for adoption",
        "SWEpisodes": "social worker episode",
        "DoLo": "deprivation of liberty",
    }.get(table, "row")


def _stitch_per_child(
    frame: pl.DataFrame, table: str, watched: dict[str, str], result: StitchResult
) -> pl.DataFrame:
    if frame.height == 0:
        return frame
    frame = _ordered(frame).with_row_index("_order")
    keyed = frame.filter(pl.col("CHILD").is_not_null())
    unkeyed = frame.filter(pl.col("CHILD").is_null())
    counts = keyed.group_by("CHILD").len().filter(pl.col("len") > 1)
    if counts.height == 0:
        return frame.drop("_order")
    last = keyed.group_by("CHILD").agg(pl.all().sort_by("_order").last())
    if watched:
        cols = list(watched)
        earlier = keyed.join(counts.select("CHILD"), on="CHILD", how="semi").join(
            last.select(["CHILD", "_order", FILE_COL, ROW_COL, YEAR_COL, *cols]), on="CHILD", suffix="_last"
        ).filter(pl.col("_order") != pl.col("_order_last"))
        for row in earlier.iter_rows(named=True):
            for column, rule in watched.items():
                before, after = row[column], row[f"{column}_last"]
                if column == "SEX" and before is not None and row[f"{YEAR_COL}_last"]:
                    before_now = sex_for_year(before, row[f"{YEAR_COL}_last"])  # 1/2 became M/F in 2024-25
                else:
                    before_now = before
                if before is None or after is None or before_now == after:
                    continue
                result.problems.append(
                    problem(rule,
                            f"differs from {describe(after)} in {row[f'{FILE_COL}_last']} row "
                            f"{row[f'{ROW_COL}_last']} for the same child; the later value was kept",
                            file=row[FILE_COL], row=row[ROW_COL], column=column, value=before,
                            severity=WARNING, table=table, child=row["CHILD"])
                )
    kept = pl.concat([last.select(frame.columns), unkeyed], how="vertical")
    return kept.sort("_order").drop("_order")


def _drop_exact_duplicates(frame: pl.DataFrame, table: str, result: StitchResult) -> pl.DataFrame:
    data_columns = [c for c in TABLES.get(table, ()) if c in frame.columns]
    if frame.height == 0 or not data_columns:
        return frame
    subset = list(dict.fromkeys([*data_columns, YEAR_COL]))
    deduped = frame.unique(subset=subset, keep="first", maintain_order=True)
    dropped = frame.height - deduped.height
    if dropped:
        result.merged[(table, "duplicates")] = dropped
        result.notices.extend(notices_for({(table, "duplicates"): dropped}))
    return deduped
