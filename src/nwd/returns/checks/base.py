"""The machinery of the checks: the rule registry, the context a rule reads, and flagging rows.

A rule is a plain function registered with ``@rule(...)``: it gets the ``Context`` and its own
``Rule`` and returns the problems it finds. Rules compute a polars mask over a whole table (fast
on 100,000 rows) and only build ``Problem`` objects for the rows that fail.

Every row carries its collection year (``_year``); a rule that depends on the year (a code list,
the year's end) reads it from the row, so a stitched history of several years is checked year by
year in one pass. ``Context.year``, when given, limits the report to that year's rows; rows of
other years still serve as context (the episode before, the child's date of birth).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import polars as pl
from polars.expr.whenthen import ChainedThen, Then

from nwd.codelists.codes import FIRST_YEAR, LAST_YEAR, LISTS, year_bounds, year_start
from nwd.returns.problems import ERROR, Problem, Severity, describe, problem
from nwd.returns.schema import DATE_COLUMNS, FILE_COL, FILE_NAMES, ROW_COL, TABLES, YEAR_COL

RuleFunction = Callable[["Context", "Rule"], Iterable[Problem]]


@dataclass(frozen=True)
class Rule:
    """A check: its id (the DfE's number where it is theirs), table, columns and what it says."""

    id: str
    table: str
    columns: tuple[str, ...]
    summary: str
    severity: Severity
    first: int
    last: int
    func: RuleFunction = field(repr=False, compare=False)

    def applies_in(self, collection_year: str) -> bool:
        return self.first <= year_start(collection_year) <= self.last

    @property
    def dfe(self) -> bool:
        """Whether the rule is the DfE's (its id is their number) rather than one of ours."""
        return not self.id.startswith("NWD-")


RULES: dict[str, Rule] = {}


def rule(
    rule_id: str,
    table: str,
    columns: Iterable[str],
    summary: str,
    *,
    severity: Severity = ERROR,
    first: int = FIRST_YEAR,
    last: int = LAST_YEAR,
) -> Callable[[RuleFunction], RuleFunction]:
    """Register a check. ``first``/``last`` are the collection years (by start) it applies in."""

    def register(func: RuleFunction) -> RuleFunction:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} registered twice")
        RULES[rule_id] = Rule(rule_id, table, tuple(columns), summary, severity, first, last, func)
        return func

    return register


UNLISTED_SCHEMA = {"rule": pl.Utf8, "table": pl.Utf8, "file": pl.Utf8, "row": pl.Int64, "child": pl.Utf8}

# Columns the context adds to every table.
START = "_start"  # first day of the row's collection year
END = "_end"  # last day of the row's collection year
YSTART = "_ys"  # calendar year the row's collection year starts in
REPORT = "_report"  # whether problems on this row are reported
DOB = "_dob"  # the child's date of birth from the Header


class Context:
    """The tables being checked, prepared once and shared by every rule.

    With ``examples`` given, each rule builds at most that many ``Problem`` objects; the rows past
    them are only counted (``unlisted``), and for errors kept as a small frame of keys
    (``unlisted_errors``: rule, table, file, row, child) so that the importer can still leave those
    children out. A return with an error on each of millions of rows then holds a few thousand
    problems, not millions.
    """

    def __init__(self, tables: dict[str, pl.DataFrame], collection_year: str | None,
                 examples: int | None = None) -> None:
        self.year = collection_year
        self.examples = examples
        self.listed: Counter[tuple[str, str]] = Counter()
        self.unlisted: Counter[tuple[str, str]] = Counter()
        self.unlisted_error_frames: list[pl.DataFrame] = []
        self.tables = {name: self._prepare(name, frame) for name, frame in tables.items() if name in TABLES}

    @property
    def unlisted_errors(self) -> pl.DataFrame:
        """The keys of the error rows past each rule's examples (see the class docstring)."""
        if not self.unlisted_error_frames:
            return pl.DataFrame(schema=UNLISTED_SCHEMA)
        return pl.concat(self.unlisted_error_frames)

    def has(self, table: str) -> bool:
        return table in self.tables and self.tables[table].height > 0

    def table(self, name: str) -> pl.DataFrame:
        return self.tables[name]

    def _prepare(self, name: str, frame: pl.DataFrame) -> pl.DataFrame:
        missing = [c for c in TABLES[name] if c not in frame.columns]
        if missing:
            frame = frame.with_columns(
                [pl.lit(None, dtype=pl.Date if c in DATE_COLUMNS else pl.Utf8).alias(c) for c in missing]
            )
        if FILE_COL not in frame.columns:
            frame = frame.with_columns(pl.lit(FILE_NAMES[name]).alias(FILE_COL))
        if ROW_COL not in frame.columns:
            frame = frame.with_row_index(ROW_COL, offset=2).with_columns(pl.col(ROW_COL).cast(pl.Int64))
        if YEAR_COL not in frame.columns:
            frame = frame.with_columns(pl.lit(self.year, dtype=pl.Utf8).alias(YEAR_COL))
        elif self.year is not None:
            frame = frame.with_columns(pl.col(YEAR_COL).fill_null(self.year))
        years = [y for y in frame.get_column(YEAR_COL).unique().to_list() if y is not None]
        starts = {y: year_bounds(y)[0] for y in years}
        ends = {y: year_bounds(y)[1] for y in years}
        frame = frame.with_columns(
            pl.col(YEAR_COL).replace_strict(starts, default=None, return_dtype=pl.Date).alias(START),
            pl.col(YEAR_COL).replace_strict(ends, default=None, return_dtype=pl.Date).alias(END),
            pl.col(YEAR_COL).replace_strict({y: year_start(y) for y in years}, default=None,
                                            return_dtype=pl.Int32).alias(YSTART),
            (pl.col(YEAR_COL).eq_missing(self.year) if self.year else pl.lit(True)).alias(REPORT),
        )
        return frame

    @cached_property
    def dates_of_birth(self) -> pl.DataFrame:
        """CHILD -> DOB from the Header (the latest year's, where a child appears in several)."""
        if not self.has("Header"):
            return pl.DataFrame(schema={"CHILD": pl.Utf8, DOB: pl.Date})
        header = self.table("Header").filter(pl.col("CHILD").is_not_null())
        return (
            header.sort(YEAR_COL, nulls_last=False)
            .group_by("CHILD")
            .agg(pl.col("DOB").drop_nulls().last().alias(DOB))
        )

    def with_dob(self, name: str) -> pl.DataFrame:
        """The table with the child's Header date of birth as ``_dob``."""
        return self.table(name).join(self.dates_of_birth, on="CHILD", how="left")

    @cached_property
    def episodes(self) -> pl.DataFrame:
        """Episodes in order per child, each with the episode before and after it.

        Adds ``prev_<col>`` and ``next_<col>`` for the columns the sequence rules compare, and
        ``_first``/``_last`` marking a child's first and last episode in the data.
        """
        frame = self.with_dob("Episodes").filter(pl.col("CHILD").is_not_null())
        frame = frame.sort(["CHILD", "DECOM", "DEC"], nulls_last=True)
        compared = ["DECOM", "DEC", "REC", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "PL_POST", "URN",
                    "REASON_PLACE_CHANGE", FILE_COL, ROW_COL]

        # Sorted by child, a plain shift is the episode before or after, once the rows that
        # cross from one child to the next are blanked: far faster than a window per child.
        def shifted(column: str, by: int) -> pl.Expr:
            same_child = pl.col("CHILD").shift(by) == pl.col("CHILD")
            return pl.when(same_child).then(pl.col(column).shift(by)).otherwise(None)

        return frame.with_columns(
            [shifted(c, 1).alias(f"prev_{c}") for c in compared]
            + [shifted(c, -1).alias(f"next_{c}") for c in compared]
            + [shifted("PLACE", 2).alias("prev2_PLACE"), shifted("PL_POST", 2).alias("prev2_PL_POST")]
        ).with_columns(
            (pl.col("CHILD").shift(1) != pl.col("CHILD")).fill_null(True).alias("_first"),
            (pl.col("CHILD").shift(-1) != pl.col("CHILD")).fill_null(True).alias("_last"),
        )


def in_years(r: Rule) -> pl.Expr:
    """Rows whose collection year the rule applies in (rows of unknown year: every rule)."""
    return pl.col(YSTART).is_null() | pl.col(YSTART).is_between(r.first, r.last)


def flag(
    ctx: Context,
    r: Rule,
    frame: pl.DataFrame,
    mask: pl.Expr,
    text: str | Callable[[dict[str, Any]], str],
    *,
    column: str | None = None,
    table: str | None = None,
) -> list[Problem]:
    """Problems for the rows of ``frame`` where ``mask`` is true, in the rule's years.

    ``text`` says what is wrong; a function of the row may be given to put other values of the
    row in the sentence. The value shown is the row's ``column`` (the rule's first column if not
    given).
    """
    column = column or r.columns[0]
    bad = frame.filter(mask.fill_null(False) & pl.col(REPORT) & in_years(r))
    if bad.height == 0:
        return []
    if ctx.examples is not None:
        key = (r.id, r.severity)
        room = max(0, ctx.examples - ctx.listed[key])
        if bad.height > room:
            rest = bad.slice(room)
            ctx.unlisted[key] += rest.height
            if r.severity == ERROR:
                ctx.unlisted_error_frames.append(rest.select(
                    pl.lit(r.id).alias("rule"), pl.lit(table or r.table).alias("table"),
                    pl.col(FILE_COL).cast(pl.Utf8).alias("file"), pl.col(ROW_COL).cast(pl.Int64).alias("row"),
                    pl.col("CHILD").cast(pl.Utf8).alias("child")))
            bad = bad.head(room)
        ctx.listed[key] += bad.height
    found = []
    for row in bad.iter_rows(named=True):
        found.append(
            problem(
                r.id,
                text(row) if callable(text) else text,
                file=row.get(FILE_COL),
                row=row.get(ROW_COL),
                column=column,
                value=row.get(column),
                severity=r.severity,
                table=table or r.table,
                child=row.get("CHILD"),
            )
        )
    return found


def codes_valid(column: str, list_name: str | None = None) -> pl.Expr:
    """Whether each row's ``column`` is a valid code in the row's own collection year (or blank)."""
    codes = LISTS[list_name or column]
    by_year: dict[int, list[str]] = {}
    for start in range(FIRST_YEAR, 2100):
        by_year[start] = [c.code for c in codes if c.valid_in(start)]
    ever = [c.code for c in codes]
    expr: Then | ChainedThen = pl.when(pl.col(YSTART).is_null()).then(pl.col(column).is_in(ever))
    # Years are few; group the ones that share a list to keep the expression small.
    groups: dict[tuple[str, ...], list[int]] = {}
    for start, valid in by_year.items():
        groups.setdefault(tuple(valid), []).append(start)
    for codes_of_years, starts in groups.items():
        expr = expr.when(pl.col(YSTART).is_in(starts)).then(pl.col(column).is_in(list(codes_of_years)))
    return pl.col(column).is_null() | expr.otherwise(pl.col(column).is_in(ever))


def in_year_set(column: str, codes_in: Callable[[int], Collection[str]]) -> pl.Expr:
    """Whether each row's ``column`` is in ``codes_in(start)`` for the row's own collection year.

    ``codes_in`` gives a year's list from the calendar year the collection year starts in (for
    example ``nwd.codelists.codes.places_without_urn``); rows of unknown year use the latest list.
    """
    groups: dict[frozenset[str], list[int]] = {}
    for start in range(FIRST_YEAR, 2100):
        groups.setdefault(frozenset(codes_in(start)), []).append(start)
    latest = sorted(codes_in(2099))
    expr: Then | ChainedThen = pl.when(pl.col(YSTART).is_null()).then(pl.col(column).is_in(latest))
    for codes, starts in groups.items():
        expr = expr.when(pl.col(YSTART).is_in(starts)).then(pl.col(column).is_in(sorted(codes)))
    return expr.otherwise(pl.col(column).is_in(latest))


def valid_list_text(column: str, row: dict[str, Any], list_name: str | None = None) -> str:
    """ "not a valid PLACE code in 2025-26 (valid: A3, A4, ...)" for a row."""
    year = row.get(YEAR_COL)
    codes = LISTS[list_name or column]
    if year:
        start = year_start(year)
        valid = [c.code for c in codes if c.valid_in(start)]
        retired = next((c for c in codes if c.code == row.get(column)), None)
        if retired is not None and not retired.valid_in(start):
            when = (f"was withdrawn after {retired.last}-{(retired.last + 1) % 100:02d}"
                    if retired.last < start else f"is only used from {retired.first}-{(retired.first + 1) % 100:02d}")
            return f"not a valid {column} code in {year}: the code {when}"
        return f"not a valid {column} code in {year} (valid codes: {', '.join(valid)})"
    return f"not a valid {column} code (valid codes: {', '.join(c.code for c in codes)})"


def day(value: dt.date | None) -> str:
    return describe(value) if value is not None else "blank"


def age_on(born: str, when: str) -> pl.Expr:
    """Whole years of age on the date in column ``when`` of a child born on ``born``."""
    years = pl.col(when).dt.year() - pl.col(born).dt.year()
    before_birthday = (pl.col(when).dt.month() < pl.col(born).dt.month()) | (
        (pl.col(when).dt.month() == pl.col(born).dt.month()) & (pl.col(when).dt.day() < pl.col(born).dt.day())
    )
    return years - before_birthday.cast(pl.Int32)
