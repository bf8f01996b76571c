"""Turning the text of a 903 cell into the value the rest of the code works with.

Kept apart from the reader so that the XML form, the CSV form and any later source (a
spreadsheet, a council's own extract) clean values by the same rules:

- dates as the DfE writes them (dd/mm/yyyy), as councils' own extracts often hold them
  (yyyy-mm-dd), with a time of midnight that spreadsheets add, and with - or . between the parts
  (``parse_date``: the one SSDA903 date parser, used by the reader and the forecast's inputs alike);
- codes trimmed and upper-cased ("e4a " is "E4A");
- a blank or spaces-only cell is null.
"""

from __future__ import annotations

import polars as pl

from nwd.returns.schema import DATE_COLUMNS, VERBATIM_COLUMNS

_TIME_SUFFIX = r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$"
_DAY_FIRST = r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{4}$"
_ISO = r"^\d{4}-\d{1,2}-\d{1,2}$"
# What parse_date accepts, as a data officer would be told it (docs/ssda903.md says the same).
ACCEPTED_DATE_FORMS = ("dd/mm/yyyy", "d/m/yyyy", "dd-mm-yyyy", "dd.mm.yyyy", "yyyy-mm-dd")


def trimmed(column: str | pl.Expr) -> pl.Expr:
    """The cell trimmed, with blanks as null.

    A leading single quote before = + - @ is dropped: it is the guard ``nwd.exports.escape_cell``
    puts on cells a spreadsheet would run as formulas, so a file the writer made reads back as the
    values it was made from.
    """
    cell = pl.col(column) if isinstance(column, str) else column
    text = cell.str.strip_chars().str.replace(r"^'([=+\-@])", "$1")
    return pl.when(text == "").then(None).otherwise(text)


def date_text(column: str | pl.Expr) -> pl.Expr:
    """The date part of a cell: trimmed, a trailing time of day removed."""
    return trimmed(column).str.replace(_TIME_SUFFIX, "")


def looks_like_date(column: str) -> pl.Expr:
    """Whether the text has the shape of a date in one of the accepted forms."""
    text = date_text(column)
    return text.str.contains(_DAY_FIRST) | text.str.contains(_ISO)


def parse_date(column: str | pl.Expr) -> pl.Expr:
    """The cell (a column's name, or an expression of text) as a date, null if blank or not a real
    date in an accepted form (``ACCEPTED_DATE_FORMS``).

    The one SSDA903 date parser: the reader and the forecast's inputs both read dates with it, so a
    file the import accepts is one the forecast reads the same way.
    """
    text = date_text(column)
    day_first = text.str.replace_all(r"[.-]", "/").str.strptime(pl.Date, "%d/%m/%Y", strict=False)
    iso = text.str.strptime(pl.Date, "%Y-%m-%d", strict=False)
    return (
        pl.when(text.str.contains(_DAY_FIRST))
        .then(day_first)
        .when(text.str.contains(_ISO))
        .then(iso)
        .otherwise(None)
    )


def clean_code(column: str) -> pl.Expr:
    """A code cell trimmed and upper-cased, blanks null."""
    return trimmed(column).str.to_uppercase()


def clean_column(column: str) -> pl.Expr:
    """The cleaning that fits a 903 column, keeping its name."""
    if column in DATE_COLUMNS:
        return parse_date(column).alias(column)
    if column in VERBATIM_COLUMNS:
        return trimmed(column).alias(column)
    return clean_code(column).alias(column)
