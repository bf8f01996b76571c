"""Money to date: weekly spend worked out by hand, and the cost avoided only when a forecast is linked."""

import datetime as dt

import pytest

from nwd.config import tunables
from nwd.evaluation.money import CostAvoided
from tests.evaluation import builders as b
from tests.evaluation.conftest import load, period_figures

pytestmark = pytest.mark.django_db
D = dt.date
MONDAY, SUNDAY = D(2024, 1, 1), D(2024, 1, 21)  # three whole weeks


@pytest.fixture
def placements():
    """Costs per week, spread over the days each episode was open ([DECOM, DEC))."""
    fostered = b.person(D(2010, 1, 1))
    b.care(
        fostered,
        (D(2023, 12, 25), "U4", "PR1", True, True, "700"),  # 1-7 Jan in the period: £700
        (D(2024, 1, 8), "T0", "", True, True, "350"),  # 8-10 Jan: 3 days at £50, counted as in-house fostering
        (D(2024, 1, 11), "U4", "PR1", True, True, "700"),  # 11-21 Jan, still open: 11 days, £1,100
    )
    flat = b.person(D(2007, 1, 1))
    b.care(flat, (D(2024, 1, 15), "H5", "PR4", False, False, "1400"), end=D(2024, 1, 17))  # 2 days: £400
    home = b.person(D(2009, 1, 1))
    b.care(home, (D(2024, 1, 1), "K2", "PR4", True, True, None), end=D(2024, 1, 3))  # no cost: 2 days
    return fostered, flat, home


def test_weekly_spend_by_group_area_and_regulation(placements, no_forecast):
    figures = period_figures("placement_spend", MONDAY, SUNDAY)
    by_group = figures["placement_spend"]
    assert by_group.value("In-house fostering", "Spend in the period (£)") == pytest.approx(700 + 150 + 1100)
    assert by_group.value("Supported or semi-independent", "Spend in the period (£)") == pytest.approx(400)
    assert by_group.value("All placements", "Spend in the period (£)") == pytest.approx(2350)
    assert by_group.value("All placements", "Average a week (£)") == pytest.approx(2350 / 3)
    assert "Private or voluntary residential" not in [row[0] for row in by_group.rows]  # no cost, no row
    assert by_group.notes == ["2 placement-days had no weekly cost recorded and add nothing."]
    weekly = figures["placement_spend_weekly"]
    assert [row[0] for row in weekly.rows] == ["2024-01-01", "2024-01-08", "2024-01-15"]
    total_column = weekly.columns.index("All placements")
    assert [row[total_column] for row in weekly.rows] == pytest.approx([700, 150 + 400, 700 + 400])
    assert [row[-1] for row in weekly.rows] == [2, 0, 0]
    area = figures["placement_spend_by_area"]
    assert area.value("Out of area, unregulated", "Spend in the period (£)") == pytest.approx(400)
    assert area.value("In area, regulated", "Spend in the period (£)") == pytest.approx(1950)
    assert area.headline["out_of_area_share"] == pytest.approx(400 / 2350)


def test_part_weeks_at_either_end(placements, no_forecast):
    figures = period_figures("placement_spend", D(2024, 1, 3), D(2024, 1, 16))  # Wednesday to Tuesday
    weekly = figures["placement_spend_weekly"]
    assert [(row[0], row[1]) for row in weekly.rows] == [("2024-01-01", 5), ("2024-01-08", 7), ("2024-01-15", 2)]
    total_column = weekly.columns.index("All placements")
    # 3-7 Jan: £500; 8-14 Jan: £150 + £400; 15-16 Jan: £200 fostering + £400 flat (15 and 16 Jan).
    assert [row[total_column] for row in weekly.rows] == pytest.approx([500, 550, 600])
    assert figures["placement_spend"].chart.series["In-house fostering"][0] == pytest.approx(700)  # scaled to a week


def test_cost_avoided_is_not_made_up_without_a_forecast(no_forecast):
    b.hub(opened=D(2021, 6, 1))
    figure = period_figures("cost_avoided", D(2024, 4, 1), D(2025, 3, 31))["cost_avoided"]
    assert figure.headline["available"] is False
    assert figure.rows[0][1] is None
    assert figure.value("Savings target by the end of year 4 (£)", "Value") == 12_800_000
    assert figure.notes[0].startswith("Not available: the forecast engine's counterfactual")
    assert figure.headline["target_day"] == D(2025, 6, 1)
    assert figure.value("Share of the 4 years passed", "Value") == pytest.approx(1400 / 1461)


def test_a_view_can_leave_the_forecast_out(settings):
    settings.NWD_COST_AVOIDED = "tests.evaluation.test_money.forecast"
    b.hub(opened=D(2021, 6, 1))
    figure = period_figures("cost_avoided", D(2024, 4, 1), D(2025, 3, 31), link_forecast=False)["cost_avoided"]
    assert figure.headline["available"] is False
    assert figure.notes == ["Not computed for this view: the forecast engine was not asked."]


def forecast(go_live, date_to):
    """A stand-in for the forecast engine's link."""
    return {"amount": 3_200_000.0, "lower": 1_000_000.0, "upper": 5_000_000.0, "net": 1_600_000.0,
            "source": "forecast engine, default scenario", "note": "Illustrative."}


def test_cost_avoided_comes_from_the_linked_forecast(settings):
    settings.NWD_COST_AVOIDED = "tests.evaluation.test_money.forecast"
    b.hub(opened=D(2021, 6, 1))
    figure = period_figures("cost_avoided", D(2024, 4, 1), D(2025, 3, 31), savings_target=6_400_000.0)[
        "cost_avoided"
    ]
    assert figure.rows[0][1] == 3_200_000.0
    assert figure.value("Net savings to the council after running the service (£)", "Value") == 1_600_000.0
    assert figure.value("Net savings as a share of the target", "Value") == pytest.approx(0.25)
    assert figure.notes == ["Source: forecast engine, default scenario. Illustrative."]


def test_a_failing_forecast_does_not_stop_the_report(settings):
    def broken(go_live, date_to):
        raise RuntimeError("no scenario")

    settings.NWD_COST_AVOIDED = broken
    b.hub(opened=D(2021, 6, 1))
    figure = period_figures("cost_avoided", D(2024, 4, 1), D(2025, 3, 31))["cost_avoided"]
    assert figure.headline["available"] is False
    assert "no scenario" in figure.notes[0]


def test_the_forecast_engine_is_the_default_link(settings):
    settings.NWD_COST_AVOIDED = tunables({})["NWD_COST_AVOIDED"]  # unset in the environment
    from nwd.evaluation.forecast_link import cost_avoided
    from nwd.evaluation.money import DEFAULT_PROVIDER, _provider

    assert DEFAULT_PROVIDER == "nwd.evaluation.forecast_link.cost_avoided"
    assert _provider() is cost_avoided


def test_the_forecast_link_reads_the_engines_counterfactual(monkeypatch):
    """The link's arithmetic on a stand-in engine: what it asks for and how it reads the answer."""
    pytest.importorskip("nwd.forecast.api")
    from types import SimpleNamespace

    from nwd.evaluation import forecast_link

    asked = {}

    def run_forecast(episodes, spells, scenario, years, draws, seed, as_of, observed_from):
        asked.update(years=years, as_of=as_of, children=episodes["CHILD"].n_unique(), spells=len(spells))
        yearly = [{"year": y, "expected": 10e6 * y, "p5": 6e6 * y, "p95": 14e6 * y} for y in (1, 2, 3, 4)]
        net = [{"year": y, "expected": 7e6 * y, "p5": 3e6 * y, "p95": 11e6 * y} for y in (1, 2, 3, 4)]
        return SimpleNamespace(savings={"savings": {"cumulative": yearly}, "net": {"cumulative": net}},
                               scenario=SimpleNamespace(name="stand-in"))

    monkeypatch.setattr("nwd.forecast.api.run_forecast", run_forecast)
    young = b.person(D(2010, 1, 1))
    b.care(young, (D(2020, 1, 1), "U4", "PR1"), end=D(2021, 1, 1))
    b.support(young, D(2021, 3, 1))  # outreach before go-live: the edge-of-care state the engine learns from
    b.support(b.person(D(2009, 1, 1)), D(2022, 1, 1))  # after go-live: not in what the engine is fitted on
    # 1 June 2021 to 31 May 2023 inclusive: 730 days, 1.9986 years.
    result = forecast_link.cost_avoided(D(2021, 6, 1), D(2023, 5, 31))
    assert asked == {"years": 2, "as_of": D(2021, 5, 31), "children": 1, "spells": 1}
    years = 730 / 365.25
    assert result.available
    assert result.amount == pytest.approx(10e6 * years)
    assert (result.lower, result.upper) == pytest.approx((6e6 * years, 14e6 * years))
    assert result.net == pytest.approx(7e6 * years)
    assert "stand-in" in result.source and "Modelled, not measured" in result.note
    assert forecast_link.cost_avoided(D(2021, 6, 1), D(2021, 5, 1)).available is False  # before go-live


def test_read_between_year_ends():
    from nwd.evaluation.forecast_link import _at

    cumulative = [{"year": 1, "x": 10.0}, {"year": 2, "x": 30.0}]
    assert _at(cumulative, 0.5, "x") == 5.0
    assert _at(cumulative, 1.5, "x") == 20.0
    assert _at(cumulative, 2.0, "x") == 30.0


def test_cost_avoided_object_is_accepted_as_is(settings):
    settings.NWD_COST_AVOIDED = lambda go_live, date_to: CostAvoided(True, 1.0, source="x")
    b.hub(opened=D(2021, 6, 1))
    data = load(D(2025, 3, 31))
    from nwd.evaluation.money import cost_avoided_to

    assert cost_avoided_to(data.go_live, D(2025, 3, 31)).amount == 1.0
