"""The council's own records as the forecast's input: care episodes and the service's outreach.

A thin adapter, like ``from_903``: it reads the database into the engine's input shape and says
what the data covers; the engine itself never imports Django. ``nwd forecast`` (without
``--from-903``) and the forecast page call ``load``.

- Episodes: every ``CareEpisode`` that had started by ``as_of``, one row each, with the young
  person's CHILD, DOB and SEX (the 903 column names of ``nwd.returns.dbframes.EPISODE_FIELDS``,
  the one mapping between model fields and 903 columns). Blank codes become null, as the 903
  reader gives them. Each row carries ``_file`` "care episode id" and ``_row`` its primary key,
  so a row the forecast leaves out is named as "care episode id row 1234 (CHILD 567890)".
- Service spells: the service's outreach involvements (support at home, the edge-of-care state)
  that had started by ``as_of``: CHILD, DOB, START, END. Hub stays (residential, emergency) are
  not "at home".
- ``as_of``: the day the data runs to (today unless given); the forecast starts the day after.
- ``observed_from``: where the care history is taken to begin, the rule the evaluation uses too
  (``nwd.care.coverage``): the council's own ``NWD_EVALUATION["data_start"]
  ["care"]`` if set; else, with enough periods of care ended to tell (episodes ending with a
  reason other than X1), 1 April of the first collection year in which a typical number of
  children left care (a history imported from 903 returns holds only the children looked after
  from its first year, so earlier years look empty); else the earliest DECOM. Rates are never
  learnt from before it.

Why the rows come straight from the cursor, column by column: a county at scale 10 has about
120,000 episodes. Model instances would cost more than everything else, and even Django's
per-value converters a third of the read. PostgreSQL's driver gives dates as dates; SQLite stores
them as text, which Python would parse one by one, so there they are read as text and parsed by
polars all at once. Two queries, whatever the size (on SQLite about 0.06 s at scale 1, 12,000
episodes, and 0.75 s at scale 10, 120,000).
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from django.conf import settings

from nwd.care.coverage import first_complete_year
from nwd.care.models import CareEpisode
from nwd.casework.choices import SupportType
from nwd.casework.models import Involvement
from nwd.core import dates
from nwd.forecast.sources import Source
from nwd.returns.dbframes import date_as_read, episode_columns, read_columns

EPISODE_COLUMNS = ("DECOM", "DEC", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "REC")
EPISODE_SOURCE = "care episode id"
SPELL_SOURCE = "outreach involvement id"


def load(as_of: dt.date | None = None) -> Source:
    """The database's care episodes and outreach spells up to ``as_of`` (default today)."""
    as_of = as_of or dates.today()
    episodes = episode_frame(as_of)
    spells = spell_frame(as_of)
    observed_from, note = history_start(as_of, episodes)
    children = episodes["CHILD"].n_unique() if episodes.height else 0
    description = (
        f"the database: {episodes.height:,} care episodes of {children:,} children and {spells.height:,} "
        f"outreach involvements, to {as_of:%d/%m/%Y}"
    )
    return Source(
        episodes=episodes,
        service_spells=spells if spells.height else None,
        as_of=as_of,
        observed_from=observed_from,
        description=description,
        notes=(note,) if note else (),
    )


def episode_frame(as_of: dt.date) -> pl.DataFrame:
    """Episodes that had started by ``as_of``: CHILD, SEX, DOB, the 903 episode columns, _file, _row
    (read by the one reader of care episodes, ``nwd.returns.dbframes.episode_columns``)."""
    frame = episode_columns(CareEpisode.objects.filter(decom__lte=as_of), person=("SEX", "DOB"))
    return frame.with_columns(pl.lit(EPISODE_SOURCE).alias("_file")).select(
        "CHILD", "SEX", "DOB", *EPISODE_COLUMNS, "_file", "_row"
    )


def spell_frame(as_of: dt.date) -> pl.DataFrame:
    """Outreach involvements that had started by ``as_of``: CHILD, DOB, START, END, _file, _row."""
    rows = Involvement.objects.filter(support_type=SupportType.OUTREACH, start__lte=as_of).order_by().values_list(
        "pk", "young_person__child_id", date_as_read("young_person__date_of_birth"), date_as_read("start"), date_as_read("end"),
    )
    frame = read_columns(rows, ["_row", "CHILD", "DOB", "START", "END"], {"DOB", "START", "END"})
    return frame.with_columns(pl.lit(SPELL_SOURCE).alias("_file")).select("CHILD", "DOB", "START", "END", "_file", "_row")


def history_start(as_of: dt.date, episodes: pl.DataFrame) -> tuple[dt.date | None, str]:
    """Where the care history is taken to begin, and a note saying why (None: the earliest DECOM)."""
    configured = settings.NWD_EVALUATION.get("data_start", {}).get("care")
    if configured:
        return configured, f"care records taken as complete from {configured:%d/%m/%Y} (NWD_EVALUATION data_start)"
    if episodes.is_empty():
        return None, ""
    # A period of care ends with an episode that ends for a reason other than X1 (which goes on).
    ended = episodes.filter(pl.col("DEC").is_not_null() & pl.col("REC").is_not_null() & (pl.col("REC") != "X1"))
    start = first_complete_year(ended["DEC"].to_numpy().astype("datetime64[D]"), as_of)
    if start is None:
        return None, ""
    start = start.astype(dt.date)
    if start <= episodes["DECOM"].min():
        return None, ""
    return start, (
        f"care records taken as complete from {start:%d/%m/%Y}, the first collection year in which a typical "
        "number of children left care (set NWD_EVALUATION['data_start']['care'] to say otherwise)"
    )
