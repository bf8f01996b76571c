"""A report on a service with no records yet: every sentence still reads, nothing fails."""

import datetime as dt
import io

import openpyxl
import pytest

from nwd.evaluation.report import build_report, render_html, render_xlsx

pytestmark = pytest.mark.django_db
FROM, TO = dt.date(2023, 4, 1), dt.date(2025, 3, 31)


def test_an_empty_service_still_gives_a_readable_report(no_forecast):
    report = build_report(FROM, TO)
    assert report.cohort_size == 0 and report.go_live is None
    assert "No referrals were received in the period." in report.summary
    assert any("there is no before-and-after comparison" in p for p in report.summary)
    html = render_html(report)
    assert "Nothing to show for this period." in html or "<table>" in html
    openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))
