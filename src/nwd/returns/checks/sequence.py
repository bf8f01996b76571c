"""Checks on a child's episodes in order: no overlaps, no gaps inside a period of care, and a
reason for new episode (RNE) that fits what changed since the episode before.

A period of care is a run of episodes, each ending with REC X1 on the day the next begins. Its
first episode has RNE S; every later one says what changed: L (legal status only), T (placement,
same carer), P (placement and carer), U (legal status and placement, same carer), B (legal status,
placement and carer). Whether the carer changed is not in the return, so T/P and U/B are told
apart only by the legal status; the placement counts as changed when PLACE, PLACE_PROVIDER,
PL_POST or URN differs.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from nwd.codelists.codes import TEMPORARY_PLACE
from nwd.returns.checks.base import START, Context, Rule, flag, rule
from nwd.returns.problems import Problem

T = "Episodes"
TEMPORARY = sorted(TEMPORARY_PLACE)
PLACEMENT = ("PLACE", "PLACE_PROVIDER", "PL_POST", "URN")
CONTINUING = ["L", "P", "T", "U", "B"]


def _placement_changed() -> pl.Expr:
    return pl.any_horizontal([~pl.col(c).eq_missing(pl.col(f"prev_{c}")) for c in PLACEMENT])


def _legal_status_changed() -> pl.Expr:
    return ~pl.col("LS").eq_missing(pl.col("prev_LS"))


def _prev(row: dict[str, Any]) -> str:
    return f"the episode before ({row['prev__file']} row {row['prev__row']})"


def _what_changed(row: dict[str, Any]) -> str:
    placement = [c for c in PLACEMENT if row[c] != row[f"prev_{c}"]]
    parts = []
    parts.append("legal status changed" if row["LS"] != row["prev_LS"] else "legal status did not change")
    parts.append(f"placement changed ({', '.join(placement)})" if placement else "placement did not change")
    return " and ".join(parts)


@rule("501", T, ["DECOM"], "a child's episodes do not overlap")
def no_overlap(ctx: Context, r: Rule) -> list[Problem]:
    frame = ctx.episodes
    mask = pl.col("prev_DEC").is_not_null() & (pl.col("DECOM") < pl.col("prev_DEC"))
    return flag(ctx, r, frame, mask,
                lambda row: f"starts before {_prev(row)} ended on {row['prev_DEC']:%d/%m/%Y}: "
                            "a child's episodes cannot overlap")


@rule("142", T, ["DEC", "REC"], "only a child's last episode may be open")
def earlier_episode_closed(ctx: Context, r: Rule) -> list[Problem]:
    frame = ctx.episodes
    mask = ~pl.col("_last") & (pl.col("DEC").is_null() | pl.col("REC").is_null()) & pl.col("DECOM").is_not_null()
    return flag(ctx, r, frame, mask,
                lambda row: f"the episode has not ended (DEC or REC blank) but the child has a later episode "
                            f"starting {row['next_DECOM']:%d/%m/%Y} ({row['next__file']} row {row['next__row']})",
                column="DEC")


@rule("357", T, ["RNE"], "a child's first episode starts a period of care (RNE S)")
def first_is_start(ctx: Context, r: Rule) -> list[Problem]:
    frame = ctx.episodes
    mask = pl.col("_first") & (pl.col("DECOM") >= pl.col(START)) & (pl.col("RNE") != "S")
    return flag(ctx, r, frame, mask,
                lambda row: "is the child's first episode, so RNE must be S (started to be looked after); "
                            "if an earlier episode is missing from the return, add it")


@rule("431", T, ["RNE", "DECOM"], "RNE S only when the child was not looked after the day before")
def start_not_continuation(ctx: Context, r: Rule) -> list[Problem]:
    frame = ctx.episodes
    mask = (pl.col("RNE") == "S") & pl.col("prev_DEC").is_not_null() & (pl.col("DECOM") <= pl.col("prev_DEC"))
    return flag(ctx, r, frame, mask,
                lambda row: f"RNE S means the child started to be looked after, but {_prev(row)} ended on "
                            f"the same day (REC {row['prev_REC'] or 'blank'}); use L, P, T, U or B for what changed")


@rule("432", T, ["RNE"], "after leaving care, the next episode is RNE S")
def start_after_leaving(ctx: Context, r: Rule) -> list[Problem]:
    frame = ctx.episodes
    mask = pl.col("prev_REC").is_not_null() & (pl.col("prev_REC") != "X1") & (pl.col("RNE") != "S")
    return flag(ctx, r, frame, mask,
                lambda row: f"the child left care at the end of {_prev(row)} (REC {row['prev_REC']}), so this "
                            f"episode starts a new period of care and RNE must be S, not {row['RNE']}")


@rule("433", T, ["RNE", "DECOM"], "a continuing episode starts the day the one before ended")
def continuation_same_day(ctx: Context, r: Rule) -> list[Problem]:
    frame = ctx.episodes
    mask = (pl.col("RNE").is_in(CONTINUING) & pl.col("prev_DECOM").is_not_null()
            & ~pl.col("DECOM").eq_missing(pl.col("prev_DEC")))
    return flag(ctx, r, frame, mask,
                lambda row: f"RNE {row['RNE']} continues a period of care, so the episode must start the day "
                            f"{_prev(row)} ended ({'it has not ended' if row['prev_DEC'] is None else format(row['prev_DEC'], '%d/%m/%Y')})",
                column="DECOM")


@rule("388", T, ["REC"], "REC X1 exactly when another episode starts the same day")
def x1_followed(ctx: Context, r: Rule) -> list[Problem]:
    frame = ctx.episodes
    x1 = pl.col("REC") == "X1"
    found = flag(ctx, r, frame, x1 & pl.col("DEC").is_not_null() & pl.col("_last"),
                 "REC X1 means a new episode starts the same day, but the child has no later episode: "
                 "add it, or give the reason the child left care")
    found += flag(ctx, r, frame, x1 & pl.col("DEC").is_not_null() & ~pl.col("_last")
                  & ~pl.col("next_DECOM").eq_missing(pl.col("DEC")),
                  lambda row: f"REC X1 means a new episode starts the same day ({row['DEC']:%d/%m/%Y}), but the "
                              f"next one starts {row['next_DECOM']:%d/%m/%Y}")
    found += flag(ctx, r, frame, pl.col("REC").is_not_null() & ~x1 & ~pl.col("_last")
                  & pl.col("next_DECOM").eq_missing(pl.col("DEC")),
                  lambda row: f"a new episode starts the day this one ends, so REC must be X1, "
                              f"not {row['REC']} (which means the child left care)")
    return found


@rule("434", T, ["RNE", "LS", "PLACE"], "RNE L: the legal status changed and the placement did not")
def legal_status_only(ctx: Context, r: Rule) -> list[Problem]:
    frame = ctx.episodes
    mask = ((pl.col("RNE") == "L") & pl.col("prev_DECOM").is_not_null()
            & (~_legal_status_changed() | _placement_changed()))
    return flag(ctx, r, frame, mask,
                lambda row: f"RNE L means only the legal status changed, but since {_prev(row)} the "
                            f"{_what_changed(row)}")


@rule("435", T, ["RNE", "LS", "PLACE"], "RNE P or T: the placement changed and the legal status did not")
def placement_only(ctx: Context, r: Rule) -> list[Problem]:
    frame = ctx.episodes
    mask = (pl.col("RNE").is_in(["P", "T"]) & pl.col("prev_DECOM").is_not_null()
            & (_legal_status_changed() | ~_placement_changed()))
    return flag(ctx, r, frame, mask,
                lambda row: f"RNE {row['RNE']} means only the placement changed, but since {_prev(row)} the "
                            f"{_what_changed(row)}")


@rule("436", T, ["RNE", "LS", "PLACE"], "RNE B or U: both the legal status and the placement changed")
def both_changed(ctx: Context, r: Rule) -> list[Problem]:
    frame = ctx.episodes
    mask = (pl.col("RNE").is_in(["B", "U"]) & pl.col("prev_DECOM").is_not_null()
            & (~_legal_status_changed() | ~_placement_changed()))
    return flag(ctx, r, frame, mask,
                lambda row: f"RNE {row['RNE']} means both the legal status and the placement changed, but "
                            f"since {_prev(row)} the {_what_changed(row)}")


@rule("437", T, ["REC"], "no episodes after a child died (E2) or was found to be an adult (E15)")
def nothing_after_end(ctx: Context, r: Rule) -> list[Problem]:
    frame = ctx.episodes
    mask = pl.col("REC").is_in(["E2", "E15"]) & ~pl.col("_last")
    return flag(ctx, r, frame, mask,
                lambda row: f"REC {row['REC']} ends the child's care for good, but there is a later episode "
                            f"starting {row['next_DECOM']:%d/%m/%Y}")


@rule("504", T, ["CIN"], "the category of need stays as it was at the start of the period of care")
def same_need(ctx: Context, r: Rule) -> list[Problem]:
    frame = ctx.episodes.with_columns(
        (pl.col("_first") | (pl.col("RNE") == "S") | ~pl.col("prev_REC").eq_missing("X1"))
        .cum_sum().over("CHILD").alias("_period")
    ).with_columns(pl.col("CIN").first().over(["CHILD", "_period"]).alias("_period_cin"))
    mask = pl.col("_period_cin").is_not_null() & pl.col("CIN").is_not_null() & (pl.col("CIN") != pl.col("_period_cin"))
    return flag(ctx, r, frame, mask,
                lambda row: f"differs from the category of need at the start of this period of care "
                            f"({row['_period_cin']}); CIN is recorded once per period")


@rule("226", T, ["REASON_PLACE_CHANGE", "PLACE"], "no reason for placement change around temporary placements")
def no_reason_for_temporary(ctx: Context, r: Rule) -> list[Problem]:
    frame = ctx.episodes
    found = flag(ctx, r, frame, pl.col("PLACE").is_in(TEMPORARY) & pl.col("REASON_PLACE_CHANGE").is_not_null(),
                 lambda row: f"a reason for placement change is not recorded for a temporary placement ({row['PLACE']})")
    found += flag(ctx, r, frame, pl.col("next_PLACE").is_in(TEMPORARY) & pl.col("REASON_PLACE_CHANGE").is_not_null()
                  & (pl.col("next_DECOM") == pl.col("DEC")),
                  lambda row: f"a reason for placement change is not recorded when the child moves to a temporary "
                              f"placement ({row['next_PLACE']}) and back")
    return found


@rule("225", T, ["REASON_PLACE_CHANGE"], "a reason for placement change when the placement changes")
def reason_for_change(ctx: Context, r: Rule) -> list[Problem]:
    frame = ctx.episodes
    mask = ((pl.col("REC") == "X1") & pl.col("REASON_PLACE_CHANGE").is_null() & ~pl.col("PLACE").is_in(TEMPORARY)
            & pl.col("next_RNE").is_in(["P", "B", "T", "U"]) & ~pl.col("next_PLACE").is_in(TEMPORARY))
    return flag(ctx, r, frame, mask,
                lambda row: f"is blank: the child's placement changed at the end of this episode (the next "
                            f"has RNE {row['next_RNE']}): record why (for example CARPL)")


@rule("383", T, ["PLACE", "RNE", "PL_POST"], "after a temporary placement the child returns to their placement")
def back_after_temporary(ctx: Context, r: Rule) -> list[Problem]:
    frame = ctx.episodes
    mask = (pl.col("prev_PLACE").is_in(TEMPORARY) & pl.col("prev2_PLACE").is_not_null()
            & ((pl.col("RNE") != "P") | ~pl.col("PLACE").eq_missing(pl.col("prev2_PLACE"))
               | ~pl.col("PL_POST").eq_missing(pl.col("prev2_PL_POST"))))
    return flag(ctx, r, frame, mask,
                lambda row: f"after a temporary placement ({row['prev_PLACE']}) the child must return to the "
                            f"placement before it ({row['prev2_PLACE']}, postcode {row['prev2_PL_POST'] or 'blank'}) "
                            f"with RNE P; this episode has {row['PLACE']}, {row['PL_POST'] or 'blank'}, RNE {row['RNE']}")
