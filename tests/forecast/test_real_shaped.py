"""The forecast on real councils' files as they come (issue 10): it starts from the children a plain
count of open episodes gives on the jump-off date, keeps open rows that carry a REC (the DfE's rule
148), reports what it leaves out by rule, and reads one council at a time."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import polars as pl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from nwd.forecast.api import backtest, run_forecast
from nwd.forecast.from_903 import Return903Error, episode_years, jump_off, load, open_rows_kept, rule_of
from nwd.forecast.histories import looked_after_on
from tests.returns.real_shaped import council_folder, plain_open_count, regional_file

END = dt.date(2025, 3, 31)


@pytest.fixture(scope="module")
def council(tmp_path_factory):
    return council_folder(tmp_path_factory.mktemp("council") / "903")


@pytest.fixture(scope="module")
def regional(tmp_path_factory):
    return regional_file(tmp_path_factory.mktemp("regional") / "903")


def within_5_percent(found: float, plain: int) -> bool:
    return plain > 0 and abs(found - plain) <= 0.05 * plain


def test_the_whole_folder_forecasts_from_the_plain_count_of_open_episodes(council, tmp_path, capsys):
    out = tmp_path / "f.json"
    call_command("forecast", "--from-903", str(council), "--draws", "40", "--seed", "1", "--years", "1",
                 "--json", str(out))
    figures = json.loads(out.read_text())
    plain = plain_open_count(council / "SSDA903_2025_episodes.csv")
    assert plain > 150
    assert within_5_percent(figures["baseline"]["inputs"]["looked_after_at_jump_off"], plain)
    assert figures["baseline"]["inputs"]["data_to"] == "2025-03-31"  # reviews booked to 2027 move nothing
    notes = capsys.readouterr().err
    assert f"rule 148: {plain} open episodes (no DEC) carry a reason ceased (REC)" in notes


def test_episodes_and_header_alone_start_from_the_same_children(council, tmp_path):
    folder = tmp_path / "two"
    folder.mkdir()
    for path in council.glob("*_episodes.csv"):
        shutil.copy(path, folder)
    for path in council.glob("*_header.csv"):
        shutil.copy(path, folder)
    source = load(folder)
    plain = plain_open_count(council / "SSDA903_2025_episodes.csv")
    assert source.as_of == END
    assert jump_off(source).looked_after == plain
    result = run_forecast(source.episodes, draws=20, seed=1, years=1, as_of=source.as_of,
                          observed_from=source.observed_from)
    assert within_5_percent(result.info["looked_after_at_jump_off"], plain)
    checked = backtest(source.episodes, draws=40, observed_from=source.observed_from, as_of=source.as_of)
    assert checked.total.actual > 100 and checked.total.expected > 100  # not zeros against zeros


def test_a_regional_file_needs_la_and_is_read_one_council_at_a_time(regional, tmp_path):
    with pytest.raises(Return903Error) as error:
        load(regional.path)
    assert error.value.councils == list(regional.councils)
    with pytest.raises(CommandError) as listed:
        call_command("forecast", "--from-903", str(regional.path), "--draws", "10")
    assert "Barnet, Camden, Enfield" in str(listed.value) and "--la" in str(listed.value)
    out = tmp_path / "f.json"
    call_command("forecast", "--from-903", str(regional.path), "--la", "Camden", "--draws", "20",
                 "--years", "1", "--json", str(out))
    plain = plain_open_count(regional.path / "regional_episodes.csv", la="Camden", year="2025")
    found = json.loads(out.read_text())["baseline"]["inputs"]["looked_after_at_jump_off"]
    assert within_5_percent(found, plain)
    camden = load(regional.path, la="Camden")
    assert "(Camden)" in camden.description
    assert (jump_off(camden).date, jump_off(camden).looked_after) == (END, plain)


def test_open_rows_with_a_rec_are_kept_open_and_counted():
    episodes = pl.DataFrame({
        "CHILD": ["1", "2", "3"], "DECOM": [dt.date(2024, 1, 1)] * 3,
        "DEC": [None, dt.date(2024, 6, 1), None], "REC": ["E8", "E4A", None],
        "_file": ["E.csv"] * 3, "_row": [2, 3, 4],
    })
    kept, note = open_rows_kept(episodes)
    assert kept["REC"].to_list() == [None, "E4A", None]
    assert note.startswith("rule 148: 1 open episode (no DEC) carry")
    assert "E.csv row 2 (CHILD 1)" in note
    assert looked_after_on(kept, dt.date(2024, 12, 31)) == 2
    assert open_rows_kept(kept)[1] is None


def test_a_few_stray_rows_of_a_later_year_do_not_move_the_data_s_end():
    years = ["2023-24"] * 300 + ["2024-25"] * 300 + ["2027-28"] * 2
    assert episode_years(pl.DataFrame({"_year": years})) == ["2023-24", "2024-25"]


def test_rows_left_out_are_named_by_the_rule_they_break(council, tmp_path):
    folder = tmp_path / "bad"
    shutil.copytree(council, folder)
    path = folder / "SSDA903_2025_episodes.csv"
    lines = path.read_text().splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("DEC")], cells[header.index("REC")] = "01/01/1990", "E8"  # ends before it starts
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")
    source = load(folder)
    left_out = [n for n in source.notes if n.startswith("left out of the rates: rule 356: ")]
    assert len(left_out) == 1 and "1 × ends (DEC) before it starts (DECOM)" in left_out[0]
    assert rule_of("open (no DEC) but the child has a later episode") == "142"
    assert rule_of("short breaks (LS V3, V4), which the DfE does not count as looked after") is None
