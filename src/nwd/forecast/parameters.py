"""Everything one run of the projection depends on, drawn together: one row per draw.

A draw is one joint guess at every uncertain number: the rates (from their posterior), the
service's effect sizes and ramp-up, the unit costs, price inflation and the running cost (from the
scenario). The expected-value projection is the one "draw" holding every number at its mean. The
scenario's ``[uncertainty]`` switches hold a family at its mean in every draw.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from nwd.forecast.distributions import Dist
from nwd.forecast.rates import HOME_PRIOR, Posterior, Rates, draw_rates, mean_rates
from nwd.forecast.scenario import Scenario
from nwd.forecast.states import N_STATES

DAYS_PER_WEEK = 7.0


@dataclass(frozen=True)
class Inputs:
    """Per-draw numbers (leading axis: draws)."""

    rates: Rates
    home_to_care: np.ndarray  # (D,) per day, leaving "supported at home" into care
    home_ended: np.ndarray  # (D,) per day, support ending without care
    reach: np.ndarray  # (D,) share of would-be entrants at the service's ages supported at home instead
    step_down: np.ndarray  # (D,) relative increase of stepping down from residential care
    planned_returns: np.ndarray  # (D,) relative increase of planned returns home
    ramp_days: np.ndarray  # (D,) days from go-live to full effect
    weekly_cost: np.ndarray  # (D, N_STATES) £ per child per week, today's prices
    care_leaver_cost: np.ndarray  # (D,) £ per care leaver per week
    inflation: np.ndarray  # (D,) yearly rise of placement prices
    running_cost_factor: np.ndarray  # (D,)

    @property
    def draws(self) -> int:
        return int(self.reach.shape[0])

    def take(self, rows: slice) -> Inputs:
        """The draws in ``rows`` (views, no copy), for splitting the work between threads."""
        rates = self.rates
        def cut(values: np.ndarray | None) -> np.ndarray | None:
            return None if values is None else values[rows]
        return Inputs(
            rates=Rates(
                hazard=rates.hazard[rows],
                destination=rates.destination[rows],
                entry=rates.entry[rows],
                first=rates.first[rows],
                home_to_care=cut(rates.home_to_care),
                home_ended=cut(rates.home_ended),
            ),
            **{name: getattr(self, name)[rows] for name in _PER_DRAW},
        )


_PER_DRAW = (
    "home_to_care", "home_ended", "reach", "step_down", "planned_returns", "ramp_days", "weekly_cost",
    "care_leaver_cost", "inflation", "running_cost_factor",
)


@dataclass(frozen=True)
class StayOut:
    """The share of young people supported at home who stay out of care, and where it comes from.

    The scenario's figure (by default the published 86% of 355 young people, Beta(305.3, 49.7)) is
    a prior; the service's own records, when there are any, update it: the share used is
    Beta(a + those whose support ended without care, b + those who came into care from it). Each
    source weighs by its number of young people, so the published figure always counts, and the
    council's own records count more as they grow. A plain number in the scenario is used as it
    is (the council has said what it believes), as is any distribution that is not a Beta.
    """

    published: Dist
    records_stayed_out: float | None  # support ended without care, in the reference window
    records_came_into_care: float | None
    used: Dist

    @property
    def records_share(self) -> float | None:
        if self.records_stayed_out is None or self.records_came_into_care is None:
            return None
        seen = self.records_stayed_out + self.records_came_into_care
        return self.records_stayed_out / seen if seen > 0 else None

    def to_json(self) -> dict[str, Any]:
        return {
            "published": self.published.mean(),
            "published_young_people": self.published.a + self.published.b if self.published.kind == "beta" else None,
            "records": self.records_share,
            "records_stayed_out": self.records_stayed_out,
            "records_came_into_care": self.records_came_into_care,
            "used": self.used.mean(),
            "meaning": "of young people supported at home by the service, the share who stay out of care",
        }


def stay_out_share(posterior: Posterior, scenario: Scenario) -> StayOut:
    """The stay-out share the projection uses (see ``StayOut``)."""
    published = scenario.service.stay_out
    if posterior.home_to_care is None or posterior.home_ended is None:
        return StayOut(published, None, None, published)
    came_in = float(posterior.home_to_care[0] - HOME_PRIOR)
    stayed_out = float(posterior.home_ended[0] - HOME_PRIOR)
    used = published
    if published.kind == "beta" and published.scale == 1.0:
        used = Dist("beta", published.a + stayed_out, published.b + came_in)
    return StayOut(published, stayed_out, came_in, used)


def _home_rates(rates: Rates, stay_out: np.ndarray, support_weeks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Leaving "supported at home": into care, and support ending without care (per day).

    How soon support ends either way comes from the service's own spells when learnt (the sum of
    the two rates learnt), else from the scenario's length of support; the share of those leaving
    who stay out of care is ``stay_out`` (``stay_out_share``). The two competing hazards are then
    (1 - stay_out) x total and stay_out x total.
    """
    if rates.home_to_care is not None and rates.home_ended is not None:
        total = rates.home_to_care + rates.home_ended
    else:
        total = 1.0 / (support_weeks * DAYS_PER_WEEK)
    return (1.0 - stay_out) * total, stay_out * total


def expected_inputs(posterior: Posterior, scenario: Scenario) -> Inputs:
    """Every number at its mean: the expected-value projection."""
    rates = mean_rates(posterior)
    service, costs = scenario.service, scenario.costs
    def one(dist: Dist) -> np.ndarray:
        return np.array([dist.mean()])
    to_care, ended = _home_rates(rates, one(stay_out_share(posterior, scenario).used), one(service.support_weeks))
    weekly = np.array([[d.mean() for d in costs.weekly] + [costs.at_home.mean()]])
    return Inputs(
        rates=rates,
        home_to_care=to_care,
        home_ended=ended,
        reach=one(service.reach),
        step_down=one(service.step_down),
        planned_returns=one(service.planned_returns),
        ramp_days=one(service.ramp_years) * 365.25,
        weekly_cost=weekly,
        care_leaver_cost=one(costs.care_leaver),
        inflation=one(costs.inflation),
        running_cost_factor=one(service.running_cost_factor),
    )


def sampled_inputs(posterior: Posterior, scenario: Scenario, rng: np.random.Generator, n: int) -> Inputs:
    """``n`` joint draws of every number (families switched off in ``[uncertainty]`` held at the mean)."""
    service, costs, uncertain = scenario.service, scenario.costs, scenario.uncertainty
    if uncertain.rates:
        rates = draw_rates(posterior, rng, n)
    else:
        mean = mean_rates(posterior)
        repeated: dict[str, Any] = {
            name: None if getattr(mean, name) is None else np.repeat(getattr(mean, name), n, axis=0)
            for name in ("hazard", "destination", "entry", "first", "home_to_care", "home_ended")
        }
        rates = Rates(**repeated)

    def pick(dist: Dist, on: bool) -> np.ndarray:
        return dist.sample(rng, n) if on else np.full(n, dist.mean())

    effects, money = uncertain.effects, uncertain.costs
    stay_out = pick(stay_out_share(posterior, scenario).used, effects)
    to_care, ended = _home_rates(rates, stay_out, pick(service.support_weeks, effects))
    weekly = np.stack([pick(d, money) for d in costs.weekly] + [pick(costs.at_home, money)], axis=1)
    assert weekly.shape == (n, N_STATES)
    return Inputs(
        rates=rates,
        home_to_care=to_care,
        home_ended=ended,
        reach=pick(service.reach, effects),
        step_down=pick(service.step_down, effects),
        planned_returns=pick(service.planned_returns, effects),
        ramp_days=pick(service.ramp_years, effects) * 365.25,
        weekly_cost=weekly,
        care_leaver_cost=pick(costs.care_leaver, money),
        inflation=pick(costs.inflation, money),
        running_cost_factor=pick(service.running_cost_factor, money),
    )


def without_effect(inputs: Inputs) -> Inputs:
    """The same draws with the service doing nothing (for checks: savings must be exactly zero)."""
    zero = np.zeros_like(inputs.reach)
    return replace(inputs, reach=zero, step_down=zero, planned_returns=zero)
