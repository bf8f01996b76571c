"""The forecast's fan charts as inline SVG for the page: no script, no inline CSS, with a title and a
description a screen reader announces (the numbers themselves are in a table under each chart).

Drawn by matplotlib's object API (no global state between requests), styled like the evaluation's
charts (``nwd.core.charts.STYLE``: GOV.UK colours, text kept as text), and passed
through ``nwd.core.charts.for_the_page`` (no inline CSS) so that the site's content security policy
(no ``style`` attributes or elements) draws them as meant.
"""

from __future__ import annotations

import textwrap

import numpy as np
from matplotlib import rc_context
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from nwd.core.charts import STYLE, figure_svg, for_the_page, money_label
from nwd.forecast.wording import chance

WITHOUT, WITH = "#505a5f", "#1d70b8"  # GOV.UK dark grey and blue: apart in colour and in lightness
TARGET = "#d4351c"
WIDTH, HEIGHT = 6.4, 3.2  # inches; the page scales the chart to its column
DAYS_PER_YEAR = 365.25


def looked_after_chart(result) -> str:
    """Children looked after each week, without and with the service: median, 50% and 90% ranges."""
    fan = result.fan
    years = np.asarray(fan["days"], dtype=float) / DAYS_PER_YEAR
    start = result.info["looked_after_at_jump_off"]
    x = np.concatenate([[0.0], years])
    with rc_context(STYLE):
        figure, axes = _figure()
        for name, colour, label in (("baseline", WITHOUT, "Without the service"),
                                    ("with_service", WITH, "With the service")):
            p5, p25, p50, p75, p95 = (np.concatenate([[start], row]) for row in fan[name])
            axes.fill_between(x, p5, p95, color=colour, alpha=0.15, linewidth=0)
            axes.fill_between(x, p25, p75, color=colour, alpha=0.3, linewidth=0)
            axes.plot(x, p50, color=colour, linewidth=1.8, label=f"{label}: median, 50% and 90% ranges")
        axes.set_xlim(0, x[-1])
        axes.set_xticks(np.arange(0, round(x[-1]) + 1), [f"{y:g}" for y in np.arange(0, round(x[-1]) + 1)])
        axes.set_xlabel("Years from the end of the records")
        axes.set_ylabel("Children looked after")
        axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:,.0f}"))
        axes.grid(True, axis="y", color="#b1b4b6", linewidth=0.5)
        axes.set_axisbelow(True)
        figure.legend(frameon=False, fontsize=7, loc="outside lower center", ncols=2)
    base, svc = fan["baseline"], fan["with_service"]
    desc = (
        f"Fan chart of the number of children looked after each week for {len(years) // 52 or 1} years, "
        f"starting from {start:,.0f}. Without the service the median ends at {base[2][-1]:,.0f} "
        f"(90% range {base[0][-1]:,.0f} to {base[4][-1]:,.0f}); with the service at {svc[2][-1]:,.0f} "
        f"(90% range {svc[0][-1]:,.0f} to {svc[4][-1]:,.0f}). The numbers are in the table that follows."
    )
    return _inline(figure, "forecast-lac", "Children looked after, without and with the service", desc)


def savings_chart(result) -> str:
    """Cumulative net savings to the council by the end of each year: median and 90% range, and the target."""
    rows = result.savings["net"]["cumulative"]
    target = result.target
    x = np.arange(len(rows) + 1)
    p5, p50, p95 = (np.array([0.0] + [row[k] for row in rows]) for k in ("p5", "p50", "p95"))
    with rc_context(STYLE):
        figure, axes = _figure()
        axes.fill_between(x, p5, p95, color=WITH, alpha=0.2, linewidth=0, label="90% range")
        axes.plot(x, p50, color=WITH, linewidth=1.8, marker="o", markersize=3, label="Median")
        axes.axhline(target["amount"], color=TARGET, linewidth=1.2, linestyle=(0, (4, 3)),
                     label=f"Target: {money_label(target['amount'])} by the end of year {target['year']}")
        axes.axhline(0, color="#0b0c0c", linewidth=0.6)
        axes.set_xlim(0, x[-1])
        axes.set_xticks(x, [f"{v}" for v in x])
        axes.set_xlabel("End of year")
        axes.set_ylabel("Net savings, cumulative")
        axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: money_label(v)))
        axes.grid(True, axis="y", color="#b1b4b6", linewidth=0.5)
        axes.set_axisbelow(True)
        figure.legend(frameon=False, fontsize=7, loc="outside lower center", ncols=3)
    last = rows[-1]
    desc = (
        f"Fan chart of the council's cumulative net savings at the end of each of {len(rows)} years. By the end of "
        f"year {len(rows)} the median is {money_label(last['p50'])} (90% range {money_label(last['p5'])} to "
        f"{money_label(last['p95'])}); the target is {money_label(target['amount'])} by the end of year {target['year']}. "
        "The numbers are in the table that follows."
    )
    return _inline(figure, "forecast-savings", "Net savings to the council, cumulative", desc)


LOW, HIGH = "#f47738", "#1d70b8"  # GOV.UK orange and blue: the input at its low and at its high value


def tornado_chart(result) -> str:
    """How the chance of reaching the target moves as each input goes from its low to its high
    plausible value: a bar per input, largest swing on top, about a line at the run's own chance."""
    found = result.sensitivity
    bars = found["inputs"]
    labels = [textwrap.fill(bar["label"], 34) for bar in bars]
    y = np.arange(len(bars))[::-1]
    middle = found["probability"] * 100
    with rc_context(STYLE):
        figure = Figure(figsize=(WIDTH, 0.42 * len(bars) + 1.2), layout="constrained")
        FigureCanvasSVG(figure)
        axes = figure.add_subplot()
        low = np.array([bar["probability_low"] for bar in bars]) * 100
        high = np.array([bar["probability_high"] for bar in bars]) * 100
        axes.barh(y, low - middle, left=middle, height=0.6, color=LOW, label="Input at its low value")
        axes.barh(y, high - middle, left=middle, height=0.6, color=HIGH, label="Input at its high value")
        axes.axvline(middle, color="#0b0c0c", linewidth=0.8)
        axes.set_yticks(y, labels)
        axes.set_xlim(0, 100)
        axes.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:.0f}%"))
        axes.set_xlabel(f"Chance that net savings reach {money_label(found['amount'])} by the end of year "
                        f"{found['year']} (the line: {chance(found['probability'])}, the run)")
        axes.grid(True, axis="x", color="#b1b4b6", linewidth=0.5)
        axes.set_axisbelow(True)
        figure.legend(frameon=False, fontsize=7, loc="outside lower center", ncols=2)
    top = "; ".join(
        f"{bar['label'].lower()}: {chance(bar['probability_low'])} at its low value, "
        f"{chance(bar['probability_high'])} at its high value" for bar in bars[:3])
    desc = (
        f"Bar chart of how the chance of reaching the target ({chance(found['probability'])} in the run) moves when each "
        f"of {len(bars)} inputs is held at its low and then its high plausible value, largest change first. "
        f"The three that move it most: {top}. The numbers are in the table that follows."
    )
    return _inline(figure, "forecast-tornado", "What moves the chance of reaching the target", desc)


def _figure():
    figure = Figure(figsize=(WIDTH, HEIGHT), layout="constrained")
    FigureCanvasSVG(figure)
    axes = figure.add_subplot()
    return figure, axes


def _inline(figure: Figure, prefix: str, title: str, desc: str) -> str:
    """The figure as an ``<svg>`` element for the page, as the dashboard's charts are made."""
    return for_the_page(figure_svg(figure, prefix), prefix, title, desc)


def comparison_chart(default, changed) -> str:
    """Cumulative net savings of the default and the changed scenario: each median and 90% range, and
    the changed scenario's target (the default's too when it differs)."""
    with rc_context(STYLE):
        figure, axes = _figure()
        ends = []
        for result, colour, label, marker in ((default, WITHOUT, "Default scenario", "s"),
                                              (changed, WITH, "Changed scenario", "o")):
            rows = result.savings["net"]["cumulative"]
            x = np.arange(len(rows) + 1)
            p5, p50, p95 = (np.array([0.0] + [row[k] for row in rows]) for k in ("p5", "p50", "p95"))
            axes.fill_between(x, p5, p95, color=colour, alpha=0.15, linewidth=0)
            # Different markers and line styles as well as colours: the two tell apart without colour.
            axes.plot(x, p50, color=colour, linewidth=1.8, marker=marker, markersize=3.5,
                      linestyle="-" if result is changed else (0, (5, 2)), label=f"{label}: median and 90% range")
            ends.append(rows[-1])
        targets = [(changed.target, "Target")]
        if (default.target["amount"], default.target["year"]) != (changed.target["amount"], changed.target["year"]):
            targets = [(changed.target, "Changed scenario's target"), (default.target, "Default scenario's target")]
        for target, label in targets:
            axes.axhline(target["amount"], color=TARGET, linewidth=1.2, linestyle=(0, (4, 3)),
                         label=f"{label}: {money_label(target['amount'])} by the end of year {target['year']}")
        axes.axhline(0, color="#0b0c0c", linewidth=0.6)
        last = max(len(default.savings["net"]["cumulative"]), len(changed.savings["net"]["cumulative"]))
        axes.set_xlim(0, last)
        axes.set_xticks(np.arange(last + 1), [f"{v}" for v in range(last + 1)])
        axes.set_xlabel("End of year")
        axes.set_ylabel("Net savings, cumulative")
        axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: money_label(v)))
        axes.grid(True, axis="y", color="#b1b4b6", linewidth=0.5)
        axes.set_axisbelow(True)
        figure.legend(frameon=False, fontsize=7, loc="outside lower center", ncols=2)
    d_end, c_end = ends
    desc = (
        f"Line chart of the council's cumulative net savings at the end of each year in the default scenario "
        f"and in the changed one. By the end of year {d_end['year']} the default's median is "
        f"{money_label(d_end['p50'])} (90% range {money_label(d_end['p5'])} to {money_label(d_end['p95'])}); "
        f"by the end of year {c_end['year']} the changed scenario's is {money_label(c_end['p50'])} (90% range "
        f"{money_label(c_end['p5'])} to {money_label(c_end['p95'])}). The numbers are in the table that follows."
    )
    return _inline(figure, "forecast-compare", "Net savings, the changed scenario beside the default one", desc)
