"""What people read: the summary, the JSON file, the spreadsheet (safe to open)."""

import json

import pytest
from openpyxl import load_workbook

from nwd.forecast.api import JSON_KEYS, backtest, run_forecast
from nwd.forecast.report import backtest_text, summary_text, write_json, write_xlsx
from nwd.forecast.scenario import load_scenario


@pytest.fixture(scope="module")
def result(small_county):
    scenario = load_scenario(overrides={"scenario": {"name": '=HYPERLINK("http://example.com","x")'}})
    return run_forecast(small_county.episodes, small_county.spells, scenario, draws=100, seed=1)


def test_the_summary_names_the_figures_a_cabinet_paper_quotes(result):
    text = summary_text(result)
    assert "Children looked after at the end of each year" in text
    assert "Net savings to the council" in text
    assert "Target: £12.8m net savings by the end of year 4" in text
    assert "probability" in text
    assert "Year 4" in text


def test_json_file_has_exactly_the_keys(result, tmp_path):
    path = tmp_path / "forecast.json"
    write_json(result, path)
    data = json.loads(path.read_text())
    assert tuple(data) == JSON_KEYS
    assert data["target"]["amount"] == 12_800_000


def test_spreadsheet_cells_that_look_like_formulas_stay_text(result, tmp_path):
    path = tmp_path / "forecast.xlsx"
    write_xlsx(result, path)
    book = load_workbook(path)
    assert book.sheetnames == ["Summary", "Looked after", "Money", "Target", "Data left out", "Weekly fan"]
    run = {row[0].value: row[1].value for row in book["Data left out"].iter_rows() if row[0].value}
    assert run["scenario"] == "'" + result.scenario.name  # would run as a formula without the quote
    texts = [c.value for sheet in book for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [t for t in texts if t.startswith(("=", "+", "-", "@"))]
    money = book["Money"]
    assert isinstance(money["C2"].value, float)  # numbers stay numbers, negative ones too


def test_backtest_text(small_county):
    text = backtest_text(backtest(small_county.episodes, draws=50, seed=1))
    assert "Back-test: fitted on 2020-04-01 to 2023-03-31, forecast the end of 2023-24" in text
    assert "in_house_fostering" in text and "total" in text
