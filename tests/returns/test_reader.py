"""Reading CSV and XML returns: table detection, dates, notices and problems, collection years."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from nwd.returns.reader import combine, empty_table, read_files, year_from_name, year_from_text
from tests.returns.conftest import EPISODES, HEADER, write


def test_folder_is_read_with_tables_detected_from_columns(tmp_path: Path):
    write(tmp_path, "2025-26/first.csv", EPISODES)
    write(tmp_path, "2025-26/second.csv", HEADER)
    result = read_files([tmp_path])
    assert set(result.tables) == {"Episodes", "Header"}
    episodes = result.tables["Episodes"]
    assert episodes.columns[:13] == ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC", "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"]
    assert episodes.columns[13:] == ["_file", "_row", "_year"]
    assert episodes.schema["DECOM"] == pl.Date
    assert episodes["_row"].to_list() == [2, 3, 4]
    assert episodes["_file"].unique().to_list() == ["first.csv"]
    assert result.problems == []


def test_dates_in_both_forms_and_codes_cleaned(tmp_path: Path):
    write(tmp_path, "e 2025-26.csv", """\
        child,decom,rne,ls,cin,place,place_provider,dec,rec,reason_place_change,home_post,pl_post,urn
        A1,2025-04-01, s ,c2,n1,u4,pr1,1/5/2025,x1,,nr1 1aa,NR4 6DS,
        A1,01/05/2025 00:00:00,P,C2,N1,K2,PR4,,,, ,NR7 8QU,SC1
        """)
    frame = read_files([tmp_path]).tables["Episodes"]
    assert frame["DECOM"].to_list() == [dt.date(2025, 4, 1), dt.date(2025, 5, 1)]
    assert frame["DEC"].to_list() == [dt.date(2025, 5, 1), None]
    assert frame["RNE"].to_list() == ["S", "P"]
    assert frame["REC"].to_list() == ["X1", None]
    assert frame["HOME_POST"].to_list() == ["NR1 1AA", None]
    assert frame["URN"].to_list() == [None, "SC1"]


def test_not_a_real_date_names_file_row_column_value_and_rule(tmp_path: Path):
    rows = "\n".join(f"A{i},01/04/2023,S,C2,N1,U4,PR1,,,,NR1 1AA,NR4 6DS,SC1" for i in range(12))
    write(tmp_path, "2023-24/Episodes.csv", EPISODES.splitlines()[0] + "\n" + rows + "\n"
          + "A99,01/04/2023,S,C2,N1,U4,PR1,31/02/2024,E8,,NR1 1AA,NR4 6DS,SC1\n")
    result = read_files([tmp_path])
    [problem] = result.problems
    assert problem.message == "Episodes.csv row 14, DEC '31/02/2024': not a real date (rule 147)"
    assert (problem.file, problem.row, problem.column, problem.value, problem.rule, problem.severity) == (
        "Episodes.csv", 14, "DEC", "31/02/2024", "147", "error")
    assert problem.child == "A99"


def test_a_date_in_another_form_is_reported(tmp_path: Path):
    write(tmp_path, "Header 2025-26.csv", "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nA1,M,01/04/10,WBRI,,,\n")
    [problem] = read_files([tmp_path]).problems
    assert problem.message == "Header 2025-26.csv row 2, DOB '01/04/10': not a date: write it as dd/mm/yyyy (rule 102)"


def test_extra_columns_are_ignored_with_a_notice_and_la_and_year_are_used(tmp_path: Path):
    write(tmp_path, "Header_2025-26.csv",
          "LA,CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB,YEAR,TEAM\nNFK,A1,M,01/04/2010,WBRI,,,,2026,North\n")
    result = read_files([tmp_path])
    assert result.problems == []
    assert result.notices == [
        "Header_2025-26.csv: read as the Header table; the column TEAM is not part of the 903 and was ignored",
        "every row's LA is NFK",
    ]
    assert "LA" not in result.tables["Header"].columns
    assert (result.council, result.councils) == ("NFK", ["NFK"])
    assert result.years == ["2025-26"]


def test_empty_file_and_unknown_columns_are_problems_not_exceptions(tmp_path: Path):
    write(tmp_path, "2025-26/empty.csv", "")
    write(tmp_path, "2025-26/notes.csv", "note,author\nhello,me\n")
    write(tmp_path, "2025-26/Missing.csv", "CHILD,DOB,MISSING,MIS_START,MIS_END\n")
    result = read_files([tmp_path])
    messages = [p.message for p in result.problems]
    assert messages[0] == (
        "2025-26/empty.csv: the file is empty: it has no header row, so nothing was read from it "
        "(rule NWD-EMPTY-FILE)".replace("2025-26/", "")
    )
    assert result.problems[0].severity == "warning"
    assert result.problems[1].rule == "NWD-UNKNOWN-TABLE"
    assert result.problems[1].message.startswith("notes.csv: its columns (NOTE, AUTHOR) match no 903 table")
    assert result.tables["Missing"].height == 0
    assert "Missing.csv: read as the Missing table, with no rows" in result.notices


def test_missing_column_is_reported_and_read_as_blank(tmp_path: Path):
    write(tmp_path, "2025-26/Episodes.csv", "CHILD,DECOM,RNE,LS,CIN,PLACE,DEC,REC\nA1,01/04/2025,S,C2,N1,U4,,\n")
    result = read_files([tmp_path])
    by_column = {p.message.split("column ")[1].split(";")[0]: p.severity for p in result.problems}
    assert by_column["PLACE_PROVIDER"] == "error"
    assert by_column["URN"] == "warning"
    assert result.tables["Episodes"]["PLACE_PROVIDER"].to_list() == [None]


def test_missing_path_is_a_problem(tmp_path: Path):
    result = read_files([tmp_path / "nowhere"])
    assert result.problems[0].rule == "NWD-NO-FILE"


def test_blank_lines_keep_spreadsheet_row_numbers(tmp_path: Path):
    write(tmp_path, "2025-26/h.csv", "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nA1,M,01/04/2010,WBRI,,,\n,,,,,,\nA2,F,31/02/2011,WBRI,,,\n")
    result = read_files([tmp_path])
    assert result.tables["Header"]["_row"].to_list() == [2, 4]
    assert result.problems[0].row == 4


def test_windows_1252_file_is_read_with_a_notice(tmp_path: Path):
    path = tmp_path / "2025-26" / "h.csv"
    path.parent.mkdir()
    path.write_bytes("CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nA\xe91,M,01/04/2010,WBRI,,,\n".encode("cp1252"))
    result = read_files([tmp_path])
    assert result.tables["Header"]["CHILD"].to_list() == ["A\u00e91"]
    assert any("Windows-1252" in n for n in result.notices)


@pytest.mark.parametrize(("name", "year"), [
    ("Episodes_2024-25.csv", "2024-25"), ("903 202425 episodes.csv", "2024-25"), ("x_2024_2025.csv", "2024-25"),
    ("Episodes.csv", None), ("Episodes2024.csv", None),
])
def test_year_from_name(name: str, year: str | None):
    assert year_from_name(Path("/data") / name) == year


def test_year_from_folder_name():
    assert year_from_name(Path("/data/2023-24/Episodes.csv")) == "2023-24"


def test_year_from_year_column_text():
    assert year_from_text("2025") == "2024-25"
    assert year_from_text("2024/25") == "2024-25"
    assert year_from_text("2024-2025") == "2024-25"
    assert year_from_text("next year") is None


def test_year_from_contents_then_from_other_files(tmp_path: Path):
    write(tmp_path, "ret/Episodes.csv", EPISODES)
    write(tmp_path, "ret/Header.csv", HEADER)
    result = read_files([tmp_path / "ret"])
    assert result.tables["Episodes"]["_year"].unique().to_list() == ["2025-26"]
    assert result.tables["Header"]["_year"].unique().to_list() == ["2025-26"]
    assert {f.table: f.year_from for f in result.files} == {"Episodes": "dates", "Header": "episodes"}


def test_year_given_by_caller_wins(tmp_path: Path):
    write(tmp_path, "2023-24/Episodes.csv", EPISODES)
    result = read_files([tmp_path], collection_year="2025-26")
    assert result.years == ["2025-26"]


def test_year_column_with_several_years_gives_each_row_its_year(tmp_path: Path):
    write(tmp_path, "all/h.csv", "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB,YEAR\nA1,1,01/04/2010,WBRI,,,,2024\nA1,M,01/04/2010,WBRI,,,,2025\n")
    result = read_files([tmp_path])
    assert result.tables["Header"]["_year"].to_list() == ["2023-24", "2024-25"]


def test_unknown_year_is_a_problem(tmp_path: Path):
    write(tmp_path, "a/Header.csv", HEADER)
    [problem] = read_files([tmp_path]).problems
    assert problem.rule == "NWD-YEAR"
    assert problem.message.startswith("Header.csv: could not tell which collection year")


def test_bad_year_given_is_refused_in_plain_words(tmp_path: Path):
    with pytest.raises(ValueError, match="write it like 2025-26"):
        read_files([tmp_path], collection_year="2025")


def test_leading_quote_from_formula_guard_is_dropped(tmp_path: Path):
    write(tmp_path, "2025-26/Header.csv", "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n'=A1,M,01/04/2010,WBRI,,,\n")
    assert read_files([tmp_path]).tables["Header"]["CHILD"].to_list() == ["=A1"]


XML = """\
<?xml version="1.0" encoding="UTF-8"?>
<EXPSSDA903>
  <CHILD>
    <HEADER>
      <CHILDID>A1</CHILDID>
      <SEX>M</SEX>
      <DOB>2010-06-01</DOB>
      <ETHNIC>WBRI</ETHNIC>
      <UPN>UN1</UPN>
      <UASC>1</UASC>
      <DUC>2028-06-01</DUC>
      <AMISSING>
        <MISSING>M</MISSING>
        <MIS_START>2025-07-03</MIS_START>
        <MIS_END>2025-07-04</MIS_END>
      </AMISSING>
      <AREVIEW>
        <REVIEW>2025-08-01</REVIEW>
        <REVIEW_CODE>PN1</REVIEW_CODE>
      </AREVIEW>
    </HEADER>
    <EPISODE>
      <DECOM>2025-04-01</DECOM>
      <RNE>S</RNE>
      <LS>C2</LS>
      <CIN>N1</CIN>
      <PL>U4</PL>
      <PLACE_PROVIDER>PR1</PLACE_PROVIDER>
      <DEC>2025-06-01</DEC>
      <REC>X1</REC>
    </EPISODE>
    <EPISODE>
      <DECOM>2025-06-01</DECOM>
      <RNE>P</RNE>
      <LS>C2</LS>
      <CIN>N1</CIN>
      <PL>K2</PL>
      <PLACE_PROVIDER>PR4</PLACE_PROVIDER>
    </EPISODE>
  </CHILD>
</EXPSSDA903>
"""


def test_xml_form_is_read_into_the_same_tables(tmp_path: Path):
    write(tmp_path, "return 2025-26.xml", XML)
    result = read_files([tmp_path])
    assert result.problems == []
    assert set(result.tables) == {"Header", "Episodes", "Missing", "Reviews", "UASC"}
    episodes = result.tables["Episodes"]
    assert episodes["PLACE"].to_list() == ["U4", "K2"]
    assert episodes["CHILD"].to_list() == ["A1", "A1"]
    assert episodes["DEC"].to_list() == [dt.date(2025, 6, 1), None]
    assert episodes["_row"].to_list() == [22, 32]  # the lines the EPISODE elements start on
    assert result.tables["Missing"]["DOB"].to_list() == [dt.date(2010, 6, 1)]
    assert result.tables["UASC"]["DUC"].to_list() == [dt.date(2028, 6, 1)]


def test_broken_xml_and_doctype_are_problems(tmp_path: Path):
    write(tmp_path, "2025-26/a.xml", "<EXPSSDA903><CHILD></EXPSSDA903>")
    write(tmp_path, "2025-26/b.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><EXPSSDA903/>')
    problems = read_files([tmp_path]).problems
    assert [p.rule for p in problems] == ["NWD-XML", "NWD-XML"]
    assert "not well-formed XML" in problems[0].message
    assert "DOCTYPE" in problems[1].message


def test_combine_and_empty_table(tmp_path: Path):
    write(tmp_path, "a/Header.csv", HEADER)
    write(tmp_path, "b/Header.csv", HEADER)
    both = combine([read_files([tmp_path / "a"], "2024-25"), read_files([tmp_path / "b"], "2025-26")])
    assert both.years == ["2024-25", "2025-26"]
    assert empty_table("Episodes").schema["DEC"] == pl.Date


def test_month_first_date_gets_a_hint(tmp_path: Path):
    write(tmp_path, "Header 2025-26.csv", "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nA1,M,04/13/2010,WBRI,,,\n")
    [problem] = read_files([tmp_path]).problems
    assert problem.message == (
        "Header 2025-26.csv row 2, DOB '04/13/2010': not a real date (is it written month first? "
        "The 903 writes the day first: dd/mm/yyyy) (rule 102)"
    )
