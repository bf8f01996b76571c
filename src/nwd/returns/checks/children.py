"""Checks on the child-level tables: Header, UASC, Reviews, OC2, OC3, and ids across tables."""

from __future__ import annotations

import polars as pl

from nwd.codelists.codes import UPN_PATTERN
from nwd.returns.checks.base import (
    END,
    START,
    Context,
    Rule,
    age_on,
    codes_valid,
    flag,
    rule,
    valid_list_text,
)
from nwd.returns.problems import WARNING, Problem
from nwd.returns.schema import FILE_COL, ROW_COL, TABLES, YEAR_COL


@rule("NWD-CHILD", "*", ["CHILD"], "every row has the child's id (CHILD)")
def child_given(ctx: Context, r: Rule) -> list[Problem]:
    found = []
    for table in ctx.tables:
        found += flag(ctx, r, ctx.table(table), pl.col("CHILD").is_null(),
                      "is blank: every row needs the child's id", table=table)
    return found


@rule("101", "Header", ["SEX"], "SEX is a valid code for the year (1/2 until 2023-24, M/F/U from 2024-25)")
def sex_valid(ctx: Context, r: Rule) -> list[Problem]:
    return flag(ctx, r, ctx.table("Header"), ~codes_valid("SEX") | pl.col("SEX").is_null(),
                lambda row: "is blank" if row["SEX"] is None else valid_list_text("SEX", row))


@rule("232", "Header", ["SEX"], "SEX unknown (U) is queried", severity=WARNING, first=2024)
def sex_unknown(ctx: Context, r: Rule) -> list[Problem]:
    return flag(ctx, r, ctx.table("Header"), pl.col("SEX") == "U",
                "the child's sex is recorded as unknown; the DfE will ask why")


@rule("102", "Header", ["DOB"], "DOB is given (and, when read, is a real date)")
def dob_given(ctx: Context, r: Rule) -> list[Problem]:
    return flag(ctx, r, ctx.table("Header"), pl.col("DOB").is_null(),
                "is blank: every child needs a date of birth")


@rule("103", "Header", ["ETHNIC"], "ETHNIC is a valid code")
def ethnic_valid(ctx: Context, r: Rule) -> list[Problem]:
    return flag(ctx, r, ctx.table("Header"), ~codes_valid("ETHNIC") | pl.col("ETHNIC").is_null(),
                lambda row: ("is blank: use NOBT if not yet obtained, REFU if refused" if row["ETHNIC"] is None
                             else valid_list_text("ETHNIC", row)))


@rule("301", "Header", ["DOB"], "DOB is not after the end of the collection year")
def dob_in_past(ctx: Context, r: Rule) -> list[Problem]:
    return flag(ctx, r, ctx.table("Header"), pl.col("DOB") > pl.col(END),
                lambda row: f"is after the end of the {row[YEAR_COL]} collection year")


@rule("351", "Header", ["DOB"], "the child was not over 25 at the start of the year")
def not_over_25(ctx: Context, r: Rule) -> list[Problem]:
    frame = ctx.table("Header")
    return flag(ctx, r, frame, age_on("DOB", START) > 25,
                lambda row: f"the child was over 25 on 01/04/{row[START].year}; check the date of birth")


@rule("168", "Header", ["UPN"], "UPN is a unique pupil number or UN1-UN5")
def upn_shape(ctx: Context, r: Rule) -> list[Problem]:
    return flag(ctx, r, ctx.table("Header"), pl.col("UPN").is_not_null() & ~pl.col("UPN").str.contains(UPN_PATTERN),
                "is not a unique pupil number (a letter and 12 more characters) nor UN1-UN5 for one not known")


@rule("NWD-MOTHER", "Header", ["MOTHER"], "MOTHER is 0, 1 or blank")
def mother_valid(ctx: Context, r: Rule) -> list[Problem]:
    return flag(ctx, r, ctx.table("Header"), ~codes_valid("MOTHER"),
                "must be 1 (the child is a mother), 0 (is not) or blank")


@rule("612", "Header", ["MC_DOB", "MOTHER"], "MC_DOB only for a child recorded as a mother")
def child_dob_only_for_mother(ctx: Context, r: Rule) -> list[Problem]:
    mask = pl.col("MC_DOB").is_not_null() & ~pl.col("MOTHER").eq_missing("1")
    return flag(ctx, r, ctx.table("Header"), mask,
                "a date of birth of the mother's child is given, but MOTHER is not 1")


@rule("611", "Header", ["MC_DOB", "MOTHER"], "a mother's child's date of birth is given")
def mother_has_child_dob(ctx: Context, r: Rule) -> list[Problem]:
    mask = pl.col("MOTHER").eq_missing("1") & pl.col("MC_DOB").is_null()
    return flag(ctx, r, ctx.table("Header"), mask,
                "is blank, but MOTHER is 1: give the date of birth of the mother's (first) child")


def _once_per_year(rule_id: str, table: str) -> None:
    @rule(rule_id, table, ["CHILD"], f"a child appears once in {table} in a year")
    def check(ctx: Context, r: Rule) -> list[Problem]:
        frame = ctx.table(table).filter(pl.col("CHILD").is_not_null())
        frame = frame.with_columns(
            pl.col(ROW_COL).first().over(["CHILD", YEAR_COL]).alias("_first_row"),
            pl.col(FILE_COL).first().over(["CHILD", YEAR_COL]).alias("_first_file"),
            pl.int_range(pl.len()).over(["CHILD", YEAR_COL]).alias("_nth"),
        )
        return flag(ctx, r, frame, pl.col("_nth") > 0,
                    lambda row: f"this child already has a row in {table} ({row['_first_file']} row "
                                f"{row['_first_row']}); a child appears once in the year", table=table)


_once_per_year("INT32", "Header")
_once_per_year("INT36", "UASC")
_once_per_year("INT33", "OC2")
_once_per_year("INT34", "OC3")
_once_per_year("INT31", "AD1")
_once_per_year("INT35", "PrevPerm")

IN_HEADER_RULES = {"Episodes": "INT03", "Missing": "INT04", "OC2": "INT05", "OC3": "INT06", "PrevPerm": "INT07",
                   "Reviews": "INT08", "UASC": "INT09", "AD1": "INT01", "PlacedAdoption": "INT02"}


def _in_header(rule_id: str, table: str) -> None:
    @rule(rule_id, table, ["CHILD"], f"every child in {table} has a Header row")
    def check(ctx: Context, r: Rule) -> list[Problem]:
        if not ctx.has("Header"):
            return []
        # By CHILD alone: after stitching, the Header holds each child's latest row only.
        children = ctx.table("Header").select("CHILD").unique().with_columns(pl.lit(True).alias("_known"))
        frame = ctx.table(table).join(children, on="CHILD", how="left")
        return flag(ctx, r, frame, pl.col("CHILD").is_not_null() & pl.col("_known").is_null(),
                    "this child has no row in the Header; every child in the return needs one", table=table)


for _table, _rule_id in IN_HEADER_RULES.items():
    _in_header(_rule_id, _table)


def _same_as_header(rule_id: str, table: str, column: str) -> None:
    @rule(rule_id, table, [column], f"{column} in {table} is the same as in the Header")
    def check(ctx: Context, r: Rule) -> list[Problem]:
        if not ctx.has("Header"):
            return []
        header = (ctx.table("Header").filter(pl.col("CHILD").is_not_null()).sort(YEAR_COL, nulls_last=False)
                  .group_by("CHILD").agg(pl.col(column).last().alias("_header")))
        frame = ctx.table(table).join(header, on="CHILD", how="left")
        mine, theirs = pl.col(column), pl.col("_header")
        if column == "SEX":  # a stitched Header holds the latest year's code: 1/2 and M/F mean the same
            mine, theirs = (c.replace({"1": "M", "2": "F"}) for c in (mine, theirs))
        mask = pl.col(column).is_not_null() & pl.col("_header").is_not_null() & (mine != theirs)
        return flag(ctx, r, frame, mask,
                    lambda row: f"differs from the Header's {column} for this child ({row['_header']:%d/%m/%Y})"
                    if hasattr(row["_header"], "strftime") else
                    f"differs from the Header's {column} for this child ('{row['_header']}')", table=table)


for _table, _rule_id in {"AD1": "INT11", "PlacedAdoption": "INT12", "Missing": "INT13", "OC2": "INT14",
                         "OC3": "INT15", "PrevPerm": "INT16", "Reviews": "INT17", "UASC": "INT18"}.items():
    _same_as_header(_rule_id, _table, "DOB")
_same_as_header("INT21", "UASC", "SEX")


@rule("304", "UASC", ["DUC"], "UASC status ends on or before the 18th birthday")
def uasc_ends_by_18(ctx: Context, r: Rule) -> list[Problem]:
    frame = ctx.table("UASC")
    return flag(ctx, r, frame, pl.col("DUC").is_not_null() & pl.col("DOB").is_not_null() & (age_on("DOB", "DUC") >= 18)
                & ~((pl.col("DUC").dt.month() == pl.col("DOB").dt.month()) & (pl.col("DUC").dt.day() == pl.col("DOB").dt.day())
                    & (age_on("DOB", "DUC") == 18)),
                lambda row: f"the date UASC status ceased is after the child's 18th birthday (born {row['DOB']:%d/%m/%Y})")


@rule("166", "Reviews", ["REVIEW"], "a review has a date")
def review_dated(ctx: Context, r: Rule) -> list[Problem]:
    return flag(ctx, r, ctx.table("Reviews"), pl.col("REVIEW").is_null() & pl.col("REVIEW_CODE").is_not_null(),
                "is blank: every review needs its date")


@rule("167", "Reviews", ["REVIEW_CODE"], "REVIEW_CODE is PN0-PN7")
def review_code_valid(ctx: Context, r: Rule) -> list[Problem]:
    mask = (pl.col("REVIEW").is_not_null() & (pl.col("REVIEW_CODE").is_null() | ~codes_valid("REVIEW_CODE")))
    return flag(ctx, r, ctx.table("Reviews"), mask,
                lambda row: "is blank" if row["REVIEW_CODE"] is None else valid_list_text("REVIEW_CODE", row))


@rule("440", "Reviews", ["REVIEW_CODE"], "PN0 (under 4) only for a child under 4 at the review")
def pn0_under_4(ctx: Context, r: Rule) -> list[Problem]:
    frame = ctx.table("Reviews")
    mask = (pl.col("REVIEW_CODE") == "PN0") & (age_on("DOB", "REVIEW") >= 4)
    return flag(ctx, r, frame, mask, "PN0 is for a child under 4, but the child was 4 or over at the review")


@rule("441", "Reviews", ["REVIEW_CODE"], "PN1-PN7 only for a child 4 or over at the review")
def pn1_over_4(ctx: Context, r: Rule) -> list[Problem]:
    frame = ctx.table("Reviews")
    mask = pl.col("REVIEW_CODE").is_in([f"PN{i}" for i in range(1, 8)]) & (age_on("DOB", "REVIEW") < 4)
    return flag(ctx, r, frame, mask,
                lambda row: f"{row['REVIEW_CODE']} is for a child of 4 or over, but the child was under 4 "
                            "at the review (use PN0)")


def _outcome_code(rule_id: str, table: str, column: str, *, required: bool) -> None:
    @rule(rule_id, table, [column], f"{column} is a valid code")
    def check(ctx: Context, r: Rule) -> list[Problem]:
        bad = ~codes_valid(column)
        if required:
            bad = bad | pl.col(column).is_null()
        return flag(ctx, r, ctx.table(table), bad,
                    lambda row: "is blank" if row[column] is None else valid_list_text(column, row))


_outcome_code("131", "OC3", "IN_TOUCH", required=True)
_outcome_code("132", "OC3", "ACTIV", required=False)
_outcome_code("133", "OC3", "ACCOM", required=False)
_outcome_code("196", "OC2", "SDQ_REASON", required=False)


@rule("180", "OC2", ["SDQ_SCORE"], "SDQ_SCORE is a whole number from 0 to 40")
def sdq_score(ctx: Context, r: Rule) -> list[Problem]:
    score = pl.col("SDQ_SCORE").cast(pl.Int64, strict=False)
    mask = pl.col("SDQ_SCORE").is_not_null() & (score.is_null() | ~score.is_between(0, 40))
    return flag(ctx, r, ctx.table("OC2"), mask, "must be a whole number from 0 to 40")


@rule("NWD-OC2-FLAG", "OC2", TABLES["OC2"][4:], "the OC2 yes/no items are 0, 1 or blank")
def oc2_flags(ctx: Context, r: Rule) -> list[Problem]:
    found = []
    for column in TABLES["OC2"][4:]:
        found += flag(ctx, r, ctx.table("OC2"), pl.col(column).is_not_null() & ~pl.col(column).is_in(["0", "1"]),
                      "must be 1 (yes), 0 (no) or blank", column=column)
    return found


@rule("EPI", "Header", ["CHILD"], "every child in the Header has episodes or care leaver (OC3) data",
      severity=WARNING)
def header_child_has_episodes(ctx: Context, r: Rule) -> list[Problem]:
    header = ctx.table("Header")
    known = []
    for table in ("Episodes", "OC3"):
        if ctx.has(table):
            known.append(ctx.table(table).select(["CHILD", YEAR_COL]))
    if not known:
        return []
    seen = pl.concat(known).unique().with_columns(pl.lit(True).alias("_seen"))
    if header.get_column("CHILD").n_unique() == header.height:  # one row per child (one year, or stitched)
        seen = seen.select("CHILD", "_seen").unique()
        frame = header.join(seen, on="CHILD", how="left")
    else:
        frame = header.join(seen, on=["CHILD", YEAR_COL], how="left", nulls_equal=True)
    return flag(ctx, r, frame, pl.col("CHILD").is_not_null() & pl.col("_seen").is_null(),
                lambda row: f"this child has no episodes and no care leaver data in {row[YEAR_COL]}")

