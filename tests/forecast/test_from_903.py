"""A folder of SSDA903 files as input; errors name the file, the row and the problem."""

import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from nwd.forecast.api import JSON_KEYS, run_forecast
from nwd.forecast.from_903 import Return903Error, load

from .conftest import D


def test_a_folder_of_returns_is_stitched_into_one_history(return_903, small_county):
    source = load(return_903)
    assert source.as_of == D(2024, 3, 31)
    assert source.observed_from == D(2019, 4, 1)
    assert "collection years 2019-20 to 2023-24" in source.description
    assert source.episodes["DOB"].null_count() == 0
    result = run_forecast(source.episodes, draws=50, seed=1, as_of=source.as_of, observed_from=source.observed_from)
    direct = run_forecast(small_county.episodes, draws=50, seed=1, as_of=D(2024, 3, 31))
    assert result.info["looked_after_at_jump_off"] == direct.info["looked_after_at_jump_off"]
    assert result.baseline["looked_after"][0]["expected"] == pytest.approx(
        direct.baseline["looked_after"][0]["expected"], rel=0.02)


def copy_year(return_903, tmp_path):
    folder = tmp_path / "returns"
    shutil.copytree(return_903 / "2023-24", folder / "2023-24")
    return folder


def test_an_empty_episodes_file_is_named(return_903, tmp_path):
    folder = copy_year(return_903, tmp_path)
    (folder / "2023-24" / "Episodes.csv").write_text("")
    with pytest.raises(Return903Error) as error:
        load(folder)
    assert "no Episodes rows could be read" in str(error.value)
    assert "Episodes.csv: the file is empty" in str(error.value)


def test_a_missing_column_is_named_with_its_file(return_903, tmp_path):
    folder = copy_year(return_903, tmp_path)
    path = folder / "2023-24" / "Episodes.csv"
    lines = path.read_text().splitlines()
    header = lines[0].split(",")
    drop = header.index("DECOM")
    path.write_text("\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != drop) for line in lines))
    with pytest.raises(Return903Error, match=r"Episodes.csv: the Episodes table needs a column DECOM"):
        load(folder)


def test_a_file_that_is_not_a_return_is_named(tmp_path):
    folder = tmp_path / "junk"
    folder.mkdir()
    (folder / "budget.csv").write_text("cost centre,amount\nA,1\n")
    with pytest.raises(Return903Error, match=r"budget.csv: its columns \(COST_CENTRE, AMOUNT\) match no 903 table"):
        load(folder)
    with pytest.raises(Return903Error, match="there is no such folder"):
        load(tmp_path / "nowhere")


def test_a_bad_date_leaves_its_row_out_and_names_file_and_row(return_903, tmp_path):
    folder = copy_year(return_903, tmp_path)
    path = folder / "2023-24" / "Episodes.csv"
    lines = path.read_text().splitlines()
    cells = lines[2].split(",")  # spreadsheet row 3
    cells[lines[0].split(",").index("DECOM")] = "31/02/2023"
    lines[2] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")
    source = load(folder)
    assert any("Episodes.csv row 3" in note and "DECOM" in note for note in source.notes)
    result = run_forecast(source.episodes, draws=20, seed=1, years=1, as_of=source.as_of)
    (reason,) = [e for e in result.excluded if e.reason.startswith("no start date (DECOM)")]
    assert reason.examples[0].startswith("Episodes.csv row 3 (CHILD ")


def test_the_command_prints_writes_and_backtests(return_903, tmp_path, capsys):
    out_json, out_xlsx = tmp_path / "f.json", tmp_path / "f.xlsx"
    call_command("forecast", "--from-903", str(return_903), "--draws", "60", "--seed", "1", "--json",
                 str(out_json), "--xlsx", str(out_xlsx), "--backtest")
    printed = capsys.readouterr().out
    assert "Children looked after at the end of each year" in printed
    assert "Back-test: fitted on 2020-04-01 to 2023-03-31" in printed
    import json

    assert tuple(json.loads(out_json.read_text())) == (*JSON_KEYS, "backtest")  # --backtest adds its object
    assert out_xlsx.stat().st_size > 0


def test_the_command_reports_a_bad_folder_plainly(tmp_path):
    (tmp_path / "Episodes.csv").write_text("")
    with pytest.raises(CommandError, match="Episodes.csv: the file is empty"):
        call_command("forecast", "--from-903", str(tmp_path), "--draws", "10")
    with pytest.raises(CommandError, match="--draws must be at least 1"):
        call_command("forecast", "--from-903", str(tmp_path), "--draws", "0")
