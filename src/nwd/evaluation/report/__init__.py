"""The evaluation report: build it once, render it as PDF or XLSX, or show it on the dashboard.

    report = build_report(date(2025, 4, 1), date(2026, 3, 31), hub=None, support_from=None)
    pdf_bytes = render_pdf(report)          # cabinet-ready, aggregates only
    xlsx_bytes = render_xlsx(report)        # every table, cells escaped
    for section in report.sections:         # what a dashboard page lays out
        for figure in section.figures:      # nwd.evaluation.figures.Figure: columns, rows, chart, notes
            ...
    report.people("stayed_out_of_care", "Supported by the service")  # YoungPerson ids behind a row
    report.people("stayed_out_of_care")                               # ... behind the whole figure

Definitions for a figure: ``nwd.evaluation.registry.indicator(figure.indicator)``. Numbers as text:
``nwd.evaluation.formatting.cell(figure, column, row)``. The ids are for links to lists that the
dashboard filters by the viewer's permissions; nothing here checks permissions, and the documents
never contain ids, names or council child ids.
"""

from nwd.evaluation.report.build import Report, Section, build_report
from nwd.evaluation.report.pdf import render_html, render_pdf
from nwd.evaluation.report.xlsx import render_xlsx

__all__ = ["Report", "Section", "build_report", "render_html", "render_pdf", "render_xlsx"]
