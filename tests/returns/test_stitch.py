"""Several collection years made into one history per child."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from nwd.returns.checks import check
from nwd.returns.reader import read_files
from nwd.returns.stitch import stitch
from tests.returns.conftest import write

COLUMNS = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"


def _two_years(tmp_path: Path, earlier: str, later: str):
    write(tmp_path, "2024-25/Episodes.csv", COLUMNS + earlier)
    write(tmp_path, "2025-26/Episodes.csv", COLUMNS + later)
    return stitch(read_files([tmp_path]).tables)


def test_episode_across_31_march_is_one_episode_ended_by_the_later_year(tmp_path: Path):
    result = _two_years(
        tmp_path,
        "A1,01/05/2024,S,C2,N1,U4,PR1,,,,NR1 1AA,NR4 6DS,SC1\n",
        "A1,01/05/2024,S,C2,N1,U4,PR1,01/06/2025,E4A,,NR1 1AA,NR4 6DS,SC1\n",
    )
    episodes = result.tables["Episodes"]
    assert episodes.height == 1
    assert episodes.row(0, named=True)["DEC"] == dt.date(2025, 6, 1)
    assert episodes.row(0, named=True)["REC"] == "E4A"
    assert episodes.row(0, named=True)["_year"] == "2025-26"
    assert result.problems == []
    assert result.notices == ["Episodes: 1 row found in more than one file or year were merged with the later one"]
    assert check(result.tables) == [p for p in check(result.tables) if p.severity == "warning"]


def test_exact_duplicates_are_merged(tmp_path: Path):
    row = "A1,01/05/2024,S,C2,N1,U4,PR1,,,,NR1 1AA,NR4 6DS,SC1\n"
    result = _two_years(tmp_path, row, row)
    assert result.tables["Episodes"].height == 1
    assert result.problems == []


def test_duplicate_within_one_file_is_a_warning(tmp_path: Path):
    row = "A1,01/05/2025,S,C2,N1,U4,PR1,,,,NR1 1AA,NR4 6DS,SC1\n"
    write(tmp_path, "2025-26/Episodes.csv", COLUMNS + row + row)
    result = stitch(read_files([tmp_path]).tables)
    assert result.tables["Episodes"].height == 1
    [problem] = result.problems
    assert problem.severity == "warning"
    assert problem.message == (
        "Episodes.csv row 2, DECOM '01/05/2025': this row repeats Episodes.csv row 3; one copy was kept "
        "(rule NWD-DUPLICATE)"
    )


def test_conflicting_duplicates_are_reported(tmp_path: Path):
    result = _two_years(
        tmp_path,
        "A1,01/05/2024,S,C2,N1,U4,PR1,,,,NR1 1AA,NR4 6DS,SC1\n",
        "A1,01/05/2024,S,C2,N1,K2,PR1,,,,NR1 1AA,NR4 6DS,SC1\n",
    )
    [problem] = result.problems
    assert problem.rule == "NWD-CONFLICT"
    assert problem.severity == "error"
    assert problem.message == (
        "2024-25/Episodes.csv row 2, PLACE 'U4': the same episode (CHILD A1, DECOM '01/05/2024') has PLACE 'K2' "
        "in 2025-26/Episodes.csv row 2; the later value was kept (rule NWD-CONFLICT)"
    )
    assert result.tables["Episodes"]["PLACE"].to_list() == ["K2"]


def test_ended_in_both_years_differently_is_a_conflict(tmp_path: Path):
    result = _two_years(
        tmp_path,
        "A1,01/05/2024,S,C2,N1,U4,PR1,01/03/2025,E4A,,NR1 1AA,NR4 6DS,SC1\n",
        "A1,01/05/2024,S,C2,N1,U4,PR1,01/06/2025,E4A,,NR1 1AA,NR4 6DS,SC1\n",
    )
    assert [p.column for p in result.problems] == ["DEC"]
    assert "was already ended here but has DEC '01/06/2025'" in result.problems[0].message


def test_code_withdrawn_in_the_later_year_may_be_recoded(tmp_path: Path):
    result = _two_years(
        tmp_path,
        "A1,01/05/2024,S,C2,N1,H5,PR4,,,,NR1 1AA,NR4 6DS,SC1\n",
        "A1,01/05/2024,S,C2,N1,K3,PR4,,,,NR1 1AA,NR4 6DS,SC1\n",
    )
    assert result.problems == []
    assert result.tables["Episodes"]["PLACE"].to_list() == ["K3"]


def test_header_keeps_latest_and_warns_on_changed_date_of_birth(tmp_path: Path):
    write(tmp_path, "2024-25/Header.csv", "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nA1,M,01/06/2010,WBRI,,,\n")
    write(tmp_path, "2025-26/Header.csv", "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nA1,M,02/06/2010,WBRI,UN1,,\n")
    result = stitch(read_files([tmp_path]).tables)
    header = result.tables["Header"]
    assert header.height == 1 and header["UPN"].to_list() == ["UN1"]
    [problem] = result.problems
    assert (problem.rule, problem.severity, problem.column) == ("203", "warning", "DOB")


def test_missing_episode_across_years_and_per_year_tables(tmp_path: Path):
    write(tmp_path, "2024-25/Missing.csv", "CHILD,DOB,MISSING,MIS_START,MIS_END\nA1,01/06/2010,M,30/03/2025,\n")
    write(tmp_path, "2025-26/Missing.csv", "CHILD,DOB,MISSING,MIS_START,MIS_END\nA1,01/06/2010,M,30/03/2025,02/04/2025\n")
    write(tmp_path, "2024-25/OC3.csv", "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\nA1,01/06/2010,YES,F1,B1\n")
    write(tmp_path, "2025-26/OC3.csv", "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\nA1,01/06/2010,YES,F1,B1\n")
    result = stitch(read_files([tmp_path]).tables)
    assert result.tables["Missing"]["MIS_END"].to_list() == [dt.date(2025, 4, 2)]
    assert result.tables["OC3"].height == 2  # one per year: outcomes belong to their year


def test_three_years_of_a_synthetic_county_stitch_into_a_clean_history(tmp_path: Path):
    import polars as pl

    from nwd.returns.checks import check_years_apart
    from nwd.returns.synthetic import history
    from nwd.returns.writer import tables_for_year, write_tables

    county = history(600, seed=3, years=5)
    for year in ("2023-24", "2024-25", "2025-26"):
        write_tables(tables_for_year(county.episodes, county.header, county.missing, county.uasc, year),
                     year, tmp_path / year)
    read = read_files([tmp_path])
    assert read.years == ["2023-24", "2024-25", "2025-26"]
    assert check_years_apart(read.tables) == []
    result = stitch(read.tables)
    assert result.problems == []
    assert check(result.tables) == []
    episodes = result.tables["Episodes"]
    assert episodes.select(pl.struct("CHILD", "DECOM").is_unique().all()).item()


def test_a_urn_the_earlier_year_does_not_record_is_no_conflict(tmp_path: Path):
    """P2 has no URN until 2023-24 (DfE rule 222) and needs one from 2024-25: the same episode in
    both years is not a conflict; a K2 without its URN in one year still is."""
    write(tmp_path, "2023-24/Episodes.csv", COLUMNS + "A1,01/05/2023,S,V2,N1,P2,PR4,,,,NR1 1AA,NR4 6DS,\n"
                                                      "A2,01/05/2023,S,V2,N1,K2,PR4,,,,NR1 1AA,NR4 6DS,\n")
    write(tmp_path, "2024-25/Episodes.csv", COLUMNS + "A1,01/05/2023,S,V2,N1,P2,PR4,,,,NR1 1AA,NR4 6DS,SC1\n"
                                                      "A2,01/05/2023,S,V2,N1,K2,PR4,,,,NR1 1AA,NR4 6DS,SC2\n")
    result = stitch(read_files([tmp_path]).tables)
    assert [(p.rule, p.child, p.column) for p in result.problems] == [("NWD-CONFLICT", "A2", "URN")]
    assert result.tables["Episodes"]["URN"].to_list() == ["SC1", "SC2"]
