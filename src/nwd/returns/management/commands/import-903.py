"""``nwd import-903 PATH... --as USERNAME [--dry-run] [--skip-invalid] [--year 2025-26]``: import an SSDA903 return.

One name, the one the docs use (Django finds commands by file name, and a hyphen is allowed there).
``--as`` is required, as for ``nwd export-903``: the import reads (and, but for ``--dry-run``,
writes) young people's records, so a named user holding ``returns.import_903`` does it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from nwd.access.run_as import named_user
from nwd.returns.importer import PERMISSION, import_return
from nwd.returns.problems import EXAMPLES_PER_RULE
from nwd.returns.reporting import report_lines, write_report_csv


class Command(BaseCommand):
    help = (
        "Import an SSDA903 return (CSV files or the XML form, one or several years; folders are searched) "
        "into the database, in one transaction. A return with errors imports nothing unless --skip-invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="Files or folders of the return.")
        parser.add_argument("--dry-run", action="store_true", dest="dry_run",
                            help="Only check, and count what would change; write nothing.")
        parser.add_argument("--skip-invalid", action="store_true", dest="skip_invalid",
                            help="Import what is valid, leaving out (and listing) each child with an error.")
        parser.add_argument("--year", default=None,
                            help="The collection year of every file, such as 2025-26 (default: from names and dates).")
        parser.add_argument("--la", default=None, metavar="NAME",
                            help="The council to import, when the files hold several councils' returns (an LA "
                                 "column); without it such files are refused and the councils listed.")
        parser.add_argument("--as", dest="username", required=True,
                            help="Run as this user (needs returns.import_903): named on the records and in "
                                 "the audit log.")
        parser.add_argument("--report", default=None, metavar="CSV",
                            help="Also write every problem and left-out row to this CSV file.")
        parser.add_argument("--all-warnings", action="store_true", dest="all_warnings",
                            help="List every warning (by default: a count per rule and the first examples).")
        parser.add_argument("--examples", type=int, default=None, metavar="N",
                            help="List at most N problems of each rule (default 20); the counts by rule "
                                 "cover every one, and --report writes them all.")

    def handle(self, *args, paths, dry_run, skip_invalid, year, username, report, all_warnings, examples,
               la=None, **options):

        if examples is not None and examples < 0:
            raise CommandError("--examples needs a number of 0 or more.")

        user = named_user(username, PERMISSION)
        try:
            result = import_return(paths, collection_year=year, dry_run=dry_run, skip_invalid=skip_invalid,
                                   user=user, la=la)
        except (ValueError, PermissionDenied) as error:
            raise CommandError(str(error)) from None
        councils = [p.message for p in result.errors if p.rule == "NWD-LA"]
        if councils:
            raise CommandError(f"Nothing was imported: {'; '.join(councils)}")
        for line in report_lines(result, warnings_in_full=all_warnings,
                                 examples=EXAMPLES_PER_RULE if examples is None else examples):
            self.stdout.write(line)
        if report:
            self.stdout.write(f"Report written to {write_report_csv(result, report)}")
        if result.refused:
            raise CommandError("Nothing was imported.")
