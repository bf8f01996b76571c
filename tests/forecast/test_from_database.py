"""The database as the forecast's input (nwd.forecast.from_database), and `nwd forecast` on the county.

Hand-built records check the shape (the engine's 903-shaped frame, one row per episode, the young
person's CHILD, DOB and SEX on each), what is left out (records after the as-of date, hub stays),
where the care history is taken to begin, and that the reads are a fixed number of queries. The
scale-1 county checks that the command runs end to end, back-test included.
"""

from __future__ import annotations

import json

import polars as pl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from nwd.forecast.api import JSON_KEYS, run_forecast
from nwd.forecast.from_database import EPISODE_SOURCE, load
from tests.evaluation import builders as b

from .conftest import D

AS_OF = D(2025, 3, 31)
pytestmark = pytest.mark.django_db


@pytest.fixture
def records():
    """Ali: two episodes joined by X1 (the second a temporary placement), then home. Bea: in care
    still, and an outreach involvement before; Cal: a hub stay (not "at home") and an episode
    that starts after the as-of date."""
    ali = b.person(D(2009, 5, 1), child_id="A1", sex="1")
    b.care(ali, (D(2023, 1, 10), "U4", "PR1"), (D(2023, 6, 1), "T0"), end=D(2023, 9, 1), rec="E4A")
    bea = b.person(D(2011, 2, 3), child_id="B2", sex="2")
    b.care(bea, (D(2024, 2, 1), "K2", "PR4"))
    b.support(bea, D(2023, 9, 1), end=D(2024, 1, 31))
    cal = b.person(D(2010, 7, 9), child_id="C3", sex="1")
    b.support(cal, D(2024, 3, 1), support_type="residential")
    b.care(cal, (D(2025, 4, 2), "U4", "PR1"))
    return ali, bea, cal


def test_episodes_are_read_in_the_engines_shape(records):
    source = load(as_of=AS_OF)
    episodes = source.episodes.sort("CHILD", "DECOM")
    assert episodes.columns == ["CHILD", "SEX", "DOB", "DECOM", "DEC", "RNE", "LS", "CIN", "PLACE",
                                "PLACE_PROVIDER", "REC", "_file", "_row"]
    assert episodes.schema["DOB"] == pl.Date and episodes.schema["DECOM"] == pl.Date
    rows = episodes.select("CHILD", "SEX", "DOB", "DECOM", "DEC", "PLACE", "PLACE_PROVIDER", "REC").rows()
    assert rows == [
        ("A1", "1", D(2009, 5, 1), D(2023, 1, 10), D(2023, 6, 1), "U4", "PR1", "X1"),
        ("A1", "1", D(2009, 5, 1), D(2023, 6, 1), D(2023, 9, 1), "T0", None, "E4A"),  # blank provider: null
        ("B2", "2", D(2011, 2, 3), D(2024, 2, 1), None, "K2", "PR4", None),  # open: no DEC, no REC
    ]
    assert set(episodes["_file"]) == {EPISODE_SOURCE}
    assert episodes["_row"].null_count() == 0
    assert (source.as_of, source.observed_from) == (AS_OF, None)  # a short history: the earliest DECOM


def test_only_outreach_counts_as_support_at_home_and_later_records_wait(records):
    _ali, bea, _cal = records
    source = load(as_of=AS_OF)
    assert "C3" not in set(source.episodes["CHILD"])  # Cal's care starts after the as-of date
    spells = source.service_spells
    assert spells.select("CHILD", "DOB", "START", "END").rows() == [("B2", bea.date_of_birth, D(2023, 9, 1), D(2024, 1, 31))]
    later = load(as_of=D(2025, 6, 30))
    assert "C3" in set(later.episodes["CHILD"])
    assert "3 care episodes" in source.description and "1 outreach involvements" in source.description


def test_the_reads_are_two_queries_however_many_records(records, django_assert_num_queries):
    for n in range(20):
        person = b.person(D(2010, 1, 1), child_id=f"N{n}")
        b.care(person, (D(2022, 1, 1), "U4", "PR1"), (D(2023, 1, 1), "U5", "PR1"), end=D(2024, 1, 1))
        b.support(person, D(2021, 6, 1), end=D(2021, 12, 1))
    with django_assert_num_queries(2):  # episodes (with their young people), outreach involvements
        source = load(as_of=AS_OF)
    assert source.episodes.height == 43


def test_the_councils_start_of_the_care_history_is_used(records, settings):
    settings.NWD_EVALUATION = {"data_start": {"care": D(2023, 4, 1)}}
    source = load(as_of=AS_OF)
    assert source.observed_from == D(2023, 4, 1)
    assert "01/04/2023" in source.notes[0]


def test_a_forecast_runs_on_hand_built_records(records):
    source = load(as_of=AS_OF)
    result = run_forecast(source.episodes, source.service_spells, draws=20, seed=1, as_of=source.as_of,
                          observed_from=source.observed_from)
    assert result.info["looked_after_at_jump_off"] == 1.0  # Bea
    assert result.info["service_records"]
    assert set(result.to_json()) == set(JSON_KEYS)


def test_the_command_says_when_there_is_nothing_to_forecast():
    with pytest.raises(CommandError, match="no episodes to forecast from"):
        call_command("forecast", "--draws", "10")


def test_nwd_forecast_runs_on_the_county_and_back_tests(county, tmp_path, capsys):
    path = tmp_path / "forecast.json"
    call_command("forecast", "--draws", "200", "--seed", "1", "--json", str(path), "--backtest")
    written = json.loads(path.read_text(encoding="utf-8"))
    assert set(written) == {*JSON_KEYS, "backtest"}
    inputs = written["baseline"]["inputs"]
    assert inputs["looked_after_at_jump_off"] > 500
    assert inputs["observed_from"].endswith("-04-01")  # the first whole collection year of the history
    assert written["with_service"]["looked_after"][3]["mean"] < written["baseline"]["looked_after"][3]["mean"]
    # Issue 10: the county's baseline costs what the council says it spends (about £55m for 1,100
    # children), and the file carries the jump-off and the back-test.
    assert abs(written["baseline"]["gross_cost"][0]["mean"] - 55_000_000) / 55_000_000 < 0.05
    assert written["calibration"]["calibrated"] and written["calibration"]["factor"] < 1
    assert written["jump_off"]["looked_after"] == inputs["looked_after_at_jump_off"]
    assert set(written["backtest"]["total"]) >= {"actual", "expected", "p5", "p95"}
    shown = capsys.readouterr()
    assert "Children looked after at the end of each year" in shown.out
    assert "Back-test: fitted on" in shown.out and "total" in shown.out
    assert "care records taken as complete from 01/04/" in shown.err
