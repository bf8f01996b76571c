"""Writing a collection year's return as the DfE's CSV files, and choosing what belongs in a year.

The exporter builds frames from the database (903 column names, dates as ``pl.Date``) holding the
whole history, calls ``tables_for_year`` to cut out one collection year, ``check`` to make sure it
passes, and ``write_tables`` to write it. The files are what the DfE's portal takes: one CSV per
table, the year's columns in the DfE's order, dates as dd/mm/yyyy, blanks empty.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from nwd.codelists.codes import (
    URN_FOR_ADOPTION_AGENCY,
    places_without_provider,
    places_without_urn,
    sex_for_year,
    year_bounds,
    year_start,
)
from nwd.exports import FORMULA_STARTS
from nwd.returns.schema import (
    DATE_COLUMNS,
    FILE_COL,
    FILE_NAMES,
    ROW_COL,
    TABLES,
    YEAR_COL,
    columns_for_year,
    table_in_year,
)

DATE_FORMAT = "%d/%m/%Y"
_FORMULA = "^[" + re.escape("".join(FORMULA_STARTS)) + "]"


def escaped(column: str) -> pl.Expr:
    """``nwd.exports.escape_cell`` over a whole text column, in polars for speed.

    It uses the same list of dangerous first characters as ``escape_cell``, and the tests check
    that both give the same cells.
    """
    return (
        pl.when(pl.col(column).str.contains(_FORMULA))
        .then(pl.lit("'") + pl.col(column))
        .otherwise(pl.col(column))
        .alias(column)
    )


def write_tables(tables: dict[str, pl.DataFrame], collection_year: str, outdir: Path | str) -> list[Path]:
    """Write each table that belongs in ``collection_year`` to ``outdir``; return the files written.

    Tables are written in the DfE's order with the DfE's file names (Header.csv, Episodes.csv...).
    A table with no rows is still written (a header row only): the DfE expects every file.
    Our own columns (``_file``, ``_row``, ``_year``) and any others not in the 903 are left out.
    """
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for table in TABLES:
        if table not in tables or not table_in_year(table, collection_year):
            continue
        columns = columns_for_year(table, collection_year)
        frame = tables[table]
        missing = [c for c in columns if c not in frame.columns]
        frame = frame.with_columns(
            [pl.lit(None, dtype=pl.Date if c in DATE_COLUMNS else pl.Utf8).alias(c) for c in missing]
        )
        text = frame.select(
            [
                pl.col(c).dt.strftime(DATE_FORMAT).alias(c) if c in DATE_COLUMNS and frame.schema[c] == pl.Date
                else pl.col(c).cast(pl.Utf8)
                for c in columns
            ]
        ).with_columns([escaped(c) for c in columns])
        path = out / FILE_NAMES[table]
        text.write_csv(path, null_value="", quote_style="necessary")
        written.append(path)
    return written


def without_what_the_year_forbids(episodes: pl.DataFrame, collection_year: str) -> pl.DataFrame:
    """Episodes with PLACE_PROVIDER and URN left blank where the year's rules have none.

    A council's records may hold a provider and a URN for any placement (an "other placement",
    Z1, is still run by someone), but the return of a year records none for its temporary and
    "other" placements (DfE rule 178: Z1 until 2024-25) and no URN for the placements Ofsted did
    not register that year (rule 222: H5 until 2022-23, P2 until 2023-24). The importer reads such
    a blank as "not recorded in this year's return" and keeps what it holds, so a round trip
    changes nothing (``nwd.returns.dbwrite.episodes_and_periods``).
    """
    start = year_start(collection_year)
    no_provider, no_urn = sorted(places_without_provider(start)), sorted(places_without_urn(start))
    return episodes.with_columns(
        pl.when(pl.col("PLACE").is_in(no_provider)).then(None).otherwise(pl.col("PLACE_PROVIDER"))
        .alias("PLACE_PROVIDER"),
        pl.when(pl.col("PLACE").is_in(no_urn) & (pl.col("URN") != URN_FOR_ADOPTION_AGENCY)).then(None)
        .otherwise(pl.col("URN")).alias("URN"),
    )


def tables_for_year(
    episodes: pl.DataFrame,
    header: pl.DataFrame,
    missing: pl.DataFrame | None,
    uasc: pl.DataFrame | None,
    collection_year: str,
) -> dict[str, pl.DataFrame]:
    """What of a whole history belongs in ``collection_year``'s return, as the year shows it.

    - Episodes open at any time in the year (began by 31 March, not ended before 1 April). An
      episode that ended after the year is shown as it stood on 31 March: open, DEC, REC and
      REASON_PLACE_CHANGE blank.
    - Header: the children with such episodes, SEX written in the year's codes (1/2 or M/F/U).
    - Missing: those children's missing episodes open at any time in the year, shown as they stood
      on 31 March.
    - UASC: those children's rows, unless UASC status ended before the year began. DUC is kept as
      it is even when after the year: for a child still UASC the DfE wants the 18th birthday there
      (its rule 205B compares it between years).

    Each frame gets ``_year`` and the ``_file``/``_row`` the writer will give it, so problems the
    checker finds name the file and row of the written return.
    """
    first, last = year_bounds(collection_year)
    in_year = episodes.filter(
        (pl.col("DECOM") <= last) & (pl.col("DEC").is_null() | (pl.col("DEC") >= first))
    )
    ended_later = pl.col("DEC") > last
    in_year = in_year.with_columns(
        [pl.when(ended_later).then(None).otherwise(pl.col(c)).alias(c)
         for c in ("DEC", "REC", "REASON_PLACE_CHANGE")]
    ).sort(["CHILD", "DECOM"])
    in_year = without_what_the_year_forbids(in_year, collection_year)
    children = in_year.select("CHILD").unique()
    result = {"Episodes": in_year}
    result["Header"] = (
        header.join(children, on="CHILD", how="semi")
        .with_columns(pl.col("SEX").map_elements(lambda s: sex_for_year(s, collection_year), return_dtype=pl.Utf8))
        .sort("CHILD")
    )
    if missing is not None:
        result["Missing"] = (
            missing.join(children, on="CHILD", how="semi")
            .filter((pl.col("MIS_START") <= last) & (pl.col("MIS_END").is_null() | (pl.col("MIS_END") >= first)))
            .with_columns(pl.when(pl.col("MIS_END") > last).then(None).otherwise(pl.col("MIS_END")).alias("MIS_END"))
            .sort(["CHILD", "MIS_START"])
        )
    if uasc is not None:
        result["UASC"] = (
            uasc.join(children, on="CHILD", how="semi")
            .filter(pl.col("DUC").is_null() | (pl.col("DUC") >= first))
            .with_columns(
                pl.col("SEX").map_elements(lambda s: sex_for_year(s, collection_year), return_dtype=pl.Utf8),
            )
            .sort("CHILD")
        )
    for table, frame in result.items():
        columns = [c for c in TABLES[table] if c in frame.columns]
        result[table] = frame.select(columns).with_columns(
            pl.lit(FILE_NAMES[table]).alias(FILE_COL),
            (pl.int_range(pl.len(), dtype=pl.Int64) + 2).alias(ROW_COL),
            pl.lit(collection_year).alias(YEAR_COL),
        )
    return result
