"""``nwd annex-a --date DATE --xlsx PATH --as USERNAME``: Ofsted's Annex A List 8 and List 9 as a spreadsheet.

The lists name every child in care and every care leaver, so the command runs as a named user who
holds ``leavers.annex_a`` (``--as``, required) and the export is recorded in the audit log: one line
for the export and one per young person in it.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from nwd.access.run_as import named_user
from nwd.core import dates
from nwd.leavers.annex_a import PERMISSION, blank_columns, export


class Command(BaseCommand):
    help = "Write Ofsted's Annex A lists this platform can fill (List 8 children in care, List 9 care leavers)."

    def add_arguments(self, parser):
        parser.add_argument("--date", required=True, help="The date the lists are as at, as YYYY-MM-DD or DD/MM/YYYY.")
        parser.add_argument("--xlsx", required=True, dest="path", help="The spreadsheet to write.")
        parser.add_argument("--as", dest="username", required=True,
                            help="The user producing the lists (needs leavers.annex_a); recorded in the audit log.")

    def handle(self, *args, date, path, username, **options):
        user = named_user(username, PERMISSION)
        on = None
        for form in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                on = dt.datetime.strptime(date, form).date()
                break
            except ValueError:
                continue
        if on is None:
            raise CommandError(f"'{date}' is not a date: write it as 2026-03-31 or 31/03/2026.")
        if on > dates.today():
            raise CommandError("The date cannot be in the future: the lists say what the records held on it.")
        result = export(on, path, user)
        self.stdout.write(f"Wrote {path}: List 8 {len(result.list_8)} children ({result.looked_after_on_date} looked "
                          f"after on {on:%d/%m/%Y}, {result.left_in_six_months} left in the 6 months before), "
                          f"List 9 {len(result.list_9)} care leavers.")
        for sheet, names in blank_columns().items():
            self.stdout.write(f"  {sheet}: left blank (the records do not hold them): {'; '.join(names)}")
