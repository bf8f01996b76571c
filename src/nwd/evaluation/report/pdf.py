"""The cabinet-ready PDF: the report rendered to HTML with a print stylesheet, then by WeasyPrint.

Everything the page needs is inline: the stylesheet, and the charts as SVG in ``data:`` addresses
(as images rather than inline ``<svg>``, which WeasyPrint would also run through its HTML stylesheet
checks). WeasyPrint's URL fetcher is allowed the ``data:`` scheme only, so making a report never
touches the network or the disk.
"""

from __future__ import annotations

import base64

from django.template.loader import render_to_string

from nwd.evaluation.formatting import cell
from nwd.evaluation.report.build import Report
from nwd.evaluation.report.charts import svg


def chart_uri(chart, prefix: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg(chart, prefix=prefix).encode()).decode()


def _drawable(chart) -> bool:
    """A chart with something to draw: categories, and at least one series with a number above 0."""
    return bool(chart and chart.categories and any(any(v for v in values) for values in chart.series.values()))


def context(report: Report) -> dict:
    """What the template shows: the report with its tables written out and charts drawn."""
    definitions = {entry.key: entry for entry in report.definitions()}
    sections = []
    defined: set[str] = set()
    for section in report.sections:
        figures = []
        for figure in section.figures:
            if not figure.show_in_pdf:
                continue
            figures.append({
                "figure": figure,
                "rows": [[cell(figure, i, row) for i in range(len(row))] for row in figure.rows],
                "chart": chart_uri(figure.chart, figure.key) if _drawable(figure.chart) else None,
                "definition": definitions.get(figure.indicator) if figure.indicator not in defined else None,
                "defined_above": figure.indicator in defined,
            })
            if figure.indicator:
                defined.add(figure.indicator)
        sections.append({"section": section, "figures": figures})
    return {
        "report": report,
        "sections": sections,
        "definitions": report.definitions(),
        "coverage": sorted(report.coverage.items()),
    }


def render_html(report: Report) -> str:
    return render_to_string("evaluation/report.html", context(report))


def render_pdf(report: Report) -> bytes:
    """The report as PDF bytes."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    return HTML(string=render_html(report), url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
