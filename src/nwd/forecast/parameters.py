"""Everything one run of the projection depends on, drawn together: one row per draw.

A draw is one joint guess at every uncertain number: the rates (from their posterior), the
service's effect sizes and ramp-up, the unit costs, price inflation and the running cost (from the
scenario). The expected-value projection is the one "draw" holding every number at its mean. The
scenario's ``[uncertainty]`` switches hold a family at its mean in every draw.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from nwd.forecast.rates import Posterior, Rates, draw_rates, mean_rates
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
        return self.reach.shape[0]

    def take(self, rows: slice) -> Inputs:
        """The draws in ``rows`` (views, no copy), for splitting the work between threads."""
        rates = self.rates
        def cut(values):
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


def _home_rates(rates: Rates, stay_out: np.ndarray, support_weeks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Leaving "supported at home": from the service's own spells if learnt, else the scenario.

    From the scenario: support lasts ``support_weeks`` on average and a share ``stay_out`` of
    young people leave it without coming into care, so the two competing hazards are
    (1 - stay_out) / length and stay_out / length.
    """
    if rates.home_to_care is not None and rates.home_ended is not None:
        return rates.home_to_care, rates.home_ended
    total = 1.0 / (support_weeks * DAYS_PER_WEEK)
    return (1.0 - stay_out) * total, stay_out * total


def expected_inputs(posterior: Posterior, scenario: Scenario) -> Inputs:
    """Every number at its mean: the expected-value projection."""
    rates = mean_rates(posterior)
    service, costs = scenario.service, scenario.costs
    def one(dist):
        return np.array([dist.mean()])
    to_care, ended = _home_rates(rates, one(service.stay_out), one(service.support_weeks))
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
        rates = Rates(**{
            name: None if getattr(mean, name) is None else np.repeat(getattr(mean, name), n, axis=0)
            for name in ("hazard", "destination", "entry", "first", "home_to_care", "home_ended")
        })

    def pick(dist, on: bool) -> np.ndarray:
        return dist.sample(rng, n) if on else np.full(n, dist.mean())

    effects, money = uncertain.effects, uncertain.costs
    to_care, ended = _home_rates(rates, pick(service.stay_out, effects), pick(service.support_weeks, effects))
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
