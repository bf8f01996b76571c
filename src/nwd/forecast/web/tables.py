"""The page's tables, as text: each a caption, a header and rows whose first cell names the row.

Every figure is the mean of the draws with the 5th, 50th (median) and 95th percentiles, as in the
command's summary and the JSON; money is in each year's prices, in millions of pounds.
"""

from __future__ import annotations

from dataclasses import dataclass

from nwd.forecast.states import GROUP_INDEX, STATE_LABELS
from nwd.forecast.wording import chance, input_value

STATS = ("mean", "p5", "p50", "p95")
STAT_HEADINGS = ("Mean", "5th percentile", "Median", "95th percentile")
QUARTER_WEEKS = 13


@dataclass(frozen=True)
class Table:
    key: str
    caption: str
    header: tuple[str, ...]
    rows: list[list[str]]
    note: str = ""


def money(value: float) -> str:
    """£77.6m, −£0.1m."""
    sign = "−" if value < 0 else ""
    return f"{sign}£{abs(value) / 1_000_000:,.1f}m"


def count(value: float) -> str:
    return f"{value:,.0f}"


def share(value: float) -> str:
    """A share of young people or a rise: 86%, 12.5% when it is not whole."""
    return f"{value * 100:.3g}%"


def headline(result) -> dict:
    target = result.target
    return {
        "amount": money(target["amount"]),
        "year": target["evaluated_year"],
        "cumulative": chance(target["probability_cumulative"]),
        "in_year": chance(target["probability_year"]),
        "net_cumulative": _range(target["net_cumulative"], money),
        "net_year": _range(target["net_year"], money),
        "cut_short": target["evaluated_year"] < target["year"],
    }


def _range(figure: dict, write) -> str:
    return f"{write(figure['mean'])} (90% range {write(figure['p5'])} to {write(figure['p95'])})"


def _stats(figure: dict, write) -> list[str]:
    return [write(figure[k]) for k in STATS]


def looked_after(result) -> Table:
    rows = []
    for y, (base, svc, fewer) in enumerate(zip(result.baseline["looked_after"], result.with_service["looked_after"],
                                               result.savings["fewer_looked_after"])):
        rows.append([f"End of year {y + 1}: without the service", *_stats(base, count)])
        rows.append([f"End of year {y + 1}: with the service", *_stats(svc, count)])
        rows.append([f"End of year {y + 1}: fewer with the service", *_stats(fewer, count)])
    return Table("looked_after", "Children looked after at the end of each year", ("", *STAT_HEADINGS), rows)


def by_group(result) -> list[Table]:
    """For each year, children looked after by placement group, without and with the service."""
    tables = []
    years = len(result.baseline["looked_after"])
    for y in range(years):
        rows = []
        for name, values in result.baseline["by_group"].items():
            label = STATE_LABELS[_index(name)]
            rows.append([label, *_stats(values[y], count), *_stats(result.with_service["by_group"][name][y], count)])
        rows.append(["All placements", *_stats(result.baseline["looked_after"][y], count),
                     *_stats(result.with_service["looked_after"][y], count)])
        header = ("Placement group", *[f"Without: {h.lower()}" for h in STAT_HEADINGS],
                  *[f"With: {h.lower()}" for h in STAT_HEADINGS])
        tables.append(Table(f"by_group_{y + 1}", f"Children looked after by placement group, end of year {y + 1}",
                            header, rows))
    return tables


def _index(name: str) -> int:
    return next(index for group, index in GROUP_INDEX.items() if group.value == name)


def money_tables(result) -> list[Table]:
    """Gross cost without and with the service, savings on placements, and net savings to the council."""
    saving = result.savings
    figures = (
        ("gross_without", "Gross cost of care without the service", result.baseline["gross_cost"],
         result.baseline["gross_cost_cumulative"]),
        ("gross_with", "Gross cost of care with the service", result.with_service["gross_cost"],
         result.with_service["gross_cost_cumulative"]),
        ("savings", "Savings on placements", saving["savings"]["per_year"], saving["savings"]["cumulative"]),
        ("net", "Net savings to the council (savings, less the running cost, plus the grant)",
         saving["net"]["per_year"], saving["net"]["cumulative"]),
    )
    tables = []
    for key, caption, per_year, cumulative in figures:
        rows = [[f"Year {row['year']}", *_stats(row, money)] for row in per_year]
        rows += [[f"Years 1 to {row['year']}, cumulative", *_stats(row, money)] for row in cumulative[1:]]
        tables.append(Table(key, caption, ("", *STAT_HEADINGS), rows))
    return tables


def looked_after_fan(result) -> Table:
    """The fan chart's numbers every 13 weeks (the spreadsheet has every week)."""
    fan = result.fan
    steps = len(fan["days"])
    shown = sorted({*range(QUARTER_WEEKS - 1, steps, QUARTER_WEEKS), steps - 1})
    rows = []
    for k in shown:
        rows.append([f"Week {k + 1}", *[count(fan["baseline"][i][k]) for i in (0, 2, 4)],
                     *[count(fan["with_service"][i][k]) for i in (0, 2, 4)]])
    header = ("", "Without: 5th percentile", "Without: median", "Without: 95th percentile",
              "With: 5th percentile", "With: median", "With: 95th percentile")
    return Table("fan", "Children looked after, every 13 weeks", header, rows)


def savings_fan(result) -> Table:
    rows = [[f"End of year {row['year']}", *[money(row[k]) for k in ("p5", "p50", "mean", "p95")]]
            for row in result.savings["net"]["cumulative"]]
    return Table("savings_fan", "Net savings to the council, cumulative", ("", "5th percentile", "Median", "Mean",
                                                                            "95th percentile"), rows)


def left_out(result) -> list[tuple[str, int]]:
    """What was left out of the rates and why, counts only (the examples name children)."""
    return [(e.reason, e.count) for e in result.excluded]


def levers(result) -> Table | None:
    """Savings on placements by lever (expected value), each year and to the target year, adding up to the whole."""
    found = result.savings.get("by_lever")
    if not found:
        return None
    year = found["year"]
    years = len(found["savings_per_year"])
    rows = []
    for lever in found["levers"]:
        rows.append([lever["label"], lever_setting(lever), *[money(v) for v in lever["per_year"]],
                     money(lever["cumulative"]), "" if lever["share"] is None else f"{lever['share']:.0%}"])
    rows.append(["All three together", "", *[money(v) for v in found["savings_per_year"]],
                 money(found["savings_cumulative"]), "100%" if found["savings_cumulative"] else ""])
    council = found["council_cost_per_year"]
    rows.append(["Less the council's cost of the service (running cost less grant)", "",
                 *[money(-v) for v in council], money(-sum(council[:year])), ""])
    net = [s - c for s, c in zip(found["savings_per_year"], council)]
    rows.append(["Net savings to the council", "", *[money(v) for v in net], money(found["net_cumulative"]), ""])
    header = ("Lever", "Setting", *[f"Year {y + 1}" for y in range(years)], f"Years 1 to {year}", "Share")
    return Table("levers", "Savings on placements by lever (expected value, each year's prices)", header, rows)


def lever_setting(lever: dict) -> str:
    settings = lever["settings"]
    if lever["lever"] == "reach":
        return f"{share(settings['reach'])} supported at home, {share(settings['stay_out'])} of them stay out of care"
    if lever["lever"] == "step_down":
        return f"{share(settings['step_down'])} more step-downs"
    return f"{share(settings['planned_returns'])} more planned returns"


def tornado(result) -> Table | None:
    """The sensitivity chart's numbers: each input at its low and high plausible value."""
    found = result.sensitivity
    if not found:
        return None
    rows = [[bar["label"], input_value(bar["low"], bar["unit"]), input_value(bar["high"], bar["unit"]),
             chance(bar["probability_low"]), chance(bar["probability_high"]), money(bar["net_low"]),
             money(bar["net_high"])] for bar in found["inputs"]]
    header = ("Input", "Low value", "High value", "Chance at the low value", "Chance at the high value",
              "Net savings at the low value", "Net savings at the high value")
    return Table("tornado", f"What moves the chance of the target most (net savings to the end of year "
                            f"{found['year']})", header, rows)


def calibration(result) -> dict | None:
    found = result.calibration
    if not found:
        return None
    return {
        "calibrated": found["calibrated"],
        "factor": f"{found['factor']:.2f}",
        "spend": money(found["stated_annual_spend"]),
        "children": count(found["stated_looked_after"]),
        "per_week": f"£{found['stated_weekly_cost_per_child']:,.0f}",
        "before": f"£{found['weekly_cost_per_child_before']:,.0f}",
        "after": f"£{found['weekly_cost_per_child']:,.0f}",
        "year_1_children": count(found["looked_after_year_1"]),
        "year_1_cost": money(found["baseline_year_1"]),
    }


def stay_out(result) -> dict:
    found = result.info["stay_out"]
    seen = None
    if found["records_stayed_out"] is not None:
        seen = found["records_stayed_out"] + found["records_came_into_care"]
    return {
        "published": share(found["published"]),
        "published_young_people": None if found["published_young_people"] is None else count(
            found["published_young_people"]),
        "records": None if found["records"] is None else share(found["records"]),
        "records_young_people": None if seen is None else count(seen),
        "used": share(found["used"]),
    }
