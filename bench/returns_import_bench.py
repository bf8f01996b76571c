"""How long importing an SSDA903 return of 100,000 episodes takes, and how much memory: prints the figures.

    .venv/bin/python bench/returns_import_bench.py [--scale 10] [--county-dir DIR] [--export-dir DIR]
    DATABASE_URL=postgres://user@host:port/db .venv/bin/python bench/returns_import_bench.py ...

1. A synthetic county at ``--scale`` (10: about 120,000 episodes) is written into a temporary SQLite
   database with ``nwd synth`` (or ``--county-dir`` names a data folder that already holds one).
2. Every collection year of it is exported with ``nwd export-903 --all-years`` as one of its
   analysts (or ``--export-dir`` names such an export already made).
3. The export is imported with ``nwd import-903 --skip-invalid`` into a fresh SQLite database, and,
   when DATABASE_URL names a PostgreSQL server, into a fresh database made on it (and dropped
   after). Each import runs twice: into the empty database, then again (nothing to change).
   It is done for the whole export and for the episode tables alone (Header, Episodes, Missing,
   UASC), since a council's own extract often has only those.

Each import is its own process, timed from outside: wall seconds, CPU seconds (user + system; on
a shared machine the wall time also counts waiting for a core) and peak resident memory, with the
import's own split (read, stitch, check, write) from its report. The targets (issue 6): 100,000
episodes within 20 seconds and 1 GB.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NWD = [sys.executable, "-m", "nwd"]
EPISODE_TABLES = ("Header.csv", "Episodes.csv", "Missing.csv", "UASC.csv")


def run(args: list[str], env: dict, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([*NWD, *args], env=env, cwd=ROOT, capture_output=True, text=True)
    if check and done.returncode != 0:
        sys.exit(f"nwd {' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done


def environment(data_dir: Path, database_url: str | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(NWD_DATA_DIR=str(data_dir), SECRET_KEY=env.get("SECRET_KEY", "bench-" + "x" * 50),
               DJANGO_SETTINGS_MODULE="nwd.settings")
    env.pop("DEBUG", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


BENCH_USER = ("from nwd.access.models import User; User.objects.create_user('bench_importer', "
              "password='a long bench password 1', role='analyst')")


def timed_import(folder: Path, env: dict) -> dict:
    """Run one import in its own process; wall and CPU seconds, peak RSS, and its report's figures.

    ``os.wait4`` gives the resources of that one process (RUSAGE_CHILDREN would mix in the county's).
    """
    with tempfile.TemporaryFile("w+") as out:
        started = time.perf_counter()
        process = subprocess.Popen([*NWD, "import-903", str(folder), "--skip-invalid", "--as", "bench_importer"], env=env, cwd=ROOT,
                                   stdout=out, stderr=subprocess.STDOUT, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read()
    if process.returncode != 0:
        sys.exit(f"import failed:\n{text[-3000:]}")
    split = re.search(r"^Seconds: (.*)$", text, re.M)
    episodes = re.search(r"^  episodes\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)", text, re.M)
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss_mb": usage.ru_maxrss / 1024,
        "split": split.group(1) if split else "",
        "episodes": (int(episodes.group(1)), int(episodes.group(4))) if episodes else (0, 0),
        "outcome": text.strip().splitlines()[-1],
    }


def episode_rows(folder: Path) -> int:
    return sum(max(0, len(p.read_text().splitlines()) - 1) for p in folder.rglob("Episodes.csv"))


def postgres_database(url: str):
    """A fresh database on the server of ``url``: (its URL, a function that drops it)."""
    import psycopg

    name = f"nwd_bench_{uuid.uuid4().hex[:8]}"
    base, _, _ = url.rpartition("/")
    admin = psycopg.connect(f"{base}/postgres", autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

    return f"{base}/{name}", drop


def machine() -> str:
    cpu = "unknown CPU"
    try:
        names = [line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                 if line.startswith("model name")]
        cpu = f"{len(names)} x {names[0]}" if names else cpu
    except OSError:
        pass
    try:
        memory = next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
        memory = f"{int(memory.split()[1]) / 1024 / 1024:.0f} GB RAM"
    except (OSError, StopIteration):
        memory = "RAM unknown"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{platform.system()} {platform.release()}, Python {platform.python_version()}, {cpu}, {memory}, load {load}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=10)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--county-dir", type=Path, help="A data folder whose SQLite database holds a county already.")
    parser.add_argument("--export-dir", type=Path, help="An export (one folder per year) to import, made before.")
    parser.add_argument("--keep", action="store_true", help="Keep the temporary folder (its path is printed).")
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="nwd-903-bench-"))
    print(f"Machine: {machine()}")
    try:
        export = options.export_dir
        if export is None:
            county = options.county_dir or work / "county"
            env = environment(county)
            if options.county_dir is None:
                run(["migrate", "-v0"], env)
                started = time.perf_counter()
                run(["synth", "--scale", f"{options.scale:g}", "--seed", str(options.seed), "--quiet"], env)
                print(f"County at scale {options.scale:g} written in {time.perf_counter() - started:.0f} s")
            analyst = run(["shell", "-c", "from nwd.access.models import User; print(User.objects.filter("
                           "role='analyst', is_active=True).order_by('username').first().username)"], env)
            username = analyst.stdout.strip().splitlines()[-1]
            export = work / "export"
            started = time.perf_counter()
            run(["export-903", str(export), "--all-years", "--as", username], env, check=False)
            print(f"Exported every year in {time.perf_counter() - started:.0f} s")
        core = work / "episode-tables"
        for path in export.rglob("*.csv"):
            if path.name in EPISODE_TABLES:
                target = core / path.relative_to(export)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(path, target)
        print(f"Export: {episode_rows(export):,} episode rows in {len(list(export.iterdir()))} years' files")
        targets = [("SQLite", None)]
        if os.environ.get("DATABASE_URL", "").startswith("postgres"):
            targets.append(("PostgreSQL", os.environ["DATABASE_URL"]))
        print(f"{'database':<11} {'files':<15} {'run':<8} {'episodes':>9} {'wall s':>7} {'CPU s':>6} {'RSS MB':>7}  split")
        for engine, url in targets:
            for label, folder in (("all tables", export), ("episode tables", core)):
                data = work / f"{engine}-{label.replace(' ', '-')}"
                drop = None
                if url:
                    url_here, drop = postgres_database(url)
                    env = environment(data, url_here)
                else:
                    env = environment(data)
                try:
                    run(["migrate", "-v0"], env)
                    run(["shell", "-c", BENCH_USER], env)  # the importer (import-903 --as, required)
                    for attempt in ("empty db", "again"):
                        figures = timed_import(folder, env)
                        created, unchanged = figures["episodes"]
                        shown = created if attempt == "empty db" else unchanged
                        print(f"{engine:<11} {label:<15} {attempt:<8} {shown:>9,} {figures['wall']:>7.1f} "
                              f"{figures['cpu']:>6.1f} {figures['rss_mb']:>7.0f}  {figures['split']}")
                finally:
                    if drop:
                        drop()
    finally:
        if options.keep:
            print(f"Kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
