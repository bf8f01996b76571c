"""Scenario files: the defaults, a council's partial file over them, and errors that name the key."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nwd.forecast.distributions import Dist, ScenarioError, parse_dist
from nwd.forecast.scenario import default_data, load_scenario, parse_scenario
from nwd.forecast.states import GROUPS


def test_the_default_scenario_carries_the_published_evidence():
    scenario = load_scenario()
    assert scenario.service.stay_out.mean() == pytest.approx(0.86, abs=0.001)
    assert sum(scenario.grant) == pytest.approx(5_000_000)
    council = sum(scenario.service.running_cost_in(y) - scenario.grant_in(y) for y in (1, 2, 3))
    assert council == pytest.approx(4_000_000)
    assert scenario.target.amount == 12_800_000 and scenario.target.year == 4
    assert (scenario.council.looked_after, scenario.council.annual_spend, scenario.council.calibrate) == (
        1100, 55_000_000, True)  # domain.md §2
    assert scenario.costs.discount_rate == 0.035
    assert len(scenario.costs.weekly) == len(GROUPS)
    private = scenario.costs.weekly[GROUPS.index(GROUPS[4])]
    assert math.sqrt(private.a * private.b) == pytest.approx(6189, rel=0.01)  # median near the NAO's £6,100


def test_a_councils_file_only_needs_what_it_changes(tmp_path):
    path = tmp_path / "ours.toml"
    path.write_text('[service]\nreach = 0.3\n[costs.weekly]\nsecure = 12000\n[target]\namount = 9e6\n')
    scenario = load_scenario(path)
    assert scenario.service.reach == Dist("fixed", 0.3)
    assert scenario.costs.weekly[5].mean() == 12000
    assert scenario.costs.weekly[4].kind == "lognormal"  # untouched default
    assert scenario.target.amount == 9e6


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"service": {"reach": 1.5}}, "service.reach: is a share"),
        ({"service": {"reach": {"dist": "beta", "a": 0, "b": 1}}}, "service.reach: a and b"),
        ({"service": {"ages": [12]}}, "service.ages"),
        ({"costs": {"weekly": {"castle": 1}}}, "costs.weekly: unknown placement group castle"),
        ({"model": {"years": 0}}, "model.years"),
        ({"model": {"bands": [[0, 4], [6, 17]]}}, "model.bands"),
        ({"service": {"step_down": {"dist": "gamma"}}}, "service.step_down: 'dist' must be one of"),
        ({"council": {"annual_spend": -1}}, "council.annual_spend: must be a number"),
        ({"council": {"looked_after": "many"}}, "council.looked_after: must be a number"),
        ({"council": {"calibrate": "yes"}}, "council.calibrate: must be true or false"),
    ],
)
def test_errors_name_the_key(override, message):
    with pytest.raises(ScenarioError, match=message):
        load_scenario(overrides=override)


def test_an_unreadable_file_is_a_scenario_error(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[service\nreach = ")
    with pytest.raises(ScenarioError, match="not a valid TOML file"):
        load_scenario(path)


@settings(max_examples=30, deadline=None)
@given(st.floats(50, 5000), st.floats(1.05, 4.0))
def test_a_lognormal_has_the_percentiles_it_was_given(p5, ratio):
    dist = parse_dist({"dist": "lognormal", "p5": p5, "p95": p5 * ratio}, "x")
    sample = dist.sample(np.random.default_rng(0), 200_000)
    assert np.percentile(sample, 5) == pytest.approx(p5, rel=0.02)
    assert np.percentile(sample, 95) == pytest.approx(p5 * ratio, rel=0.02)
    assert sample.mean() == pytest.approx(dist.mean(), rel=0.01)


@settings(max_examples=30, deadline=None)
@given(st.floats(0.5, 50), st.floats(0.5, 50), st.floats(0.1, 2))
def test_a_scaled_beta_has_the_mean_it_says(a, b, scale):
    dist = parse_dist({"dist": "beta", "a": a, "b": b, "scale": scale}, "x")
    sample = dist.sample(np.random.default_rng(1), 100_000)
    assert sample.mean() == pytest.approx(dist.mean(), rel=0.02, abs=1e-3)
    assert sample.min() >= 0 and sample.max() <= scale


def test_parse_scenario_rejects_a_missing_cost():
    data = default_data()
    del data["costs"]["weekly"]["secure"]
    with pytest.raises(ScenarioError, match="needs a cost for secure"):
        parse_scenario(data)
