"""Time ``nwd retention`` on whatever database NWD_DATA_DIR / DATABASE_URL points at (load a county
first: ``nwd synth --scale 1``). Prints figures; asserts nothing; changes nothing (the destruction is
rolled back).

    DEBUG=1 NWD_DATA_DIR=var .venv/bin/python bench/retention_bench.py [YEARS_AHEAD]

Finding who is due is timed as of today (few or none in a synthetic county) and as of YEARS_AHEAD
years from now (default 80: everyone is due), then every young person due then is destroyed, with
their history, inside a transaction that is rolled back. (The synthetic county is written in bulk,
without history versions: the count of versions destroyed is 0 there.)
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nwd.settings")
os.environ.setdefault("DEBUG", "1")
django.setup()

from django.db import transaction  # noqa: E402

from nwd.casework import retention  # noqa: E402
from nwd.casework.models import YoungPerson  # noqa: E402
from nwd.core import dates  # noqa: E402


class RolledBack(Exception):
    pass


def timed(what: str, action):
    start = time.perf_counter()
    result = action()
    print(f"{what}: {time.perf_counter() - start:.2f} s")
    return result


def main() -> None:
    years = int(sys.argv[1]) if len(sys.argv) > 1 else 80
    print(f"{YoungPerson.objects.count():,} young people")
    now = timed("due as of today (with record counts)", lambda: retention.due())
    print(f"  {len(now)} due today")
    later = dates.today() + dt.timedelta(days=365 * years)
    found = timed(f"due in {years} years (with record counts)", lambda: retention.due(later))
    print(f"  {len(found):,} due then, {sum(d.still_open for d in found):,} of them still open")
    try:
        with transaction.atomic():
            result = timed("destroy them all, with their history (rolled back)", lambda: retention.destroy(found))
            print(f"  {sum(result.people.values()):,} young people, {sum(result.records.values()):,} records, "
                  f"{result.versions:,} history versions")
            raise RolledBack
    except RolledBack:
        pass
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
