"""Benchmark: read, stitch and check a synthetic SSDA903 return of about 100,000 episodes.

    .venv/bin/python bench/returns_bench.py                # one year's return, ~100k episodes
    .venv/bin/python bench/returns_bench.py --years 3      # three years' returns, ~100k episodes in all

The return is made up (nwd.returns.synthetic) and written as the DfE's CSV files by a separate
process, so the figures here are for reading, stitching and checking only: seconds for each step
and the peak resident memory of this process. The target (issue 6) is well within 20 s and 1 GB
for the whole import, of which the database part is added later.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LAST_YEAR = "2025-26"
EPISODES_PER_CHILD_YEAR = 0.83  # what nwd.returns.synthetic gives in one year, measured


def generate(folder: Path, episodes: int, years: int) -> None:
    """Write ``years`` years' returns holding about ``episodes`` episode rows in all."""
    from nwd.codelists.codes import year_start
    from nwd.returns.synthetic import history
    from nwd.returns.writer import tables_for_year, write_tables

    start = year_start(LAST_YEAR)
    names = [f"{y}-{(y + 1) % 100:02d}" for y in range(start - years + 1, start + 1)]
    children = int(episodes / EPISODES_PER_CHILD_YEAR / years)
    for _attempt in range(3):  # size the county, then correct once from what it gave
        county = history(children, last_year=LAST_YEAR, seed=2026, years=years + 3)
        returns = {y: tables_for_year(county.episodes, county.header, county.missing, county.uasc, y) for y in names}
        rows = sum(t["Episodes"].height for t in returns.values())
        if abs(rows - episodes) < episodes * 0.05:
            break
        children = int(children * episodes / rows)
    for year, tables in returns.items():
        write_tables(tables, year, folder / year)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--generate-into", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate_into:
        generate(args.generate_into, args.episodes, args.years)
        return

    from nwd.returns.checks import check
    from nwd.returns.reader import read_files
    from nwd.returns.stitch import stitch

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        began = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--episodes", str(args.episodes), "--years", str(args.years),
                        "--generate-into", str(folder)], check=True)
        print(f"generated synthetic return in {time.perf_counter() - began:.1f} s (separate process)")
        baseline = peak_mb()

        t0 = time.perf_counter()
        read = read_files([folder])
        t1 = time.perf_counter()
        stitched = stitch(read.tables)
        t2 = time.perf_counter()
        problems = check(stitched.tables)
        t3 = time.perf_counter()

    rows = {table: frame.height for table, frame in read.tables.items()}
    errors = sum(p.severity == "error" for p in read.problems + stitched.problems + problems)
    print(f"years: {', '.join(read.years)}; rows read: {rows}")
    print(f"episodes after stitching: {stitched.tables['Episodes'].height}")
    print(f"read    {t1 - t0:6.2f} s")
    print(f"stitch  {t2 - t1:6.2f} s")
    print(f"check   {t3 - t2:6.2f} s")
    print(f"total   {t3 - t0:6.2f} s")
    print(f"peak RSS {peak_mb():.0f} MB (python and libraries alone: {baseline:.0f} MB)")
    print(f"problems: {len(read.problems) + len(stitched.problems) + len(problems)} ({errors} errors)")


if __name__ == "__main__":
    main()
