"""Savings a cabinet can trust (issue 10 §4-5): unit costs calibrated to the council's stated spend,
the levers (stay-out, reach, step-down) each driving the result, the savings by lever adding up,
the sensitivity of the target's chance, "over 99%", and a JSON a user can check."""

from __future__ import annotations

import json

import numpy as np
import pytest
from django.core.management import call_command

from nwd.forecast import synthetic
from nwd.forecast.api import JSON_KEYS, prepare, run_forecast
from nwd.forecast.from_903 import load
from nwd.forecast.report import summary_text, write_json
from nwd.forecast.scenario import load_scenario
from nwd.forecast.wording import chance

from .conftest import write_903

SPEND, CHILDREN = 55_000_000, 1100


def forecast(county, spells=True, draws=300, **overrides):
    scenario = load_scenario(overrides=overrides or None)
    return run_forecast(county.episodes, county.spells if spells else None, scenario, draws=draws, seed=3)


def savings_to_year_4(result) -> tuple[float, float]:
    """Cumulative savings on placements by the end of year 4: mean of the draws, and expected value."""
    row = result.savings["savings"]["cumulative"][-1]
    return row["mean"], row["expected"]


# --- Each lever drives the result --------------------------------------------------------------


@pytest.mark.parametrize("spells", [True, False], ids=["with the service's records", "without them"])
def test_lowering_stayed_out_of_care_lowers_the_savings(small_county, spells):
    """The published 86% used to be ignored whenever the service's own spells existed: 43% changed
    nothing. Now the records update it, and a lower share staying out saves less."""
    published = forecast(small_county, spells)
    lower = forecast(small_county, spells, service={"stay_out": {"dist": "beta", "a": 0.43 * 355, "b": 0.57 * 355}})
    assert savings_to_year_4(lower)[0] < savings_to_year_4(published)[0]
    assert savings_to_year_4(lower)[1] < savings_to_year_4(published)[1]
    used = lower.info["stay_out"]
    assert used["published"] == pytest.approx(0.43)
    assert used["used"] < published.info["stay_out"]["used"]
    if spells:  # the records count too, weighed by their numbers
        assert used["records_stayed_out"] > 0 and 0.43 < used["used"] < 0.86


def test_with_records_the_published_share_and_the_records_are_weighed_by_their_numbers(small_county):
    result = forecast(small_county, draws=50)
    found = result.info["stay_out"]
    stayed, came_in = found["records_stayed_out"], found["records_came_into_care"]
    assert found["used"] == pytest.approx((305.3 + stayed) / (355 + stayed + came_in))
    fixed = forecast(small_county, draws=50, service={"stay_out": 0.5})  # a plain number is used as it is
    assert fixed.info["stay_out"]["used"] == 0.5


@pytest.mark.parametrize(("lever", "lower"), [
    ("reach", {"dist": "beta", "a": 2, "b": 8}),
    ("step_down", {"dist": "beta", "a": 2, "b": 2, "scale": 0.3}),
])
def test_lowering_reach_or_step_down_lowers_the_savings(small_county, lever, lower):
    default = forecast(small_county)
    lowered = forecast(small_county, service={lever: lower})
    assert savings_to_year_4(lowered)[0] < savings_to_year_4(default)[0]
    assert savings_to_year_4(lowered)[1] < savings_to_year_4(default)[1]
    share = {item["lever"]: item["cumulative"] for item in lowered.savings["by_lever"]["levers"]}
    before = {item["lever"]: item["cumulative"] for item in default.savings["by_lever"]["levers"]}
    assert share[lever] < before[lever]  # and the breakdown says it is that lever


def test_the_levers_add_up_to_the_savings(small_county):
    result = forecast(small_county)
    by_lever = result.savings["by_lever"]
    levers = by_lever["levers"]
    assert [item["lever"] for item in levers] == ["reach", "step_down", "planned_returns"]
    assert all(item["cumulative"] > 0 for item in levers)
    assert sum(item["cumulative"] for item in levers) == pytest.approx(by_lever["savings_cumulative"], rel=1e-9)
    assert sum(item["share"] for item in levers) == pytest.approx(1.0)
    # The whole is the expected-value projection's own savings, to the target year.
    assert by_lever["savings_cumulative"] == pytest.approx(result.savings["savings"]["cumulative"][3]["expected"],
                                                           rel=1e-6)
    for y in range(4):
        assert sum(item["per_year"][y] for item in levers) == pytest.approx(by_lever["savings_per_year"][y])
    assert levers[0]["settings"] == {"reach": 0.5, "stay_out": result.info["stay_out"]["used"]}
    nothing = forecast(small_county, draws=50, service={"reach": 0, "step_down": 0, "planned_returns": 0})
    assert all(item["cumulative"] == 0 for item in nothing.savings["by_lever"]["levers"])


# --- Unit costs calibrated to the stated spend ---------------------------------------------------


@pytest.fixture(scope="module")
def norfolk_sized():
    """A synthetic county of about 1,100 children looked after, as the defaults describe."""
    return synthetic.county(entries_per_year=370, years=8, seed=5)


def test_the_default_baseline_costs_the_stated_spend(norfolk_sized):
    result = run_forecast(norfolk_sized.episodes, draws=400, seed=1)
    assert abs(result.jump_off["looked_after"] - CHILDREN) / CHILDREN < 0.05
    year_1 = result.baseline["gross_cost"][0]
    assert abs(year_1["mean"] - SPEND) / SPEND < 0.05
    assert abs(year_1["expected"] - SPEND) / SPEND < 0.05
    calibration = result.calibration
    assert calibration["calibrated"] and calibration["factor"] < 1  # the national costs were too high
    assert calibration["weekly_cost_per_child"] == pytest.approx(SPEND / CHILDREN / (365.25 / 7))
    assert calibration["weekly_cost_per_child_before"] > 1100


def test_on_the_from_903_path_too(norfolk_sized, tmp_path):
    write_903(norfolk_sized, tmp_path, years=range(2020, 2024))
    source = load(tmp_path)
    result = run_forecast(source.episodes, source.service_spells, draws=200, seed=1, as_of=source.as_of,
                          observed_from=source.observed_from)
    assert abs(result.baseline["gross_cost"][0]["mean"] - SPEND) / SPEND < 0.05


def test_the_spend_per_child_is_kept_whatever_the_councils_size(small_county):
    """The stated spend is for the stated number of children: a smaller county costs less, at the same
    weekly cost per child; a council's own figures replace the defaults; or no calibration at all."""
    result = forecast(small_county, draws=100)
    calibration = result.calibration
    children = calibration["looked_after_year_1"]
    assert children < 0.9 * CHILDREN
    assert calibration["baseline_year_1"] == pytest.approx(SPEND / CHILDREN * children)
    own = forecast(small_county, draws=100, council={"looked_after": 400, "annual_spend": 30_000_000})
    assert own.calibration["baseline_year_1"] == pytest.approx(30_000_000 / 400 * children)
    assert own.baseline["gross_cost"][0]["expected"] == pytest.approx(own.calibration["baseline_year_1"])
    as_given = forecast(small_county, draws=100, council={"calibrate": False})
    assert as_given.calibration["factor"] == 1.0
    assert as_given.baseline["gross_cost"][0]["expected"] == pytest.approx(calibration["baseline_year_1_before"])


# --- The sensitivity chart -------------------------------------------------------------------------


def test_the_sensitivity_moves_each_input_between_its_plausible_values(small_county):
    result = forecast(small_county, draws=400)
    tornado = result.sensitivity
    assert tornado["probability"] == result.target["probability_cumulative"]
    bars = {bar["input"]: bar for bar in tornado["inputs"]}
    assert set(bars) == {"reach", "stay_out", "step_down", "planned_returns", "ramp_years", "entries", "cost_homes",
                         "cost_others", "inflation", "running_cost"}
    swings = [abs(bar["probability_high"] - bar["probability_low"]) for bar in tornado["inputs"]]
    assert swings == sorted(swings, reverse=True)
    for more_is_better in ("reach", "stay_out", "step_down", "cost_homes"):
        bar = bars[more_is_better]
        assert bar["net_low"] < bar["net_middle"] < bar["net_high"], more_is_better
        assert bar["probability_low"] <= bar["probability_high"]
    assert bars["running_cost"]["net_high"] < bars["running_cost"]["net_low"]
    assert bars["reach"]["probability_low"] < tornado["probability"] - 0.1  # reach matters most here
    assert bars["reach"]["low"] == pytest.approx(0.25, abs=0.01) and bars["reach"]["high"] == pytest.approx(0.75, abs=0.01)
    assert bars["cost_homes"]["method"] == "exact" and bars["reach"]["method"] == "first order"


def test_a_money_input_at_its_end_is_exact(small_county):
    """For an input that only changes money, the chance at an end is a run with that input fixed."""
    result = forecast(small_county, draws=400)
    high = result.sensitivity["inputs"]
    bar = next(b for b in high if b["input"] == "running_cost")
    fixed = forecast(small_county, draws=400, service={"running_cost_factor": bar["high"]})
    assert bar["probability_high"] == pytest.approx(fixed.target["probability_cumulative"])
    assert bar["net_high"] == pytest.approx(fixed.target["net_cumulative"]["expected"])


# --- Chances as a cabinet reads them ---------------------------------------------------------------


@pytest.mark.parametrize(("probability", "written"), [
    (0.998, "over 99%"), (1.0, "over 99%"), (0.995, "over 99%"), (0.99, "99%"), (0.5, "50%"), (0.013, "1%"),
    (0.003, "under 1%"), (0.0, "under 1%"),
])
def test_chances_never_read_as_certain(probability, written):
    assert chance(probability) == written


def test_the_summary_says_over_99_percent(small_county):
    result = forecast(small_county, draws=100)
    result.target["probability_cumulative"] = 0.998
    result.target["probability_year"] = 0.003
    text = summary_text(result)
    assert "probability over 99%" in text and "probability under 1%" in text and "100%" not in text
    assert "Unit costs calibrated to the council's stated spend, £55.0m a year for 1,100 children" in text
    assert "by lever" in text and "What moves the chance of the target most" in text


# --- The JSON says what a user checks --------------------------------------------------------------


def test_the_json_carries_the_jump_off_and_flows_that_conserve(small_county, tmp_path):
    result = forecast(small_county, draws=200)
    path = tmp_path / "forecast.json"
    write_json(result, path)
    data = json.loads(path.read_text())
    assert tuple(data) == JSON_KEYS
    fitted = prepare(small_county.episodes, small_county.spells, load_scenario())
    assert data["jump_off"] == {"date": "2024-04-01",
                                "looked_after": float(fitted.counts.stock[:, :10].sum())}
    for scenario in ("baseline", "with_service"):
        block = data[scenario]
        for figure in ("mean", "expected"):
            start = data["jump_off"]["looked_after"]
            for y in range(4):
                end = block["looked_after"][y][figure]
                flows = start + block["entrants"][y][figure] - block["exits"][y][figure]
                assert flows == pytest.approx(end, abs=0.01), (scenario, figure, y)
                parts = sum(block["exits_by_reason"][k][y][figure] for k in block["exits_by_reason"])
                assert parts == pytest.approx(block["exits"][y][figure])
                start = end
    assert data["calibration"]["factor"] > 0 and data["sensitivity"]["inputs"]
    assert data["savings"]["by_lever"]["levers"][0]["lever"] == "reach"


def test_the_json_carries_the_backtest(return_903, tmp_path):
    path = tmp_path / "forecast.json"
    call_command("forecast", "--from-903", str(return_903), "--draws", "60", "--seed", "1", "--json", str(path),
                 "--backtest")
    data = json.loads(path.read_text())
    checked = data["backtest"]
    assert checked["year"] == "2023-24"
    assert set(checked["total"]) >= {"actual", "expected", "p5", "p95"}
    assert set(checked["groups"]) == {"kinship_fostering", "in_house_fostering", "agency_fostering",
                                      "in_house_residential", "private_residential", "secure", "supported",
                                      "with_parents", "adoption", "other"}
    assert sum(group["actual"] for group in checked["groups"].values()) == checked["total"]["actual"]
    assert all(set(group) >= {"actual", "expected", "p5", "p95"} for group in checked["groups"].values())
    assert checked["total"]["p5"] <= checked["total"]["expected"] <= checked["total"]["p95"]
    assert np.isclose(data["jump_off"]["looked_after"], data["baseline"]["inputs"]["looked_after_at_jump_off"])


@pytest.mark.parametrize("lever", ["reach", "step_down"])
def test_a_first_order_chance_agrees_with_a_run_holding_the_input(small_county, lever):
    """For an input that moves children the chance at an end is first order; checked against a whole
    Monte Carlo run with the input held there (the same seed)."""
    result = forecast(small_county, draws=600)
    bar = next(b for b in result.sensitivity["inputs"] if b["input"] == lever)
    held = forecast(small_county, draws=600, service={lever: bar["low"]})
    assert bar["probability_low"] == pytest.approx(held.target["probability_cumulative"], abs=0.03)
    assert bar["net_low"] == pytest.approx(held.target["net_cumulative"]["expected"], rel=1e-6)
