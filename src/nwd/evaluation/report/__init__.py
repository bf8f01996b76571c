"""The evaluation report: build it once, render it as PDF or XLSX, or show it on the dashboard.

    report = build_report(date(2024, 4, 1), date(2025, 3, 31), hub=None)
    pdf_bytes = render_pdf(report)
    xlsx_bytes = render_xlsx(report)
    report.people("stayed_out_of_care", "Supported by the service")  # YoungPerson ids
"""

from nwd.evaluation.report.build import Report, Section, build_report
from nwd.evaluation.report.pdf import render_html, render_pdf
from nwd.evaluation.report.xlsx import render_xlsx

__all__ = ["Report", "Section", "build_report", "render_html", "render_pdf", "render_xlsx"]
