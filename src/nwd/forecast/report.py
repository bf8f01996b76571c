"""The forecast's results as a person reads them: a summary table, a JSON file, a spreadsheet.

The JSON has exactly the top-level keys of issue 5 (``baseline``, ``with_service``, ``savings``,
``target``, ``runtime_seconds``); the spreadsheet holds the same figures by sheet, plus what was
left out of the rates and why, so a finance officer can check the inputs as well as the outputs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from nwd.forecast.api import BacktestResult, ForecastResult
from nwd.forecast.states import GROUP_INDEX, STATE_LABELS
from nwd.forecast.wording import chance, input_value
from nwd.forecast.xlsx import write_rows

MILLION = 1_000_000
GROUP_INDEX_BY_NAME = {group.value: index for group, index in GROUP_INDEX.items()}


def _count(figure: dict[str, Any]) -> str:
    return f"{figure['mean']:,.0f} [{figure['p5']:,.0f}–{figure['p95']:,.0f}]"


def _money(figure: dict[str, Any]) -> str:
    return f"£{figure['mean'] / MILLION:,.1f}m [{figure['p5'] / MILLION:,.1f}–{figure['p95'] / MILLION:,.1f}]"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    """Columns padded to their widest cell: the first left-aligned, the figures right-aligned."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))

    return [line(header), "  ".join("-" * w for w in widths), *[line(r) for r in rows]]


def summary_text(result: ForecastResult) -> str:
    """A plain-text summary: population, money, the target, what was left out."""
    info = result.info
    years = [row["year"] for row in result.baseline["looked_after"]]
    out = [
        f"Forecast: {info['scenario']}",
        f"Data to {info['data_to']}: {info['looked_after_at_jump_off']:,.0f} children looked after; rates learnt "
        f"from {info['reference_window'][0]} to {info['reference_window'][1]} "
        f"({info['children']:,} children, {info['episodes_used']:,} of {info['episodes_read']:,} episode rows used)",
        f"{info['draws']:,} draws (seed {info['seed']}), {info['years']} years in steps of {info['step_days']:.2f} days. "
        "Figures are mean [5th–95th percentile].",
        "",
    ]
    if result.excluded:
        out.append("Left out of the rates:")
        out += [f"  {e.count:,} × {e.reason}" for e in result.excluded]
        out.append("")
    out.append("Children looked after at the end of each year")
    rows = []
    for y in range(len(years)):
        base, svc = result.baseline["looked_after"][y], result.with_service["looked_after"][y]
        fewer = result.savings["fewer_looked_after"][y]
        home = result.with_service["supported_at_home"][y]
        rows.append([f"Year {years[y]}", _count(base), _count(svc), _count(fewer), _count(home)])
    out += _table(["", "Without the service", "With the service", "Fewer", "Supported at home"], rows)
    out.append("")
    out.append("Money, £ million in each year's prices")
    saving = result.savings
    lines = [
        ("Gross cost without the service", result.baseline["gross_cost"]),
        ("Gross cost with the service", result.with_service["gross_cost"]),
        ("Savings on placements", saving["savings"]["per_year"]),
        ("Running cost of the service", saving["service_cost"]["per_year"]),
        ("Grant toward it", saving["grant"]["per_year"]),
        ("Net savings to the council", saving["net"]["per_year"]),
        ("Net savings, cumulative", saving["net"]["cumulative"]),
        ("Net savings, present value", saving["net_present_value_cumulative"]),
    ]
    out += _table(["", *[f"Year {y}" for y in years]], [[name, *[_money(v) for v in values]] for name, values in lines])
    out.append("")
    out += _calibration_lines(result.calibration)
    out += _lever_lines(result.savings.get("by_lever"))
    target = result.target
    out += [
        f"Target: £{target['amount'] / MILLION:,.1f}m net savings by the end of year {target['year']}",
        f"  cumulative to year {target['evaluated_year']}: probability {chance(target['probability_cumulative'])} "
        f"(net {_money(target['net_cumulative'])})",
        f"  in year {target['evaluated_year']} alone: probability {chance(target['probability_year'])} "
        f"(net {_money(target['net_year'])})",
        "",
        "Entries to care prevented: " + ", ".join(
            f"year {row['year']} {_count(row)}" for row in saving["entries_prevented"]["per_year"]
        ),
    ]
    out += _tornado_lines(result.sensitivity)
    out.append(f"Run time: {result.runtime_seconds:.2f} s")
    return "\n".join(out)


def _calibration_lines(calibration: dict[str, Any]) -> list[str]:
    if not calibration:
        return []
    if not calibration["calibrated"]:
        return [f"Unit costs as the scenario gives them (not calibrated): the baseline's first year costs "
                f"£{calibration['weekly_cost_per_child']:,.0f} a week per child looked after.", ""]
    return [
        f"Unit costs calibrated to the council's stated spend, £{calibration['stated_annual_spend'] / MILLION:,.1f}m a "
        f"year for {calibration['stated_looked_after']:,.0f} children looked after "
        f"(£{calibration['stated_weekly_cost_per_child']:,.0f} a week per child): every placement's weekly cost x "
        f"{calibration['factor']:.3f} (it was £{calibration['weekly_cost_per_child_before']:,.0f} a week per child). "
        f"Baseline year 1: {calibration['looked_after_year_1']:,.0f} children on average, "
        f"£{calibration['baseline_year_1'] / MILLION:,.1f}m.",
        "",
    ]


def _lever_lines(by_lever: dict[str, Any] | None) -> list[str]:
    if not by_lever:
        return []
    parts = [f"{lever['label'].lower()} £{lever['cumulative'] / MILLION:,.1f}m"
             + (f" ({lever['share']:.0%})" if lever["share"] is not None else "") for lever in by_lever["levers"]]
    return [f"Savings on placements to the end of year {by_lever['year']} by lever (expected value, "
            f"£{by_lever['savings_cumulative'] / MILLION:,.1f}m in all): " + "; ".join(parts) + ".", ""]


def _tornado_lines(tornado: dict[str, Any] | None) -> list[str]:
    if not tornado:
        return []
    out = ["", "What moves the chance of the target most (each input at its low, then high, plausible value):"]
    for bar in tornado["inputs"][:5]:
        values = f"{input_value(bar['low'], bar['unit'])} to {input_value(bar['high'], bar['unit'])}"
        out.append(f"  {bar['label']}, {values}: {chance(bar['probability_low'])} to {chance(bar['probability_high'])} "
                   f"(net £{bar['net_low'] / MILLION:,.1f}m to £{bar['net_high'] / MILLION:,.1f}m)")
    return out


def write_json(result: ForecastResult, path: str | Path, backtest: BacktestResult | None = None) -> None:
    """The result's JSON (``JSON_KEYS``), and with a back-test its ``backtest`` object: ``year``,
    ``total`` (``actual``, ``expected``, ``p5``, ``p95``, ...) and the same per group in ``groups``."""
    data = result.to_json()
    if backtest is not None:
        data["backtest"] = backtest.to_json()
    Path(path).write_text(json.dumps(data, indent=2, allow_nan=False), encoding="utf-8")


def write_xlsx(result: ForecastResult, path: str | Path) -> None:
    """The figures by sheet: Summary, Looked after, Money, Target, Data left out, Weekly fan."""
    from openpyxl import Workbook

    book = Workbook()
    summary = book.active
    summary.title = "Summary"
    write_rows(summary, [[line] for line in summary_text(result).splitlines()], {"A": 140})

    stat_columns = ["mean", "p5", "p50", "p95", "expected"]
    people = book.create_sheet("Looked after")
    rows: list[list[object]] = [["Scenario", "Figure", "Year", *stat_columns]]
    for scenario, block in (("without the service", result.baseline), ("with the service", result.with_service)):
        figures = [("Looked after", block["looked_after"]), ("Care leavers 18-20", block["care_leavers"]),
                   ("Entries to care", block["entries"])]
        figures += [(STATE_LABELS[GROUP_INDEX_BY_NAME[name]], values) for name, values in block["by_group"].items()]
        if "supported_at_home" in block:
            figures.append(("Supported at home by the service", block["supported_at_home"]))
        for figure, values in figures:
            rows += [[scenario, figure, v["year"], *[v.get(c) for c in stat_columns]] for v in values]
    write_rows(people, rows, {"A": 22, "B": 36})

    money = book.create_sheet("Money")
    rows = [["Figure", "Year", *stat_columns]]
    saving = result.savings
    for figure, values in (
        ("Gross cost without the service", result.baseline["gross_cost"]),
        ("Gross cost with the service", result.with_service["gross_cost"]),
        ("Savings on placements", saving["savings"]["per_year"]),
        ("Savings on placements, cumulative", saving["savings"]["cumulative"]),
        ("Running cost of the service", saving["service_cost"]["per_year"]),
        ("Grant toward the running cost", saving["grant"]["per_year"]),
        ("Council's own cost of the service", saving["council_cost"]["per_year"]),
        ("Net savings to the council", saving["net"]["per_year"]),
        ("Net savings to the council, cumulative", saving["net"]["cumulative"]),
        ("Net savings to the public purse (grant as a cost)", saving["net_public"]["per_year"]),
        ("Net savings to the council, present value, cumulative", saving["net_present_value_cumulative"]),
        ("Entries to care prevented", saving["entries_prevented"]["per_year"]),
    ):
        rows += [[figure, v["year"], *[v.get(c) for c in stat_columns]] for v in values]
    write_rows(money, rows, {"A": 52})

    target = result.target
    sheet = book.create_sheet("Target")
    write_rows(sheet, [
        ["Target net savings (£)", target["amount"]],
        ["By the end of year", target["year"]],
        ["Probability, cumulative", target["probability_cumulative"]],
        ["Probability, that year alone", target["probability_year"]],
        ["Meaning", target["meaning"]],
    ], {"A": 32, "B": 60})

    quality = book.create_sheet("Data left out")
    rows = [["What", "Reason", "Rows", "For example"]]
    rows += [["left out", e.reason, e.count, "; ".join(e.examples)] for e in result.excluded]
    rows += [["read as noted", e.reason, e.count, "; ".join(e.examples)] for e in result.adjusted]
    rows += [[], ["Run", "Value"], *[[k, json.dumps(v) if isinstance(v, list | dict) else v]
                                      for k, v in result.info.items() if k not in ("excluded", "adjusted")]]
    write_rows(quality, rows, {"A": 18, "B": 90, "D": 80})

    fan = book.create_sheet("Weekly fan")
    percentiles = result.fan["percentiles"]
    header = ["Day", *[f"without p{p}" for p in percentiles], *[f"with p{p}" for p in percentiles]]
    rows = [header] + [
        [day, *[result.fan["baseline"][i][k] for i in range(len(percentiles))],
         *[result.fan["with_service"][i][k] for i in range(len(percentiles))]]
        for k, day in enumerate(result.fan["days"])
    ]
    write_rows(fan, rows)
    book.save(path)



def backtest_text(result: BacktestResult) -> str:
    rows = [
        [r.group, f"{r.actual:,.0f}", f"{r.expected:,.1f}", f"{r.p5:,.1f}–{r.p95:,.1f}", f"{r.error:+,.1f}",
         "" if r.relative_error is None else f"{r.relative_error:+.0%}", "yes" if r.inside_band else "no"]
        for r in [*result.rows, result.total]
    ]
    out = [
        f"Back-test: fitted on {result.fitted_on[0]} to {result.fitted_on[1]}, "
        f"forecast the end of {result.year}",
        *_table(["Placement group", "Actual", "Forecast", "90% band", "Error", "Error %", "In band"], rows),
        f"Run time: {result.runtime_seconds:.2f} s",
    ]
    return "\n".join(out)
