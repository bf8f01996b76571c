"""The report: built from a small county, rendered to PDF (pages checked by rendering them) and XLSX.

The synthetic county at scale 1 is in test_county.py; this file keeps to a small hand-made county
so that it runs in seconds and checks the details (escaping, no names, the people behind figures).
"""

import datetime as dt
import io

import numpy as np
import openpyxl
import pypdfium2
import pytest
from django.core.management import call_command
from django.db import transaction

from nwd.casework.models import YoungPerson
from nwd.evaluation.report import build_report, render_pdf, render_xlsx
from tests.evaluation import builders as b

pytestmark = pytest.mark.django_db
D = dt.date
FROM, TO = D(2023, 4, 1), D(2025, 3, 31)
HEADINGS = [
    "Summary", "Referrals and decisions", "Before and after support", "The national trial's outcome",
    "Care in the council", "The team around the young person", "Money", "About the figures", "Definitions",
]


@pytest.fixture(scope="module")
def small_county(django_db_setup, django_db_blocker):
    """The small county, written once for this module inside a transaction rolled back at its end
    (each test's own changes are rolled back after the test, as usual)."""
    with django_db_blocker.unblock(), transaction.atomic():
        made = b.small_county()
        # Distinctive names and ids, to prove they never reach the documents.
        for young in made["people"][:3]:
            young.given_name, young.family_name = "Zebedee", "Quillfeather"
            young.child_id = f"CHX{young.pk:05d}"
            young.save()
        yield made
        transaction.set_rollback(True)


@pytest.fixture
def small(small_county, no_forecast):
    return small_county


def pdf_pages(pdf: bytes) -> tuple[int, list[str], list[float]]:
    """Page count, each page's text, and each page's share of non-white pixels (rendered)."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        texts, ink = [], []
        for page in document:
            texts.append(page.get_textpage().get_text_range())
            pixels = np.asarray(page.render(scale=0.3).to_pil().convert("L"))
            ink.append(float((pixels < 200).mean()))
        return len(document), texts, ink
    finally:
        document.close()


def test_build_report_reads_a_fixed_number_of_queries(small, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        report = build_report(FROM, TO)
    assert report.as_of == TO
    assert report.cohort_size > 0
    assert report.figure("referral_decisions").headline["referrals"] > 0


def test_the_pdf_pages_render_with_headings_and_figures_and_no_names(small):
    report = build_report(FROM, TO)
    pages, texts, ink = pdf_pages(render_pdf(report))
    assert pages >= 10
    assert all(share > 0.002 for share in ink), f"a blank page: {ink}"
    text = "\n".join(texts)
    for heading in HEADINGS:
        assert heading in text
    assert "What happened to the referrals received" in text
    assert "Definition." in text
    assert "Page 1 of" in texts[0]
    assert "Cost avoided is not shown" in text  # no forecast linked: said plainly, nothing invented
    summary_page = next(t for t in texts if "Summary" in t)
    assert "The service received" in summary_page
    # Aggregates only: no names or council child ids, in the PDF or the spreadsheet.
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))
    cells = [str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
    forbidden = ["Zebedee", "Quillfeather", "CHX"] + list(YoungPerson.objects.values_list("child_id", flat=True))
    for word in forbidden:
        assert word not in text, word
        assert not any(word in c for c in cells), word


def test_the_spreadsheet_has_every_table_and_escapes_text(small):
    hub = small["hubs"][0]
    hub.name = '=HYPERLINK("http://example.org","x")'
    hub.save()
    report = build_report(FROM, TO)
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))
    assert book.sheetnames[:2] == ["About", "Contents"]
    assert book.sheetnames[-1] == "Definitions"
    for figure in report.figures:
        assert (figure.key[:31] in book.sheetnames) == figure.show_in_xlsx
    by_hub = book["before_after_by_hub"]
    labels = [row[0].value for row in by_hub.iter_rows(min_row=5) if row[0].value]
    assert "'=HYPERLINK(\"http://example.org\",\"x\")" in labels
    assert all(c.data_type != "f" for sheet in book for row in sheet.iter_rows() for c in row)
    decisions = book["referral_decisions"]
    assert decisions["A4"].value == "Decision" and decisions["C5"].number_format == "0.0%"


def test_the_people_behind_each_figure(small):
    report = build_report(FROM, TO)
    everyone = set(YoungPerson.objects.values_list("pk", flat=True))
    for figure in report.figures:
        assert set(report.people(figure.key)) <= everyone
    referred = report.people("referral_decisions", "All referrals")
    assert len(referred) == len(set(referred)) > 0
    with pytest.raises(KeyError):
        report.people("referral_decisions", "No such row")
    assert report.people("placement_spend") == []  # money is never broken down by child


def test_one_hub_only(small):
    breckland = small["hubs"][0]
    report = build_report(FROM, TO, hub=breckland.code)
    assert report.period.hub_name == "Breckland"
    assert report.title.startswith("Breckland: outcomes and money")
    whole = build_report(FROM, TO)
    assert report.cohort_size < whole.cohort_size


def test_the_report_command_writes_both_files(small, tmp_path, monkeypatch):
    # The PDF itself is checked above; here only that the command writes what render_pdf gives.
    monkeypatch.setattr("nwd.evaluation.report.render_pdf", lambda report: b"%PDF-1.7 rendered")
    pdf, xlsx = tmp_path / "report.pdf", tmp_path / "report.xlsx"
    out = io.StringIO()
    call_command("report", "--from", "01/04/2023", "--to", "2025-03-31", "--pdf", str(pdf), "--xlsx", str(xlsx),
                 stdout=out, skip_checks=True)
    assert pdf.read_bytes() == b"%PDF-1.7 rendered"
    assert xlsx.read_bytes().startswith(b"PK")
    assert "The service received" in out.getvalue()


def test_the_report_command_explains_bad_input(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="is not a date"):
        call_command("report", "--from", "yesterday", "--to", "2025-03-31", "--pdf", str(tmp_path / "r.pdf"),
                     skip_checks=True)
    with pytest.raises(CommandError, match="Say where to write"):
        call_command("report", "--from", "2025-01-01", "--to", "2025-03-31", skip_checks=True)
    with pytest.raises(CommandError, match="There is no hub"):
        call_command("report", "--from", "2025-01-01", "--to", "2025-03-31", "--hub", "atlantis",
                     "--xlsx", str(tmp_path / "r.xlsx"), skip_checks=True)

