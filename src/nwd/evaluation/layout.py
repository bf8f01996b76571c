"""The report laid out for the dashboard: headline numbers, then each section's figures as tables and charts.

Views parse and render; this module decides what the page shows of a ``Report``, so the template
stays a loop. Numbers are written by ``nwd.evaluation.formatting`` (as in the PDF). Links to the young
people behind a figure are made only when the page may show them (``named=True``: the viewer holds
``evaluation.view_named_lists``); they carry the figure's key and row, never ids, and the list page
checks, person by person, whom the viewer may see. With ``named=False`` (the analyst's view) the
page has the same figures and no links.

How a figure's lists meet its table: ``Figure.people`` is keyed by row label ("Hub stay"), by
"label: part" for part of a row ("Missing episodes: improved"), or by "label: measure" for tables
with two label columns ("Norwich hub: Arrests"). Keys that match no row are listed under the table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from numbers import Number
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from nwd.evaluation.figures import Figure
from nwd.evaluation.formatting import DASH, cell, change, count, number, percent, pounds
from nwd.evaluation.forms import Choice
from nwd.evaluation.registry import Indicator
from nwd.evaluation.report import Report
from nwd.evaluation.web_charts import data_table


@dataclass
class Link:
    text: str
    url: str
    count: int


@dataclass
class Cell:
    text: str
    numeric: bool


@dataclass
class Row:
    label: str
    cells: list[Cell]
    link: Link | None = None
    parts: list[Link] = field(default_factory=list)


@dataclass
class FigureView:
    figure: Figure
    header: list[Cell]
    rows: list[Row]
    chart: str | None = None
    chart_table: tuple[list[str], list[list[str]]] | None = None
    definition: Indicator | None = None
    other_lists: list[Link] = field(default_factory=list)
    everyone: Link | None = None

    @property
    def key(self) -> str:
        return self.figure.key


@dataclass
class SectionView:
    key: str
    title: str
    intro: str
    figures: list[FigureView]
    # Long tables the PDF leaves to the spreadsheet (every measure by hub, week by week): the page
    # leaves them there too, so it stays quick to load and to read. Their titles are listed.
    in_spreadsheet_only: list[str] = field(default_factory=list)


@dataclass
class Headline:
    label: str
    value: str
    detail: str
    figure: str
    link: Link | None = None


@dataclass
class Page:
    report: Report
    headlines: list[Headline]
    sections: list[SectionView]
    definitions: list[Indicator]
    named: bool


def list_url(choice: Choice, figure: str, row: str | None) -> str:
    params = {**choice.params, "figure": figure}
    if row is not None:
        params["row"] = row
    return f"{reverse('evaluation:people')}?{urlencode(params)}"


def _link(choice: Choice, figure: Figure, row: str | None, text: str, named: bool) -> Link | None:
    if not named:
        return None
    people = figure.people.get(row, ()) if row is not None else {p for group in figure.people.values() for p in group}
    if not people:
        return None
    return Link(text, list_url(choice, figure.key, row), len(people))


def _numeric(value: Any) -> bool:
    return isinstance(value, Number) and not isinstance(value, bool)


def _rows(figure: Figure, choice: Choice, named: bool, numeric: list[bool]) -> tuple[list[Row], list[Link]]:
    rows = []
    used: set[str] = set()
    candidates = []
    for values in figure.rows:
        label = str(values[0])
        keys = [label]
        if len(values) > 1 and isinstance(values[1], str):
            keys.append(f"{label}: {values[1]}")  # a table with two label columns: hub and measure
        candidates.append([k for k in keys if k in figure.people])
    for values, keys in zip(figure.rows, candidates, strict=True):
        label = str(values[0])
        cells = [Cell(cell(figure, i, values), numeric[i]) for i in range(1, len(values))]
        row = Row(label, cells)
        if keys:
            exact = keys[-1]  # the most specific: "hub: measure" over "hub"
            used.add(exact)
            row.link = _link(choice, figure, exact, label, named)
        rows.append(row)
    exact_keys = {k for keys in candidates for k in keys}
    for row in rows:
        prefix = f"{row.label}: "
        for key in figure.people:
            if key in exact_keys or key in used or not key.startswith(prefix):
                continue
            used.add(key)
            part = _link(choice, figure, key, key[len(prefix):], named)
            if part is not None:
                row.parts.append(part)
    others = []
    for key in figure.people:
        if key not in used and key not in exact_keys:
            link = _link(choice, figure, key, key, named)
            if link is not None:
                others.append(link)
    return rows, others


def _numeric_columns(figure: Figure) -> list[bool]:
    """Columns of numbers (right-aligned, as GOV.UK tables do): any number in them, the label column never."""
    return [bool(i) and any(_numeric(values[i]) for values in figure.rows) for i in range(len(figure.columns))]


def _everyone(figure: Figure, choice: Choice, named: bool) -> Link | None:
    """A link to everyone behind the figure, unless one of its rows already is everyone."""
    everyone = {p for group in figure.people.values() for p in group}
    if len(figure.people) < 2 or any(len(group) == len(everyone) for group in figure.people.values()):
        return None
    return _link(choice, figure, None, "everyone", named)


def _chart_heading(figure: Figure) -> str:
    labels = {str(values[0]) for values in figure.rows}
    return figure.columns[0] if figure.chart and set(figure.chart.categories) <= labels else "Period"


def figure_view(figure: Figure, choice: Choice, charts: dict[str, str], named: bool,
                definitions: dict[str, Indicator]) -> FigureView:
    numeric = _numeric_columns(figure)
    rows, others = _rows(figure, choice, named, numeric)
    chart = charts.get(figure.key)
    return FigureView(
        figure=figure, header=[Cell(title, numeric[i]) for i, title in enumerate(figure.columns)], rows=rows,
        chart=chart,
        chart_table=data_table(figure.chart, _chart_heading(figure)) if chart else None,
        definition=definitions.get(figure.indicator) if figure.indicator else None,
        other_lists=others,
        everyone=_everyone(figure, choice, named),
    )


def _headline_links(report: Report, choice: Choice, named: bool, figure_key: str, row: str) -> Link | None:
    figure = report.figure(figure_key)
    return _link(choice, figure, row, "See who", named) if row in figure.people else None


def headlines(report: Report, choice: Choice, named: bool) -> list[Headline]:
    """The handful of numbers at the top of the page, each pointing to its figure (and list).

    The service's outcomes, the ones its evaluations are read for (referrals, staying out of care,
    the trial's measure, missing episodes and arrests before and after) and the cost avoided; the
    council's spend is under Money.
    """
    out = []
    decisions = report.figure("referral_decisions").headline
    out.append(Headline(
        "referrals received", number(decisions.get("referrals", 0)),
        f"{number(decisions.get('supported', 0))} taken on for support, "
        f"{number(decisions.get('handovers', 0))} handed over to a named service",
        "referral_decisions", _headline_links(report, choice, named, "referral_decisions", "All referrals"),
    ))
    stayed = report.figure("stayed_out_of_care").headline
    out.append(Headline(
        "stayed out of care", percent(stayed.get("share")),
        f"of the {count(stayed.get('referred', 0), 'young person', 'young people')} referred while not looked after"
        + (f", after a median of {number(stayed['median_follow_up_months'])} months"
           if stayed.get("median_follow_up_months") is not None else ""),
        "stayed_out_of_care",
        _headline_links(report, choice, named, "stayed_out_of_care", "All referred while not looked after"),
    ))
    trial = (report.figure("trial_outcome").headline or {}).get("service") or {}
    out.append(Headline(
        "looked after within 18 months of a referral at 12 to 17", percent(trial.get("km")),
        (f"95% interval {percent(trial.get('km_lower'))} to {percent(trial.get('km_upper'))}; "
         f"{count(trial.get('referred', 0), 'young person', 'young people')} referred")
        if trial.get("referred") else "nobody referred at 12 to 17 in the period",
        "trial_outcome", _headline_links(report, choice, named, "trial_outcome", "Service: became looked after"),
    ))
    events = report.figure("before_after_events").headline
    for measure, row, label in (("missing_episodes", "Missing episodes", "missing episodes"),
                                ("arrests", "Arrests", "arrests")):
        h = events.get(measure) or {}
        full = h.get("full") or 0
        out.append(Headline(
            f"{label}, the year after support began against the year before",
            change(h.get("before_total"), h.get("after_total")) if full else DASH,
            (f"{number(h.get('before_total'))} before, {number(h.get('after_total'))} after, for the "
             f"{count(full, 'young person', 'young people')} with a full year either side")
            if full else "nobody has a full year either side yet",
            "before_after_events", _headline_links(report, choice, named, "before_after_events", row),
        ))
    avoided = report.figure("cost_avoided").headline
    out.append(Headline(
        "cost avoided since the service began (modelled)",
        pounds(avoided.get("amount"), short=True) if avoided.get("available") else DASH,
        (f"{pounds(avoided.get('net'), short=True)} net of the service's cost, against a target of "
         f"{pounds(avoided.get('target'), short=True)}")
        if avoided.get("available") else "the forecast engine has no estimate for this period",
        "cost_avoided",
    ))
    return out


def page(report: Report, choice: Choice, charts: dict[str, str], named: bool) -> Page:
    definitions = {entry.key: entry for entry in report.definitions()}
    sections = [
        SectionView(
            section.key, section.title, section.intro,
            [figure_view(figure, choice, charts, named, definitions) for figure in section.figures if figure.show_in_pdf],
            [figure.title for figure in section.figures if not figure.show_in_pdf and figure.show_in_xlsx],
        )
        for section in report.sections
    ]
    return Page(report, headlines(report, choice, named), sections, report.definitions(), named)

