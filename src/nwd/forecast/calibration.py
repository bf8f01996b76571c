"""Unit costs calibrated to what the council says its looked-after children cost.

The default weekly costs come from national sources (domain.md §5); a council's own children cost
what they cost. Left as they were, the synthetic county's baseline came to £1,343 a week per child
where Norfolk's cabinet paper says about £960 (£55m a year for 1,100 children, domain.md §2), and
every saving was inflated by the same 40%. So the scenario's ``[council]`` says what the council
spends on its looked-after children's placements and for how many, and every placement group's
weekly cost is multiplied by **one factor** so that the baseline's first year costs that much per
child: with the records holding the stated number of children, the baseline's first year costs
the stated spend. The factor is worked out once, from the expected-value projection (every number
at its mean), and applied to every draw, so the costs' uncertainty keeps its shape (a private
children's home still costs about nine times a fostering placement; how many times is uncertain).
Care leavers' and the service's own costs are not placements and are left as they are.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from nwd.forecast.parameters import DAYS_PER_WEEK, Inputs
from nwd.forecast.projection import Plan, Trajectory
from nwd.forecast.scenario import Scenario
from nwd.forecast.states import DAYS_PER_YEAR, N_GROUPS

WEEKS_PER_YEAR = DAYS_PER_YEAR / DAYS_PER_WEEK


def first_year(traj: Trajectory, inputs: Inputs, plan: Plan) -> tuple[np.ndarray, np.ndarray]:
    """Per draw, the baseline's first-year cost of placements (today's prices) and its children
    looked after on average over the year (child-years)."""
    person_steps = traj.person_steps[0, 0, :, :N_GROUPS]  # (D, groups)
    weeks = person_steps * (plan.step_days / DAYS_PER_WEEK)
    cost = np.einsum("dg,dg->d", weeks, inputs.weekly_cost[:, :N_GROUPS])
    child_years = weeks.sum(axis=1) / WEEKS_PER_YEAR
    return cost, child_years


def factors(traj: Trajectory, inputs: Inputs, plan: Plan, scenario: Scenario) -> np.ndarray:
    """(D,) the factor for each row of ``inputs`` (each row its own expected-value world): the
    stated spend per child-year times the row's child-years, over the row's first-year cost."""
    council = scenario.council
    cost, child_years = first_year(traj, inputs, plan)
    if not council.calibrate:
        return np.ones_like(cost)
    wanted = council.spend_per_child_year * child_years
    factor: np.ndarray = np.divide(wanted, cost, out=np.ones_like(cost), where=cost > 0)
    return factor


def scaled(inputs: Inputs, factor: np.ndarray | float) -> Inputs:
    """``inputs`` with every placement group's weekly cost multiplied by ``factor`` (one number, or
    one per row)."""
    weekly = inputs.weekly_cost.copy()
    weekly[:, :N_GROUPS] *= np.reshape(factor, (-1, 1))
    return replace(inputs, weekly_cost=weekly)


def report(ev: Trajectory, ev_inputs: Inputs, plan: Plan, scenario: Scenario, factor: float) -> dict[str, Any]:
    """What the calibration did, in the words of the page and the JSON (``ev_inputs`` uncalibrated)."""
    council = scenario.council
    before_by_draw, child_years_by_draw = first_year(ev, ev_inputs, plan)
    before, child_years = float(before_by_draw[0]), float(child_years_by_draw[0])
    after = before * factor
    per_week = (lambda cost: cost / child_years / WEEKS_PER_YEAR) if child_years > 0 else (lambda cost: 0.0)
    return {
        "calibrated": council.calibrate,
        "factor": factor,
        "stated_annual_spend": council.annual_spend,
        "stated_looked_after": council.looked_after,
        "stated_weekly_cost_per_child": council.spend_per_child_year / WEEKS_PER_YEAR,
        "looked_after_year_1": child_years,
        "baseline_year_1_before": before,
        "baseline_year_1": after,
        "weekly_cost_per_child_before": per_week(before),
        "weekly_cost_per_child": per_week(after),
        "meaning": (
            "every placement group's weekly cost is multiplied by factor so that the baseline's first year "
            "(expected value, today's prices) costs the stated annual spend per child looked after: the stated "
            "spend itself when the records hold the stated number of children"
            if council.calibrate else
            "not calibrated: the scenario's weekly costs are used as they are"
        ),
    }
