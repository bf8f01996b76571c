"""Each row's collection year from its own dates (nwd.returns.years and the reader): one stray date
moves its own row, never the file; a file's name or YEAR column is used where the rows fit it and
reported where they do not; one file of several years and several files of one year read the same."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from nwd.returns import years
from nwd.returns.reader import read_files
from tests.returns.conftest import HEADER, write

D = dt.date
COLUMNS = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"


def episode(child: str, decom: str, dec: str = "", rec: str = "") -> str:
    return f"{child},{decom},S,C2,N1,U4,PR1,{dec},{rec},,NR1 1AA,NR4 6DS,SC1"


def bounds(rows: list[tuple]) -> pl.DataFrame:
    frame = pl.DataFrame(rows, schema={"DECOM": pl.Date, "DEC": pl.Date}, orient="row")
    return years.with_bounds(frame, "Episodes")


def test_one_years_return_is_told_by_the_year_every_row_was_open_in_despite_a_stray_date():
    rows = [(D(2023, 5, 1), None)] * 20 + [(D(2022, 1, 1), D(2023, 9, 1))] * 20 + [(D(2023, 6, 1), D(2072, 1, 1))]
    assert years.infer(bounds(rows)) == years.FileYears("one", 2023)


def test_a_file_of_several_years_ends_at_its_last_full_year_not_at_a_stray():
    rows = [(D(2019 + i, 6, 1), D(2019 + i, 9, 1)) for i in range(5) for _ in range(30)]
    rows += [(D(2023, 6, 1), None)] * 30 + [(D(2027, 6, 1), None)]
    found = years.infer(bounds(rows))
    assert found == years.FileYears("several", 2023)
    unclaimed = bounds(rows).with_columns(pl.lit(None, dtype=pl.Int32).alias(years.CLAIM),
                                          pl.lit(False).alias("_checked"), pl.lit(2).alias("_row"))
    frame, problems = years.by_dates(unclaimed, "Episodes", "E.csv", "its YEAR column", found)
    own = frame.get_column(years.OWN).to_list()
    # each row in the latest year it was open; the stray start in 2027 stays in the file's last year,
    # where the DfE's rule 354 (DECOM after the end of the year) names it
    assert own[:30] == [2019] * 30 and own[-2] == 2023 and own[-1] == 2023
    assert problems == []


def test_a_year_column_that_disagrees_with_the_dates_is_reported_and_the_dates_win():
    rows = bounds([(D(2022, 5, 1), D(2022, 9, 1)), (D(2022, 5, 1), None)]).with_columns(
        pl.lit(2021, dtype=pl.Int32).alias(years.CLAIM), pl.lit(True).alias("_checked"), pl.lit(2).alias("_row"))
    frame, problems = years.by_dates(rows, "Episodes", "E.csv", "its YEAR column", years.FileYears("none", None))
    assert frame.get_column(years.OWN).to_list() == [2022, 2022]
    assert [p.rule for p in problems] == ["NWD-YEAR-DATES"] * 2
    assert problems[0].message == (
        "E.csv row 2, DECOM '01/05/2022': its YEAR column says 2021-22, but the row's dates (DECOM 01/05/2022, "
        "DEC 01/09/2022) fit only 2022-23: read as 2022-23 (rule NWD-YEAR-DATES)")
    assert "fit 2022-23 or later" in problems[1].message


def test_a_year_column_counting_years_by_their_start_is_read_so():
    rows = bounds([(D(2023, 5, 1), D(2023, 9, 1))] * 12).with_columns(pl.lit(2023, dtype=pl.Int32).alias(years.CLAIM))
    assert years.year_column_shift(rows) == 0
    assert years.year_column_shift(rows.with_columns(pl.col(years.CLAIM) - 1)) == 1


def test_name_key_pairs_one_years_files_named_the_councils_way():
    assert years.name_key("SSDA903_2023_Header") == years.name_key("SSDA903_2023_episodes") == "ssda903_2023"
    assert years.name_key("Header") == years.name_key("Episodes") == ""


def test_files_of_one_year_without_a_year_in_their_names_each_get_their_own_year(tmp_path: Path):
    write(tmp_path, "903/la_2024_episodes.csv", "\n".join([COLUMNS, episode("A1", "01/05/2023"),
                                                         episode("A2", "01/06/2022", "01/09/2023", "E4A")]) + "\n")
    write(tmp_path, "903/la_2025_episodes.csv", "\n".join([COLUMNS, episode("A1", "01/05/2023", "01/07/2024", "E4A"),
                                                         episode("A3", "01/02/2025")]) + "\n")
    write(tmp_path, "903/la_2024_header.csv", HEADER.replace("A2,F", "A2,F"))
    write(tmp_path, "903/la_2025_header.csv", HEADER.replace("A2,", "A3,"))
    write(tmp_path, "903/la_2025_reviews.csv", "CHILD,DOB,REVIEW,REVIEW_CODE\nA3,15/03/2012,01/03/2025,PN1\n"
                                               "A3,15/03/2012,01/03/2027,PN1\n")
    read = read_files([tmp_path / "903"])
    assert {f.name: f.collection_year for f in read.files} == {
        "la_2024_episodes.csv": "2023-24", "la_2025_episodes.csv": "2024-25",
        "la_2024_header.csv": "2023-24", "la_2025_header.csv": "2024-25",
        "la_2025_reviews.csv": "2024-25 to 2026-27",
    }
    assert [f.year_from for f in read.files if "header" in f.name] == ["episodes", "episodes"]
    assert read.tables["Reviews"]["_year"].to_list() == ["2024-25", "2026-27"]


def test_one_file_of_several_years_reads_each_row_in_the_latest_year_it_was_open(tmp_path: Path):
    write(tmp_path, "all/episodes.csv", "\n".join(
        [COLUMNS] + [episode(f"A{i}", f"01/0{1 + i % 9}/{2019 + i % 5}", f"01/12/{2019 + i % 5}", "E4A") for i in range(40)]
        + [episode("B1", "01/05/2023")]) + "\n")
    read = read_files([tmp_path / "all"])
    frame = read.tables["Episodes"]
    assert frame.filter(pl.col("CHILD") == "B1")["_year"].to_list() == ["2023-24"]
    # began 01/01/2019 (2018-19), ended 01/12/2019: last open in 2019-20
    assert frame.filter(pl.col("CHILD") == "A0")["_year"].to_list() == ["2019-20"]
    assert read.files[0].collection_year == "2019-20 to 2023-24"


def test_one_file_of_several_years_returns_without_a_year_column_reads_as_the_yearly_files(tmp_path: Path):
    from tests.returns.real_shaped import council_folder

    folder = council_folder(tmp_path / "council")
    together = tmp_path / "together"
    together.mkdir()
    for table in ("episodes", "header", "missing"):
        parts = [pl.read_csv(path, infer_schema=False) for path in sorted(folder.glob(f"*_{table}.csv"))]
        pl.concat(parts).write_csv(together / f"all_{table}.csv", null_value="")
    yearly = read_files([folder]).tables
    one_file = read_files([together]).tables
    key = ["CHILD", "DECOM", "DEC", "_year"]
    assert one_file["Episodes"].select(key).sort(key).equals(yearly["Episodes"].select(key).sort(key))
    key = ["CHILD", "MIS_START", "_year"]
    assert one_file["Missing"].select(key).sort(key).equals(yearly["Missing"].select(key).sort(key))


def test_a_year_column_counting_by_the_years_start_is_read_so_in_every_table(tmp_path: Path):
    from tests.returns.real_shaped import regional_file

    as_dfe = read_files([regional_file(tmp_path / "dfe", moved=0).path], la="Camden")
    by_start = read_files([regional_file(tmp_path / "start", moved=0, by_start=True).path], la="Camden")
    assert any("counts each year by the year it starts in" in n for n in by_start.notices)
    assert not any("counts each year" in n for n in as_dfe.notices)
    for table in ("Episodes", "Header", "Missing", "UASC"):
        assert by_start.tables[table]["_year"].to_list() == as_dfe.tables[table]["_year"].to_list(), table
