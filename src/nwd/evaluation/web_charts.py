"""The report's charts for a web page: the same SVG as the PDF's, made safe to inline and accessible.

Why not simply inline ``nwd.evaluation.report.charts.svg``: matplotlib styles every element with a
``style`` attribute and a ``<style>`` element, and the site's content security policy
(``style-src 'self'``) forbids both, so the browser would draw the charts unstyled (black) and
report a violation per element. Every property matplotlib writes is also an SVG presentation
attribute, so each ``style="fill: #1d70b8; stroke-width: 0.8"`` becomes ``fill="#1d70b8"
stroke-width="0.8"``: the same picture, no inline CSS.

Why inline rather than ``<img>``: the chart gets a ``<title>`` and ``<desc>`` that screen readers
announce (``role="img"``, ``aria-labelledby``), it prints sharp, and its words stay text. The numbers
themselves are in a table under each chart (``data_table``), because a picture of numbers is not
an alternative to them.
"""

from __future__ import annotations

from nwd.core.charts import for_the_page
from nwd.evaluation.figures import Chart
from nwd.evaluation.formatting import number, pounds
from nwd.evaluation.report.charts import svg
from nwd.evaluation.report.pdf import _drawable

# Inches: narrower than the PDF's 6.8, so that the chart's 8-point words come out near 13 pixels
# when the page scales it to the width of its column (about 48em).
WIDTH = 5.6
KINDS = {"bar": "Bar chart", "stacked": "Stacked bar chart", "line": "Line chart"}


def describe(chart: Chart) -> str:
    """One sentence a screen reader can say about the chart (the numbers are in the table under it)."""
    kind = KINDS.get(chart.kind, "Chart")
    series = list(chart.series)
    what = f"{chart.y_label}" if chart.y_label else "values"
    if len(series) > 1:
        what += f" ({', '.join(series)})"
    n = len(chart.categories)
    span = f"{chart.categories[0]} to {chart.categories[-1]}" if n > 1 else (chart.categories[0] if n else "")
    return f"{kind} of {what} for {n} categories, {span}. The numbers are in the table that follows."


def inline_svg(chart: Chart, title: str, prefix: str, width: float = WIDTH) -> str:
    """The chart as an ``<svg>`` element for the page: no inline CSS, with a title and a description."""
    return for_the_page(svg(chart, width=width, prefix=prefix), prefix, title, describe(chart))


def data_table(chart: Chart, category_heading: str) -> tuple[list[str], list[list[str]]]:
    """The chart's numbers as a table: a row per category, a column per series, written as text."""
    write = (lambda value: pounds(value)) if chart.money else number
    header = [category_heading, *chart.series]
    rows = []
    for i, category in enumerate(chart.categories):
        rows.append([category, *(write(_plain(values[i])) for values in chart.series.values())])
    return header, rows


def _plain(value):
    return value.item() if hasattr(value, "item") else value



def drawable(chart: Chart | None) -> bool:
    """Whether a chart has something to draw: the PDF's rule, so the page and the PDF show the same charts."""
    return _drawable(chart)
