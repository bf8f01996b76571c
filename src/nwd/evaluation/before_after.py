"""Before and after: each measure in the 12 months before the start of support and the 12 after.

Who: young people whose *first* involvement with the service started in the reporting period, or
from ``Period.support_from`` if given (their
"start of support"; a second involvement is not a fresh start). For each of them and each
before-and-after indicator, the windows are drawn by ``nwd.evaluation.windows`` and clipped to the
data; then each young person falls in exactly one group per indicator, so nobody is silently dropped:

* ``full``: a full 12 months on both sides. Only these are compared (totals, medians, the share who
  improved), because comparing 12 months before with 3 months after would flatter the service.
* ``partial``: both windows exist but at least one is cut short (the records begin later, the as-of
  date comes sooner, or, for care, the 18th birthday). Reported separately, as rates per
  person-year so that short windows are comparable.
* ``no_window``: a window is empty (support began on the as-of date, before the records begin, or,
  for care, at 18 or over). Counted, not compared.
* ``not_recorded``: full windows but no value (no EET status or substance-use assessment in a window).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from nwd.casework.choices import SupportType
from nwd.evaluation.figures import Chart, Figure, Period, ids, share
from nwd.evaluation.formatting import DASH, number
from nwd.evaluation.indicators import financial_quarter
from nwd.evaluation.queries import Dataset
from nwd.evaluation.registry import Indicator, before_after_indicators
from nwd.evaluation.windows import PersonIndex, SupportWindows, birthdays

FULL, PARTIAL, NO_WINDOW, NOT_RECORDED = "full", "partial", "no_window", "not_recorded"
GROUPINGS = {"hub": "Hub", "support_type": "Support type", "start_quarter": "Quarter support started"}
# The indicators shown per hub, support type and quarter in the PDF (the spreadsheet has them all).
HEADLINE = ("missing_episodes", "arrests", "police_contacts", "days_looked_after", "residential_days")


@dataclass(frozen=True)
class Cohort:
    """The young people whose support started in the period, with what the breakdowns need."""

    person_ids: np.ndarray
    start: np.ndarray
    hub: np.ndarray
    support_type: np.ndarray
    start_quarter: np.ndarray
    still_open: np.ndarray

    def __len__(self) -> int:
        return len(self.person_ids)


def cohort(data: Dataset, period: Period) -> Cohort:
    """Each young person's first involvement, kept if it started in the period (and at the hub)."""
    inv = data.involvements
    order = np.lexsort((inv.id, inv.start, inv.young_person_id))
    person = inv.young_person_id[order]
    first = order[np.r_[True, person[1:] != person[:-1]]] if len(order) else order
    lo, hi = np.datetime64(period.cohort_from, "D"), np.datetime64(period.date_to, "D")
    first = first[(inv.start[first] >= lo) & (inv.start[first] <= hi)]
    if period.hub_id is not None:
        first = first[inv.hub_id[first] == period.hub_id]
    support_labels = dict(SupportType.choices)
    return Cohort(
        person_ids=inv.young_person_id[first],
        start=inv.start[first],
        hub=np.array([data.hubs.get(h, "") for h in inv.hub_id[first]], dtype=object),
        support_type=np.array([support_labels.get(s, s) for s in inv.support_type[first]], dtype=object),
        start_quarter=financial_quarter(inv.start[first]),
        still_open=np.isnat(inv.end[first]),
    )


def windows_for(data: Dataset, group: Cohort, indicator: Indicator, nominal: SupportWindows | None = None,
                turns_18: np.ndarray | None = None) -> SupportWindows:
    """The cohort's windows for one indicator: clipped to its source's records, the as-of date and,
    for measures of care, the 18th birthday. ``nominal`` and ``turns_18`` may be passed in when
    already worked out for the cohort."""
    windows = nominal or SupportWindows.around(group.start, data.settings.window_months)
    windows = windows.clip(lo=data.data_start[indicator.source], hi=data.data_end)
    if indicator.stops_at_18:
        if turns_18 is None:
            turns_18 = birthdays(data.dates_of_birth(group.person_ids), 18)
        windows = windows.clip(hi=turns_18)
    return windows


def _status(windows: SupportWindows, before: np.ndarray, after: np.ndarray) -> np.ndarray:
    empty = windows.before.empty | windows.after.empty
    full = windows.before.full & windows.after.full
    missing_value = np.isnan(before) | np.isnan(after)
    return np.select(
        [empty, ~full, missing_value], [NO_WINDOW, PARTIAL, NOT_RECORDED], default=FULL
    ).astype(object)


def _reason(group: Cohort, windows: SupportWindows, indicator: Indicator, turns_18: np.ndarray) -> np.ndarray:
    """Why a window is short: the first reason that applies."""
    reasons = np.full(len(group), "", dtype=object)
    b18 = turns_18 if indicator.stops_at_18 else None
    cut_after = windows.after.hi < windows.after.nominal_hi
    cut_before_start = windows.before.lo > windows.before.nominal_lo
    if b18 is not None:
        at_18 = (windows.after.hi == b18) | (windows.before.hi == b18)
        reasons = np.where((cut_after | (windows.before.hi < windows.before.nominal_hi)) & at_18,
                           "18th birthday", reasons)
    reasons = np.where((reasons == "") & cut_after, "as-of date", reasons)
    reasons = np.where((reasons == "") & cut_before_start, "records begin", reasons)
    return reasons


@dataclass
class BeforeAfter:
    """Every young person's value for every indicator, before and after, in one long table."""

    cohort: Cohort
    values: pl.DataFrame

    def for_indicator(self, key: str) -> pl.DataFrame:
        if "_parts" not in self.__dict__:
            self._parts = {k[0]: frame for k, frame in self.values.partition_by("indicator", as_dict=True).items()} \
                if len(self.values) else {}
        return self._parts.get(key, self.values.clear())


def compute(data: Dataset, period: Period) -> BeforeAfter:
    group = cohort(data, period)
    index = PersonIndex(group.person_ids)
    frames = []
    nominal = SupportWindows.around(group.start, data.settings.window_months)
    turns_18 = birthdays(data.dates_of_birth(group.person_ids), 18)
    for entry in before_after_indicators():
        windows = windows_for(data, group, entry, nominal, turns_18)
        before = entry.compute(data, index, windows.before, "before").astype(float)
        after = entry.compute(data, index, windows.after, "after").astype(float)
        before = np.where(windows.before.empty, np.nan, before)
        after = np.where(windows.after.empty, np.nan, after)
        frames.append(pl.DataFrame({
            "person_id": group.person_ids,
            "indicator": np.full(len(group), entry.key, dtype=object),
            "before": before,
            "after": after,
            "before_days": windows.before.days,
            "after_days": windows.after.days,
            "status": _status(windows, before, after),
            "reason": _reason(group, windows, entry, turns_18),
            "hub": group.hub,
            "support_type": group.support_type,
            "start_quarter": group.start_quarter,
        }, schema_overrides={"indicator": pl.String, "status": pl.String, "reason": pl.String, "hub": pl.String,
                             "support_type": pl.String, "start_quarter": pl.String}, strict=False))
    values = pl.concat(frames) if frames else pl.DataFrame()
    values = values.with_columns(pl.col("before").fill_nan(None), pl.col("after").fill_nan(None))
    return BeforeAfter(cohort=group, values=values)


def summarise(result: BeforeAfter, entry: Indicator, by: str | None = None) -> list[dict]:
    """One summary per group (or one for the cohort): the comparison of the full-window young people,
    and the partial windows beside it."""
    frame = result.for_indicator(entry.key)
    if by is None:
        frame = frame.with_columns(pl.lit("All").alias("group"))
    else:
        frame = frame.with_columns(pl.col(by).alias("group"))
    out = []
    for name in sorted(frame["group"].unique().to_list()):
        part = frame.filter(pl.col("group") == name)
        full = part.filter(pl.col("status") == FULL)
        partial = part.filter(pl.col("status") == PARTIAL)
        before = full["before"].to_numpy().astype(float)
        after = full["after"].to_numpy().astype(float)
        improved = entry.improved(before, after)
        worse = entry.improved(after, before)
        p_before = partial["before"].to_numpy().astype(float)
        p_after = partial["after"].to_numpy().astype(float)
        p_before_years = partial["before_days"].sum() / 365.25
        p_after_years = partial["after_days"].sum() / 365.25
        out.append({
            "group": name,
            "full": len(full),
            "before_total": float(before.sum()) if entry.additive else None,
            "after_total": float(after.sum()) if entry.additive else None,
            "change": (share(after.sum() - before.sum(), before.sum()) if entry.additive else None),
            "before_mean": float(before.mean()) if len(before) else None,
            "after_mean": float(after.mean()) if len(after) else None,
            "before_median": float(np.median(before)) if len(before) else None,
            "after_median": float(np.median(after)) if len(after) else None,
            "improved": int(improved.sum()),
            "same": int((~improved & ~worse).sum()),
            "worse": int(worse.sum()),
            "share_improved": share(int(improved.sum()), len(full)),
            "partial": len(partial),
            "partial_before_total": float(np.nansum(p_before)) if entry.additive else None,
            "partial_after_total": float(np.nansum(p_after)) if entry.additive else None,
            "partial_before_rate": share(np.nansum(p_before), p_before_years) if entry.additive else None,
            "partial_after_rate": share(np.nansum(p_after), p_after_years) if entry.additive else None,
            "partial_before_days": int(partial["before_days"].sum()),
            "partial_after_days": int(partial["after_days"].sum()),
            "no_window": int((part["status"] == NO_WINDOW).sum()),
            "not_recorded": int((part["status"] == NOT_RECORDED).sum()),
            "people_full": ids(full["person_id"].to_list()),
            "people_improved": ids(full.filter(pl.Series(improved))["person_id"].to_list()) if len(full) else (),
            "people_partial": ids(partial["person_id"].to_list()),
            "reasons": dict(partial.group_by("reason").len().iter_rows()),
        })
    return out


def _kind(entry: Indicator) -> str:
    if not entry.additive:
        return "states"
    return "time" if entry.unit in ("days", "hours") else "events"


def figures(result: BeforeAfter) -> list[Figure]:
    """The before-and-after figures of the report."""
    entries = before_after_indicators()
    summaries = {entry.key: summarise(result, entry)[0] if len(result.cohort) else None for entry in entries}
    out = []
    titles = {
        "events": "Events in the 12 months before and after support began",
        "time": "Time looked after, in residential care, out of area and missing, before and after",
    }
    for kind in ("events", "time"):
        chosen = [e for e in entries if _kind(e) == kind]
        rows, people = [], {}
        for entry in chosen:
            s = summaries[entry.key]
            if s is None:
                rows.append([entry.title, 0, None, None, None, None, None, None])
                continue
            rows.append([entry.title, s["full"], s["before_total"], s["after_total"], s["change"],
                         s["before_median"], s["after_median"], s["share_improved"]])
            people[entry.title] = s["people_full"]
            people[f"{entry.title}: improved"] = s["people_improved"]
        out.append(Figure(
            key=f"before_after_{kind}", title=titles[kind], indicator=None,
            columns=["Measure", "Young people (full year each side)", "Before", "After", "Change",
                     "Median before", "Median after", "Share improved"],
            rows=rows, people=people, percent_columns=("Change", "Share improved"),
            chart=_chart([r for r, e in zip(rows, chosen) if e.unit != "hours"], kind),
            headline={e.key: summaries[e.key] for e in chosen},
        ))
        out[-1].notes.append(
            "Before and After are totals over the young people with a full 12 months on both sides; "
            "'Share improved' is the share of them with a lower figure after than before."
        )
    # States: time in education, employment or training, and substance use.
    rows, people = [], {}
    for entry in entries:
        if _kind(entry) != "states" or summaries[entry.key] is None:
            continue
        s = summaries[entry.key]
        rows.append([entry.title, s["full"], s["before_mean"], s["after_mean"], s["share_improved"],
                     share(s["worse"], s["full"]), s["not_recorded"]])
        people[entry.title] = s["people_full"]
        people[f"{entry.title}: improved"] = s["people_improved"]
    states = Figure(
        key="before_after_states", title="Education, employment or training, and substance use",
        indicator=None, columns=["Measure", "Young people compared", "Average before", "Average after",
                                 "Share improved", "Share worse", "Not recorded in a window"],
        rows=rows, people=people, percent_columns=("Share improved", "Share worse"),
        headline={e.key: summaries[e.key] for e in entries if _kind(e) == "states"},
    )
    states.notes.append(
        "Time in education, employment or training is a share of recorded days (higher is better); "
        "substance use is a level from 0 (not using) to 3 (use causing harm; lower is better)."
    )
    out.append(states)
    out.append(substance_change(result))
    out.append(partial_figure(result, entries, summaries))
    for by, label in GROUPINGS.items():
        out.extend(group_figures(result, entries, by, label))
    return out


def _chart(rows: list[list], kind: str) -> Chart:
    """Before and after totals side by side (hours missing stays in the table: another scale)."""
    label = "Days, totalled across the young people" if kind == "time" else "Total across the young people"
    return Chart("bar", [r[0] for r in rows], {"Before": [r[2] or 0 for r in rows], "After": [r[3] or 0 for r in rows]},
                 label, horizontal=True)


def substance_change(result: BeforeAfter) -> Figure:
    """Stopped or reduced: North Yorkshire's measure, as counts and as a share of the whole cohort."""
    frame = result.for_indicator("substance_use").filter(pl.col("status") == FULL)
    using = frame.filter(pl.col("before") > 0)
    stopped = using.filter(pl.col("after") == 0)
    reduced = using.filter((pl.col("after") > 0) & (pl.col("after") < pl.col("before")))
    same = using.filter(pl.col("after") == pl.col("before"))
    more = using.filter(pl.col("after") > pl.col("before"))
    n_cohort = len(result.cohort)
    rows = [
        ["Using at the start and reassessed", len(using), share(len(using), n_cohort)],
        ["Stopped", len(stopped), share(len(stopped), n_cohort)],
        ["Reduced", len(reduced), share(len(reduced), n_cohort)],
        ["No change", len(same), share(len(same), n_cohort)],
        ["Increased", len(more), share(len(more), n_cohort)],
        ["Stopped or reduced", len(stopped) + len(reduced), share(len(stopped) + len(reduced), n_cohort)],
    ]
    people = {
        rows[0][0]: ids(using["person_id"]), "Stopped": ids(stopped["person_id"]),
        "Reduced": ids(reduced["person_id"]), "No change": ids(same["person_id"]),
        "Increased": ids(more["person_id"]),
        "Stopped or reduced": ids(stopped["person_id"].to_list() + reduced["person_id"].to_list()),
    }
    return Figure(
        key="substance_use_change", title="Substance use stopped or reduced", indicator="substance_use",
        columns=["Young people", "Number", "Share of everyone whose support started"], rows=rows,
        people=people, percent_columns=("Share of everyone whose support started",),
        headline={"stopped_or_reduced": rows[-1][1], "share_of_cohort": rows[-1][2], "cohort": n_cohort},
    )


def partial_figure(result: BeforeAfter, entries: list[Indicator], summaries: dict[str, dict | None]) -> Figure:
    """The young people with less than a full window: counted, with rates per person-year."""
    rows, people = [], {}
    for entry in entries:
        s = summaries[entry.key]
        if s is None:
            continue
        reasons = ", ".join(f"{n} {r}" for r, n in sorted(s["reasons"].items()) if r)
        rows.append([entry.title, s["partial"], s["partial_before_days"], s["partial_after_days"],
                     s["partial_before_rate"], s["partial_after_rate"], s["no_window"], reasons])
        people[entry.title] = s["people_partial"]
    figure = Figure(
        key="before_after_partial", title="Young people with less than a full year before or after",
        indicator=None,
        columns=["Measure", "Young people (part of a year)", "Days observed before", "Days observed after",
                 "Rate before (per year)", "Rate after (per year)", "No comparison possible",
                 "Why the window is short"],
        rows=rows, people=people,
    )
    figure.notes.append(
        "These young people are not in the comparison above. Their rates are per year observed "
        "(the total divided by the years of window), so a short window is not read as a fall. "
        "'No comparison possible': a window is empty (support began on the last day, before the "
        "records begin, or, for care, at 18 or over)."
    )
    return figure


def group_figures(result: BeforeAfter, entries: list[Indicator], by: str, label: str) -> list[Figure]:
    """Per hub, support type or start quarter: every measure in the spreadsheet, and a one-row-per-group
    table of the headline measures ("before → after") for the PDF."""
    rows_all, people = [], {}
    by_group: dict[str, dict[str, dict]] = {}
    for entry in entries:
        if not len(result.cohort):
            break
        for s in summarise(result, entry, by):
            by_group.setdefault(s["group"], {})[entry.key] = s
            before = s["before_total"] if entry.additive else s["before_mean"]
            after = s["after_total"] if entry.additive else s["after_mean"]
            rows_all.append([s["group"], entry.title, s["full"], before, after, s["share_improved"], s["partial"]])
            people[f"{s['group']}: {entry.title}"] = s["people_full"]
    full = Figure(
        key=f"before_after_by_{by}", title=f"Before and after, by {label.lower()} (every measure)",
        indicator=None,
        columns=[label, "Measure", "Young people (full year each side)", "Before", "After", "Share improved",
                 "Part of a year"],
        rows=rows_all, people=people, percent_columns=("Share improved",), show_in_pdf=False,
    )
    full.notes.append(
        "Before and After are totals over the young people with a full year each side (averages for "
        "time in education, employment or training and for substance use)."
    )
    headline = [e for e in entries if e.key in HEADLINE]
    compact_rows, compact_people = [], {}
    for group, summaries in sorted(by_group.items()):
        events, care = summaries.get("missing_episodes"), summaries.get("days_looked_after")
        row = [group, f"{events['full'] if events else 0} / {care['full'] if care else 0}"]
        for entry in headline:
            s = summaries.get(entry.key)
            row.append(f"{number(s['before_total'])} → {number(s['after_total'])}" if s and s["full"] else DASH)
        compact_rows.append(row)
        compact_people[group] = tuple(sorted({p for s in summaries.values() for p in s["people_full"]}))
    compact = Figure(
        key=f"before_after_by_{by}_headline", title=f"Before and after, by {label.lower()}",
        indicator=None, columns=[label, "Young people compared (events / care)"] + [e.title for e in headline],
        rows=compact_rows, people=compact_people, show_in_xlsx=False,
    )
    compact.notes.append(
        "Totals in the 12 months before support began → the 12 months after, over the young people with a "
        "full year each side (for measures of care, those under 18 throughout). The spreadsheet has every "
        "measure."
    )
    return [compact, full]
