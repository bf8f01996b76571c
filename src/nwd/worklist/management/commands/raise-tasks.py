"""``nwd raise-tasks [--date DATE]``: run the clocks now (the worker runs them every NWD_CLOCKS_EVERY_SECONDS).

Raises a task for each condition due and not raised before, and closes those whose condition is met;
running it twice raises nothing twice.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from nwd.worklist import clocks


class Command(BaseCommand):
    help = "Raise the tasks the clocks say are due (plan reviews, referral decisions, pathway plan reviews, adviser contacts)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Run the clocks as of this day (YYYY-MM-DD or DD/MM/YYYY); default today.")

    def handle(self, *args, date=None, **options):
        today = None
        for form in ("%Y-%m-%d", "%d/%m/%Y"):
            if date:
                try:
                    today = dt.datetime.strptime(date, form).date()
                    break
                except ValueError:
                    continue
        if date and today is None:
            raise CommandError(f"'{date}' is not a date: write it as 2026-03-31 or 31/03/2026.")
        counts = clocks.run(today)
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count['raised']} raised, {count['closed']} closed")
