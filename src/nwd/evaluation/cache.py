"""The dashboard's report, charts and documents, kept for a few minutes per period, hub and cohort.

Why: building a report reads every record once and asks the forecast engine for the cost avoided
(a few seconds at scale 1), and drawing its charts takes a second or two more. A manager who opens
the dashboard, follows a figure to its list and comes back, or downloads the PDF, should wait once,
not every time. Figures a few minutes old are fine for an evaluation; the page says when they were
worked out. Django's cache framework holds them (local memory unless ``CACHES`` says otherwise), for
``NWD_EVIDENCE_CACHE_SECONDS`` (default 300).

The pages never build a report (``peek``): a worker does (``nwd.evaluation.jobs.work_out``), and a
web process keeps what it reads back from the job's output (``keep``). ``report`` builds when
nothing is kept: the worker's path and the command's.

The key holds the as-of date, so a period that runs to today is worked out afresh the next day.
Nothing here checks permissions: the views do, before they ask.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from nwd.evaluation.forms import Choice
from nwd.evaluation.report import Report, build_report, render_pdf, render_xlsx
from nwd.evaluation.web_charts import drawable, inline_svg

VERSION = 1


def seconds() -> int:
    return settings.NWD_EVIDENCE_CACHE_SECONDS


def key(kind: str, choice: Choice) -> str:
    as_of = min(choice.date_to, timezone.localdate())
    cohort = choice.cohort_from.isoformat() if choice.cohort_from else "-"
    return (
        f"nwd:evidence:{VERSION}:{kind}:{choice.date_from.isoformat()}:{choice.date_to.isoformat()}:"
        f"{as_of.isoformat()}:{choice.hub_id or 'all'}:{cohort}"
    )


def _kept(kind: str, choice: Choice, make):
    name = key(kind, choice)
    found = cache.get(name)
    if found is None:
        found = make()
        cache.set(name, found, seconds())
    return found


def peek(kind: str, choice: Choice):
    """What this process keeps for the choice (None if nothing): never builds anything."""
    return cache.get(key(kind, choice))


def keep(kind: str, choice: Choice, value) -> None:
    """Keep what a worker made (read back from its job's output) in this process's cache."""
    cache.set(key(kind, choice), value, seconds())


def report(choice: Choice) -> Report:
    """The report for the choice, built at most once every few minutes."""
    return _kept("report", choice, lambda: build_report(
        choice.date_from, choice.date_to, hub=choice.hub_id, support_from=choice.cohort_from,
    ))


def charts(choice: Choice, built: Report) -> dict[str, str]:
    """Each figure's chart as accessible inline SVG, by figure key (only figures with something to draw)."""
    return _kept("charts", choice, lambda: {
        figure.key: inline_svg(figure.chart, figure.title, prefix=f"chart-{figure.key}")
        for figure in built.figures if drawable(figure.chart)
    })


def pdf(choice: Choice, built: Report) -> bytes:
    return _kept("pdf", choice, lambda: render_pdf(built))


def xlsx(choice: Choice, built: Report) -> bytes:
    return _kept("xlsx", choice, lambda: render_xlsx(built))
