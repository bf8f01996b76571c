"""How numbers are written for people: pounds, percentages, counts. One place, so the PDF, the
summary and the dashboard write "£1.2m" and "86%" the same way."""

from __future__ import annotations

import math
from typing import Any

from nwd.evaluation.figures import Figure

DASH = "–"
# Columns whose percentages are changes, written with a sign: "+11%", "-7.3%".
SIGNED_COLUMNS = frozenset({"Change"})


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def pounds(value: float | None, short: bool = False) -> str:
    if _missing(value):
        return DASH
    sign = "-" if value < 0 else ""
    value = abs(value)
    if short and value >= 1_000_000:
        return f"{sign}£{value / 1_000_000:,.1f}m"
    if short and value >= 10_000:
        return f"{sign}£{value / 1000:,.0f}k"
    return f"{sign}£{value:,.0f}"


def percent(value: float | None) -> str:
    if _missing(value):
        return DASH
    scaled = value * 100
    if scaled != 0 and abs(scaled) < 10:
        return f"{scaled:.1f}%"
    return f"{scaled:.0f}%"


def number(value: Any) -> str:
    if _missing(value):
        return DASH
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value.is_integer():
            return f"{value:,.0f}"
        return f"{value:,.1f}" if abs(value) >= 1 or value == 0 else f"{value:,.2f}"
    return str(value)


def cell(figure: Figure, column: int, row: list[Any]) -> str:
    """One table cell as text: by the column's kind, or the row's for one-measure-per-row tables."""
    value = row[column]
    if column == 0:
        return str(value)
    title = figure.columns[column]
    if title in figure.percent_columns or row[0] in figure.percent_rows:
        text = percent(value)
        return f"+{text}" if title in SIGNED_COLUMNS and not _missing(value) and value > 0 else text
    if title in figure.money_columns or (isinstance(row[0], str) and row[0].endswith("(£)")):
        return pounds(value)
    return number(value)


def count(n: int, singular: str, plural: str | None = None) -> str:
    """'1 referral', '3 referrals', '1 young person', '2 young people'."""
    word = singular if n == 1 else (plural or singular + "s")
    return f"{number(n)} {word}"


def change(before: float | None, after: float | None) -> str:
    """'down 49%', 'up 5%', 'unchanged', for a summary sentence."""
    if _missing(before) or _missing(after):
        return "not comparable"
    if before == after:
        return "unchanged"
    if before == 0:
        return "up from none"
    ratio = (after - before) / before
    return f"{'down' if ratio < 0 else 'up'} {percent(abs(ratio))}"
