"""Money to date: what placements have cost week by week, and the cost the service has avoided.

Spend comes from the care records themselves: each care episode's weekly cost, spread over the
days it was open (``[DECOM, DEC)``, as the SSDA903 counts days), for every child the council looks
after. It is computed for all episodes at once with a running sum over days per category (placement
group x in or out of area x regulated or not), then added up by week.

The cost *avoided* cannot be observed: it is the difference between what was spent and what would
have been spent without the service, and only a model of the counterfactual can say the second. That
is the forecast engine's job (``nwd.forecast``). This module takes its figure when one is linked and
says plainly when it is not; it never makes one up.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings

from nwd.codelists.groups import GROUP_LABELS, PlacementGroup
from nwd.config import DEFAULT_COST_AVOIDED
from nwd.evaluation.figures import Chart, Figure, Period, share
from nwd.evaluation.queries import Dataset
from nwd.evaluation.registry import register
from nwd.evaluation.windows import DAY, add_months

GROUPS = [g.value for g in PlacementGroup]
AREA_ROWS = [
    ("In area, regulated", True, True),
    ("In area, unregulated", True, False),
    ("Out of area, regulated", False, True),
    ("Out of area, unregulated", False, False),
]


@dataclass(frozen=True)
class Spend:
    """Placement spend per category and week of a period, and the days with no cost recorded."""

    weeks: list[dt.date]  # the Monday of each week
    week_days: np.ndarray  # days of each week inside the period (partial weeks at either end)
    spend: np.ndarray  # (group, in_area, regulated, week)
    uncosted_days: np.ndarray  # (week,)

    @property
    def total(self) -> float:
        return float(self.spend.sum())

    @property
    def days(self) -> int:
        return int(self.week_days.sum())

    def weekly_average(self, amount: float) -> float | None:
        return share(amount * 7, self.days)


def spend(data: Dataset, date_from: dt.date, date_to: dt.date) -> Spend:
    """Daily spend of every care episode open in the period, summed by category and week."""
    ep = data.care_episodes
    first = np.datetime64(date_from, "D")
    stop = np.datetime64(date_to, "D") + DAY
    n_days = int((stop - first) / DAY)
    lo = np.maximum(ep.decom, first)
    hi = np.minimum(np.where(np.isnat(ep.dec), data.data_end, ep.dec), stop)
    keep = hi > lo
    lo_i = ((lo[keep] - first) / DAY).astype(np.int64)
    hi_i = ((hi[keep] - first) / DAY).astype(np.int64)
    group_i = np.array([GROUPS.index(g) for g in ep.group[keep]], dtype=np.int64)
    category = group_i * 4 + (~ep.in_area[keep]).astype(np.int64) * 2 + (~ep.regulated[keep]).astype(np.int64)
    cost = ep.weekly_cost[keep]
    costed = ~np.isnan(cost)
    diff = np.zeros((len(GROUPS) * 4, n_days + 1))
    rate = np.where(costed, cost, 0.0) / 7
    np.add.at(diff, (category, lo_i), rate)
    np.add.at(diff, (category, hi_i), -rate)
    daily = np.cumsum(diff[:, :n_days], axis=1)
    uncosted = np.zeros(n_days + 1)
    np.add.at(uncosted, lo_i[~costed], 1)
    np.add.at(uncosted, hi_i[~costed], -1)
    uncosted_daily = np.cumsum(uncosted[:n_days])
    # Weeks run Monday to Sunday; the first and last may be partial.
    offset = date_from.weekday()
    week_of_day = (np.arange(n_days) + offset) // 7
    starts = np.flatnonzero(np.r_[True, week_of_day[1:] != week_of_day[:-1]])
    weekly = np.add.reduceat(daily, starts, axis=1) if n_days else np.zeros((len(GROUPS) * 4, 0))
    week_days = np.diff(np.r_[starts, n_days])
    mondays = [date_from - dt.timedelta(days=offset) + dt.timedelta(weeks=int(w)) for w in week_of_day[starts]]
    return Spend(
        weeks=mondays,
        week_days=week_days,
        spend=weekly.reshape(len(GROUPS), 2, 2, -1)[:, ::-1, ::-1, :],  # index 1 = in area / regulated
        uncosted_days=np.add.reduceat(uncosted_daily, starts) if n_days else np.zeros(0),
    )


@register(
    key="placement_spend", title="Weekly placement spend", kind="period", unit="£", section="money",
    definition=(
        "What the council's care placements cost, week by week: each care episode's weekly cost spread "
        "evenly over the days it was open (from DECOM up to, not including, DEC, or to the as-of date "
        "if still open), added up by placement group, in or out of the council's area, and regulated or "
        "unregulated. A temporary placement counts in the group of the placement around it. Weeks run "
        "Monday to Sunday; the first and last weeks of the period may be part-weeks. Costs are as "
        "recorded on each episode: no inflation or discounting."
    ),
    window="Every day of the reporting period.",
    counted="Every child in the council's care records (not only the service's young people).",
    excluded="Nothing is left out; days in placements with no weekly cost recorded add nothing and are counted in a note.",
)
def placement_spend(data: Dataset, period: Period) -> list[Figure]:
    result = spend(data, period.date_from, period.date_to)
    total = result.total
    by_group = result.spend.sum(axis=(1, 2, 3))
    rows = []
    for i, group in enumerate(PlacementGroup):
        if by_group[i] == 0:
            continue
        rows.append([GROUP_LABELS[group], float(by_group[i]), result.weekly_average(by_group[i]),
                     share(by_group[i], total)])
    rows.append(["All placements", total, result.weekly_average(total), 1.0 if total else None])
    week_labels = [f"{w:%d %b %y}" for w in result.weeks]
    weekly_by_group = result.spend.sum(axis=(1, 2))
    shown = [i for i in np.argsort(-by_group) if by_group[i] > 0]
    group_figure = Figure(
        key="placement_spend", title="Placement spend by placement group", indicator="placement_spend",
        columns=["Placement group", "Spend in the period (£)", "Average a week (£)", "Share of spend"],
        rows=rows, scope="council", money_columns=("Spend in the period (£)", "Average a week (£)"),
        percent_columns=("Share of spend",),
        chart=Chart("stacked", week_labels,
                    {GROUP_LABELS[PlacementGroup(GROUPS[i])]: _per_full_week(weekly_by_group[i], result)
                     for i in shown},
                    "Spend a week (£)", money=True),
        headline={"total": total, "weekly_average": result.weekly_average(total),
                  "weeks": len(result.weeks)},
    )
    uncosted = int(result.uncosted_days.sum())
    if uncosted:
        group_figure.notes.append(f"{uncosted:,} placement-days had no weekly cost recorded and add nothing.")
    if len(result.weeks) and (result.week_days[0] < 7 or result.week_days[-1] < 7):
        group_figure.notes.append("The chart scales part-weeks at either end of the period up to a full week.")
    area_rows = []
    for label, in_area, regulated in AREA_ROWS:
        amount = float(result.spend[:, int(in_area), int(regulated), :].sum())
        area_rows.append([label, amount, result.weekly_average(amount), share(amount, total)])
    area_rows.append(["All placements", total, result.weekly_average(total), 1.0 if total else None])
    in_area_weekly = result.spend[:, 1, :, :].sum(axis=(0, 1))
    out_area_weekly = result.spend[:, 0, :, :].sum(axis=(0, 1))
    area_figure = Figure(
        key="placement_spend_by_area", title="Placement spend in and out of area, regulated and unregulated",
        indicator="placement_spend",
        columns=["Placements", "Spend in the period (£)", "Average a week (£)", "Share of spend"],
        rows=area_rows, scope="council", money_columns=("Spend in the period (£)", "Average a week (£)"),
        percent_columns=("Share of spend",),
        chart=Chart("line", week_labels,
                    {"In area": _per_full_week(in_area_weekly, result),
                     "Out of area": _per_full_week(out_area_weekly, result)},
                    "Spend a week (£)", money=True),
        headline={"out_of_area_share": share(area_rows[2][1] + area_rows[3][1], total),
                  "unregulated_share": share(area_rows[1][1] + area_rows[3][1], total)},
    )
    weekly_rows = []
    for w, monday in enumerate(result.weeks):
        row = [f"{monday:%Y-%m-%d}", int(result.week_days[w])]
        row += [float(weekly_by_group[i, w]) for i in range(len(GROUPS))]
        row += [float(in_area_weekly[w]), float(out_area_weekly[w]),
                float(result.spend[:, :, 1, w].sum()), float(result.spend[:, :, 0, w].sum()),
                float(result.spend[:, :, :, w].sum()), int(result.uncosted_days[w])]
        weekly_rows.append(row)
    group_names = [GROUP_LABELS[PlacementGroup(g)] for g in GROUPS]
    weekly_figure = Figure(
        key="placement_spend_weekly", title="Placement spend week by week", indicator="placement_spend",
        columns=["Week beginning", "Days in period"] + group_names
        + ["In area", "Out of area", "Regulated", "Unregulated", "All placements", "Placement-days with no cost"],
        rows=weekly_rows, scope="council", show_in_pdf=False,
        money_columns=tuple(group_names + ["In area", "Out of area", "Regulated", "Unregulated", "All placements"]),
    )
    return [group_figure, area_figure, weekly_figure]


def _per_full_week(values: np.ndarray, result: Spend) -> list[float]:
    return [float(v * 7 / d) if d else 0.0 for v, d in zip(values, result.week_days)]


# --------------------------------------------------------------------------------------------------
# Cost avoided: from the forecast engine, when linked
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CostAvoided:
    """The forecast engine's estimate of the cost avoided, or why there is none.

    ``amount`` is the gross cost avoided, cumulative from the day the service began to the end of the
    period; ``net`` the same less the service's running cost plus the grant toward it (the savings
    target is stated net). ``lower`` and ``upper`` are the engine's 5th and 95th percentiles.
    """

    available: bool
    amount: float | None = None
    lower: float | None = None
    upper: float | None = None
    net: float | None = None
    net_lower: float | None = None
    net_upper: float | None = None
    source: str = ""
    note: str = ""
    extra: dict = field(default_factory=dict)


# The dotted path of a callable ``(go_live, date_to) -> CostAvoided | dict | None`` (or the callable
# itself), in ``settings.NWD_COST_AVOIDED`` (declared in nwd.config). Unset: the forecast engine,
# through ``nwd.evaluation.forecast_link``. None or "": no link (the report says so).
DEFAULT_PROVIDER = DEFAULT_COST_AVOIDED
NOT_LINKED = (
    "Not available: the forecast engine's counterfactual (what care would have cost without the "
    "service) is not linked to this report, so no cost avoided is shown. Spend above is actual spend, "
    "not savings."
)


def _provider() -> Callable | None:
    path = settings.NWD_COST_AVOIDED
    if not path:
        return None
    if callable(path):
        return path
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def cost_avoided_to(go_live: dt.date | None, date_to: dt.date) -> CostAvoided:
    """Ask the linked forecast for the cost avoided from go-live to ``date_to``; never guess."""
    if go_live is None:
        return CostAvoided(False, note="Not available: no hub has an opening date, so the service has no start date.")
    provider = _provider()
    if provider is None:
        return CostAvoided(False, note=NOT_LINKED)
    try:
        result = provider(go_live, date_to)
    except Exception as error:  # noqa: BLE001 - a failing forecast must not stop the report
        return CostAvoided(False, note=f"Not available: the forecast engine could not give a figure ({error}).")
    if result is None:
        return CostAvoided(False, note=NOT_LINKED)
    if isinstance(result, dict):
        result = CostAvoided(available=True, **result)
    return result


@register(
    key="cost_avoided", title="Cost avoided against the savings target", kind="period", unit="£", section="money",
    definition=(
        "The cost the service has avoided from the day it began to the end of the period: what the "
        "forecast engine projects care would have cost without the service, less what it projects with "
        "it, from rates learnt on the care records before the service began (its counterfactual, with "
        "the 5th and 95th percentiles of its simulation). Net savings take off the service's running "
        "cost and add the grant toward it, because the savings target (by default £12.8m by the end "
        "of year four; the council's own setting otherwise) is stated net. Whether the target is a "
        "fourth-year or a cumulative figure is not stated in the public record, so it is shown as "
        "given, beside how much of the four years has passed. A model's figure, not a measurement. "
        "When no forecast is linked the figure says so and nothing is estimated."
    ),
    window="From the day the service began to the last day of the reporting period.",
    counted="The whole council's looked-after population, as modelled by the forecast engine.",
    excluded="Everything the forecast engine leaves out; see its own documentation.",
)
def cost_avoided(data: Dataset, period: Period) -> list[Figure]:
    settings = data.settings
    if settings.link_forecast:
        result = cost_avoided_to(data.go_live, period.date_to)
    else:
        result = CostAvoided(False, note="Not computed for this view: the forecast engine was not asked.")
    target = settings.savings_target
    target_day = add_months(data.go_live, 12 * settings.target_years) if data.go_live else None
    elapsed = None
    if data.go_live and target_day:
        passed = (period.date_to - data.go_live).days + 1  # the last day of the period has passed too
        elapsed = min(1.0, max(0.0, passed / (target_day - data.go_live).days))
    have = result.available
    net_share = share(result.net, target) if have and result.net is not None else None
    rows = [
        ["Cost avoided since the service began, modelled (£)", result.amount if have else None],
        ["Cost avoided, lower estimate: 5th percentile (£)", result.lower if have else None],
        ["Cost avoided, upper estimate: 95th percentile (£)", result.upper if have else None],
        ["Net savings to the council after running the service (£)", result.net if have else None],
        ["Net savings, lower estimate: 5th percentile (£)", result.net_lower if have else None],
        ["Net savings, upper estimate: 95th percentile (£)", result.net_upper if have else None],
        [f"Savings target by the end of year {settings.target_years} (£)", target],
        ["Net savings as a share of the target", net_share],
        [f"Share of the {settings.target_years} years passed", elapsed],
    ]
    figure = Figure(
        key="cost_avoided", title="Cost avoided against the savings target", indicator="cost_avoided",
        columns=["Measure", "Value"], rows=rows, scope="council",
        percent_rows=(rows[7][0], rows[8][0]), money_columns=(),
        headline={"available": result.available, "amount": result.amount, "net": result.net, "target": target,
                  "target_day": target_day, "elapsed": elapsed, "note": result.note, "source": result.source},
    )
    figure.notes.append(result.note if not result.available else f"Source: {result.source}. {result.note}".strip())
    return [figure]
