"""The synthetic county: a deterministic, generated council for the demo, the tests and benchmarks.

``nwd synth --scale S --seed N [--as-of YYYY-MM-DD] [--replace]`` and, from Python,
``nwd.synth.generate(scale, seed, as_of, progress=True) -> Summary``. docs/synthetic-county.md says
what the county holds, the rates and proportions it is drawn with and their sources, and what is
deliberately unrealistic. Everything in it is made up: names are common first names and surnames
put together at random.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nwd.synth.county import Summary


def generate(
    scale: float = 1.0,
    seed: int = 2021,
    as_of: dt.date | None = None,
    progress: bool = True,
    replace: bool = False,
) -> Summary:
    """Write a synthetic county into the database; see ``nwd.synth.county.generate``."""
    # On use, as in __getattr__ below: importing this package (Django does, to find the app) touches no models.
    from nwd.synth.county import generate as write_county

    return write_county(scale=scale, seed=seed, as_of=as_of, progress=progress, replace=replace)


def __getattr__(name: str):
    # Summary and CountyExists live with the generator, which imports models: load them on first use,
    # so that importing this package (Django does, to find the app) touches no models.
    if name in {"Summary", "CountyExists"}:
        from nwd.synth import county

        return getattr(county, name)
    raise AttributeError(name)
