"""``nwd export-903 --year 2025-26 OUTDIR --as USERNAME``: write a year's SSDA903 return from the database.

Producing the return needs the permission ``returns.export_903``, so the command runs as a named
user (``--as``, required) and the export is recorded in the audit log, one line for the export and
one per child in it.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from nwd.access.run_as import named_user
from nwd.codelists.codes import year_start
from nwd.returns.exporter import PERMISSION, export_year, years_held
from nwd.returns.reporting import by_rule


class Command(BaseCommand):
    help = ("Write the SSDA903 return of a collection year from the database: Header.csv, Episodes.csv, "
            "Missing.csv, UASC.csv (and Reviews, OC2, OC3 where held), checked against the year's rules.")

    def add_arguments(self, parser):
        parser.add_argument("outdir", metavar="OUTDIR", help="The folder to write the CSV files into.")
        parser.add_argument("--year", action="append", dest="years", default=[],
                            help="The collection year, such as 2025-26. Give it again for more years (each "
                                 "then goes into OUTDIR/<year>/).")
        parser.add_argument("--all-years", action="store_true", dest="all_years",
                            help="Every year the database holds episodes for, each into OUTDIR/<year>/.")
        parser.add_argument("--as", dest="username", required=True,
                            help="The user producing the return (needs returns.export_903); recorded in the audit log.")

    def handle(self, *args, outdir, years, all_years, username, **options):

        user = named_user(username, PERMISSION)
        if all_years:
            years = years_held()
        if not years:
            raise CommandError("Say which collection year: --year 2025-26 (or --all-years).")
        for year in years:
            try:
                year_start(year)
            except ValueError as error:
                raise CommandError(str(error)) from None
        errors = 0
        for year in years:
            folder = Path(outdir) / year if len(years) > 1 else Path(outdir)
            result, files = export_year(year, folder, user)
            rows = ", ".join(f"{table} {count}" for table, count in result.counts.items())
            self.stdout.write(f"{year}: wrote {len(files)} files to {folder} ({rows})")
            for p in result.errors:
                self.stdout.write(f"  {p.message}")
            for rule, severity, count, example in by_rule([p for p in result.problems if not p.is_error]):
                self.stdout.write(f"  {severity} rule {rule}: {count} rows, for example {example.message}")
            errors += len(result.errors)
        if errors:
            raise CommandError(f"The return was written but has {errors} error{'s' if errors != 1 else ''} "
                               "(listed above): fix them in the records before submitting it.")
