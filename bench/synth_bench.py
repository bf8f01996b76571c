"""Benchmark: write the synthetic county at scale 10 into a fresh database and say how long it took.

    .venv/bin/python bench/synth_bench.py                    # scale 10 into a temporary SQLite file
    .venv/bin/python bench/synth_bench.py --scale 1          # any scale
    DATABASE_URL=postgres://user@host/db .venv/bin/python bench/synth_bench.py   # SQLite, then PostgreSQL

Each database is written by a child process of its own (a fresh SQLite file under a temporary
directory, or a temporary database created on the DATABASE_URL server and dropped after), so the
peak resident memory reported is that one run's. Printed: seconds per stage (drawing the county in
memory, then writing it), the total, rows written and peak RSS. The target (issue 2) is scale 10
in a few minutes (under 5 on 2 cores) within 2 GB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 3, 31)  # fixed, so runs on different days write the same county


def child(scale: float, seed: int) -> None:
    """Migrate the database in the environment, write the county, print a JSON line of figures."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nwd.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from nwd.synth import generate

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    migrate = time.perf_counter() - started
    started = time.perf_counter()
    summary = generate(scale=scale, seed=seed, as_of=AS_OF, progress=False)
    total = time.perf_counter() - started
    figures = {
        "engine": connection.vendor,
        "migrate": migrate,
        "stages": summary.seconds,
        "tables": summary.figures,
        "total": total,
        "rows": summary.rows,
        "counts": summary.counts,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    print("FIGURES " + json.dumps(figures))


def run(scale: float, seed: int, env: dict[str, str]) -> dict:
    command = [sys.executable, __file__, "--child", "--scale", str(scale), "--seed", str(seed)]
    result = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
    if result.returncode:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"the {env.get('DATABASE_URL') and 'PostgreSQL' or 'SQLite'} run failed")
    line = next(x for x in result.stdout.splitlines() if x.startswith("FIGURES "))
    return json.loads(line.removeprefix("FIGURES "))


def report(figures: dict) -> None:
    print(f"\n{figures['engine']}: migrate {figures['migrate']:.1f} s (not counted)")
    for stage, seconds in figures["stages"].items():
        print(f"  {stage:<22} {seconds:7.1f} s")
    print(f"  {'total':<22} {figures['total']:7.1f} s")
    print(f"  rows written           {figures['rows']:>9,}")
    print(f"  peak RSS               {figures['peak_mb']:7.0f} MB")
    slowest = sorted(figures["tables"].items(), key=lambda kv: -kv[1])[:6]
    print("  slowest tables to write: " + ", ".join(f"{k.removeprefix('write ')} {v:.1f} s" for k, v in slowest))
    big = sorted(figures["counts"].items(), key=lambda kv: -kv[1])[:8]
    print("  largest tables: " + ", ".join(f"{k} {v:,}" for k, v in big))


def postgres_env(url: str) -> tuple[dict[str, str], str, callable]:
    """A temporary database on the DATABASE_URL server, and a function that drops it."""
    import psycopg

    name = f"nwd_synth_bench_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = url.rpartition("/")
    env = {**os.environ, "DATABASE_URL": f"{base}/{name}"}

    def drop() -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return env, name, drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.scale, args.seed)
        return
    print(f"Synthetic county, scale {args.scale:g}, seed {args.seed}, as at {AS_OF:%d/%m/%Y}; {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="nwd-synth-bench-") as folder:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update({"NWD_DATA_DIR": folder, "DEBUG": "1"})
        report(run(args.scale, args.seed, env))
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        env, _, drop = postgres_env(url)
        env["DEBUG"] = "1"
        try:
            report(run(args.scale, args.seed, env))
        finally:
            drop()


if __name__ == "__main__":
    main()
