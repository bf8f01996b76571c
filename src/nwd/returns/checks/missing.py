"""Checks on missing episodes (and times away from placement without authorisation)."""

from __future__ import annotations

import polars as pl

from nwd.returns.checks.base import DOB, END, START, Context, Rule, codes_valid, flag, rule, valid_list_text
from nwd.returns.problems import Problem
from nwd.returns.schema import FILE_COL, ROW_COL

T = "Missing"


@rule("1006", T, ["MISSING"], "MISSING is M or A")
def missing_valid(ctx: Context, r: Rule) -> list[Problem]:
    return flag(ctx, r, ctx.table(T), ~codes_valid("MISSING"), lambda row: valid_list_text("MISSING", row))


@rule("564", T, ["MIS_START"], "a missing episode has a start date")
def start_given(ctx: Context, r: Rule) -> list[Problem]:
    return flag(ctx, r, ctx.table(T), pl.col("MISSING").is_not_null() & pl.col("MIS_START").is_null(),
                "is blank: the date the child went missing or away is needed")


@rule("565", T, ["MISSING"], "a missing episode with a start date says whether missing or away")
def kind_given_for_start(ctx: Context, r: Rule) -> list[Problem]:
    return flag(ctx, r, ctx.table(T), pl.col("MIS_START").is_not_null() & pl.col("MISSING").is_null(),
                "is blank: say whether the child was missing (M) or away without authorisation (A)")


@rule("566", T, ["MISSING"], "a missing episode with an end date says whether missing or away")
def kind_given_for_end(ctx: Context, r: Rule) -> list[Problem]:
    return flag(ctx, r, ctx.table(T),
                pl.col("MIS_END").is_not_null() & pl.col("MISSING").is_null() & pl.col("MIS_START").is_null(),
                "is blank although an end date is given: say whether missing (M) or away (A)")


@rule("567", T, ["MIS_END", "MIS_START"], "MIS_END is not before MIS_START")
def end_after_start(ctx: Context, r: Rule) -> list[Problem]:
    return flag(ctx, r, ctx.table(T), pl.col("MIS_END") < pl.col("MIS_START"),
                lambda row: f"the missing episode ends before it started ({row['MIS_START']:%d/%m/%Y})")


@rule("570", T, ["MIS_START"], "MIS_START is not after the end of the year")
def start_in_year(ctx: Context, r: Rule) -> list[Problem]:
    return flag(ctx, r, ctx.table(T), pl.col("MIS_START") > pl.col(END),
                lambda row: f"is after the end of the {row['_year']} collection year")


@rule("571", T, ["MIS_END"], "MIS_END is within the collection year")
def end_in_year(ctx: Context, r: Rule) -> list[Problem]:
    mask = (pl.col("MIS_END") > pl.col(END)) | (pl.col("MIS_END") < pl.col(START))
    return flag(ctx, r, ctx.table(T), mask,
                lambda row: f"is outside the {row['_year']} collection year; a missing episode still open on "
                            "31 March is returned with MIS_END blank")


@rule("574", T, ["MIS_START"], "a child's missing episodes do not overlap")
def no_overlap(ctx: Context, r: Rule) -> list[Problem]:
    frame = ctx.table(T).filter(pl.col("CHILD").is_not_null() & pl.col("MIS_START").is_not_null())
    frame = frame.sort(["CHILD", "MIS_START"]).with_columns(
        pl.col("MIS_END").shift(1).over("CHILD").alias("prev_end"),
        pl.col("MIS_START").shift(1).over("CHILD").alias("prev_start"),
        pl.col(FILE_COL).shift(1).over("CHILD").alias("prev_file"),
        pl.col(ROW_COL).shift(1).over("CHILD").alias("prev_row"),
    )
    mask = pl.col("prev_start").is_not_null() & (pl.col("prev_end").is_null() | (pl.col("MIS_START") < pl.col("prev_end")))
    return flag(ctx, r, frame, mask,
                lambda row: f"starts while the missing episode in {row['prev_file']} row {row['prev_row']} "
                            f"({'still open' if row['prev_end'] is None else 'ending ' + format(row['prev_end'], '%d/%m/%Y')}) "
                            "had not ended; missing episodes cannot overlap")


@rule("586", T, ["MIS_START"], "a child does not go missing before being born")
def after_birth(ctx: Context, r: Rule) -> list[Problem]:
    frame = ctx.with_dob(T)
    return flag(ctx, r, frame, pl.col("MIS_START") < pl.col(DOB),
                lambda row: f"is before the child's date of birth ({row[DOB]:%d/%m/%Y})")


@rule("581", T, ["MIS_START"], "a child goes missing only after starting to be looked after")
def after_first_episode(ctx: Context, r: Rule) -> list[Problem]:
    if not ctx.has("Episodes"):
        return []
    first = ctx.table("Episodes").group_by("CHILD").agg(pl.col("DECOM").min().alias("_first_decom"))
    frame = ctx.table(T).join(first, on="CHILD", how="left")
    return flag(ctx, r, frame, pl.col("MIS_START") < pl.col("_first_decom"),
                lambda row: f"is before the child's first episode of care ({row['_first_decom']:%d/%m/%Y})")


@rule("578", T, ["MIS_START"], "a child goes missing only while looked after")
def before_leaving(ctx: Context, r: Rule) -> list[Problem]:
    if not ctx.has("Episodes"):
        return []
    episodes = ctx.episodes
    last = episodes.filter(pl.col("_last")).select(
        "CHILD", pl.col("DEC").alias("_left"), pl.col("REC").alias("_left_rec"))
    frame = ctx.table(T).join(last, on="CHILD", how="left")
    mask = pl.col("_left").is_not_null() & (pl.col("_left_rec") != "X1") & (pl.col("MIS_START") > pl.col("_left"))
    return flag(ctx, r, frame, mask,
                lambda row: f"is after the child ceased to be looked after ({row['_left']:%d/%m/%Y})")


@rule("575", T, ["MIS_END"], "a missing episode open at the year end started in an episode still open")
def ends_with_placement(ctx: Context, r: Rule) -> list[Problem]:
    if not ctx.has("Episodes"):
        return []
    episodes = (ctx.table("Episodes").filter(pl.col("CHILD").is_not_null() & pl.col("DECOM").is_not_null())
                .select("CHILD", pl.col("DECOM").alias("_decom"), pl.col("DEC").alias("_dec")).sort("_decom"))
    frame = (ctx.table(T).filter(pl.col("MIS_START").is_not_null() & pl.col("CHILD").is_not_null())
             .sort("MIS_START")
             .join_asof(episodes, left_on="MIS_START", right_on="_decom", by="CHILD", strategy="backward",
                        check_sortedness=False))
    mask = pl.col("MIS_END").is_null() & pl.col("_dec").is_not_null() & (pl.col("_dec") >= pl.col("MIS_START"))
    return flag(ctx, r, frame, mask,
                lambda row: f"the missing episode has no end date, but the placement it started in ended on "
                            f"{row['_dec']:%d/%m/%Y}; give the date the child was found or returned")
