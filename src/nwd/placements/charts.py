"""The sufficiency page's charts as inline SVG: drawn with matplotlib's object API, styled and made
fit for the page by ``nwd.core.charts`` (no inline CSS, a title and a description); the numbers are
in a table under each chart."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib import rc_context
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from nwd.core.charts import STYLE, figure_svg, for_the_page

IN_HOUSE, EXTERNAL, NONE = "#1d70b8", "#505a5f", "#b1b4b6"  # GOV.UK blue, dark grey, mid grey
WITHOUT, WITH = "#505a5f", "#1d70b8"
WIDTH = 5.6
RC: Any = STYLE  # matplotlib's stubs want literal keys; STYLE is the shared dict of them


def _figure(height: float) -> tuple[Figure, Any]:
    figure = Figure(figsize=(WIDTH, height), layout="constrained")
    FigureCanvasSVG(figure)
    return figure, figure.add_subplot()


def placed_now(groups: list[dict[str, Any]]) -> str:
    """Children placed now in each group: in-house, external and no provider, stacked bars."""
    shown = [g for g in groups if g["children"]]
    labels = [g["label"] for g in shown][::-1]
    with rc_context(RC):
        figure, axes = _figure(0.35 * max(3, len(shown)) + 0.9)
        left = np.zeros(len(shown))
        for key, colour, name in (("in_house", IN_HOUSE, "In-house"), ("external", EXTERNAL, "External"),
                                  ("no_provider", NONE, "No provider")):
            values = np.array([g[key] for g in shown][::-1], dtype=float)
            axes.barh(labels, values, left=left, color=colour, label=name, height=0.6)
            left += values
        axes.set_xlabel("Children placed now")
        axes.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:,.0f}"))
        axes.grid(True, axis="x", color="#b1b4b6", linewidth=0.5)
        axes.set_axisbelow(True)
        figure.legend(frameon=False, fontsize=7, loc="outside lower center", ncols=3)
    total = sum(g["children"] for g in shown)
    biggest = max(shown, key=lambda g: g["children"]) if shown else None
    desc = (f"Bar chart of the {total:,} children placed now, by placement group, split into in-house, external "
            "and no provider." + (f" The largest group is {biggest['label']} with {biggest['children']:,}."
                                  if biggest else "") + " The numbers are in the table that follows.")
    return for_the_page(figure_svg(figure, "suff-now"), "suff-now", "Children placed now, by placement group", desc)


def places_needed(projection: dict[str, Any], groups: tuple[str, ...], prefix: str, title: str) -> str:
    """Places needed at the end of each year in ``groups`` together, without and with the service."""
    chosen = [g for g in projection["groups"] if g["group"] in groups]
    years = projection["years"]
    x = np.arange(1, years + 1)
    without = np.array([sum(g["by_year"][y]["without_service"]["places"] for g in chosen) for y in range(years)])
    with_ = np.array([sum(g["by_year"][y]["with_service"]["places"] for g in chosen) for y in range(years)])
    with rc_context(RC):
        figure, axes = _figure(2.8)
        axes.plot(x, without, color=WITHOUT, marker="o", markersize=3, linewidth=1.8, label="Without the service")
        axes.plot(x, with_, color=WITH, marker="s", markersize=3, linewidth=1.8, linestyle=(0, (4, 2)),
                  label="With the service")
        axes.set_xticks(x, [str(v) for v in x])
        axes.set_xlabel("End of year")
        axes.set_ylabel("Places needed")
        axes.set_ylim(bottom=0)
        axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:,.0f}"))
        axes.grid(True, axis="y", color="#b1b4b6", linewidth=0.5)
        axes.set_axisbelow(True)
        figure.legend(frameon=False, fontsize=7, loc="outside lower center", ncols=2)
    desc = (f"Line chart of the places needed at the end of each of {years} years. Without the service "
            f"{without[0]:,.0f} in year 1 and {without[-1]:,.0f} in year {years}; with the service "
            f"{with_[0]:,.0f} and {with_[-1]:,.0f}. The numbers are in the table that follows.")
    return for_the_page(figure_svg(figure, prefix), prefix, title, desc)
