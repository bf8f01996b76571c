"""Writing rows to a spreadsheet safely, for the forecast's XLSX report.

Every text cell goes through ``nwd.exports.escape_cell`` (the project's one rule for cells that a
spreadsheet would run as a formula: = + - @ at the start get a leading quote), so a scenario name
or a council's child id typed as "=HYPERLINK(...)" stays text. Numbers stay numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from nwd.exports import escape_cell


def safe_row(values: Iterable[object]) -> list[object]:
    """The row with every text cell escaped."""
    return [escape_cell(v) for v in values]


def write_rows(sheet: Any, rows: Iterable[Iterable[object]], widths: dict[str, float] | None = None) -> None:
    """Append ``rows`` to an openpyxl worksheet, escaped, with optional column widths."""
    for row in rows:
        sheet.append(safe_row(row))
    for column, width in (widths or {}).items():
        sheet.column_dimensions[column].width = width
