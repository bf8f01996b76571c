"""Sufficiency: where the council's children are placed now and what it costs, the places it will
need in each placement group over the coming years with and without the service, the placements
flagged as unlawful or unsuitable, and what meeting a share of external residential placements
in-house would save.

The projection is the forecast engine's (``nwd.forecast.api.run_forecast`` fed by its database
adapter): its expected number of children in each placement group at the end of each year, in both
scenarios, rounded up to whole places. The in-house scenario is the forecast's too
(``nwd.forecast.insourcing``: pure), priced at the council's own average weekly costs now, or the
forecast scenario's where the records hold none. ``build`` is what ``nwd sufficiency --json`` writes
and the page shows.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from nwd.codelists.groups import GROUP_LABELS, PlacementGroup
from nwd.core import dates
from nwd.forecast import api, from_database
from nwd.forecast.insourcing import insourcing
from nwd.forecast.scenario import Scenario, load_scenario
from nwd.forecast.states import GROUP_INDEX
from nwd.placements import queries

DEFAULT_SHARE = 0.25
DEFAULT_DRAWS = 200
SEED = 18  # the same records give the same projection
EXTERNAL_RESIDENTIAL = PlacementGroup.PRIVATE_RESIDENTIAL
IN_HOUSE_RESIDENTIAL = PlacementGroup.IN_HOUSE_RESIDENTIAL


@dataclass(frozen=True)
class Projection:
    """Children (expected) and places (rounded up) in each group at the end of each year, in both scenarios."""

    jump_off: str
    years: int
    without_service: dict[str, list[float]]
    with_service: dict[str, list[float]]

    def places(self, children: list[float]) -> list[int]:
        return [math.ceil(round(c, 6)) for c in children]

    def to_json(self) -> dict[str, Any]:
        groups = []
        for group in PlacementGroup:
            without, with_ = self.without_service[group.value], self.with_service[group.value]
            groups.append({
                "group": group.value, "label": GROUP_LABELS[group],
                "by_year": [
                    {"year": y + 1, "without_service": {"children": round(without[y], 1), "places": p0},
                     "with_service": {"children": round(with_[y], 1), "places": p1}}
                    for y, (p0, p1) in enumerate(zip(self.places(without), self.places(with_), strict=True))
                ],
            })
        return {"jump_off": self.jump_off, "years": self.years, "groups": groups}


def _expected(rows: list[dict[str, Any]]) -> list[float]:
    return [float(row.get("expected", row["mean"])) for row in rows]


def project(on: dt.date, *, scenario: Scenario | None = None, draws: int = DEFAULT_DRAWS,
            years: int | None = None) -> Projection:
    """The forecast of every placement group from the records to ``on`` (raises ValueError when it cannot run)."""
    scenario = scenario or load_scenario()
    source = from_database.load(on)
    result = api.run_forecast(
        source.episodes, source.service_spells, scenario, years=years, draws=draws, seed=SEED,
        as_of=source.as_of, observed_from=source.observed_from, drivers=False,
    )
    without = {g: _expected(rows) for g, rows in result.baseline["by_group"].items()}
    with_ = {g: _expected(rows) for g, rows in result.with_service["by_group"].items()}
    return Projection(result.jump_off["date"], len(next(iter(without.values()))), without, with_)


def unit_costs(current: queries.Current, scenario: Scenario) -> tuple[float, float, str]:
    """The weekly cost of an external and an in-house residential place: the records' averages now,
    else the forecast scenario's; and where they came from."""
    by_group = {g.group: g for g in current.groups}
    found = []
    sources = []
    for group in (EXTERNAL_RESIDENTIAL, IN_HOUSE_RESIDENTIAL):
        average = by_group[group.value].average_weekly_cost
        if average is not None:
            found.append(float(average))
            sources.append("records")
        else:
            found.append(scenario.costs.weekly[GROUP_INDEX[group]].mean())
            sources.append("scenario")
    where = "the council's records" if set(sources) == {"records"} else (
        "the forecast scenario" if set(sources) == {"scenario"} else "the records and the forecast scenario")
    return found[0], found[1], where


def build(on: dt.date | None = None, *, share: float = DEFAULT_SHARE, draws: int = DEFAULT_DRAWS,
          years: int | None = None, projection: Projection | None = None, problem: str | None = None,
          flags: bool = True) -> dict[str, Any]:
    """Everything ``nwd sufficiency --json`` writes, as JSON-ready values.

    ``projection``: one already worked out (the page keeps it); ``problem``: why there is none (then
    the forecast is not run again); ``flags`` False leaves out the flagged placements (the page
    shows their numbers only and links to the list)."""
    on = on or dates.today()
    scenario = load_scenario()
    now = queries.current(on)
    flagged = queries.flagged(on) if flags else []
    if projection is None and problem is None:
        try:
            projection = project(on, scenario=scenario, draws=draws, years=years)
        except ValueError as error:  # the engine's InputError and ScenarioError are ValueErrors
            problem = str(error)
    external_weekly, in_house_weekly, costs_from = unit_costs(now, scenario)
    report: dict[str, Any] = {
        "date": on.isoformat(),
        "current": now.to_json(),
        "flagged": {
            "unlawful": [f.to_json() for f in flagged if f.kind == queries.UNLAWFUL],
            "unsuitable": [f.to_json() for f in flagged if f.kind == queries.QUALITY],
        },
        "projection": projection.to_json() if projection else {"problem": problem},
    }
    if projection is not None:
        external = projection.without_service[EXTERNAL_RESIDENTIAL.value]
        scenario_result = insourcing(external, share=share, external_weekly=external_weekly,
                                     in_house_weekly=in_house_weekly)
        report["insourcing"] = {**scenario_result.to_json(), "costs_from": costs_from}
    else:
        report["insourcing"] = {"problem": problem}
    return report
