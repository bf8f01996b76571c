"""A figure of the report: a table, an optional chart, and the young people behind each row.

One shape for every figure so the PDF, the spreadsheet and the dashboard render them the same way.
The table holds aggregates only. The young people behind a figure are kept beside it as database
ids (never names or council child ids) so that the dashboard can link each row to its list, within
the viewer's permissions; the PDF and the spreadsheet never print them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class Chart:
    """What to draw: categories along one axis and one or more series of numbers.

    ``bar``: grouped bars; ``stacked``: stacked bars; ``line``: lines over categories (dates).
    """

    kind: Literal["bar", "stacked", "line"]
    categories: list[str]
    series: dict[str, list[float]]
    y_label: str
    horizontal: bool = False
    money: bool = False


@dataclass
class Figure:
    key: str
    title: str
    indicator: str | None
    columns: list[str]
    rows: list[list[Any]]
    people: dict[str, tuple[int, ...]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    chart: Chart | None = None
    headline: dict[str, Any] = field(default_factory=dict)
    scope: Literal["service", "council"] = "service"
    # Columns the dashboard and the PDF format as percentages or pounds (by column title).
    percent_columns: tuple[str, ...] = ()
    money_columns: tuple[str, ...] = ()
    # Rows whose numbers are percentages (for tables laid out one measure per row).
    percent_rows: tuple[str, ...] = ()
    show_in_pdf: bool = True
    show_in_xlsx: bool = True

    def row(self, label: str) -> list[Any]:
        for row in self.rows:
            if row[0] == label:
                return row
        raise KeyError(f"{self.key} has no row {label!r}")

    def value(self, row: str, column: str) -> Any:
        return self.row(row)[self.columns.index(column)]


def ids(values) -> tuple[int, ...]:
    """Young person ids as a sorted tuple of plain ints, for ``Figure.people``."""
    return tuple(sorted({int(v) for v in values}))


def share(part: float, whole: float) -> float | None:
    """``part / whole`` as a fraction, or None when there is nobody to share among."""
    return None if not whole else part / whole


@dataclass(frozen=True)
class Period:
    """The reporting period, inclusive at both ends, optionally for one hub.

    The last day is also the as-of date: records dated after it are left out. ``support_from`` is
    where the before-and-after cohort begins (default: the start of the period): an annual report
    can compare everyone whose support began since the service did, not only those who started this
    year and so cannot yet have a full year after.
    """

    date_from: Any
    date_to: Any
    hub_id: int | None = None
    hub_name: str | None = None
    support_from: Any = None

    @property
    def cohort_from(self):
        return self.support_from or self.date_from

    def __post_init__(self):
        if self.date_to < self.date_from:
            raise ValueError("The end of the period must be on or after its start.")
