"""The forecast's front door: plain Python in, plain Python out, no Django.

``run_forecast`` learns the rates from a council's episodes, projects the looked-after population
and its cost with and without the service (expected value and Monte Carlo), and summarises money
and the chance of meeting the savings target. ``backtest`` checks the method on the council's own
past: fit on three years, forecast the fourth, compare with what happened.

The management command (``nwd forecast``) and the web page call these; tests call them directly.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from numpy.typing import DTypeLike

from nwd.codelists.codes import collection_year_of, year_bounds
from nwd.forecast import calibration, sensitivity
from nwd.forecast.counts import Counts, count
from nwd.forecast.histories import segments
from nwd.forecast.inputs import CleanEpisodes, Excluded, clean_episodes, clean_spells
from nwd.forecast.parameters import Inputs, StayOut, expected_inputs, sampled_inputs, stay_out_share
from nwd.forecast.projection import Plan, Start, Trajectory, make_plan, project
from nwd.forecast.rates import Posterior, fit
from nwd.forecast.reference import simulate
from nwd.forecast.results import fan, money, savings_block, scenario_block, target_block
from nwd.forecast.scenario import Scenario, load_scenario
from nwd.forecast.states import AT_HOME, N_GROUPS, STATE_NAMES

# Issue 5's five keys, with what a user checks (issue 10): where the projection starts, how the unit
# costs were calibrated, and what moves the chance of the target ("backtest" is added by the
# command when it runs one).
JSON_KEYS = ("jump_off", "baseline", "with_service", "savings", "target", "calibration", "sensitivity",
             "runtime_seconds")


@dataclass
class Fitted:
    """The data read, the rates learnt, and the starting point: everything before projecting."""

    clean: CleanEpisodes
    counts: Counts
    posterior: Posterior
    plan: Plan
    start: Start
    excluded: tuple[Excluded, ...]
    adjusted: tuple[Excluded, ...]
    children: int


@dataclass
class ForecastResult:
    """The figures (JSON-ready dicts) and, for charts and checks, the per-draw arrays behind them."""

    baseline: dict[str, Any]
    with_service: dict[str, Any]
    savings: dict[str, Any]
    target: dict[str, Any]
    runtime_seconds: float
    scenario: Scenario
    info: dict[str, Any]
    excluded: tuple[Excluded, ...]
    adjusted: tuple[Excluded, ...]
    fan: dict[str, Any]
    # The per-draw arrays: None in a result kept for its figures only (``figures_only``).
    trajectory: Trajectory | None = field(repr=False)
    expected: Trajectory | None = field(repr=False)
    cash: dict[str, Any] | None = field(repr=False)
    expected_cash: dict[str, Any] | None = field(repr=False)
    inputs: Inputs | None = field(repr=False)
    jump_off: dict[str, Any] = field(default_factory=dict)
    calibration: dict[str, Any] = field(default_factory=dict)
    sensitivity: dict[str, Any] = field(default_factory=dict)

    def figures_only(self, examples: bool = True) -> ForecastResult:
        """The result without its per-draw arrays: every figure, table and file still comes out
        the same (summaries, JSON, spreadsheet), in a few kilobytes instead of megabytes, for
        keeping in a cache. ``examples=False`` also drops the example rows of what was left out
        or adjusted, which name children by their id: for readers who may not see identities."""
        excluded, adjusted, info = self.excluded, self.adjusted, self.info
        if not examples:
            excluded = tuple(replace(e, examples=()) for e in excluded)
            adjusted = tuple(replace(e, examples=()) for e in adjusted)
            info = {**info, **{key: [{**item, "examples": []} for item in info[key]] for key in ("excluded", "adjusted")}}
        return replace(self, excluded=excluded, adjusted=adjusted, info=info, trajectory=None, expected=None,
                       cash=None, expected_cash=None, inputs=None)

    def to_json(self) -> dict[str, Any]:
        """The result with exactly the top-level keys ``JSON_KEYS``; facts about the run sit in
        ``baseline["inputs"]`` (what the rates were learnt from) and each scenario's ``fan``."""
        return {
            "jump_off": self.jump_off,
            "baseline": {**self.baseline, "inputs": self.info},
            "with_service": self.with_service,
            "savings": self.savings,
            "target": self.target,
            "calibration": self.calibration,
            "sensitivity": self.sensitivity,
            "runtime_seconds": self.runtime_seconds,
        }


def years_before(day: dt.date, years: float) -> dt.date:
    """The same date ``years`` earlier (whole years keep 1 April as 1 April), else by days."""
    if float(years).is_integer():
        try:
            return day.replace(year=day.year - int(years))
        except ValueError:  # 29 February
            return day.replace(year=day.year - int(years), day=28)
    return day - dt.timedelta(days=round(years * 365.25))


def _scenario(scenario: Scenario | str | Path | None) -> Scenario:
    if isinstance(scenario, Scenario):
        return scenario
    return load_scenario(scenario)


def prepare(
    episodes: pl.DataFrame,
    service_spells: pl.DataFrame | None,
    scenario: Scenario,
    *,
    as_of: dt.date | None = None,
    observed_from: dt.date | None = None,
    years: int | None = None,
    step_days: int | None = None,
) -> Fitted:
    """Read the inputs leniently, learn the rates, and lay out the projection."""
    model = scenario.model
    clean = clean_episodes(episodes, as_of=as_of, observed_from=observed_from)
    segs, adjusted_history = segments(clean)
    excluded, adjusted = list(clean.excluded), list(clean.adjusted) + adjusted_history
    spells = None
    if service_spells is not None:
        cleaned = clean_spells(service_spells, clean.as_of)
        spells = cleaned.spells
        excluded += [Excluded(f"service spell: {e.reason}", e.count, e.examples) for e in cleaned.excluded]
        adjusted += [Excluded(f"service spell: {e.reason}", e.count, e.examples) for e in cleaned.adjusted]
    jump_off = clean.as_of + dt.timedelta(days=1)
    window_start = max(years_before(jump_off, model.reference_years), clean.observed_from)
    counts = count(segs, clean.as_of, window_start, spells)
    go_live = scenario.service.go_live
    plan = make_plan(
        years=years or model.years,
        step_days=step_days or model.step_days,
        bands=model.bands,
        service_ages=scenario.service.ages,
        go_live_offset_days=0.0 if go_live is None else float((go_live - jump_off).days),
    )
    posterior = fit(counts, plan.bands, model.prior_events, model.destination_prior)
    # Young people already supported at home at the jump-off are left out of both scenarios:
    # their risk of coming into care is in the entry rates (in the baseline as in the service's
    # world), so projecting them as well would count it twice. The service's effect is counted
    # on would-be entrants from the jump-off on.
    in_care = counts.stock_state != AT_HOME
    stock = counts.stock.copy()
    stock[:, AT_HOME] = 0.0
    start = Start(
        stock=stock,
        stock_age=counts.stock_age[in_care],
        stock_state=counts.stock_state[in_care],
        stock_days_to_birthday=counts.stock_days_to_birthday[in_care],
        care_leaver_days_to_21=counts.care_leaver_days_to_21,
    )
    return Fitted(
        clean=clean, counts=counts, posterior=posterior, plan=plan, start=start,
        excluded=tuple(excluded), adjusted=tuple(adjusted), children=segs["CHILD"].n_unique(),
    )


def run_forecast(
    episodes: pl.DataFrame,
    service_spells: pl.DataFrame | None = None,
    scenario: Scenario | str | Path | None = None,
    years: int | None = None,
    draws: int = 1000,
    seed: int | None = None,
    *,
    as_of: dt.date | None = None,
    observed_from: dt.date | None = None,
    step_days: int | None = None,
    workers: int | None = None,
    dtype: DTypeLike = np.float32,
    drivers: bool = True,
) -> ForecastResult:
    """Forecast looked-after children and their cost with and without the service.

    ``years`` and ``step_days`` default to the scenario's ``[model]``; ``seed`` None picks one
    (recorded in ``info`` so the run can be repeated). The Monte Carlo runs in ``dtype``
    (float32 halves memory and time; the expected-value projection is always float64).
    """
    began = time.perf_counter()
    scenario = _scenario(scenario)
    fitted = prepare(episodes, service_spells, scenario, as_of=as_of, observed_from=observed_from,
                     years=years, step_days=step_days)
    return forecast_from(fitted, scenario, draws, seed, workers=workers, dtype=dtype, began=began, drivers=drivers)


def fit_key(scenario: Scenario) -> tuple[Any, ...]:
    """What learning the rates depends on in a scenario (with the data): two scenarios with the
    same key can share one ``prepare``, whatever their effects, costs and horizon."""
    model = scenario.model
    return (model.reference_years, model.prior_events, model.destination_prior, model.bands, scenario.service.ages)


def replanned(fitted: Fitted, scenario: Scenario, years: int | None = None, step_days: int | None = None) -> Fitted:
    """``fitted`` laid out for ``scenario``'s horizon, step and go-live (the rates stay as learnt)."""
    model, go_live = scenario.model, scenario.service.go_live
    jump_off = fitted.counts.jump_off
    plan = make_plan(
        years=years or model.years, step_days=step_days or model.step_days, bands=model.bands,
        service_ages=scenario.service.ages,
        go_live_offset_days=0.0 if go_live is None else float((go_live - jump_off).days),
    )
    if plan.bands != fitted.plan.bands:
        raise ValueError("the scenario's age bands or the service's ages differ from those the rates were learnt on")
    return replace(fitted, plan=plan)


def forecast_from(
    fitted: Fitted,
    scenario: Scenario,
    draws: int = 1000,
    seed: int | None = None,
    *,
    workers: int | None = None,
    dtype: DTypeLike = np.float32,
    began: float | None = None,
    drivers: bool = True,
) -> ForecastResult:
    """The forecast from data already read and its rates learnt (``prepare``, ``replanned``):
    what the web page reruns when only the scenario's numbers change.

    The unit costs are calibrated to the council's stated spend (``calibration``; one factor from
    the expected-value projection, applied to every draw). With ``drivers`` it also works out the
    savings by lever and the sensitivity of the target's chance to each input (``sensitivity``:
    expected-value projections, a few hundredths of a second)."""
    began = time.perf_counter() if began is None else began
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % (2**63))  # type: ignore[operator]  # fresh: an int
    rng = np.random.default_rng(seed)
    plan = fitted.plan
    as_stated = expected_inputs(fitted.posterior, scenario)  # the unit costs as the scenario gives them
    ev = simulate(as_stated, plan, fitted.start)
    factor = float(calibration.factors(ev, as_stated, plan, scenario)[0])
    ev_inputs = calibration.scaled(as_stated, factor)
    drawn = sampled_inputs(fitted.posterior, scenario, rng, draws)
    inputs = calibration.scaled(drawn, factor)
    traj = project(inputs, plan, fitted.start, dtype, workers=workers)
    cash = money(traj, inputs, fitted.plan, scenario)
    ev_cash = money(ev, ev_inputs, fitted.plan, scenario)
    charts = fan(traj, fitted.plan)
    counts_rng = np.random.default_rng([seed, 1])
    baseline = scenario_block(traj, ev, cash, ev_cash, 0, counts_rng)
    with_service = scenario_block(traj, ev, cash, ev_cash, 1, counts_rng)
    baseline["fan"] = {"days": charts["days"], "percentiles": charts["percentiles"], "looked_after": charts["baseline"]}
    with_service["fan"] = {"days": charts["days"], "percentiles": charts["percentiles"],
                           "looked_after": charts["with_service"]}
    stay_out = stay_out_share(fitted.posterior, scenario)
    info = _info(fitted, scenario, draws, seed)
    info["stay_out"] = stay_out.to_json()
    saving = savings_block(traj, ev, cash, ev_cash)
    tornado = {}
    if drivers:
        found = sensitivity.analyse(as_stated, drawn, traj, plan, fitted.start, scenario, stay_out, factor)
        saving["by_lever"] = _levers_json(found["by_lever"], scenario, stay_out)
        tornado = found["tornado"]
    runtime = time.perf_counter() - began
    return ForecastResult(
        jump_off={"date": fitted.counts.jump_off.isoformat(), "looked_after": float(traj.start_looked_after[0])},
        calibration=calibration.report(ev, as_stated, plan, scenario, factor),
        sensitivity=tornado,
        baseline=baseline,
        with_service=with_service,
        savings=saving,
        target=target_block(cash, ev_cash, scenario, fitted.plan.years),
        runtime_seconds=round(runtime, 3),
        scenario=scenario,
        info=info,
        excluded=fitted.excluded,
        adjusted=fitted.adjusted,
        fan=charts,
        trajectory=traj,
        expected=ev,
        cash=cash,
        expected_cash=ev_cash,
        inputs=inputs,
    )


LEVER_LABELS = {
    "reach": "Would-be entrants supported at home instead of coming into care",
    "step_down": "More step-downs from children's homes to family or community settings",
    "planned_returns": "More planned returns home",
}


def _levers_json(found: dict[str, Any], scenario: Scenario, stay_out: StayOut) -> dict[str, Any]:
    """The savings by lever (Shapley values of expected-value projections), with the setting of each."""
    service = scenario.service
    settings = {"reach": {"reach": service.reach.mean(), "stay_out": stay_out.used.mean()},
                "step_down": {"step_down": service.step_down.mean()},
                "planned_returns": {"planned_returns": service.planned_returns.mean()}}
    total = found["savings_cumulative"]
    return {
        "year": found["year"],
        "levers": [
            {**lever, "label": LEVER_LABELS[lever["lever"]], "settings": settings[lever["lever"]],
             "share": lever["cumulative"] / total if total else None}
            for lever in found["levers"]
        ],
        "savings_per_year": found["savings_per_year"],
        "savings_cumulative": total,
        "council_cost_per_year": found["council_cost_per_year"],
        "net_cumulative": found["net_cumulative"],
        "meaning": (
            "savings on placements by lever, expected value (every number at its mean), in each year's prices: "
            "each lever's Shapley value (its added saving averaged over every order of switching the levers on), "
            "so the levers add up to the whole; cumulative to the target year"
        ),
    }


def _info(fitted: Fitted, scenario: Scenario, draws: int, seed: int) -> dict[str, Any]:
    counts, clean, plan = fitted.counts, fitted.clean, fitted.plan
    return {
        "scenario": scenario.name,
        "jump_off": counts.jump_off.isoformat(),
        "data_to": clean.as_of.isoformat(),
        "observed_from": clean.observed_from.isoformat(),
        "reference_window": [counts.window_start.isoformat(), (counts.window_end - dt.timedelta(days=1)).isoformat()],
        "years": plan.years,
        "step_days": plan.step_days,
        "draws": draws,
        "seed": seed,
        "episodes_read": clean.rows_read,
        "episodes_used": clean.episodes.height,
        "children": fitted.children,
        "looked_after_at_jump_off": float(counts.stock[:, :N_GROUPS].sum()),
        "supported_at_home_at_jump_off": float(counts.stock[:, N_GROUPS].sum()),
        "entries_in_window": float(counts.entries.sum()),
        "service_records": counts.with_service_data,
        "excluded": [{"reason": e.reason, "count": e.count, "examples": list(e.examples)} for e in fitted.excluded],
        "adjusted": [{"reason": e.reason, "count": e.count, "examples": list(e.examples)} for e in fitted.adjusted],
    }


# ----------------------------------------------------------------------------------------------
# Back-testing


@dataclass
class BacktestRow:
    group: str
    actual: float
    expected: float
    mean: float
    p5: float
    p95: float

    @property
    def error(self) -> float:
        return self.expected - self.actual

    @property
    def relative_error(self) -> float | None:
        return None if self.actual == 0 else self.error / self.actual

    @property
    def inside_band(self) -> bool:
        return self.p5 <= self.actual <= self.p95


@dataclass
class BacktestResult:
    """Looked-after children at the end of ``year``: forecast from the three years before, and actual.

    Each row's band is of the count that would be seen (the rates' uncertainty and Poisson noise),
    since that is what the actual count is one draw of.
    """

    year: str
    fitted_on: tuple[str, str]
    rows: list[BacktestRow]
    total: BacktestRow
    excluded: tuple[Excluded, ...]
    runtime_seconds: float

    def to_json(self) -> dict[str, Any]:
        def row(r: BacktestRow) -> dict[str, Any]:
            return {"group": r.group, "actual": r.actual, "expected": r.expected, "mean": r.mean, "p5": r.p5,
                    "p95": r.p95, "error": r.error, "relative_error": r.relative_error,
                    "inside_90_percent_band": r.inside_band}

        return {"year": self.year, "fitted_on": list(self.fitted_on), "total": row(self.total),
                "groups": {r.group: row(r) for r in self.rows}, "runtime_seconds": self.runtime_seconds}


def backtest(
    episodes: pl.DataFrame,
    service_spells: pl.DataFrame | None = None,
    scenario: Scenario | str | Path | None = None,
    year: str | None = None,
    draws: int = 1000,
    seed: int | None = 0,
    *,
    observed_from: dt.date | None = None,
    as_of: dt.date | None = None,
) -> BacktestResult:
    """Fit on the three collection years before ``year`` and forecast the looked-after count by
    group at its end; compare with the data. ``year`` defaults to the latest whole year in the data.
    """
    began = time.perf_counter()
    scenario = _scenario(scenario)
    whole = clean_episodes(episodes, as_of=as_of, observed_from=observed_from)
    if year is None:
        latest = whole.as_of
        year = collection_year_of(latest)
        if year_bounds(year)[1] > latest:
            year = collection_year_of(year_bounds(year)[0] - dt.timedelta(days=1))
    first, last = year_bounds(year)
    if last > whole.as_of or first <= whole.observed_from:
        raise ValueError(
            f"the data runs from {whole.observed_from:%d/%m/%Y} to {whole.as_of:%d/%m/%Y}, so it cannot "
            f"back-test {year}: that needs the whole year and years before it"
        )
    cut = first - dt.timedelta(days=1)
    result = run_forecast(
        episodes, service_spells, scenario, years=1, draws=draws, seed=seed,
        as_of=cut, observed_from=whole.observed_from, drivers=False,
    )
    actual_fit = prepare(episodes, service_spells, scenario, as_of=last, observed_from=whole.observed_from, years=1)
    actual = actual_fit.counts.stock[:, :N_GROUPS].sum(axis=0)
    assert result.trajectory is not None and result.expected is not None  # a full result, not figures only
    population = result.trajectory.population[0, 0, :, :N_GROUPS]
    expected = result.expected.population[0, 0, 0, :N_GROUPS]
    rng = np.random.default_rng([seed or 0, 2])
    rows = []
    for g in range(N_GROUPS):
        figures = _seen(population[:, g], rng)
        rows.append(BacktestRow(STATE_NAMES[g], float(actual[g]), float(expected[g]), figures["mean"],
                                figures["p5"], figures["p95"]))
    total = _seen(population.sum(axis=1), rng)
    window = result.info["reference_window"]
    return BacktestResult(
        year=year,
        fitted_on=(window[0], window[1]),
        rows=rows,
        total=BacktestRow("total", float(actual.sum()), float(expected.sum()), total["mean"], total["p5"],
                          total["p95"]),
        # Episodes after the cut are the future being forecast, not faults in the data.
        excluded=tuple(e for e in result.excluded if not e.reason.startswith("starts after")),
        runtime_seconds=round(time.perf_counter() - began, 3),
    )


def _seen(expected_counts: np.ndarray, rng: np.random.Generator) -> dict[str, float]:
    """Mean and 90% band of the count that would be seen: Poisson around each draw's expected count."""
    seen = rng.poisson(np.maximum(expected_counts, 0.0))
    return {"mean": float(expected_counts.mean()), "p5": float(np.percentile(seen, 5)),
            "p95": float(np.percentile(seen, 95))}


__all__ = ["run_forecast", "forecast_from", "replanned", "fit_key", "backtest", "prepare", "ForecastResult",
           "BacktestResult", "JSON_KEYS"]
