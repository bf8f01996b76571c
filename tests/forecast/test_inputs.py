"""Lenient reading: inconsistent rows are left out of the rates, counted, and explained."""

import datetime as dt

import polars as pl
import pytest

from nwd.forecast.inputs import InputError, clean_episodes, clean_spells

from .conftest import D, episodes

DOB = D(2010, 5, 1)


def reasons(found) -> dict[str, int]:
    return {e.reason: e.count for e in found}


def test_messy_rows_are_left_out_with_a_reason_each():
    frame = episodes(
        ("ok", DOB, D(2020, 1, 1), D(2020, 6, 1), "U6", "PR1", "E4A"),
        ("rec-no-dec", DOB, D(2020, 1, 1), None, "U6", "PR1", "E8"),
        ("backwards", DOB, D(2020, 3, 1), D(2020, 2, 1), "U6", "PR1", "E8"),
        ("bad-code", DOB, D(2020, 1, 1), D(2020, 2, 1), "Q9", "PR1", "E8"),
        ("bad-rec", DOB, D(2020, 1, 1), D(2020, 2, 1), "U6", "PR1", "E99"),
        ("no-dob", None, D(2020, 1, 1), D(2020, 2, 1), "U6", "PR1", "E8"),
        ("before-birth", D(2021, 1, 1), D(2020, 1, 1), D(2020, 2, 1), "U6", "PR1", "E8"),
        ("adult", D(2000, 1, 1), D(2019, 1, 1), D(2019, 2, 1), "U6", "PR1", "E8"),
        ("respite", DOB, D(2020, 1, 1), D(2020, 1, 3), "U6", "PR1", "E8", "S", "V3"),
        (None, DOB, D(2020, 1, 1), D(2020, 2, 1), "U6", "PR1", "E8"),
    )
    clean = clean_episodes(frame)
    assert clean.episodes["CHILD"].to_list() == ["ok"]
    assert clean.rows_read == 10
    assert reasons(clean.excluded) == {
        "has a reason ceased (REC) but no end date (DEC)": 1,
        "ends (DEC) before it starts (DECOM)": 1,
        "unknown placement code (PLACE)": 1,
        "unknown reason ceased (REC)": 1,
        "no date of birth (DOB), here or in the child's other rows": 1,
        "starts (DECOM) before the date of birth": 1,
        "starts (DECOM) on or after the 18th birthday": 1,
        "short breaks (LS V3, V4), which the DfE does not count as looked after": 1,
        "no child id (CHILD)": 1,
    }
    assert sum(e.count for e in clean.excluded) == 9


def test_examples_name_the_file_and_row_when_the_reader_gave_them():
    frame = episodes(
        ("a", DOB, D(2020, 1, 1), D(2020, 6, 1), "U6", "PR1", "E4A"),
        ("b", DOB, D(2020, 3, 1), D(2020, 2, 1), "U6", "PR1", "E8"),
    ).with_columns(pl.Series("_file", ["Episodes_2019-20.csv"] * 2), pl.Series("_row", [2, 3]))
    clean = clean_episodes(frame)
    (problem,) = clean.excluded
    assert problem.examples == ("Episodes_2019-20.csv row 3 (CHILD b)",)


def test_overlaps_duplicates_and_open_episodes_followed_by_others():
    frame = episodes(
        ("dup", DOB, D(2020, 1, 1), D(2020, 6, 1), "U6", "PR1", "E4A"),
        ("dup", DOB, D(2020, 1, 1), D(2020, 6, 1), "U6", "PR1", "E4A"),
        ("overlap", DOB, D(2020, 1, 1), D(2020, 6, 1), "U6", "PR1", "E8"),
        ("overlap", DOB, D(2020, 5, 1), D(2020, 9, 1), "K2", "PR4", "E8"),
        ("open", DOB, D(2020, 1, 1), None, "U6", "PR1", None),
        ("open", DOB, D(2021, 1, 1), D(2021, 3, 1), "U6", "PR1", "E8"),
    )
    clean = clean_episodes(frame)
    kept = clean.episodes.select("CHILD", "DECOM").rows()
    assert kept == [("dup", D(2020, 1, 1)), ("open", D(2021, 1, 1)), ("overlap", D(2020, 1, 1))]
    assert reasons(clean.excluded) == {
        "starts the same day (DECOM) as another episode of the child": 1,
        "starts (DECOM) before the child's previous episode ended (DEC)": 1,
        "open (no DEC) but the child has a later episode": 1,
    }


def test_a_blank_date_of_birth_is_taken_from_the_childs_other_rows():
    frame = episodes(
        ("a", DOB, D(2020, 1, 1), D(2020, 3, 1), "U6", "PR1", "X1"),
        ("a", None, D(2020, 3, 1), D(2020, 6, 1), "U6", "PR1", "E8", "L"),
    )
    clean = clean_episodes(frame)
    assert clean.episodes["DOB"].to_list() == [DOB, DOB]
    assert any("blank but given" in e.reason for e in clean.adjusted)


def test_dates_given_as_text_are_read_and_bad_ones_reported():
    frame = pl.DataFrame({
        "CHILD": ["a", "b"], "DOB": ["01/05/2010", "2010-05-01"], "DECOM": ["2020-01-01", "01/01/2020"],
        "DEC": ["01/03/2020 00:00", "31/02/2020"], "REC": ["E8", "E8"], "PLACE": ["U6", "U6"],
        "PLACE_PROVIDER": ["PR1", "PR1"],
    })
    clean = clean_episodes(frame)
    assert clean.episodes.select("CHILD", "DOB", "DEC").rows() == [("a", DOB, D(2020, 3, 1))]
    assert reasons(clean.excluded) == {"has a reason ceased (REC) but no end date (DEC)": 1}


def test_episodes_after_the_data_date_are_cut_there():
    frame = episodes(
        ("a", DOB, D(2020, 1, 1), D(2021, 6, 1), "U6", "PR1", "E8"),
        ("b", DOB, D(2021, 2, 1), None, "U6", "PR1", None),
    )
    clean = clean_episodes(frame, as_of=D(2021, 1, 31))
    assert clean.episodes.select("CHILD", "DEC", "REC").rows() == [("a", None, None)]
    assert clean.as_of == D(2021, 1, 31)
    assert any(e.reason.startswith("starts after 31/01/2021") for e in clean.excluded)
    assert any(e.reason.startswith("ends after 31/01/2021") for e in clean.adjusted)


def test_a_missing_column_or_nothing_usable_stops_with_a_plain_message():
    frame = episodes(("a", DOB, D(2020, 1, 1), D(2020, 3, 1), "U6", "PR1", "E8"))
    with pytest.raises(InputError, match="no column PLACE"):
        clean_episodes(frame.drop("PLACE"))
    with pytest.raises(InputError, match="none of the 1 episodes can be used"):
        clean_episodes(frame.with_columns(pl.lit("Q9").alias("PLACE")))


def test_spells_overlapping_are_merged_and_bad_ones_left_out():
    spells = pl.DataFrame(
        {
            "CHILD": ["a", "a", "b", "c"],
            "DOB": [DOB, DOB, DOB, None],
            "START": [D(2021, 1, 1), D(2021, 3, 1), D(2021, 5, 1), D(2021, 1, 1)],
            "END": [D(2021, 4, 1), None, D(2021, 4, 1), None],
        }
    )
    clean = clean_spells(spells, as_of=D(2022, 3, 31))
    assert clean.spells.select("CHILD", "START", "END").rows() == [("a", D(2021, 1, 1), None)]
    assert reasons(clean.excluded) == {"ends (END) before it starts (START)": 1, "no date of birth (DOB)": 1}
    assert clean.adjusted[0].count == 1


def test_a_synthetic_messy_extract_is_read_with_every_fault_reported(messy_county):
    clean = clean_episodes(messy_county.episodes)
    left_out = sum(e.count for e in clean.excluded)
    assert left_out > 0
    assert clean.episodes.height + left_out == messy_county.episodes.height
    assert all(e.examples for e in clean.excluded)
    assert clean.as_of <= dt.date(2024, 3, 31)
