"""The projection against closed forms, conservation, exact 18th birthdays, and its reference."""

import math

import numpy as np
import pytest

from nwd.codelists.groups import PlacementGroup as G
from nwd.forecast import reference
from nwd.forecast.api import prepare
from nwd.forecast.parameters import sampled_inputs, without_effect
from nwd.forecast.projection import Start, make_plan, project
from nwd.forecast.scenario import load_scenario
from nwd.forecast.states import AT_HOME, DEFAULT_BANDS, GROUP_INDEX, N_AGES, N_GROUPS, N_STATES

from .conftest import hand_inputs

FOSTER = GROUP_INDEX[G.IN_HOUSE_FOSTERING]


def start_with(children_at: dict[int, int], days_to_birthday: list[int] | None = None,
               care_leaver_days=()) -> Start:
    """A starting population in in-house fostering: ``children_at[age]`` children at each age, with
    their next birthdays ``days_to_birthday`` (default: spread evenly over the coming year)."""
    stock = np.zeros((N_AGES, N_STATES))
    ages, days = [], []
    for age, n in children_at.items():
        stock[age, FOSTER] = n
        ages += [age] * n
        days += days_to_birthday or [1 + (365 * i) // n for i in range(n)]
    return Start(stock=stock, stock_age=np.array(ages), stock_state=np.full(len(ages), FOSTER),
                 stock_days_to_birthday=np.array(days), care_leaver_days_to_21=np.array(care_leaver_days))


@pytest.mark.parametrize("kernel", ["batched", "reference"])
def test_two_state_chain_matches_its_closed_form(kernel):
    """In care <-> not: N(t+1) = s N(t) + e, s = exp(-hazard x step); ageing leaves the total alone."""
    hazard, per_year, n0 = 0.8, 120.0, 300
    inputs = hand_inputs(hazard, {4: per_year / 2, 6: per_year / 2}, draws=3)
    plan = make_plan(years=1, step_days=7, bands=DEFAULT_BANDS, service_ages=(12, 17))
    start = start_with({5: n0})
    traj = project(inputs, plan, start, np.float64) if kernel == "batched" else reference.simulate(inputs, plan, start)
    assert plan.steps == 52 and plan.step_days == pytest.approx(7.024, abs=1e-3)
    s = math.exp(-hazard / 365.25 * plan.step_days)
    e = per_year / 365.25 * plan.step_days
    t = np.arange(1, plan.steps + 1)
    closed = s**t * n0 + e * (1 - s**t) / (1 - s)
    assert np.allclose(traj.looked_after_by_step[:, 0, 0], closed, rtol=1e-6)
    assert traj.looked_after()[0, 0, 0] == pytest.approx(closed[-1], rel=1e-9 if kernel == "reference" else 1e-6)


def test_daily_steps_converge_to_the_continuous_closed_form():
    hazard, per_year, n0 = 0.8, 120.0, 300
    plan = make_plan(years=2, step_days=1, bands=DEFAULT_BANDS, service_ages=(12, 17))
    traj = reference.simulate(hand_inputs(hazard, {5: per_year}), plan, start_with({5: n0}))
    years = plan.steps / plan.steps_per_year
    continuous = n0 * math.exp(-hazard * years) + per_year / hazard * (1 - math.exp(-hazard * years))
    assert traj.looked_after()[-1, 0, 0] == pytest.approx(continuous, rel=2e-3)


@pytest.mark.parametrize("kernel", ["batched", "reference"])
def test_leaving_care_at_18_happens_on_the_birthday(kernel):
    """One 17-year-old, 70 days from the 18th birthday, no other way out of care: the birthday
    falls in step 9 (days 63.2 to 70.2 of steps of 7.024 days)."""
    inputs = hand_inputs(0.0)
    plan = make_plan(years=1, step_days=7, bands=DEFAULT_BANDS, service_ages=(12, 17))
    start = start_with({17: 1}, days_to_birthday=[70])
    traj = project(inputs, plan, start, np.float64) if kernel == "batched" else reference.simulate(inputs, plan, start)
    by_step = traj.looked_after_by_step[:, 0, 0]
    assert np.array_equal(by_step[:9], np.ones(9))
    assert np.array_equal(by_step[9:], np.zeros(plan.steps - 9))
    assert traj.aged_out[0, 0, 0] == 1.0
    assert traj.care_leavers[0, 0, 0] == 1.0


def test_children_turning_17_leave_a_year_later_and_not_before():
    """520 16-year-olds, 10 with a birthday in each week, no other way out of care: none leaves
    in the first year, all have left by the end of the second, 10 a week (as they turn 18)."""
    inputs = hand_inputs(0.0)
    plan = make_plan(years=3, step_days=7, bands=DEFAULT_BANDS, service_ages=(12, 17))
    days = [int(7.024 * week) + 1 + i % 6 for week in range(52) for i in range(10)]  # 10 birthdays a step
    for traj in (reference.simulate(inputs, plan, start_with({16: 520}, days)),
                 project(inputs, plan, start_with({16: 520}, days), np.float64)):
        by_step = traj.looked_after_by_step[:, 0, 0]
        assert np.allclose(by_step[:52], 520.0)
        assert np.allclose(by_step[104:], 0.0, atol=1e-9)
        assert np.allclose(np.diff(by_step[51:104]), -10.0)  # exactly a year (52 steps) after
        assert traj.aged_out[:, 0, 0].sum() == pytest.approx(520.0)


def test_the_batched_kernel_gives_the_references_numbers(small_county):
    scenario = load_scenario()
    fitted = prepare(small_county.episodes, small_county.spells, scenario)
    inputs = sampled_inputs(fitted.posterior, scenario, np.random.default_rng(5), 6)
    fast = project(inputs, fitted.plan, fitted.start, np.float64, workers=1)
    slow = reference.simulate(inputs, fitted.plan, fitted.start)
    for name in ("population", "person_steps", "care_leavers", "entries", "from_home", "diverted",
                 "returned_home", "left_care", "aged_out", "support_ended"):
        assert np.allclose(getattr(fast, name), getattr(slow, name), rtol=1e-9, atol=1e-9), name
    assert (fast.population[..., 1, :, AT_HOME] > 0).any()  # the service scenario did something


def test_children_are_neither_created_nor_lost(small_county):
    scenario = load_scenario()
    fitted = prepare(small_county.episodes, small_county.spells, scenario)
    inputs = sampled_inputs(fitted.posterior, scenario, np.random.default_rng(6), 300)
    traj = project(inputs, fitted.plan, fitted.start, np.float64, workers=2)
    lac = traj.looked_after()
    for s in (0, 1):
        start = traj.start_looked_after[s]
        end = start + np.cumsum(traj.entries[:, s] - traj.returned_home[:, s] - traj.left_care[:, s]
                                - traj.aged_out[:, s], axis=0)
        assert np.allclose(end, lac[:, s], rtol=1e-9)
    home = traj.population[:, 1, :, AT_HOME]
    home_start = fitted.start.stock[:, AT_HOME].sum()
    flows = np.cumsum(traj.diverted[:, 1] - traj.from_home[:, 1] - traj.support_ended[:, 1], axis=0)
    assert np.allclose(home_start + flows, home, atol=1e-6)
    assert (traj.population[:, 0, :, AT_HOME] == 0).all()


def test_float32_threads_agree_with_float64(small_county):
    scenario = load_scenario()
    fitted = prepare(small_county.episodes, None, scenario, years=2)
    inputs = sampled_inputs(fitted.posterior, scenario, np.random.default_rng(7), 512)
    single = project(inputs, fitted.plan, fitted.start, np.float32, workers=2)
    double = project(inputs, fitted.plan, fitted.start, np.float64, workers=1)
    assert np.allclose(single.population, double.population, rtol=1e-4, atol=1e-3)


def test_a_service_without_effect_changes_nothing_exactly(small_county):
    scenario = load_scenario()
    fitted = prepare(small_county.episodes, None, scenario, years=2)
    inputs = without_effect(sampled_inputs(fitted.posterior, scenario, np.random.default_rng(8), 512))
    traj = project(inputs, fitted.plan, fitted.start, np.float32, workers=2)
    assert np.array_equal(traj.person_steps[:, 0], traj.person_steps[:, 1])
    assert np.array_equal(traj.population[:, 0], traj.population[:, 1])
    assert np.array_equal(traj.entries[:, 0], traj.entries[:, 1])
    assert traj.looked_after()[..., :N_GROUPS].sum() > 0
