"""The link to the forecast engine: the cost avoided since the service began, as the engine models it.

The counterfactual (what care would have cost without the service) cannot be observed, so it is
modelled: the forecast engine (``nwd.forecast.api.run_forecast``) learns the council's rates of
entering, moving through and leaving care from the records *before* the service began, and projects
the looked-after population and its cost from that day with and without the service. The cost avoided
to date is the difference between the two, up to the end of the reporting period (linearly
interpolated within a year); the net figure takes off the service's running cost and adds the grant,
as the savings target is stated net.

It is a model's figure, not a measurement, and the report labels it so. When the engine is not
installed or fails, the report says the figure is not available rather than estimating one.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

from nwd.evaluation.money import CostAvoided

DRAWS = 200  # enough for stable 5th and 95th percentiles of a cumulative sum; about a second


def _at(cumulative: list[dict], years: float, key: str) -> float:
    """A cumulative yearly series read at a fraction of a year (straight line within each year)."""
    values = [0.0] + [float(row[key]) for row in cumulative]
    whole = min(int(math.floor(years)), len(values) - 1)
    if whole >= len(values) - 1:
        return values[-1]
    return values[whole] + (years - whole) * (values[whole + 1] - values[whole])


def cost_avoided(go_live: dt.date, date_to: dt.date) -> CostAvoided | None:
    """The engine's cost avoided from ``go_live`` to ``date_to``; None when there is no engine."""
    try:
        from nwd.forecast.api import run_forecast
    except ModuleNotFoundError as error:
        if error.name in ("nwd.forecast", "nwd.forecast.api"):
            return None  # no engine installed: "not linked"
        raise  # a broken engine is reported as such by the caller, not passed off as "not linked"
    elapsed = ((date_to - go_live).days + 1) / 365.25
    if elapsed <= 0:
        return CostAvoided(False, note="Not available: the period ends before the service began.")
    from nwd.forecast.from_database import load  # with the engine above: only when it is installed

    # The same reader as `nwd forecast` and the forecast page: the records up to the day before
    # go-live, with the service's outreach as the edge-of-care state.
    source = load(as_of=go_live - dt.timedelta(days=1))
    if source.episodes.is_empty():
        return CostAvoided(False, note="Not available: there are no care records to model the counterfactual from.")
    result = run_forecast(
        source.episodes, source.service_spells, None, years=max(1, math.ceil(elapsed)),
        draws=DRAWS, seed=0, as_of=source.as_of, observed_from=source.observed_from,
    )
    savings = result.savings["savings"]["cumulative"]
    net = result.savings["net"]["cumulative"]
    amount = _at(savings, elapsed, "expected")
    if not np.isfinite(amount):
        return CostAvoided(False, note="Not available: the forecast engine gave no finite figure.")
    return CostAvoided(
        available=True,
        amount=amount,
        lower=_at(savings, elapsed, "p5"),
        upper=_at(savings, elapsed, "p95"),
        net=_at(net, elapsed, "expected"),
        net_lower=_at(net, elapsed, "p5"),
        net_upper=_at(net, elapsed, "p95"),
        source=(
            f"the forecast engine's projection from {go_live:%-d %B %Y}, fitted on the care records before "
            f"that day (scenario '{result.scenario.name}', {DRAWS} draws)"
        ),
        note=(
            "Modelled, not measured: the projected cost of care without the service less the projected cost "
            "with it. Net savings take off the service's running cost and add the grant toward it. Within a "
            "year the figures are read along a straight line, so the percentiles there are approximate."
        ),
    )
