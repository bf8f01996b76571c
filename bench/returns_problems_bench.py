"""How much the checker holds for a return with an error on every row: every problem, or a bounded few.

    .venv/bin/python bench/returns_problems_bench.py [--rows 300000]

A made-up 2025-26 return of ROWS children, one episode each, every episode with a PLACE that is no
code (rule 146) and a provider that is no code (rule 178), is checked twice, each in a process of
its own: ``check`` (every problem built) and ``check_bounded`` with the importer's KEPT_PER_RULE
(1,000 of each rule, the rest counted). It prints, for each, the problems built, the errors counted,
the seconds and the peak resident memory of the process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import time


def made_up(rows: int):
    import polars as pl

    children = [f"C{i}" for i in range(rows)]
    header = pl.DataFrame({"CHILD": children, "SEX": ["M"] * rows, "DOB": [dt.date(2010, 6, 1)] * rows,
                           "ETHNIC": ["WBRI"] * rows, "UPN": ["UN1"] * rows})
    episodes = pl.DataFrame({
        "CHILD": children, "DECOM": [dt.date(2025, 5, 1)] * rows, "RNE": ["S"] * rows, "LS": ["C2"] * rows,
        "CIN": ["N1"] * rows, "PLACE": ["Q9"] * rows, "PLACE_PROVIDER": ["PR9"] * rows,
        "HOME_POST": ["NR1 1EB"] * rows, "PL_POST": ["NR3 1DJ"] * rows, "URN": ["SC123456"] * rows})
    return {"Header": header, "Episodes": episodes}


def one(mode: str, rows: int) -> dict:
    from nwd.returns.checks import check, check_bounded
    from nwd.returns.importer import KEPT_PER_RULE

    tables = made_up(rows)
    started = time.perf_counter()
    if mode == "all":
        problems = check(tables, "2025-26")
        built, counted = len(problems), sum(p.is_error for p in problems)
    else:
        checked = check_bounded(tables, "2025-26", examples=KEPT_PER_RULE)
        built = len(checked.problems)
        counted = sum(p.is_error for p in checked.problems) + sum(checked.unlisted.values())
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"mode": mode, "built": built, "errors": counted, "seconds": round(seconds, 1), "peak_mb": round(peak)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--one", default=None)
    args = parser.parse_args()
    if args.one:
        import django

        django.setup()
        print(json.dumps(one(args.one, args.rows)))
        return
    print(f"{args.rows:,} episodes, each with 2 errors")
    for mode in ("all", "bounded"):
        out = subprocess.run([sys.executable, __file__, "--rows", str(args.rows), "--one", mode],
                             capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{'check (every problem)' if mode == 'all' else 'check_bounded (1,000 a rule)':<30} "
              f"problems built {r['built']:>9,}  errors counted {r['errors']:>9,}  {r['seconds']:>6} s  "
              f"peak RSS {r['peak_mb']:>5} MB")


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nwd.settings")
    os.environ.setdefault("DEBUG", "1")
    main()
