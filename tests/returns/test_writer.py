"""Writing a year's return: DfE form, round trip through the reader, formula guard, what belongs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nwd.exports import escape_cell
from nwd.returns.checks import check
from nwd.returns.reader import read_files
from nwd.returns.synthetic import history
from nwd.returns.writer import tables_for_year, write_tables
from tests.returns.conftest import YEAR

D = dt.date
OURS = ["_file", "_row", "_year"]


def test_written_in_dfe_form(valid_return, tmp_path: Path):
    paths = write_tables(valid_return, YEAR, tmp_path)
    assert [p.name for p in paths] == ["Header.csv", "Episodes.csv", "Missing.csv"]
    lines = (tmp_path / "Episodes.csv").read_text().splitlines()
    assert lines[0] == "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"
    assert lines[1] == "A1,01/05/2024,S,C2,N1,U4,PR1,01/06/2025,X1,CARPL,NR1 1AA,NR4 6DS,SC123456"
    assert lines[2] == "A1,01/06/2025,P,C2,N1,K2,PR4,,,,NR1 1AA,NR7 8QU,SC654321"


def test_round_trip_gives_the_same_frames(valid_return, tmp_path: Path):
    write_tables(valid_return, YEAR, tmp_path / YEAR)
    again = read_files([tmp_path / YEAR])
    assert again.problems == []
    for table, frame in valid_return.items():
        assert again.tables[table].drop("_file").equals(frame.drop("_file")), table


def test_round_trip_of_a_synthetic_county(tmp_path: Path):
    county = history(300, seed=5)
    tables = tables_for_year(county.episodes, county.header, county.missing, county.uasc, YEAR)
    write_tables(tables, YEAR, tmp_path)
    again = read_files([tmp_path], collection_year=YEAR)
    assert again.problems == []
    for table, frame in tables.items():
        assert again.tables[table].drop(OURS).equals(frame.drop(OURS)), table


def test_empty_tables_are_written_with_their_header_row(tmp_path: Path):
    empty = {"Missing": pl.DataFrame(schema={"CHILD": pl.Utf8})}
    [path] = write_tables(empty, YEAR, tmp_path)
    assert path.read_text() == "CHILD,DOB,MISSING,MIS_START,MIS_END\n"


def test_tables_not_in_the_year_are_not_written(tmp_path: Path):
    dolo = {"DoLo": pl.DataFrame(schema={"CHILD": pl.Utf8})}
    assert write_tables(dolo, YEAR, tmp_path) == []
    assert [p.name for p in write_tables(dolo, "2026-27", tmp_path)] == ["DoLo.csv"]


@pytest.mark.parametrize(("value", "expected"), [
    ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("A1", "A1"), ("", ""), (None, None), (-1, -1), (D(2025, 4, 1), D(2025, 4, 1)),
])
def test_escape_cell(value, expected):
    assert escape_cell(value) == expected


@given(st.lists(st.text(max_size=8), min_size=1, max_size=20))
def test_writer_guard_is_escape_cell(values):
    """The writer's column-wise guard gives exactly what escape_cell gives, cell by cell."""
    from nwd.returns.writer import escaped

    frame = pl.DataFrame({"CHILD": values})
    assert frame.select(escaped("CHILD"))["CHILD"].to_list() == [escape_cell(v) for v in values]


def test_formula_cells_are_guarded_in_the_file_and_read_back(valid_return, tmp_path: Path):
    tables = {**valid_return, "Header": valid_return["Header"].with_columns(
        pl.when(pl.col("CHILD") == "A2").then(pl.lit("=cmd|'/c calc'!A1")).otherwise(pl.col("CHILD")).alias("CHILD"))}
    write_tables(tables, YEAR, tmp_path / "out")
    assert "'=cmd|'/c calc'!A1" in (tmp_path / "out" / "Header.csv").read_text()
    again = read_files([tmp_path / "out"], collection_year=YEAR)
    assert again.tables["Header"]["CHILD"].to_list() == ["A1", "=cmd|'/c calc'!A1"]


def _episode(child, decom, dec=None, rec=None):
    return {"CHILD": child, "DECOM": decom, "RNE": "S", "LS": "C2", "CIN": "N1", "PLACE": "U4",
            "PLACE_PROVIDER": "PR1", "DEC": dec, "REC": rec, "REASON_PLACE_CHANGE": "CARPL" if rec == "X1" else None,
            "HOME_POST": "NR1 1AA", "PL_POST": "NR4 6DS", "URN": "SC1"}


def test_tables_for_year_selects_and_shows_the_year_as_it_stood():
    episodes = pl.DataFrame([
        _episode("OLD", D(2023, 5, 1), D(2024, 5, 1), "E8"),        # ended before the year
        _episode("SPAN", D(2024, 5, 1), D(2026, 6, 1), "X1"),       # open across the whole year, ends after
        _episode("IN", D(2025, 6, 1), D(2025, 7, 1), "E4A"),        # within the year
        _episode("LATER", D(2026, 4, 2)),                            # starts after the year
    ])
    header = pl.DataFrame({"CHILD": ["OLD", "SPAN", "IN", "LATER"], "SEX": ["1", "2", "M", "F"],
                           "DOB": [D(2010, 1, 1)] * 4, "ETHNIC": ["WBRI"] * 4})
    missing = pl.DataFrame({"CHILD": ["SPAN", "SPAN", "OLD"], "DOB": [D(2010, 1, 1)] * 3, "MISSING": ["M"] * 3,
                            "MIS_START": [D(2025, 3, 30), D(2026, 3, 31), D(2025, 5, 1)],
                            "MIS_END": [D(2025, 3, 31), D(2026, 4, 2), D(2025, 5, 2)]})
    uasc = pl.DataFrame({"CHILD": ["SPAN", "IN"], "SEX": ["2", "M"], "DOB": [D(2010, 1, 1)] * 2,
                         "DUC": [D(2028, 1, 1), D(2025, 3, 1)]})
    tables = tables_for_year(episodes, header, missing, uasc, YEAR)
    assert tables["Episodes"]["CHILD"].to_list() == ["IN", "SPAN"]
    span = tables["Episodes"].filter(pl.col("CHILD") == "SPAN").row(0, named=True)
    assert (span["DEC"], span["REC"], span["REASON_PLACE_CHANGE"]) == (None, None, None)
    assert tables["Header"]["CHILD"].to_list() == ["IN", "SPAN"]
    assert tables["Header"]["SEX"].to_list() == ["M", "F"]  # 2 written as F from 2024-25
    assert tables["Missing"]["MIS_START"].to_list() == [D(2026, 3, 31)]
    assert tables["Missing"]["MIS_END"].to_list() == [None]
    assert tables["UASC"]["CHILD"].to_list() == ["SPAN"]
    assert tables["UASC"]["DUC"].to_list() == [D(2028, 1, 1)]
    assert tables["Episodes"]["_row"].to_list() == [2, 3]
    assert tables["Episodes"]["_file"].unique().to_list() == ["Episodes.csv"]


@pytest.mark.parametrize("year", ["2023-24", "2024-25", "2025-26"])
def test_a_synthetic_county_year_passes_every_check(year):
    county = history(800, last_year="2025-26", seed=17)
    tables = tables_for_year(county.episodes, county.header, county.missing, county.uasc, year)
    assert check(tables, year) == []
