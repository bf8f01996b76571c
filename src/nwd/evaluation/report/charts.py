"""Charts for the PDF: matplotlib drawn straight to SVG text, inlined in the page.

Why SVG with text kept as text: it stays sharp when printed, the PDF's words (axis labels, legend)
can be searched and read by a screen reader, and nothing is fetched from anywhere. The object API
(``matplotlib.figure.Figure``) is used rather than pyplot, so charts drawn in a web request keep no
global state between requests. Colours are the GOV.UK Design System's, which keep their contrast in
print.
"""

from __future__ import annotations

import numpy as np
from matplotlib import rc_context
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure as MplFigure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from nwd.core.charts import STYLE, figure_svg, money_label
from nwd.evaluation.figures import Chart

COLOURS = ["#1d70b8", "#f47738", "#00703c", "#4c2c92", "#d4351c", "#28a197", "#b58840", "#f499be",
           "#85994b", "#6f72af", "#505a5f"]


def svg(chart: Chart, width: float = 6.8, height: float | None = None, prefix: str = "chart") -> str:
    """The chart as an ``<svg>`` element (inches for size), ready to inline in HTML.

    Every id inside is prefixed with ``prefix``, so several charts on one page keep their own
    markers and clip paths (matplotlib numbers them the same way in each chart).
    """
    n = len(chart.categories)
    if height is None:
        height = max(2.2, min(6.5, 0.28 * n * max(1, len(chart.series)) + 0.9)) if chart.horizontal else 2.8
    legend_below = chart.kind in ("stacked", "line") and len(chart.series) > 1
    if legend_below:
        height += 0.25 * np.ceil(len(chart.series) / 3)
    with rc_context(STYLE):
        figure = MplFigure(figsize=(width, height), layout="constrained")
        FigureCanvasSVG(figure)
        axes = figure.add_subplot()
        _draw(axes, chart)
        axes.set_axisbelow(True)
        value_axis = axes.xaxis if chart.horizontal else axes.yaxis
        value_axis.grid(True, color="#b1b4b6", linewidth=0.5)
        if chart.money:
            value_axis.set_major_formatter(FuncFormatter(money_label))
        if legend_below:
            figure.legend(frameon=False, fontsize=7, loc="outside lower center", ncols=3)
        elif len(chart.series) > 1:
            axes.legend(frameon=False, fontsize=7, loc="best")
        return figure_svg(figure, prefix)


def _draw(axes, chart: Chart) -> None:
    categories = chart.categories
    positions = np.arange(len(categories))
    names = list(chart.series)
    if chart.kind == "line":
        for i, name in enumerate(names):
            axes.plot(positions, chart.series[name], color=COLOURS[i % len(COLOURS)], linewidth=1.5, label=name)
        axes.set_ylim(bottom=0)
        _sparse_ticks(axes, categories)
        axes.set_ylabel(chart.y_label)
        return
    if chart.kind == "stacked" and len(categories) > 20:
        # Many categories (weeks): a stacked area reads better than a forest of thin bars.
        values = [np.asarray(chart.series[name], dtype=float) for name in names]
        axes.stackplot(positions, *values, labels=names, colors=[COLOURS[i % len(COLOURS)] for i in range(len(names))],
                       linewidth=0)
        _sparse_ticks(axes, categories)
        axes.set_ylabel(chart.y_label)
        return
    if chart.kind == "stacked":
        bottom = np.zeros(len(categories))
        for i, name in enumerate(names):
            values = np.asarray(chart.series[name], dtype=float)
            axes.bar(positions, values, bottom=bottom, color=COLOURS[i % len(COLOURS)], label=name,
                     width=0.85, linewidth=0)
            bottom += values
        _sparse_ticks(axes, categories)
        axes.set_ylabel(chart.y_label)
        return
    width = 0.8 / max(1, len(names))
    for i, name in enumerate(names):
        offset = (i - (len(names) - 1) / 2) * width
        values = np.asarray(chart.series[name], dtype=float)
        if chart.horizontal:
            axes.barh(positions + offset, values, height=width, color=COLOURS[i % len(COLOURS)], label=name)
        else:
            axes.bar(positions + offset, values, width=width, color=COLOURS[i % len(COLOURS)], label=name)
    if chart.horizontal:
        axes.set_yticks(positions, categories)
        axes.invert_yaxis()
        axes.set_xlabel(chart.y_label)
        axes.xaxis.set_major_locator(MaxNLocator(integer=not chart.money, nbins=6))
    else:
        axes.set_xticks(positions, categories, rotation=30, ha="right")
        axes.set_ylabel(chart.y_label)


def _sparse_ticks(axes, categories: list[str], most: int = 12) -> None:
    step = max(1, int(np.ceil(len(categories) / most)))
    ticks = list(range(0, len(categories), step))
    axes.set_xticks(ticks, [categories[i] for i in ticks], rotation=30, ha="right")
    axes.set_xlim(-0.6, len(categories) - 0.4)
