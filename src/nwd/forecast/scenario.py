"""Scenarios: the service's effect, its cost and the money around it, read from a TOML file.

A council's own file only holds what it changes: it is laid over ``default_scenario.toml`` key by
key, so the defaults (and their sources, documented line by line there) fill the rest. The web page
that lets a user change numbers and rerun does the same with ``overrides``.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from nwd.forecast.distributions import Dist, ScenarioError, parse_dist
from nwd.forecast.states import GROUPS, MAX_AGE, check_bands

DEFAULT_FILE = "default_scenario.toml"


@dataclass(frozen=True)
class Model:
    years: int
    step_days: int
    reference_years: float
    prior_events: float
    destination_prior: float
    bands: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Uncertainty:
    rates: bool
    effects: bool
    costs: bool


@dataclass(frozen=True)
class Service:
    ages: tuple[int, int]
    go_live: dt.date | None
    ramp_years: Dist
    reach: Dist
    stay_out: Dist
    support_weeks: Dist
    step_down: Dist
    planned_returns: Dist
    running_cost: tuple[float, ...]
    running_cost_factor: Dist

    def running_cost_in(self, year: int) -> float:
        """Running cost in year ``year`` (1 = first); past the list, the last year's."""
        return self.running_cost[min(year, len(self.running_cost)) - 1] if self.running_cost else 0.0


@dataclass(frozen=True)
class Costs:
    weekly: tuple[Dist, ...]  # one per placement group, in ``GROUPS`` order
    care_leaver: Dist
    at_home: Dist
    inflation: Dist
    discount_rate: float


@dataclass(frozen=True)
class Council:
    """What the council says its looked-after children cost now, to calibrate the unit costs to."""

    looked_after: float
    annual_spend: float
    calibrate: bool

    @property
    def spend_per_child_year(self) -> float:
        return self.annual_spend / self.looked_after


@dataclass(frozen=True)
class Target:
    amount: float
    year: int


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    model: Model
    uncertainty: Uncertainty
    service: Service
    grant: tuple[float, ...]
    costs: Costs
    target: Target
    council: Council

    def grant_in(self, year: int) -> float:
        return self.grant[year - 1] if year <= len(self.grant) else 0.0


def default_data() -> dict[str, Any]:
    """The default scenario as the dictionary its TOML file reads to."""
    text = resources.files("nwd.forecast").joinpath(DEFAULT_FILE).read_text(encoding="utf-8")
    return tomllib.loads(text)


def merged(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """``over`` laid on ``base``: tables merge key by key, anything else replaces."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict) and "dist" not in value:
            out[key] = merged(out[key], value)
        else:
            out[key] = value
    return out


def load_scenario(path: str | Path | None = None, overrides: dict[str, Any] | None = None) -> Scenario:
    """The default scenario, with a council's TOML file and then ``overrides`` laid over it."""
    data = default_data()
    if path is not None:
        try:
            with open(path, "rb") as handle:
                own = tomllib.load(handle)
        except OSError as exc:
            raise ScenarioError(f"{path}: the scenario file could not be opened ({exc.strerror})") from None
        except tomllib.TOMLDecodeError as exc:
            raise ScenarioError(f"{path}: not a valid TOML file ({exc})") from None
        data = merged(data, own)
    if overrides:
        data = merged(data, overrides)
    return parse_scenario(data)


def _table(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ScenarioError(f"{key}: must be a table")
    return value


def _int(table: dict[str, Any], key: str, where: str, low: int, high: int) -> int:
    value = table.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ScenarioError(f"{where}.{key}: must be a whole number from {low} to {high}, not {value!r}")
    return value


def _float(table: dict[str, Any], key: str, where: str, low: float, high: float) -> float:
    value = table.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise ScenarioError(f"{where}.{key}: must be a number from {low:g} to {high:g}, not {value!r}")
    return float(value)


def _money_list(table: dict[str, Any], key: str, where: str) -> tuple[float, ...]:
    value = table.get(key, [])
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, list) or any(isinstance(v, bool) or not isinstance(v, int | float) or v < 0 for v in value):
        raise ScenarioError(f"{where}.{key}: must be a list of amounts in £ (year 1 first), not {value!r}")
    return tuple(float(v) for v in value)


def parse_scenario(data: dict[str, Any]) -> Scenario:
    """A Scenario from the dictionary of a (merged) TOML file; ScenarioError names any bad key."""
    meta = _table(data, "scenario")
    model_t = _table(data, "model")
    bands_raw = model_t.get("bands")
    try:
        bands = tuple((int(low), int(high)) for low, high in bands_raw)  # type: ignore[union-attr]  # None: TypeError
        check_bands(bands)
    except (TypeError, ValueError) as exc:
        raise ScenarioError(f"model.bands: {exc}") from None
    model = Model(
        years=_int(model_t, "years", "model", 1, 25),
        step_days=_int(model_t, "step_days", "model", 1, 28),
        reference_years=_float(model_t, "reference_years", "model", 0.25, 20),
        prior_events=_float(model_t, "prior_events", "model", 0.01, 1000),
        destination_prior=_float(model_t, "destination_prior", "model", 0.01, 1000),
        bands=bands,
    )
    unc_t = _table(data, "uncertainty")
    uncertainty = Uncertainty(**{k: bool(unc_t.get(k, True)) for k in ("rates", "effects", "costs")})

    svc = _table(data, "service")
    ages = svc.get("ages")
    if (
        not isinstance(ages, list) or len(ages) != 2 or not all(isinstance(a, int) for a in ages)
        or not 0 <= ages[0] <= ages[1] <= MAX_AGE
    ):
        raise ScenarioError(f"service.ages: must be [youngest, oldest] within 0 to {MAX_AGE}, not {ages!r}")
    go_live = svc.get("go_live")
    if go_live is not None and not isinstance(go_live, dt.date):
        raise ScenarioError(f"service.go_live: must be a date written yyyy-mm-dd, not {go_live!r}")
    service = Service(
        ages=(ages[0], ages[1]),
        go_live=go_live,
        ramp_years=parse_dist(svc.get("ramp_years"), "service.ramp_years", positive=True),
        reach=parse_dist(svc.get("reach"), "service.reach", share=True),
        stay_out=parse_dist(svc.get("stay_out"), "service.stay_out", share=True),
        support_weeks=parse_dist(svc.get("support_weeks"), "service.support_weeks", positive=True),
        step_down=parse_dist(svc.get("step_down"), "service.step_down", positive=True),
        planned_returns=parse_dist(svc.get("planned_returns"), "service.planned_returns", positive=True),
        running_cost=_money_list(svc, "running_cost", "service"),
        running_cost_factor=parse_dist(svc.get("running_cost_factor", 1.0), "service.running_cost_factor",
                                       positive=True),
    )
    if service.support_weeks.kind == "fixed" and service.support_weeks.a <= 0:
        raise ScenarioError("service.support_weeks: must be above 0")
    funding = _table(data, "funding")
    costs_t = _table(data, "costs")
    weekly_t = _table(costs_t, "weekly")
    unknown = set(weekly_t) - {g.value for g in GROUPS}
    if unknown:
        raise ScenarioError(
            f"costs.weekly: unknown placement group {', '.join(sorted(unknown))}; "
            f"the groups are {', '.join(g.value for g in GROUPS)}"
        )
    missing = [g.value for g in GROUPS if g.value not in weekly_t]
    if missing:
        raise ScenarioError(f"costs.weekly: needs a cost for {', '.join(missing)}")
    costs = Costs(
        weekly=tuple(parse_dist(weekly_t[g.value], f"costs.weekly.{g.value}", positive=True) for g in GROUPS),
        care_leaver=parse_dist(costs_t.get("care_leaver", 0), "costs.care_leaver", positive=True),
        at_home=parse_dist(costs_t.get("at_home", 0), "costs.at_home", positive=True),
        inflation=parse_dist(costs_t.get("inflation", 0), "costs.inflation"),
        discount_rate=_float(costs_t, "discount_rate", "costs", 0, 1),
    )
    council_t = _table(data, "council")
    calibrate = council_t.get("calibrate", True)
    if not isinstance(calibrate, bool):
        raise ScenarioError(f"council.calibrate: must be true or false, not {calibrate!r}")
    council = Council(
        looked_after=_float(council_t, "looked_after", "council", 1, 1e6),
        annual_spend=_float(council_t, "annual_spend", "council", 1, 1e11),
        calibrate=calibrate,
    )
    target_t = _table(data, "target")
    target = Target(
        amount=_float(target_t, "amount", "target", -1e12, 1e12),
        year=_int(target_t, "year", "target", 1, 25),
    )
    return Scenario(
        name=str(meta.get("name", "unnamed scenario")),
        description=str(meta.get("description", "")),
        model=model,
        uncertainty=uncertainty,
        service=service,
        grant=_money_list(funding, "grant", "funding"),
        costs=costs,
        target=target,
        council=council,
    )
