"""From 903 episodes to stretches of care in one state, each ending in a move, an exit or nothing.

The forecast's states are placement groups, so a child's history is read as a chain of stretches
("segments"), one per group, and what ended each stretch:

- Episodes chained on the same day (the next DECOM is this DEC) are one period of care. An X1
  break (legal status change, or a placement change within the same group) is therefore not an
  exit, and not a move either when the group stays the same.
- Temporary placements (T0-T4) take the group of the placement before them in the period, or the
  one after if the period starts with one: a week in hospital is not a move out of foster care. A
  same-day placement (DECOM = DEC) inside a period is folded the same way.
- The last stretch of a period ends with a planned return home (REC E4A), another exit, or is
  censored: still open, or ending X1 with nothing the same day (the record stops, we do not know
  how), which counts exposure but no event.
- A period counts as an entry to care when its first episode says so (RNE S, or RNE not given).
  A period that starts with another RNE after a gap continues a stay whose start is missing.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from nwd.codelists.groups import PlacementGroup, placement_group
from nwd.forecast.inputs import CleanEpisodes, Excluded, summarise
from nwd.forecast.states import (
    CENSORED,
    ENDED_OTHER,
    ENDED_RETURNED_HOME,
    GROUP_INDEX,
    MOVED,
)

OTHER = GROUP_INDEX[PlacementGroup.OTHER]


def _group_of_pairs(frame: pl.DataFrame) -> pl.Expr:
    """The state index of each PLACE x PLACE_PROVIDER pair (null for temporary placements)."""
    key = pl.col("PLACE") + pl.lit("|") + pl.col("PLACE_PROVIDER").fill_null("")
    pairs = frame.select("PLACE", "PLACE_PROVIDER").unique().iter_rows()
    mapping: dict[str, int | None] = {}
    for place, provider in pairs:
        group = placement_group(place, provider)
        mapping[f"{place}|{provider or ''}"] = None if group is None else GROUP_INDEX[group]
    return key.replace_strict(mapping, default=None, return_dtype=pl.Int8)


def segments(clean: CleanEpisodes) -> tuple[pl.DataFrame, list[Excluded]]:
    """One row per stretch of care in one placement group, and how each history was read.

    Columns: CHILD, DOB, START, END (null = open at ``clean.as_of``), GROUP (state index), KIND
    (``MOVED``, ``ENDED_RETURNED_HOME``, ``ENDED_OTHER`` or ``CENSORED``), DEST (the next group
    for a move), ENTRY (the first stretch of a period counted as an entry to care), PERIOD.
    """
    frame = clean.episodes.sort(["CHILD", "DECOM", "DEC"], nulls_last=True)
    frame = frame.with_columns(_group_of_pairs(frame).alias("_group"))
    frame = frame.with_columns(
        pl.col("DEC").shift(1).over("CHILD").alias("_prev_dec"),
        pl.col("REC").shift(1).over("CHILD").alias("_prev_rec"),
        pl.col("DECOM").shift(-1).over("CHILD").alias("_next_decom"),
    ).with_columns(
        (pl.col("_prev_dec").is_not_null() & (pl.col("_prev_dec") == pl.col("DECOM"))).alias("_continues"),
        (pl.col("_next_decom").is_not_null() & (pl.col("_next_decom") == pl.col("DEC"))).alias("_continued"),
    )
    notes = [
        frame.filter(pl.col("_continues") & pl.col("_prev_rec").is_not_null() & (pl.col("_prev_rec") != "X1"))
        .with_columns(pl.lit("starts the day the previous episode ended with a REC other than X1: "
                             "read as one period of care (no exit)").alias("_reason")),
    ]
    # A same-day placement inside a period is folded into its neighbours, like a temporary one.
    same_day = (pl.col("DEC") == pl.col("DECOM")) & (pl.col("_continues") | pl.col("_continued"))
    frame = frame.with_columns(
        pl.when(same_day).then(None).otherwise(pl.col("_group")).alias("_group"),
        (~pl.col("_continues")).cast(pl.Int32).cum_sum().over("CHILD").alias("PERIOD"),
    )
    frame = frame.with_columns(
        pl.col("_group").forward_fill().backward_fill().over(["CHILD", "PERIOD"]).fill_null(OTHER).alias("_group")
    )
    frame = frame.with_columns(
        (
            ~pl.col("_continues") | (pl.col("_group") != pl.col("_group").shift(1).over("CHILD"))
        ).cast(pl.Int32).cum_sum().over("CHILD").alias("_segment")
    )
    seg = frame.group_by(["CHILD", "_segment"], maintain_order=True).agg(
        pl.col("DOB").first(),
        pl.col("DECOM").first().alias("START"),
        pl.col("DEC").last().alias("END"),
        pl.col("_group").first().alias("GROUP"),
        pl.col("REC").last().alias("_rec"),
        pl.col("RNE").first().alias("_rne"),
        pl.col("PERIOD").first(),
        pl.col("_continues").first().alias("_continues"),
        pl.col("_where").last().alias("_where"),
        pl.col("_where").first().alias("_where_first"),
    )
    seg = seg.sort(["CHILD", "_segment"]).with_columns(
        pl.col("PERIOD").shift(-1).over("CHILD").alias("_next_period"),
        pl.col("GROUP").shift(-1).over("CHILD").alias("_next_group"),
    )
    moved = pl.col("_next_period").is_not_null() & (pl.col("_next_period") == pl.col("PERIOD"))
    kind = (
        pl.when(moved).then(pl.lit(MOVED))
        .when(pl.col("END").is_null()).then(pl.lit(CENSORED))
        .when(pl.col("_rec") == "X1").then(pl.lit(CENSORED))
        .when(pl.col("_rec") == "E4A").then(pl.lit(ENDED_RETURNED_HOME))
        .otherwise(pl.lit(ENDED_OTHER))
    ).cast(pl.Int8)
    first_of_period = ~pl.col("_continues")
    seg = seg.with_columns(
        kind.alias("KIND"),
        pl.when(moved).then(pl.col("_next_group")).otherwise(None).cast(pl.Int8).alias("DEST"),
        (first_of_period & (pl.col("_rne").is_null() | (pl.col("_rne") == "S"))).alias("ENTRY"),
    )
    notes += [
        seg.filter(~moved & pl.col("END").is_not_null() & (pl.col("_rec") == "X1")).with_columns(
            pl.lit("ends X1 but no episode starts that day: the record is cut there (no exit counted)")
            .alias("_reason")
        ),
        seg.filter(~moved & pl.col("END").is_not_null() & pl.col("_rec").is_null()).with_columns(
            pl.lit("ends (DEC) without a reason ceased (REC) and nothing follows: read as leaving care")
            .alias("_reason")
        ),
        seg.filter(first_of_period & pl.col("_rne").is_not_null() & (pl.col("_rne") != "S"))
        .with_columns(pl.col("_where_first").alias("_where"))
        .with_columns(
            pl.lit("a period of care starts with RNE other than S (its start is missing): "
                   "not counted as an entry").alias("_reason")
        ),
    ]
    adjusted = summarise(pl.concat([n.select("_reason", "_where") for n in notes]))
    out = seg.select("CHILD", "DOB", "START", "END", "GROUP", "KIND", "DEST", "ENTRY", "PERIOD")
    return out, adjusted


def looked_after_on(episodes: pl.DataFrame, day: dt.date) -> int:
    """A plain count: the children with an episode open at the end of ``day`` (DECOM on or before
    it, DEC blank or after it), short breaks (LS V3, V4) aside, as the DfE counts children looked
    after on 31 March. What the forecast starts from should be this, within a few rows the data
    makes unusable; ``nwd.forecast.from_903.jump_off`` gives it with the data's last day."""
    frame = episodes
    if "LS" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.Utf8).alias("LS"))
    open_then = (pl.col("DECOM") <= day) & (pl.col("DEC").is_null() | (pl.col("DEC") > day))
    short_break = pl.col("LS").is_in(["V3", "V4"]).fill_null(False)
    return frame.filter(open_then & ~short_break & pl.col("CHILD").is_not_null()).get_column("CHILD").n_unique()
