"""Helpers every export of the project shares (CSV files, spreadsheets, reports).

Kept at the top of the package and free of Django so that the pure engines (the SSDA903 writer, the
forecast) and the web views call the same code.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: object) -> object:
    """A cell value made safe to open in a spreadsheet: text starting = + - @ (or a tab or carriage
    return) gets a leading single quote.

    Why: Excel, LibreOffice and Google Sheets run a cell that starts with one of these as a formula
    when a CSV is opened, so a name or free-text note typed as ``=HYPERLINK(...)`` or
    ``=cmd|'/c calc'!A1`` would act on the machine of whoever opens the export ("CSV injection",
    OWASP). The quote makes the spreadsheet show the text as text. Numbers, dates and None are
    returned unchanged, so a negative number stays a number; only strings are touched.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
