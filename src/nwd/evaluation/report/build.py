"""Building a report: every figure of a period, computed from one read of the records.

``build_report`` is what the ``nwd report`` command and the dashboard both call. It returns a
``Report``: plain data (sections of figures, a plain-English summary, what the data covers), which
``render_pdf`` and ``render_xlsx`` turn into documents and the dashboard into pages. The young people
behind each figure travel with it as database ids (``Report.people``) for the dashboard's links; the
documents never print them.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from django.utils import timezone

from nwd.evaluation import before_after, queries
from nwd.evaluation.figures import Figure, Period
from nwd.evaluation.params import EvaluationSettings, current
from nwd.evaluation.registry import SECTIONS, Indicator, indicators
from nwd.evaluation.report.summary import summary
from nwd.hubs.models import Hub

SECTION_INTROS = {
    "referrals": (
        "Every referral ends in support or a warm handover to a named service: nobody is turned away "
        "with nothing. These figures show what happened to the referrals of the period and how many of "
        "the young people referred while not looked after have stayed out of care."
    ),
    "before_after": (
        "each measure is counted in the 12 months before support began and the 12 months after. Only young people with a full year on "
        "both sides are compared; the rest are shown separately, so nobody is left out silently. An "
        "event on the day support began counts in the year after."
    ),
    "trial": (
        "The national No Wrong Door trial asks whether young people referred at 12 to 17 become looked "
        "after within 18 months. The same measure is computed here from the council's records."
    ),
    "care": "The whole council's care population: entries to care and where children are placed.",
    "team": (
        "The service promises one key worker who stays, and hub stays that are short and planned. "
        "These figures check both."
    ),
    "money": (
        "What the council's placements cost, week by week, and the cost the service has avoided "
        "against the savings target, where the forecast engine gives one."
    ),
}


@dataclass
class Section:
    key: str
    title: str
    intro: str
    figures: list[Figure]


@dataclass
class Report:
    """A period's evaluation, ready to render or to show on the dashboard."""

    period: Period
    as_of: dt.date
    generated_at: dt.datetime
    go_live: dt.date | None
    settings: EvaluationSettings
    sections: list[Section]
    summary: list[str] = field(default_factory=list)
    coverage: dict[str, dt.date] = field(default_factory=dict)
    cohort_size: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def figures(self) -> list[Figure]:
        return [figure for section in self.sections for figure in section.figures]

    def figure(self, key: str) -> Figure:
        for figure in self.figures:
            if figure.key == key:
                return figure
        raise KeyError(f"The report has no figure {key!r}.")

    def people(self, figure_key: str, row: str | None = None) -> list[int]:
        """The ids (``YoungPerson.pk``) of the young people behind a figure, or one row of it.

        The dashboard turns them into a list filtered by what the viewer may see; nothing here
        checks permissions. ``Figure.people`` names the rows that have a list.
        """
        figure = self.figure(figure_key)
        if row is not None:
            if row not in figure.people:
                raise KeyError(f"{figure_key} has no list of young people for {row!r}.")
            return list(figure.people[row])
        return sorted({pid for group in figure.people.values() for pid in group})

    def definitions(self) -> list[Indicator]:
        """The indicators this report's figures use, in the order of the registry."""
        used = {figure.indicator for figure in self.figures if figure.indicator}
        if any(figure.key.startswith("before_after") for figure in self.figures):
            used |= {key for key, entry in indicators().items() if entry.kind == "before_after"}
        return [entry for key, entry in indicators().items() if key in used]

    @property
    def title(self) -> str:
        where = self.period.hub_name or "No Wrong Door"
        return f"{where}: outcomes and money, {self.period.date_from:%-d %B %Y} to {self.period.date_to:%-d %B %Y}"


def _hub(hub) -> tuple[int | None, str | None]:
    if hub is None:
        return None, None

    if isinstance(hub, Hub):
        return hub.pk, hub.name
    found = Hub.objects.filter(pk=hub).values_list("pk", "name").first() if isinstance(hub, int) else (
        Hub.objects.filter(code=hub).values_list("pk", "name").first()
    )
    if found is None:
        raise ValueError(f"There is no hub {hub!r}.")
    return found


def build_report(
    date_from: dt.date, date_to: dt.date, hub=None, support_from: dt.date | None = None, **settings_overrides
) -> Report:
    """Compute every figure for the period ``[date_from, date_to]`` (inclusive), for one hub or all.

    ``hub`` is a ``Hub``, its primary key or its code. ``support_from`` widens the before-and-after
    cohort to support that began from that date (default: ``date_from``). The as-of date is the last day of the
    period (or today, if that is sooner): records dated later are left out, so the report for a
    past period comes out the same whenever it is run. Settings overrides (see
    ``nwd.evaluation.params``) are for tests and what-if runs.
    """
    if date_to < date_from:
        raise ValueError("The end of the period must be on or after its start.")
    if support_from is not None and support_from > date_to:
        raise ValueError("The before-and-after cohort must begin on or before the end of the period.")
    clock = time.perf_counter()
    timings: dict[str, float] = {}
    settings = current(**settings_overrides)
    as_of = min(date_to, timezone.localdate())
    hub_id, hub_name = _hub(hub)
    period = Period(date_from, as_of, hub_id, hub_name, support_from)
    data = queries.load(as_of, settings)
    timings["read"] = time.perf_counter() - clock
    registry = indicators()
    by_section: dict[str, list[Figure]] = {key: [] for key in SECTIONS}
    for entry in registry.values():
        if entry.kind != "period":
            continue
        start = time.perf_counter()
        by_section[entry.section].extend(entry.compute(data, period))
        timings[entry.key] = time.perf_counter() - start
    start = time.perf_counter()
    result = before_after.compute(data, period)
    by_section["before_after"] = before_after.figures(result) + by_section["before_after"]
    timings["before_after"] = time.perf_counter() - start
    intros = dict(SECTION_INTROS)
    intros["before_after"] = (
        f"For each of the {len(result.cohort)} young people whose support began between "
        f"{period.cohort_from:%-d %B %Y} and {period.date_to:%-d %B %Y}, " + intros["before_after"]
    )
    sections = [Section(key, title, intros[key], by_section[key]) for key, title in SECTIONS.items()]
    report = Report(
        period=period, as_of=as_of, generated_at=timezone.now(), go_live=data.go_live, settings=settings,
        sections=sections, cohort_size=len(result.cohort),
        coverage={source: day.astype(dt.date) for source, day in data.data_start.items()},
    )

    report.summary = summary(report)
    timings["total"] = time.perf_counter() - clock
    report.timings = timings
    return report
