"""What the forecast is fed from: the database or a folder of 903 files, in one shape.

Both adapters (``from_903.load`` and ``from_database.load``) return a ``Source``, so the command
and the web page treat them alike and the engine never knows where the rows came from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Source:
    """Episodes (903-shaped), the service's spells of support at home, and what is known about them.

    - ``episodes``: CHILD, SEX, DOB, DECOM, DEC, RNE, LS, CIN, PLACE, PLACE_PROVIDER, REC; optional
      ``_file`` and ``_row`` name where each row came from in messages.
    - ``service_spells``: CHILD, DOB, START, END (END null = still supported), or None.
    - ``as_of``: the last day the data describes (the forecast starts the next day); None means the
      latest date in the data.
    - ``observed_from``: the first day from which every child looked after is in the data (for 903
      files, 1 April of the earliest year); None means the earliest episode start.
    - ``notes``: what reading the data found that a person should see (warnings, merges).
    """

    episodes: pl.DataFrame
    service_spells: pl.DataFrame | None = None
    as_of: dt.date | None = None
    observed_from: dt.date | None = None
    description: str = ""
    notes: tuple[str, ...] = ()
