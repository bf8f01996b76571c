"""``nwd report --from DATE --to DATE --pdf PATH --xlsx PATH [--hub CODE] [--cohort-from DATE]``.

Writes the cabinet-ready PDF and/or the spreadsheet of every table for a period, and prints the
plain-English summary. Dates are 2025-03-31 or 31/03/2025.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from nwd.evaluation.report import build_report, render_pdf, render_xlsx


def parse_date(text: str) -> dt.date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise CommandError(f"'{text}' is not a date: write it like 2025-03-31 or 31/03/2025.")


class Command(BaseCommand):
    help = "Write the evaluation report for a period: a PDF for cabinet and an XLSX with every table."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", required=True, help="First day of the period.")
        parser.add_argument("--to", dest="date_to", required=True, help="Last day of the period (the as-of date).")
        parser.add_argument("--pdf", help="Where to write the PDF.")
        parser.add_argument("--xlsx", help="Where to write the spreadsheet.")
        parser.add_argument("--hub", help="A hub's code, for one hub's report (default: the whole service).")
        parser.add_argument(
            "--cohort-from", dest="cohort_from",
            help="Compare before and after for support that began from this date (default: --from).",
        )

    def handle(self, *args, **options):
        date_from, date_to = parse_date(options["date_from"]), parse_date(options["date_to"])
        if date_to < date_from:
            raise CommandError("--to must be on or after --from.")
        if not options["pdf"] and not options["xlsx"]:
            raise CommandError("Say where to write the report: --pdf PATH, --xlsx PATH or both.")
        targets = [Path(p) for p in (options["pdf"], options["xlsx"]) if p]
        for target in targets:
            if not target.parent.exists():
                raise CommandError(f"The folder {target.parent} does not exist.")
        try:
            report = build_report(
                date_from, date_to, hub=options["hub"],
                support_from=parse_date(options["cohort_from"]) if options["cohort_from"] else None,
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(report.title)
        for paragraph in report.summary:
            self.stdout.write(f"\n{paragraph}")
        self.stdout.write(f"\nFigures computed in {report.timings['total']:.2f} s.")
        if options["pdf"]:
            start = time.perf_counter()
            Path(options["pdf"]).write_bytes(render_pdf(report))
            self.stdout.write(f"PDF written to {options['pdf']} ({time.perf_counter() - start:.1f} s).")
        if options["xlsx"]:
            start = time.perf_counter()
            Path(options["xlsx"]).write_bytes(render_xlsx(report))
            self.stdout.write(f"Spreadsheet written to {options['xlsx']} ({time.perf_counter() - start:.1f} s).")
