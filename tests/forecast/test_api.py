"""The front door: results, the Monte Carlo against the expected value, zero effect, back-test."""

import json

import numpy as np
import pytest

from nwd.forecast import synthetic
from nwd.forecast.api import JSON_KEYS, backtest, prepare, run_forecast
from nwd.forecast.scenario import load_scenario

from .conftest import D

NO_EFFECT = {"service": {"reach": 0, "step_down": 0, "planned_returns": 0}}


def ordered(series):
    return all(row["p5"] <= row["p50"] <= row["p95"] for row in series)


def test_a_forecast_has_the_promised_shape(small_county):
    result = run_forecast(small_county.episodes, small_county.spells, draws=200, seed=1)
    data = result.to_json()
    assert tuple(data) == JSON_KEYS
    json.dumps(data, allow_nan=False)
    assert [row["year"] for row in data["baseline"]["looked_after"]] == [1, 2, 3, 4]
    assert ordered(data["baseline"]["looked_after"]) and ordered(data["savings"]["net"]["cumulative"])
    # In year 1 the rates are still close to known, and the count actually seen varies mostly by
    # chance (Poisson): its band is much wider than the band of the expected count.
    first = data["with_service"]["looked_after"][0]
    assert first["count_p95"] - first["count_p5"] > 1.5 * (first["p95"] - first["p5"])
    assert 0 <= data["target"]["probability_cumulative"] <= 1 and 0 <= data["target"]["probability_year"] <= 1
    assert data["baseline"]["inputs"]["jump_off"] == "2024-04-01"
    assert data["baseline"]["inputs"]["reference_window"] == ["2021-04-01", "2024-03-31"]
    assert data["baseline"]["inputs"]["service_records"] is True
    assert data["runtime_seconds"] > 0
    # The service reaches would-be entrants, so fewer come into care and fewer are looked after.
    assert data["savings"]["entries_prevented"]["cumulative"][-1]["mean"] > 0
    assert data["savings"]["fewer_looked_after"][-1]["p50"] > 0


def test_the_same_seed_gives_the_same_forecast(small_county):
    first = run_forecast(small_county.episodes, draws=64, seed=7, years=2)
    again = run_forecast(small_county.episodes, draws=64, seed=7, years=2)
    assert np.array_equal(first.cash["net"], again.cash["net"])
    assert first.info["seed"] == 7


def test_a_service_with_no_effect_saves_exactly_nothing(small_county):
    scenario = load_scenario(overrides=NO_EFFECT)
    result = run_forecast(small_county.episodes, small_county.spells, scenario, draws=300, seed=2)
    assert np.all(result.cash["savings"] == 0.0)
    assert np.all(result.expected_cash["savings"] == 0.0)
    assert np.array_equal(result.cash["net"], -result.cash["service_cost"] + result.cash["grant"])
    assert result.savings["entries_prevented"]["cumulative"][-1]["mean"] == 0.0
    assert result.target["probability_cumulative"] == 0.0


def test_the_monte_carlo_mean_converges_to_the_expected_value(small_county):
    """Only the unit costs uncertain: year-1 cost is linear in them, so the mean of the draws is
    the expected-value projection's cost, within the Monte Carlo's own error, which shrinks."""
    scenario = load_scenario(overrides={"uncertainty": {"rates": False, "effects": False, "costs": True}})
    errors = []
    for draws in (200, 1800):
        result = run_forecast(small_county.episodes, None, scenario, draws=draws, seed=3, years=1)
        samples = result.cash["gross"][0, 0]
        expected = result.expected_cash["gross"][0, 0, 0]
        standard_error = samples.std() / np.sqrt(draws)
        assert abs(samples.mean() - expected) < 4 * standard_error
        errors.append(standard_error)
        # With the rates at their means every draw projects the expected population.
        assert np.allclose(result.trajectory.population, result.expected.population, rtol=1e-4, atol=1e-3)
    assert errors[1] < errors[0] / 2.4  # the square root of 9, less sampling noise


def test_with_every_number_uncertain_the_mean_stays_near_the_expected_value(small_county):
    result = run_forecast(small_county.episodes, small_county.spells, draws=800, seed=4, years=2)
    for block in (result.baseline, result.with_service):
        for row in block["looked_after"]:
            assert row["mean"] == pytest.approx(row["expected"], rel=0.02)


def test_bands_narrow_as_the_data_grow():
    scenario = load_scenario(overrides={"uncertainty": {"rates": True, "effects": False, "costs": False}})
    widths = []
    for entries in (100, 800):
        county = synthetic.county(entries_per_year=entries, years=6, seed=31)
        result = run_forecast(county.episodes, None, scenario, draws=400, seed=5, years=2)
        row = result.baseline["looked_after"][-1]
        widths.append((row["p95"] - row["p5"]) / row["mean"])
    assert widths[0] > 2 * widths[1] > 0  # about the square root of 8 narrower


def test_a_service_already_running_has_ramped_up(small_county):
    scenario = load_scenario(overrides={"service": {"go_live": D(2022, 4, 1), "ramp_years": 1.0}})
    result = run_forecast(small_county.episodes, None, scenario, draws=100, seed=6, years=2)
    diverted = result.with_service["diverted"]  # would-be entrants supported at home instead
    assert diverted[0]["expected"] == pytest.approx(diverted[1]["expected"], rel=0.02)
    fresh = run_forecast(small_county.episodes, None, draws=100, seed=6, years=2)
    ramping = fresh.with_service["diverted"]
    assert ramping[0]["expected"] == pytest.approx(0.5 * ramping[1]["expected"], rel=0.1)


def test_messy_rows_are_reported_with_the_forecast(messy_county):
    result = run_forecast(messy_county.episodes, draws=50, seed=8, years=1)
    assert sum(e["count"] for e in result.info["excluded"]) == sum(e.count for e in result.excluded) > 0
    assert result.info["episodes_used"] + sum(e.count for e in result.excluded) == result.info["episodes_read"]


def test_backtest_fits_three_years_and_forecasts_the_fourth(small_county):
    checked = backtest(small_county.episodes, draws=200, seed=9)
    assert checked.year == "2023-24"
    assert checked.fitted_on == ("2020-04-01", "2023-03-31")
    fitted = prepare(small_county.episodes, None, load_scenario(), as_of=D(2024, 3, 31))
    assert checked.total.actual == fitted.counts.stock[:, :10].sum()
    assert sum(r.actual for r in checked.rows) == checked.total.actual
    assert abs(checked.total.relative_error) < 0.08
    assert checked.total.p5 < checked.total.expected < checked.total.p95
    json.dumps(checked.to_json(), allow_nan=False)


def test_backtest_needs_the_whole_year_and_years_before(small_county):
    with pytest.raises(ValueError, match="cannot back-test 2016-17"):
        backtest(small_county.episodes, year="2016-17", draws=10)
