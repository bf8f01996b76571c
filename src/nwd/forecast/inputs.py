"""Reading the forecast's inputs leniently: keep what is consistent, count and explain the rest.

Real councils' 903 extracts are messy: an episode with a reason ceased but no end date, an end
before the start, two episodes of one child overlapping, a child without a date of birth, codes
nobody recognises. Failing on the first of these would make the forecast useless on real data;
silently using them would bias the rates. So every inconsistent row is left out of the rates, and
the caller gets back an ``Excluded(reason, count, examples)`` per reason to report "how many and
why". Rows that are kept but read in a particular way (a DEC without a REC, say) are reported the
same way as ``adjusted``, so nobody is surprised by what the engine assumed.

Input frames (polars), one row per episode or spell:

- episodes: CHILD, DOB, DECOM, DEC (null = open), REC, PLACE, PLACE_PROVIDER, and optionally
  SEX, RNE, LS, CIN and the reader's ``_file`` / ``_row`` (used to say where a row came from).
- service spells (the service's outreach involvements): CHILD, DOB, START, END (null = open).

Dates may be ``pl.Date``, datetimes or text (dd/mm/yyyy or yyyy-mm-dd).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from nwd.codelists.codes import valid_codes
from nwd.returns.values import parse_date

EPISODE_COLUMNS = ("CHILD", "DOB", "DECOM", "DEC", "REC", "PLACE", "PLACE_PROVIDER")
OPTIONAL_EPISODE_COLUMNS = ("SEX", "RNE", "LS", "CIN")
SPELL_COLUMNS = ("CHILD", "DOB", "START", "END")
SHORT_BREAKS = ("V3", "V4")
MAX_EXAMPLES = 5


class InputError(ValueError):
    """The input cannot be used at all (a required column is missing, nothing is left, ...)."""


@dataclass(frozen=True)
class Excluded:
    """How many rows were left out (or read in a particular way) for one reason, with examples.

    ``examples`` say where a data officer finds the row: "Episodes.csv row 14 (CHILD 1234)" when
    the frame carries the reader's ``_file`` and ``_row``, otherwise the row's position.
    """

    reason: str
    count: int
    examples: tuple[str, ...] = ()

    def __str__(self) -> str:
        shown = "; ".join(self.examples)
        return f"{self.count} × {self.reason}" + (f" (for example {shown})" if shown else "")


@dataclass(frozen=True)
class CleanEpisodes:
    """Episodes fit for the rates (sorted by CHILD, DECOM), and what was left out or adjusted."""

    episodes: pl.DataFrame
    excluded: tuple[Excluded, ...]
    adjusted: tuple[Excluded, ...]
    as_of: dt.date
    observed_from: dt.date
    rows_read: int


@dataclass(frozen=True)
class CleanSpells:
    spells: pl.DataFrame
    excluded: tuple[Excluded, ...]
    adjusted: tuple[Excluded, ...]


def _as_date(frame: pl.DataFrame, column: str) -> pl.Expr:
    """A column as ``pl.Date`` whatever it arrived as; text is read by the return's one date parser
    (``nwd.returns.values.parse_date``), and text that is not a date becomes null."""
    dtype = frame.schema[column]
    if dtype == pl.Date:
        return pl.col(column)
    if isinstance(dtype, pl.Datetime):
        return pl.col(column).dt.date()
    return parse_date(pl.col(column).cast(pl.Utf8))


def _code(column: str) -> pl.Expr:
    text = pl.col(column).cast(pl.Utf8).str.strip_chars().str.to_uppercase()
    return pl.when(text == "").then(None).otherwise(text)


def _where(frame: pl.DataFrame) -> pl.Expr:
    """Where a row came from, as a data officer would look for it."""
    if "_file" in frame.columns and "_row" in frame.columns:
        place = pl.col("_file").cast(pl.Utf8).fill_null("?") + pl.lit(" row ") + pl.col("_row").cast(pl.Utf8)
    else:
        place = pl.lit("row ") + (pl.int_range(pl.len(), dtype=pl.Int64) + 1).cast(pl.Utf8)
    child = pl.col("CHILD").cast(pl.Utf8).fill_null("blank")
    return place + pl.lit(" (CHILD ") + child + pl.lit(")")


def summarise(flagged: pl.DataFrame, column: str = "_reason") -> list[Excluded]:
    """One Excluded per reason, most frequent first, with the first few rows as examples."""
    if flagged.height == 0:
        return []
    grouped = (
        flagged.group_by(column, maintain_order=True)
        .agg(pl.len().alias("count"), pl.col("_where").head(MAX_EXAMPLES).alias("examples"))
        .sort("count", descending=True, maintain_order=True)
    )
    return [
        Excluded(reason=row[column], count=row["count"], examples=tuple(row["examples"]))
        for row in grouped.iter_rows(named=True)
    ]


def _require(frame: pl.DataFrame, columns: tuple[str, ...], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"the {what} have no column {', '.join(missing)}; the forecast needs {', '.join(columns)}")


def clean_episodes(
    episodes: pl.DataFrame,
    as_of: dt.date | None = None,
    observed_from: dt.date | None = None,
) -> CleanEpisodes:
    """Episodes fit for estimating rates, and a report of what was left out and why.

    ``as_of`` is the date the data runs to (the forecast starts the day after): episodes starting
    after it are left out, and those ending after it are read as still open then. Without it, the
    latest date in the data is used. ``observed_from`` is the first day the data can be trusted to
    show every child looked after (the start of the earliest collection year); without it, the
    earliest episode start.
    """
    _require(episodes, EPISODE_COLUMNS, "episodes")
    rows_read = episodes.height
    frame = episodes.with_columns(
        [pl.lit(None, dtype=pl.Utf8).alias(c) for c in OPTIONAL_EPISODE_COLUMNS if c not in episodes.columns]
    )
    frame = frame.with_columns(
        pl.col("CHILD").cast(pl.Utf8).str.strip_chars().replace("", None).alias("CHILD"),
        _as_date(frame, "DOB").alias("DOB"),
        _as_date(frame, "DECOM").alias("DECOM"),
        _as_date(frame, "DEC").alias("DEC"),
        *[_code(c).alias(c) for c in ("REC", "PLACE", "PLACE_PROVIDER", "RNE", "LS", "CIN", "SEX")],
    ).with_columns(_where(frame).alias("_where"))

    # One date of birth per child: fill a blank from the child's other rows; a child whose rows
    # disagree cannot be aged, so all of their rows are left out.
    frame = frame.with_columns(pl.col("DOB").is_null().alias("_dob_blank"))
    dobs = frame.filter(pl.col("CHILD").is_not_null() & pl.col("DOB").is_not_null()).group_by("CHILD").agg(
        pl.col("DOB").n_unique().alias("_dobs"), pl.col("DOB").first().alias("_dob")
    )
    frame = frame.join(dobs, on="CHILD", how="left").with_columns(
        pl.when(pl.col("_dobs") == 1).then(pl.col("_dob")).otherwise(None).alias("DOB")
    )
    filled = frame.filter(pl.col("_dob_blank") & (pl.col("_dobs") == 1)).height

    place_codes = sorted(valid_codes("PLACE"))
    rec_codes = sorted(valid_codes("REC"))
    age18 = pl.col("DOB").dt.offset_by("18y")
    # polars moves 29 February + 18y to 28 February; the 18th birthday is 1 March in English law.
    age18 = pl.when((pl.col("DOB").dt.month() == 2) & (pl.col("DOB").dt.day() == 29)).then(age18 + pl.duration(days=1)).otherwise(age18)
    reason = (
        pl.when(pl.col("CHILD").is_null()).then(pl.lit("no child id (CHILD)"))
        .when(pl.col("_dobs") > 1).then(pl.lit("the child's rows give different dates of birth (DOB)"))
        .when(pl.col("DOB").is_null()).then(pl.lit("no date of birth (DOB), here or in the child's other rows"))
        .when(pl.col("DECOM").is_null()).then(pl.lit("no start date (DECOM), or one that is not a date"))
        .when(pl.col("DEC").is_not_null() & (pl.col("DEC") < pl.col("DECOM")))
        .then(pl.lit("ends (DEC) before it starts (DECOM)"))
        .when(pl.col("REC").is_not_null() & pl.col("DEC").is_null())
        .then(pl.lit("has a reason ceased (REC) but no end date (DEC)"))
        .when(pl.col("PLACE").is_null()).then(pl.lit("no placement (PLACE)"))
        .when(~pl.col("PLACE").is_in(place_codes)).then(pl.lit("unknown placement code (PLACE)"))
        .when(pl.col("REC").is_not_null() & ~pl.col("REC").is_in(rec_codes))
        .then(pl.lit("unknown reason ceased (REC)"))
        .when(pl.col("DECOM") < pl.col("DOB")).then(pl.lit("starts (DECOM) before the date of birth"))
        .when(pl.col("DECOM") >= age18).then(pl.lit("starts (DECOM) on or after the 18th birthday"))
        .when(pl.col("LS").is_in(SHORT_BREAKS))
        .then(pl.lit("short breaks (LS V3, V4), which the DfE does not count as looked after"))
        .otherwise(None)
    )
    frame = frame.with_columns(reason.alias("_reason"))
    if as_of is None:
        latest = frame.filter(pl.col("_reason").is_null()).select(
            pl.max_horizontal(pl.col("DECOM").max(), pl.col("DEC").max())
        ).item()
        if latest is None:
            raise InputError(_nothing_left(frame))
        as_of = latest
    frame = frame.with_columns(
        pl.when(pl.col("_reason").is_null() & (pl.col("DECOM") > as_of))
        .then(pl.lit(f"starts after {as_of:%d/%m/%Y}, the date the data runs to"))
        .otherwise(pl.col("_reason"))
        .alias("_reason")
    )
    excluded_rows = [frame.filter(pl.col("_reason").is_not_null())]
    kept = frame.filter(pl.col("_reason").is_null())
    kept, sequence_excluded = _sequence_rules(kept)
    excluded_rows.append(sequence_excluded)

    adjusted_rows = []
    ends_later = pl.col("DEC").is_not_null() & (pl.col("DEC") > as_of)
    adjusted_rows.append(
        kept.filter(ends_later).with_columns(
            pl.lit(f"ends after {as_of:%d/%m/%Y}, the date the data runs to: read as open then").alias("_reason")
        )
    )
    kept = kept.with_columns(
        pl.when(ends_later).then(None).otherwise(pl.col("DEC")).alias("DEC"),
        pl.when(ends_later).then(None).otherwise(pl.col("REC")).alias("REC"),
    )
    excluded = summarise(pl.concat([f.select("_reason", "_where") for f in excluded_rows]))
    adjusted = summarise(pl.concat([f.select("_reason", "_where") for f in adjusted_rows]))
    if filled > 0:
        adjusted.append(Excluded("date of birth (DOB) blank but given in the child's other rows: that one used", filled))
    columns = ["CHILD", "SEX", "DOB", "DECOM", "DEC", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "REC", "_where"]
    kept = kept.select(columns).sort(["CHILD", "DECOM", "DEC"], nulls_last=True)
    if kept.height == 0:
        raise InputError(_nothing_left(frame, excluded))
    if observed_from is None:
        observed_from = kept["DECOM"].min()  # type: ignore[assignment]  # a date column: a date
    assert observed_from is not None  # kept has rows, and every DECOM is a date
    return CleanEpisodes(
        episodes=kept,
        excluded=tuple(excluded),
        adjusted=tuple(adjusted),
        as_of=as_of,
        observed_from=observed_from,
        rows_read=rows_read,
    )


def _nothing_left(frame: pl.DataFrame, excluded: list[Excluded] | None = None) -> str:
    if frame.height == 0:
        return "there are no episodes to forecast from"
    reasons = "; ".join(str(e) for e in (excluded or [])) or "every row has a problem"
    return f"none of the {frame.height} episodes can be used: {reasons}"


def _sequence_rules(frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Leave out episodes that cannot sit in one child's timeline.

    - two episodes of a child starting the same day: the first is kept (unless the first also
      ended that day: a same-day placement may be followed by another);
    - an open episode (no DEC) followed by a later one: the open one is left out, since it must
      have ended but we do not know when (the timeline is cut there, not guessed);
    - an episode starting before the previous one ended: the later one is left out.

    Repeated until none is left, because leaving one out can uncover another.
    """
    out: list[pl.DataFrame] = []
    frame = frame.sort(["CHILD", "DECOM", "DEC"], nulls_last=True, maintain_order=True)
    for _ in range(20):
        frame = frame.with_columns(
            pl.col("DECOM").shift(1).over("CHILD").alias("_prev_decom"),
            pl.col("DEC").shift(1).over("CHILD").alias("_prev_dec"),
            pl.col("DECOM").shift(-1).over("CHILD").alias("_next_decom"),
        )
        # A placement that starts and ends the same day may be followed by another that day.
        duplicate = (
            pl.col("_prev_decom").is_not_null() & (pl.col("_prev_decom") == pl.col("DECOM"))
            & ~(pl.col("_prev_dec").is_not_null() & (pl.col("_prev_dec") == pl.col("_prev_decom")))
        )
        open_then_more = pl.col("DEC").is_null() & pl.col("_next_decom").is_not_null() & (
            pl.col("_next_decom") > pl.col("DECOM")
        )
        overlap = pl.col("_prev_dec").is_not_null() & (pl.col("DECOM") < pl.col("_prev_dec"))
        reason = (
            pl.when(duplicate).then(pl.lit("starts the same day (DECOM) as another episode of the child"))
            .when(open_then_more).then(pl.lit("open (no DEC) but the child has a later episode"))
            .when(overlap).then(pl.lit("starts (DECOM) before the child's previous episode ended (DEC)"))
            .otherwise(None)
        )
        frame = frame.with_columns(reason.alias("_reason"))
        bad = frame.filter(pl.col("_reason").is_not_null())
        if bad.height == 0:
            break
        out.append(bad)
        frame = frame.filter(pl.col("_reason").is_null())
    dropped = pl.concat(out) if out else frame.clear()
    return frame.drop("_prev_decom", "_prev_dec", "_next_decom"), dropped


def clean_spells(spells: pl.DataFrame, as_of: dt.date) -> CleanSpells:
    """The service's "supported at home" spells fit for the rates, and what was left out and why.

    Overlapping spells of one child are one spell (support is support); spells starting after
    ``as_of`` are left out and spells ending after it are read as open then.
    """
    _require(spells, SPELL_COLUMNS, "service's spells")
    frame = spells.with_columns(
        pl.col("CHILD").cast(pl.Utf8).str.strip_chars().replace("", None).alias("CHILD"),
        _as_date(spells, "DOB").alias("DOB"),
        _as_date(spells, "START").alias("START"),
        _as_date(spells, "END").alias("END"),
    ).with_columns(_where(spells).alias("_where"))
    reason = (
        pl.when(pl.col("CHILD").is_null()).then(pl.lit("no child id (CHILD)"))
        .when(pl.col("DOB").is_null()).then(pl.lit("no date of birth (DOB)"))
        .when(pl.col("START").is_null()).then(pl.lit("no start date (START)"))
        .when(pl.col("END").is_not_null() & (pl.col("END") < pl.col("START")))
        .then(pl.lit("ends (END) before it starts (START)"))
        .when(pl.col("START") < pl.col("DOB")).then(pl.lit("starts before the date of birth"))
        .when(pl.col("START") > as_of).then(pl.lit(f"starts after {as_of:%d/%m/%Y}, the date the data runs to"))
        .otherwise(None)
    )
    frame = frame.with_columns(reason.alias("_reason"))
    excluded = summarise(frame.filter(pl.col("_reason").is_not_null()))
    kept = frame.filter(pl.col("_reason").is_null()).with_columns(
        pl.when(pl.col("END") > as_of).then(None).otherwise(pl.col("END")).alias("END")
    )
    # Merge overlapping or touching spells of one child.
    kept = kept.sort(["CHILD", "START"]).with_columns(
        pl.col("END").fill_null(dt.date.max).alias("_end")
    ).with_columns(pl.col("_end").cum_max().shift(1).over("CHILD").alias("_reach"))
    kept = kept.with_columns(
        (pl.col("_reach").is_null() | (pl.col("START") > pl.col("_reach"))).cum_sum().over("CHILD").alias("_spell")
    )
    merged = kept.group_by(["CHILD", "_spell"], maintain_order=True).agg(
        pl.col("DOB").first(), pl.col("START").min(), pl.col("_end").max(), pl.len().alias("_rows")
    )
    adjusted: list[Excluded] = []
    joined = int((merged["_rows"] - 1).sum()) if merged.height else 0
    if joined:
        adjusted.append(Excluded("spells of one child overlapping another spell: read as one spell", joined))
    merged = merged.with_columns(
        pl.when(pl.col("_end") == dt.date.max).then(None).otherwise(pl.col("_end")).alias("END")
    ).select("CHILD", "DOB", "START", "END")
    return CleanSpells(spells=merged, excluded=tuple(excluded), adjusted=tuple(adjusted))
