"""A sufficiency scenario: what the council would save if a share of its external residential
placements were met in its own children's homes at the in-house unit cost.

Pure Python (no Django): given the external residential places projected for each year and two
weekly unit costs, the places moved in-house and the saving, year by year and in all. A year is
365.25 / 7 weeks. The saving can be negative (an in-house place dearer than an external one): the
scenario says so rather than hiding it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

WEEKS_PER_YEAR = 365.25 / 7


@dataclass(frozen=True)
class InsourcingYear:
    year: int
    external_places: float
    moved_in_house: float
    saving: float


@dataclass(frozen=True)
class Insourcing:
    share: float
    external_weekly: float
    in_house_weekly: float
    years: tuple[InsourcingYear, ...]

    @property
    def total_saving(self) -> float:
        return sum(y.saving for y in self.years)

    def to_json(self) -> dict[str, Any]:
        return {
            "share": self.share,
            "external_weekly_cost": round(self.external_weekly, 2),
            "in_house_weekly_cost": round(self.in_house_weekly, 2),
            "by_year": [
                {"year": y.year, "external_places": round(y.external_places, 1),
                 "moved_in_house": round(y.moved_in_house, 1), "saving": round(y.saving, 2)}
                for y in self.years
            ],
            "total_saving": round(self.total_saving, 2),
        }


def insourcing(
    external_places: Sequence[float], *, share: float, external_weekly: float, in_house_weekly: float
) -> Insourcing:
    """``share`` (0 to 1) of ``external_places`` (one figure a year) met in-house instead."""
    if not 0.0 <= share <= 1.0:
        raise ValueError("The share of external residential placements met in-house must be from 0 to 1.")
    if external_weekly < 0 or in_house_weekly < 0:
        raise ValueError("Weekly costs cannot be negative.")
    years = []
    for index, places in enumerate(external_places, start=1):
        moved = max(0.0, float(places)) * share
        years.append(InsourcingYear(index, float(places), moved, moved * (external_weekly - in_house_weekly) * WEEKS_PER_YEAR))
    return Insourcing(share, external_weekly, in_house_weekly, tuple(years))
