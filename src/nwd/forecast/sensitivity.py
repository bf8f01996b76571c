"""What drives the savings: a breakdown by lever, and what moves the chance of the target most.

**Levers.** The service saves money three ways: would-be entrants supported at home instead
(``reach``, of whom a share ``stay_out`` never come into care), more step-downs from children's
homes (``step_down``) and more planned returns home (``planned_returns``). They interact (a young
person kept out of care cannot step down), so "each lever alone" does not add up to the whole.
Each lever's share is its Shapley value: its added saving averaged over every order of switching
the levers on, which adds up exactly to the whole saving (2^3 = 8 expected-value projections).

**Sensitivity (the tornado).** Each uncertain input is held at its low and then its high plausible
value (the 5th and 95th percentiles of its distribution), every other number as in the run, and the
chart shows how the chance of reaching the target and the net savings move. To keep the page fast
the extra runs are expected-value projections, all in one batched call (about 30 "draws" of the
Monte Carlo engine, a few hundredths of a second), not extra Monte Carlo runs:

- net savings at an end are that expected-value projection's;
- the chance at an end comes from the run's own draws. For inputs that only change money (unit
  costs, inflation, the running cost) each draw's money is worked out again with the input at the
  end: exact. For inputs that change who is where (reach, stay-out, step-down, planned returns,
  ramp-up, entries to care) each draw's net savings are moved by what the expected-value
  projections say holding the input at the end rather than at the draw's own value changes
  (interpolated between the low, middle and high projections): a first-order approximation.

Unit costs are calibrated to the council's stated spend (``calibration``) in every variant, so a
unit cost's range moves the mix of costs (children's homes against the rest), not their level.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import DTypeLike

from nwd.codelists.groups import PlacementGroup as G
from nwd.forecast import calibration
from nwd.forecast.distributions import Dist
from nwd.forecast.parameters import Inputs, StayOut
from nwd.forecast.projection import Plan, Start, Trajectory, project
from nwd.forecast.rates import Rates
from nwd.forecast.results import money
from nwd.forecast.scenario import Scenario
from nwd.forecast.states import GROUP_INDEX, N_GROUPS

LEVERS = ("reach", "step_down", "planned_returns")
HOMES = tuple(GROUP_INDEX[g] for g in (G.IN_HOUSE_RESIDENTIAL, G.PRIVATE_RESIDENTIAL, G.SECURE))
OTHERS = tuple(i for i in range(N_GROUPS) if i not in HOMES)


@dataclass(frozen=True)
class Input:
    """One uncertain input of the tornado: how to read it from a draw, and to set it in rows."""

    key: str
    label: str
    unit: str  # "%", "£", "years", "x" (a multiple of the learnt rate)
    low: float
    high: float
    middle: float
    set: Callable[[Inputs, str], Inputs]  # rows with the input at its "low", "middle" or "high" value
    of_draws: Callable[[Inputs], np.ndarray] | None  # the input's value in each draw; None: money only


def _at(
    setter: Callable[[Inputs, float], Inputs], low: float, middle: float, high: float
) -> Callable[[Inputs, str], Inputs]:
    """A setter by value as a setter by end ("low", "middle", "high")."""
    values = {"low": low, "middle": middle, "high": high}
    return lambda inputs, end: setter(inputs, values[end])


def _stay_out_set(inputs: Inputs, share: float) -> Inputs:
    total = inputs.home_to_care + inputs.home_ended
    return replace(inputs, home_to_care=(1.0 - share) * total, home_ended=share * total)


def _stay_out_of(inputs: Inputs) -> np.ndarray:
    total = inputs.home_to_care + inputs.home_ended
    share: np.ndarray = np.divide(inputs.home_ended, total, out=np.zeros_like(total), where=total > 0)
    return share


def _entry_set(mean_entry: np.ndarray) -> Callable[[Inputs, float], Inputs]:
    def set_(inputs: Inputs, multiple: float) -> Inputs:
        entry = np.broadcast_to(mean_entry * multiple, inputs.rates.entry.shape).copy()
        return replace(inputs, rates=replace(inputs.rates, entry=entry))
    return set_


def _costs_set(groups: tuple[int, ...], dists: Sequence[Dist]) -> Callable[[Inputs, str], Inputs]:
    """Set the groups' weekly costs each at its 5th ("low") or 95th ("high") percentile, or its mean."""
    def set_(inputs: Inputs, end: str) -> Inputs:
        weekly = inputs.weekly_cost.copy()
        for g in groups:
            low, high = dists[g].plausible()
            weekly[:, g] = {"low": low, "high": high}.get(end, dists[g].mean())
        return replace(inputs, weekly_cost=weekly)
    return set_


def _field(
    name: str, factor: float = 1.0
) -> tuple[Callable[[Inputs, float], Inputs], Callable[[Inputs], np.ndarray]]:
    def set_(inputs: Inputs, value: float) -> Inputs:
        return replace(inputs, **{name: np.full_like(getattr(inputs, name), value * factor)})

    def of(inputs: Inputs) -> np.ndarray:
        values: np.ndarray = getattr(inputs, name) / factor
        return values
    return set_, of


def inputs_of(scenario: Scenario, stay_out: StayOut, ev_inputs: Inputs, draws: Inputs) -> list[Input]:
    """The inputs the tornado moves, with their low and high plausible values."""
    service, costs = scenario.service, scenario.costs
    out = []
    for key, label, dist in (
        ("reach", "Share of would-be entrants supported at home instead", service.reach),
        ("stay_out", "Share of those supported at home who stay out of care", stay_out.used),
        ("step_down", "Rise in step-downs from children's homes", service.step_down),
        ("planned_returns", "Rise in planned returns home", service.planned_returns),
    ):
        set_, of = (_stay_out_set, _stay_out_of) if key == "stay_out" else _field(key)
        out.append(_numeric(key, label, "%", dist.plausible(), dist.mean(), set_, of))
    set_, of = _field("ramp_days", 365.25)
    out.append(_numeric("ramp_years", "Years until the full effect", "years", service.ramp_years.plausible(),
                        service.ramp_years.mean(), set_, of))
    mean_entry = ev_inputs.rates.entry[0]
    totals = draws.rates.entry.sum(axis=1) / max(float(mean_entry.sum()), 1e-300)
    low, high = (float(v) for v in np.percentile(totals, (5, 95)))
    out.append(_numeric("entries", "Entries to care (a multiple of the rate learnt)", "x", (low, high), 1.0,
                        _entry_set(mean_entry), lambda inputs: inputs.rates.entry.sum(axis=1) / mean_entry.sum()))
    out.append(Input("cost_homes", "Weekly cost of children's homes and secure care", "£",
                     *_group_costs(costs.weekly, HOMES), _group_mean(costs.weekly, HOMES),
                     _costs_set(HOMES, costs.weekly), None))
    out.append(Input("cost_others", "Weekly cost of fostering and other placements", "£",
                     *_group_costs(costs.weekly, OTHERS), _group_mean(costs.weekly, OTHERS),
                     _costs_set(OTHERS, costs.weekly), None))
    set_, _ = _field("inflation")
    out.append(_numeric("inflation", "Price inflation a year", "%", costs.inflation.plausible(),
                        costs.inflation.mean(), set_, None))
    set_, _ = _field("running_cost_factor")
    out.append(_numeric("running_cost", "Running cost of the service (a multiple of the plan)", "x",
                        service.running_cost_factor.plausible(), service.running_cost_factor.mean(), set_, None))
    return out


def _numeric(
    key: str, label: str, unit: str, plausible: tuple[float, float], middle: float,
    setter: Callable[[Inputs, float], Inputs], of_draws: Callable[[Inputs], np.ndarray] | None,
) -> Input:
    low, high = plausible
    return Input(key, label, unit, low, high, middle, _at(setter, low, middle, high), of_draws)


def _group_costs(dists: Sequence[Dist], groups: tuple[int, ...]) -> tuple[float, float]:
    """The groups' average weekly cost (unweighted) at the 5th and 95th percentiles, for the label."""
    return (float(np.mean([dists[g].plausible()[0] for g in groups])),
            float(np.mean([dists[g].plausible()[1] for g in groups])))


def _group_mean(dists: Sequence[Dist], groups: tuple[int, ...]) -> float:
    return float(np.mean([dists[g].mean() for g in groups]))


def analyse(
    ev_inputs: Inputs, draws: Inputs, traj: Trajectory, plan: Plan, start: Start, scenario: Scenario,
    stay_out: StayOut, main_factor: float, dtype: DTypeLike = np.float64,
) -> dict[str, Any]:
    """The breakdown by lever and the tornado. ``ev_inputs`` and ``draws`` are uncalibrated (each
    variant is calibrated on its own); ``traj`` is the run's Monte Carlo trajectory of ``draws``
    and ``main_factor`` the run's calibration factor."""
    items = inputs_of(scenario, stay_out, ev_inputs, draws)
    combos = list(itertools.product((0, 1), repeat=len(LEVERS)))
    everything = combos.index((1,) * len(LEVERS))
    rows: list[Inputs] = []
    for on in combos:
        row = ev_inputs
        for lever, flag in zip(LEVERS, on):
            if not flag:
                row = replace(row, **{lever: np.zeros_like(getattr(row, lever))})
        rows.append(row)
    # Only the inputs that change who is where need projecting. At its middle value every input is
    # the run's own expected value (the row with every lever on); the money-only inputs reuse that
    # row's projection.
    ends = ("low", "middle", "high")
    at: dict[tuple[str, str], int] = {(item.key, "middle"): everything for item in items}
    for moves_people in (True, False):
        if not moves_people:
            projected = len(rows)
        for item in items:
            if (item.of_draws is not None) == moves_people:
                for end in ("low", "high"):
                    at[item.key, end] = len(rows)
                    rows.append(item.set(ev_inputs, end))
    batch = _stack(rows)
    ran = project(_stack(rows[:projected]), plan, start, dtype, workers=1)
    ev_traj = _take(ran, np.concatenate([np.arange(projected), np.full(len(rows) - projected, everything)]))
    factor = calibration.factors(ev_traj, batch, plan, scenario)
    batch = calibration.scaled(batch, factor)
    cash = money(ev_traj, batch, plan, scenario)
    year = min(scenario.target.year, plan.years)

    # Levers: Shapley values of the savings per year.
    savings = cash["savings"]  # (Y, rows)
    value = {on: savings[:, i] for i, on in enumerate(combos)}
    n = len(LEVERS)
    levers = []
    for k, lever in enumerate(LEVERS):
        share = np.zeros(plan.years)
        for on in combos:
            if on[k]:
                continue
            size = sum(on)
            weight = math.factorial(size) * math.factorial(n - size - 1) / math.factorial(n)
            with_k = tuple(1 if j == k else f for j, f in enumerate(on))
            share += weight * (value[with_k] - value[on])
        levers.append({"lever": lever, "per_year": share.tolist(), "cumulative": float(share[:year].sum())})
    total = value[(1,) * n]
    net_total = cash["net"][:, everything]
    by_lever = {
        "levers": levers,
        "savings_per_year": total.tolist(),
        "savings_cumulative": float(total[:year].sum()),
        "council_cost_per_year": (total - net_total).tolist(),
        "net_cumulative": float(net_total[:year].sum()),
        "year": year,
    }

    # The tornado.
    net_draws = np.cumsum(money(traj, calibration.scaled(draws, main_factor), plan, scenario)["net"], axis=0)[year - 1]
    amount = scenario.target.amount
    bars: list[dict[str, Any]] = []
    for item in items:
        index = {end: at[item.key, end] for end in ends}
        ev_net = {end: float(np.cumsum(cash["net"][:, index[end]])[year - 1]) for end in ends}
        chance = {}
        for end in ("low", "high"):
            if item.of_draws is None:  # money only: each draw's money again, exactly
                changed = item.set(draws, end)
                changed = calibration.scaled(changed, float(factor[index[end]]))
                moved = np.cumsum(money(traj, changed, plan, scenario)["net"], axis=0)[year - 1]
            else:
                points = sorted({(item.low, ev_net["low"]), (item.middle, ev_net["middle"]),
                                 (item.high, ev_net["high"])})
                own = _interpolate(item.of_draws(draws), points)
                moved = net_draws + ev_net[end] - own
            chance[end] = float(np.mean(moved >= amount))
        bars.append({
            "input": item.key, "label": item.label, "unit": item.unit, "low": item.low, "high": item.high,
            "net_low": ev_net["low"], "net_high": ev_net["high"], "net_middle": ev_net["middle"],
            "probability_low": chance["low"], "probability_high": chance["high"],
            "method": "exact" if item.of_draws is None else "first order",
        })
    bars.sort(key=lambda b: (abs(b["probability_high"] - b["probability_low"]), abs(b["net_high"] - b["net_low"])),
              reverse=True)
    tornado = {
        "year": year,
        "amount": amount,
        "probability": float(np.mean(net_draws >= amount)),
        "net_expected": float(np.cumsum(cash["net"][:, everything])[year - 1]),
        "inputs": bars,
        "meaning": (
            "each input held at its low and then its high plausible value (5th and 95th percentiles), the rest "
            "as in the run: net savings, cumulative to the target year, from expected-value projections; the "
            "chance of the target from the run's draws (exact for inputs that only change money, first order "
            "for the others)"
        ),
    }
    return {"by_lever": by_lever, "tornado": tornado}


def _interpolate(x: np.ndarray, points: list[tuple[float, float]]) -> np.ndarray:
    """Piecewise-linear through ``points`` (sorted by x), extended linearly beyond the ends."""
    xs = np.array([p[0] for p in points])
    ys = np.array([p[1] for p in points])
    if len(xs) == 1 or xs[-1] == xs[0]:
        return np.full_like(x, ys.mean(), dtype=float)
    inside = np.interp(x, xs, ys)
    below = ys[0] + (x - xs[0]) * (ys[1] - ys[0]) / (xs[1] - xs[0])
    above = ys[-1] + (x - xs[-1]) * (ys[-1] - ys[-2]) / (xs[-1] - xs[-2])
    through: np.ndarray = np.where(x < xs[0], below, np.where(x > xs[-1], above, inside))
    return through


def _take(traj: Trajectory, rows: np.ndarray) -> Trajectory:
    """The trajectory of the given draws (every per-draw array has its draws on axis 2)."""
    arrays = {name: np.take(getattr(traj, name), rows, axis=2) for name in (
        "population", "person_steps", "care_leavers", "care_leaver_steps", "entries", "from_home", "diverted",
        "returned_home", "left_care", "aged_out", "support_ended", "looked_after_by_step")}
    return Trajectory(start_looked_after=traj.start_looked_after, **arrays)


def _stack(rows: list[Inputs]) -> Inputs:
    def cat(values: list[Any]) -> Any:  # arrays, or None for a rate the scenario has not
        return None if values[0] is None else np.concatenate(values, axis=0)

    return Inputs(
        rates=Rates(**{name: cat([getattr(r.rates, name) for r in rows]) for name in (
            "hazard", "destination", "entry", "first", "home_to_care", "home_ended")}),
        **{name: cat([getattr(r, name) for r in rows]) for name in (
            "home_to_care", "home_ended", "reach", "step_down", "planned_returns", "ramp_days", "weekly_cost",
            "care_leaver_cost", "inflation", "running_cost_factor")},
    )


__all__ = ["analyse", "LEVERS"]
