"""Running a forecast for the page: the records read, the rates kept per state of the data, the
figures kept per run.

Why keep things: reading the records and learning the rates from them (``api.prepare``) takes
about as long as a run of 1,000 draws, and does not depend on the numbers a person changes on the
page (effects, costs, horizon; ``api.fit_key`` says what it does depend on). So the learnt rates
are kept per *state of the data*: a fingerprint of every row read (two queries; 0.06 s at scale 1,
0.75 s at scale 10 on SQLite), so a record added or corrected since is learnt from at once, and
no stale rates survive a change. Each run's figures and charts are kept too (per data state,
numbers, draws and seed), so the downloads and a reload cost nothing. Both live in Django's cache
(local memory unless ``CACHES`` says otherwise) for ``NWD_FORECAST_CACHE_SECONDS`` (default 900).

Every run uses the same seed, so the same numbers always give the same figures. The draws run in
this process (``workers=1``): a web request does not fork.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, replace

import numpy as np
import polars as pl
from django.conf import settings
from django.core.cache import cache

from nwd.forecast import api
from nwd.forecast.from_database import load
from nwd.forecast.scenario import Scenario
from nwd.forecast.sources import Source
from nwd.forecast.web.charts import looked_after_chart, savings_chart, tornado_chart

VERSION = 2  # 2: calibration, savings by lever and the sensitivity chart
SEED = 1


def seconds() -> int:
    return settings.NWD_FORECAST_CACHE_SECONDS


@dataclass(frozen=True)
class Data:
    """The records as read now, and their fingerprint."""

    source: Source
    fingerprint: str


@dataclass(frozen=True)
class Run:
    """One run's figures (no per-draw arrays, no child ids), its charts, and how long it took."""

    result: api.ForecastResult
    charts: dict[str, str]
    draws: int
    seconds: float  # learning (if it was not kept), the run and the charts
    rates_kept: bool  # the rates came from an earlier run on the same data
    kept: bool = False  # the whole run is an earlier one's, for the same records and numbers


def read() -> Data:
    """The records, and a fingerprint of every value in them."""
    source = load()
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{pl.__version__}|{source.as_of}|{source.observed_from}".encode())
    for frame in (source.episodes, source.service_spells):
        if frame is None or frame.is_empty():
            digest.update(b"-")
            continue
        # Row hashes sorted: the same rows in another order are the same data.
        digest.update(np.sort(frame.hash_rows(seed=0).to_numpy()).tobytes())
        digest.update(str(frame.height).encode())
    return Data(source, digest.hexdigest())


def _key(kind: str, *parts) -> str:
    text = json.dumps(parts, sort_keys=True, default=str)
    return f"nwd:forecast:{VERSION}:{kind}:{hashlib.blake2b(text.encode(), digest_size=16).hexdigest()}"


def fitted(data: Data, scenario: Scenario) -> tuple[api.Fitted, bool]:
    """The rates learnt from ``data`` for ``scenario`` (kept per data state); and whether they were kept."""
    key = _key("fit", data.fingerprint, api.fit_key(scenario))
    found = cache.get(key)
    if found is not None:
        return found, True
    source = data.source
    made = api.prepare(source.episodes, source.service_spells, scenario, as_of=source.as_of,
                       observed_from=source.observed_from)
    cache.set(key, made, seconds())
    return made, False


def run(data: Data, scenario: Scenario, overrides: dict, draws: int) -> Run:
    """The forecast of ``scenario`` on ``data``: kept from an earlier identical run, or run now."""
    key = _key("run", data.fingerprint, overrides, draws, SEED)
    found = cache.get(key)
    if found is not None:
        return replace(found, kept=True)
    began = time.perf_counter()
    rates, kept = fitted(data, scenario)
    result = api.forecast_from(api.replanned(rates, scenario), scenario, draws, SEED, workers=1)
    shown = result.figures_only(examples=False)
    charts = {"looked_after": looked_after_chart(shown), "savings": savings_chart(shown),
              "tornado": tornado_chart(shown)}
    made = Run(result=shown, charts=charts, draws=draws, seconds=round(time.perf_counter() - began, 2),
               rates_kept=kept)
    cache.set(key, made, seconds())
    return made
