"""``nwd synth``: write a deterministic synthetic county into the database."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from nwd.synth.county import CountyExists, generate


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"'{text}' is not a date: write it as YYYY-MM-DD, for example 2025-03-31.") from None


class Command(BaseCommand):
    help = (
        "Write a synthetic county (generated names, no real records): scale 1 is two hubs, about 350 "
        "young people referred over three years and about 1,100 looked-after children."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0,
                            help="How big: 1 is the council in the domain notes, 10 is ten times it, 0.2 a fifth.")
        parser.add_argument("--seed", type=int, default=2021, help="The same seed gives the same county.")
        parser.add_argument("--as-of", type=_date, default=None, dest="as_of",
                            help="The last day anything is dated (default today; not in the future).")
        parser.add_argument("--replace", action="store_true",
                            help="Delete the county already in the database first.")
        parser.add_argument("--quiet", action="store_true", help="No progress bars and no summary.")

    def handle(self, *args, scale: float, seed: int, as_of: dt.date | None, replace: bool, quiet: bool, **options):
        from django.core.exceptions import ValidationError

        try:
            summary = generate(scale=scale, seed=seed, as_of=as_of, progress=not quiet, replace=replace)
        except (CountyExists, ValueError) as error:
            raise CommandError(str(error)) from None
        except ValidationError as error:  # --replace found records it must not delete
            raise CommandError(" ".join(error.messages)) from None
        if not quiet:
            for line in summary.lines():
                self.stdout.write(line)
