"""The spreadsheet: every table of the report, one sheet each, with the definitions and the settings.

Numbers are written as numbers (with percentage and pound formats), so analysts can work with them.
Every text cell goes through ``nwd.exports.escape_cell``: a label that starts with "=" or "-" would
otherwise be taken for a formula by openpyxl and by whoever opens the file.
"""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from nwd.evaluation.registry import indicators
from nwd.evaluation.report.build import Report
from nwd.exports import escape_cell

PERCENT = "0.0%"
POUNDS = '"£"#,##0'
BOLD = Font(bold=True)


def _sheet_name(key: str, used: set[str]) -> str:
    """An Excel sheet name (31 characters at most, no []:*?/\\), unique in the workbook."""
    name = re.sub(r"[\[\]:*?/\\]", "", key)[:31]
    base, n = name, 2
    while name in used:
        suffix = f" {n}"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(name)
    return name


def _write(sheet, row: int, values: list, bold: bool = False) -> None:
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column, value=escape_cell(_plain(value)))
        if bold:
            cell.font = BOLD


def _plain(value):
    """Numpy numbers and NaN as plain Python (an empty cell for NaN)."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def render_xlsx(report: Report) -> bytes:
    """The report as XLSX bytes."""
    book = Workbook()
    about = book.active
    about.title = "About"
    _write(about, 1, [report.title], bold=True)
    facts = [
        ("Period from", report.period.date_from),
        ("Period to", report.period.date_to),
        ("Covering", report.period.hub_name or "The whole service"),
        ("Records as at", report.as_of),
        ("Service began", report.go_live),
        ("Produced", report.generated_at.replace(tzinfo=None)),
        ("Savings target (£)", report.settings.savings_target),
        ("Target year", report.settings.target_years),
        ("Before-and-after window (months)", report.settings.window_months),
        ("Trial follow-up (months)", report.settings.trial_months),
        ("Contents", "Aggregate figures only: no names or identifiers of young people."),
    ]
    for i, (label, value) in enumerate(facts, start=3):
        _write(about, i, [label, value])
        if isinstance(value, float):
            about.cell(row=i, column=2).number_format = POUNDS
    row = len(facts) + 4
    _write(about, row, ["Records", "Taken as complete from"], bold=True)
    for source, day in sorted(report.coverage.items()):
        row += 1
        _write(about, row, [source, day])
    row += 2
    _write(about, row, ["Summary"], bold=True)
    for paragraph in report.summary:
        row += 1
        _write(about, row, [paragraph])
    _widths(about, [34, 60])

    used = {"About", "Definitions"}
    contents = []
    for section in report.sections:
        for figure in section.figures:
            if not figure.show_in_xlsx:
                continue
            sheet = book.create_sheet(_sheet_name(figure.key, used))
            contents.append((sheet.title, section.title, figure.title))
            _write(sheet, 1, [figure.title], bold=True)
            _write(sheet, 2, [f"{section.title}{' (whole council)' if figure.scope == 'council' else ''}"])
            _write(sheet, 4, figure.columns, bold=True)
            for r, values in enumerate(figure.rows, start=5):
                _write(sheet, r, values)
                for c, value in enumerate(values[1:], start=2):
                    if not isinstance(_plain(value), (int, float)):
                        continue
                    title = figure.columns[c - 1]
                    if title in figure.percent_columns or values[0] in figure.percent_rows:
                        sheet.cell(row=r, column=c).number_format = PERCENT
                    elif title in figure.money_columns or str(values[0]).endswith("(£)"):
                        sheet.cell(row=r, column=c).number_format = POUNDS
            r = len(figure.rows) + 6
            for note in figure.notes:
                _write(sheet, r, [note])
                r += 1
            if figure.indicator:
                _write(sheet, r + 1, [f"Definition: see '{figure.indicator}' on the Definitions sheet."])
            sheet.freeze_panes = "B5"
            _widths(sheet, [40] + [16] * (len(figure.columns) - 1))
            for cell in sheet[4]:
                cell.alignment = Alignment(wrap_text=True, vertical="bottom")

    definitions = book.create_sheet("Definitions")
    _write(definitions, 1, ["Key", "Indicator", "Kind", "Definition", "Window", "Who is counted", "Left out",
                            "For comparison"], bold=True)

    for r, entry in enumerate(indicators().values(), start=2):
        _write(definitions, r, [entry.key, entry.title, entry.kind.replace("_", " "), entry.definition, entry.window,
                                entry.counted, entry.excluded, entry.evidence])
    _widths(definitions, [22, 30, 12, 80, 40, 40, 40, 30])
    for line in definitions.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    index = book.create_sheet("Contents", 1)
    _write(index, 1, ["Sheet", "Section", "Table"], bold=True)
    for r, values in enumerate(contents, start=2):
        _write(index, r, list(values))
    _widths(index, [32, 34, 70])

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _widths(sheet, widths: list[int]) -> None:
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
