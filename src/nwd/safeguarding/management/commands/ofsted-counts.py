"""``nwd ofsted-counts --hub NAME --from DATE --to DATE [--json PATH]``: Ofsted's counts for a hub and period.

Counts only (no names): children admitted, left and resident; restraints and the children involved;
missing and away episodes and the children involved; children at risk of sexual exploitation; with
the regulation 40 notifications and the return interviews offered in time.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from nwd.hubs.models import Hub
from nwd.safeguarding.queries import ofsted_counts


def _date(text: str, what: str) -> dt.date:
    for form in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, form).date()
        except ValueError:
            continue
    raise CommandError(f"{what} '{text}' is not a date: write it as 2026-03-31 or 31/03/2026.")


class Command(BaseCommand):
    help = "Print Ofsted's counts for a hub (a children's home) over a period, and optionally write them as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--hub", required=True, help="The hub's name or code.")
        parser.add_argument("--from", dest="start", required=True, help="The first day, as YYYY-MM-DD or DD/MM/YYYY.")
        parser.add_argument("--to", dest="end", required=True, help="The last day, as YYYY-MM-DD or DD/MM/YYYY.")
        parser.add_argument("--json", dest="path", help="Also write the counts to this JSON file.")

    def handle(self, *args, hub, start, end, path=None, **options):
        home = Hub.objects.filter(Q(name__iexact=hub) | Q(code__iexact=hub)).first()
        if home is None:
            names = ", ".join(Hub.objects.order_by("name").values_list("name", flat=True)) or "none"
            raise CommandError(f"No hub called '{hub}'. The hubs: {names}.")
        first, last = _date(start, "--from"), _date(end, "--to")
        if last < first:
            raise CommandError("--to must be on or after --from.")
        result = ofsted_counts(home, first, last)
        self.stdout.write(f"{home.name}, {first:%d/%m/%Y} to {last:%d/%m/%Y}")
        for label, value in result.rows():
            self.stdout.write(f"  {label}: {value}")
        if path:
            Path(path).write_text(json.dumps(result.as_json(), indent=2) + "\n", encoding="utf-8")
            self.stdout.write(f"Wrote {path}")
