"""From projected children to money, and from draws to the figures a cabinet paper quotes.

Money per draw and year:

- gross cost: person-weeks in each state x that draw's weekly cost x the price level of the year
  ((1 + inflation) ^ (year - 1): prices are today's in year 1), plus care leavers the same way;
- savings: baseline gross cost minus with-service gross cost;
- the council's net savings: savings minus the running cost of the service plus the grant toward
  it (so the council's own investment is netted off, as in Norfolk's "£12.8m net of the £4m");
  and ``net_public``: savings minus the whole running cost (grant included), the view of the
  public purse;
- present values discount year y by (1 + rate) ^ -(y - 1) (HM Treasury Green Book).

Every figure is summarised over draws as mean, 5th, 50th and 95th percentiles, beside the
expected-value projection's figure ("expected": every number at its mean).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nwd.forecast.parameters import DAYS_PER_WEEK, Inputs
from nwd.forecast.projection import Plan, Trajectory
from nwd.forecast.scenario import Scenario
from nwd.forecast.states import AT_HOME, N_GROUPS, STATE_NAMES

PERCENTILES = (5, 50, 95)
FAN_PERCENTILES = (5, 25, 50, 75, 95)


def money(traj: Trajectory, inputs: Inputs, plan: Plan, scenario: Scenario) -> dict[str, np.ndarray]:
    """Per-draw money by year: arrays (Y, D), and ``gross`` (Y, 2, D)."""
    years = np.arange(plan.years)
    weeks_per_step = plan.step_days / DAYS_PER_WEEK
    price = (1.0 + inputs.inflation[None, :]) ** years[:, None]  # (Y, D)
    placements = np.einsum("ysdg,dg->ysd", traj.person_steps, inputs.weekly_cost) * weeks_per_step
    leavers = traj.care_leaver_steps * inputs.care_leaver_cost[None, None, :] * weeks_per_step
    gross = (placements + leavers) * price[:, None, :]
    savings = gross[:, 0] - gross[:, 1]
    running = np.array([scenario.service.running_cost_in(int(y) + 1) for y in years])
    service_cost = running[:, None] * inputs.running_cost_factor[None, :]
    grant = np.array([scenario.grant_in(int(y) + 1) for y in years])[:, None]
    net = savings - service_cost + grant
    discount = (1.0 + scenario.costs.discount_rate) ** -years.astype(float)
    return {
        "gross": gross,
        "savings": savings,
        "service_cost": service_cost,
        "grant": np.broadcast_to(grant, savings.shape),
        "council_cost": service_cost - grant,
        "net": net,
        "net_public": savings - service_cost,
        "net_present_value": np.cumsum(net * discount[:, None], axis=0),
    }


def stat(samples: np.ndarray, expected: float | None = None) -> dict[str, float]:
    """Mean and percentiles of one figure over the draws (the last axis)."""
    p5, p50, p95 = np.percentile(samples, PERCENTILES, axis=-1)
    out = {"mean": float(np.mean(samples)), "p5": float(p5), "p50": float(p50), "p95": float(p95)}
    if expected is not None:
        out["expected"] = float(expected)
    return out


def series(
    samples: np.ndarray, expected: np.ndarray | None, rng: np.random.Generator | None = None,
) -> list[dict[str, float]]:
    """``stat`` for each year of (Y, D) samples, with the expected-value figure of (Y, 1).

    With ``rng`` (for counts of children) it adds the band of the count that will actually be
    seen: each draw's expected count plus Poisson noise. Children arriving at random and moving
    independently make the number in each state Poisson around its expected value; the draws
    then carry the uncertainty about the rates on top.
    """
    out = []
    for y in range(samples.shape[0]):
        row = {"year": y + 1, **stat(samples[y], None if expected is None else expected[y, 0])}
        if rng is not None:
            seen = rng.poisson(np.maximum(samples[y], 0.0))
            p5, p50, p95 = np.percentile(seen, PERCENTILES)
            row.update({"count_p5": float(p5), "count_p50": float(p50), "count_p95": float(p95)})
        out.append(row)
    return out


def scenario_block(
    traj: Trajectory, ev: Trajectory, cash: dict[str, Any], ev_cash: dict[str, Any], s: int, rng: np.random.Generator,
) -> dict[str, Any]:
    """The figures of one scenario (0 baseline, 1 with the service), ready for JSON."""
    by_group = {
        STATE_NAMES[g]: series(traj.population[:, s, :, g], ev.population[:, s, :, g], rng)
        for g in range(N_GROUPS)
    }
    block = {
        "looked_after": series(traj.looked_after()[:, s], ev.looked_after()[:, s], rng),
        "by_group": by_group,
        "care_leavers": series(traj.care_leavers[:, s], ev.care_leavers[:, s], rng),
        "entries": series(traj.entries[:, s], ev.entries[:, s]),
        # The flows of the year, so that conservation can be checked from the file: looked after at
        # the start (the jump-off, or the end of the year before) + entrants - exits = at the end.
        "entrants": series(traj.entries[:, s], ev.entries[:, s]),
        "exits": series(_exits(traj)[:, s], _exits(ev)[:, s]),
        "exits_by_reason": {
            "returned_home": series(traj.returned_home[:, s], ev.returned_home[:, s]),
            "left_care_otherwise": series(traj.left_care[:, s], ev.left_care[:, s]),
            "aged_18": series(traj.aged_out[:, s], ev.aged_out[:, s]),
        },
        "gross_cost": series(cash["gross"][:, s], ev_cash["gross"][:, s]),
        "gross_cost_cumulative": series(np.cumsum(cash["gross"][:, s], axis=0),
                                        np.cumsum(ev_cash["gross"][:, s], axis=0)),
    }
    if s == 1:
        block["supported_at_home"] = series(traj.population[:, s, :, AT_HOME], ev.population[:, s, :, AT_HOME], rng)
        block["entries_from_home"] = series(traj.from_home[:, s], ev.from_home[:, s])
        block["diverted"] = series(traj.diverted[:, s], ev.diverted[:, s])
    return block


def _exits(traj: Trajectory) -> np.ndarray:
    """(Y, 2, D) children leaving care in each year: home, any other way, or at 18."""
    exits: np.ndarray = traj.returned_home + traj.left_care + traj.aged_out
    return exits


def savings_block(traj: Trajectory, ev: Trajectory, cash: dict[str, Any], ev_cash: dict[str, Any]) -> dict[str, Any]:
    def both(name: str) -> dict[str, Any]:
        return {
            "per_year": series(cash[name], ev_cash[name]),
            "cumulative": series(np.cumsum(cash[name], axis=0), np.cumsum(ev_cash[name], axis=0)),
        }

    prevented = traj.entries[:, 0] - traj.entries[:, 1]
    ev_prevented = ev.entries[:, 0] - ev.entries[:, 1]
    return {
        "savings": both("savings"),
        "service_cost": both("service_cost"),
        "grant": both("grant"),
        "council_cost": both("council_cost"),
        "net": both("net"),
        "net_public": both("net_public"),
        "net_present_value_cumulative": series(cash["net_present_value"], ev_cash["net_present_value"]),
        "entries_prevented": {
            "per_year": series(prevented, ev_prevented),
            "cumulative": series(np.cumsum(prevented, axis=0), np.cumsum(ev_prevented, axis=0)),
        },
        "fewer_looked_after": series(traj.looked_after()[:, 0] - traj.looked_after()[:, 1],
                                     ev.looked_after()[:, 0] - ev.looked_after()[:, 1]),
    }


def target_block(cash: dict[str, Any], ev_cash: dict[str, Any], scenario: Scenario, years: int) -> dict[str, Any]:
    """How likely the net savings reach the target, cumulatively and in the target year alone."""
    target = scenario.target
    year = min(target.year, years)
    cumulative = np.cumsum(cash["net"], axis=0)[year - 1]
    in_year = cash["net"][year - 1]
    return {
        "amount": target.amount,
        "year": target.year,
        "evaluated_year": year,
        "probability_cumulative": float(np.mean(cumulative >= target.amount)),
        "probability_year": float(np.mean(in_year >= target.amount)),
        "net_cumulative": stat(cumulative, np.cumsum(ev_cash["net"], axis=0)[year - 1, 0]),
        "net_year": stat(in_year, ev_cash["net"][year - 1, 0]),
        "meaning": (
            "net savings to the council (savings minus the running cost of the service plus the grant "
            "toward it), by the end of the year: cumulative, and in that year alone"
        ),
    }


def fan(traj: Trajectory, plan: Plan) -> dict[str, Any]:
    """Percentiles over the draws of the expected number looked after at every step, for fan
    charts (the rates' uncertainty; a count actually seen also varies by about its square root)."""
    days = ((np.arange(plan.steps) + 1) * plan.step_days).tolist()
    out = {"days": days, "percentiles": list(FAN_PERCENTILES)}
    for s, name in ((0, "baseline"), (1, "with_service")):
        quantiles = np.percentile(traj.looked_after_by_step[:, s, :], FAN_PERCENTILES, axis=-1)
        out[name] = quantiles.round(2).tolist()
    return out
