"""A changed scenario beside the default one: both figures and the difference, for the page.

Why: a finance officer who changes a number (the share supported at home, a weekly cost) asks first
"what did that change?". The page runs the default scenario too (the same records, draws and seed;
kept like any run, so it is usually there already) and sets the two side by side: a table with the
default's figure, the changed scenario's and the difference, and a chart of both savings fans.

Figures are the means of the draws (chances: the share of draws reaching the target); a difference
is the changed scenario's less the default's.
"""

from __future__ import annotations

from nwd.forecast.web.tables import Table, count, money
from nwd.forecast.wording import chance

HEADER = ("", "Default scenario", "Changed scenario", "Difference (changed less default)")
MISSING = "–"


def _signed_money(value: float) -> str:
    return ("+" if value > 0 else "") + money(value) if value else "£0.0m"


def _signed_count(value: float) -> str:
    return f"{value:+,.0f}" if round(value) else "0"


def _points(value: float) -> str:
    """A difference of two chances, in percentage points."""
    points = round(value * 100)
    return f"{points:+d} percentage points" if points else "no change"


def _row(label: str, default: float | None, changed: float | None, write, difference) -> list[str]:
    if default is None or changed is None:
        return [label, MISSING if default is None else write(default), MISSING if changed is None else write(changed),
                MISSING]
    return [label, write(default), write(changed), difference(changed - default)]


def _by_year(rows: list[dict], year: int) -> float | None:
    return next((row["mean"] for row in rows if row["year"] == year), None)


def comparison(default, changed) -> Table:
    """The two runs' headline figures side by side, year by year where the forecast has years."""
    d_target, c_target = default.target, changed.target
    rows = [
        ["Target", f"{money(d_target['amount'])} by the end of year {d_target['year']}",
         f"{money(c_target['amount'])} by the end of year {c_target['year']}",
         "the same" if (d_target["amount"], d_target["year"]) == (c_target["amount"], c_target["year"]) else "changed"],
        _row("Chance that net savings reach the target, years counted together", d_target["probability_cumulative"],
             c_target["probability_cumulative"], chance, _points),
        _row("Chance that net savings reach the target in its year alone", d_target["probability_year"],
             c_target["probability_year"], chance, _points),
    ]
    years = max(len(default.savings["net"]["per_year"]), len(changed.savings["net"]["per_year"]))
    for year in range(1, years + 1):
        rows.append(_row(f"Net savings to the council, years 1 to {year}",
                         _by_year(default.savings["net"]["cumulative"], year),
                         _by_year(changed.savings["net"]["cumulative"], year), money, _signed_money))
    for year in range(1, years + 1):
        rows.append(_row(f"Children looked after at the end of year {year}, with the service",
                         _year(default.with_service["looked_after"], year),
                         _year(changed.with_service["looked_after"], year), count, _signed_count))
    for year in range(1, years + 1):
        rows.append(_row(f"Fewer children looked after at the end of year {year} because of the service",
                         _year(default.savings["fewer_looked_after"], year),
                         _year(changed.savings["fewer_looked_after"], year), count, _signed_count))
    return Table("compare", "The changed scenario beside the default one (each figure the mean of the runs)", HEADER, rows)


def _year(figures: list[dict], year: int) -> float | None:
    return figures[year - 1]["mean"] if year <= len(figures) else None
