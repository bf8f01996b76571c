"""One SSDA903 date parser (``nwd.returns.values.parse_date``): the forms it accepts and refuses,
and its two callers, the return's reader and the forecast's inputs, reading every form alike."""

import datetime as dt

import polars as pl
import pytest

from nwd.forecast.inputs import _as_date
from nwd.returns.values import ACCEPTED_DATE_FORMS, clean_column, looks_like_date, parse_date

DAY = dt.date(2010, 3, 27)

ACCEPTED = [
    ("27/03/2010", DAY),  # dd/mm/yyyy: the DfE's form
    ("7/3/2010", dt.date(2010, 3, 7)),  # d/m/yyyy
    ("27-03-2010", DAY),  # dd-mm-yyyy
    ("27.03.2010", DAY),  # dd.mm.yyyy
    ("2010-03-27", DAY),  # yyyy-mm-dd: councils' own extracts
    ("27/03/2010 00:00", DAY),  # with the time of midnight a spreadsheet adds
    ("27/03/2010 00:00:00", DAY),
    ("2010-03-27T00:00:00", DAY),
    ("2010-03-27 00:00:00.000", DAY),
    ("  27/03/2010 ", DAY),  # spaces around
]
REFUSED = [
    "27/03/10",  # a two-digit year
    "2010/03/27",  # year first with slashes
    "27 March 2010",  # words
    "27 03 2010",
    "20100327",
    "03/27/2010",  # month first: no month 27
    "31/02/2010",  # the right shape, not a real date
    "2010-02-30",
    "yesterday",
    "",
    "   ",
]


def _parsed(values: list[str | None]) -> list[dt.date | None]:
    return pl.DataFrame({"DECOM": values}, schema={"DECOM": pl.Utf8}).select(parse_date("DECOM").alias("d"))["d"].to_list()


def test_the_accepted_forms_are_the_ones_the_docs_name():
    assert ACCEPTED_DATE_FORMS == ("dd/mm/yyyy", "d/m/yyyy", "dd-mm-yyyy", "dd.mm.yyyy", "yyyy-mm-dd")


@pytest.mark.parametrize(("text", "expected"), ACCEPTED)
def test_accepted_form(text, expected):
    assert _parsed([text]) == [expected]


@pytest.mark.parametrize("text", REFUSED)
def test_refused_form(text):
    assert _parsed([text]) == [None]


def test_real_shape_but_no_such_day_looks_like_a_date():
    """The reader tells "not a real date" (right shape) from "not a date" by ``looks_like_date``."""
    frame = pl.DataFrame({"DOB": ["31/02/2010", "27 March 2010", "27/03/2010"]})
    assert frame.select(looks_like_date("DOB").alias("d"))["d"].to_list() == [True, False, True]


def test_the_reader_and_the_forecast_read_every_form_alike():
    texts = [text for text, _ in ACCEPTED] + REFUSED + [None]
    frame = pl.DataFrame({"DECOM": texts}, schema={"DECOM": pl.Utf8})
    expected = [day for _, day in ACCEPTED] + [None] * (len(REFUSED) + 1)
    assert frame.select(clean_column("DECOM"))["DECOM"].to_list() == expected
    assert frame.select(_as_date(frame, "DECOM").alias("d"))["d"].to_list() == expected


def test_the_forecast_keeps_dates_that_arrive_as_dates():
    frame = pl.DataFrame({"DEC": [DAY, None]})
    assert frame.select(_as_date(frame, "DEC").alias("d"))["d"].to_list() == [DAY, None]
    stamped = pl.DataFrame({"DEC": [dt.datetime(2010, 3, 27, 0, 0)]})
    assert stamped.select(_as_date(stamped, "DEC").alias("d"))["d"].to_list() == [DAY]
