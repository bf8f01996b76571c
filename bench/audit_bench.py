"""How many audit events a second the service can write, and how fast ``nwd audit-verify`` reads them.

    .venv/bin/python bench/audit_bench.py [--events 3000] [--pages 200] [--list-size 50]
    DATABASE_URL=postgres://user@host:port/any .venv/bin/python bench/audit_bench.py ...

Every page that shows a young person writes an audit event, and every list writes one per young
person shown, so the cost of a write is paid on every page. Measured into a fresh SQLite database
and, when DATABASE_URL names a PostgreSQL server, into a fresh database made on it (named
``nwd_audit_bench_...``, dropped after), each in its own process:

- one page read: ``audit.record`` of one young person, in its own transaction (as a page does),
  ``--events`` times;
- one list page: ``audit.record_rows`` of ``--list-size`` young people, ``--pages`` times;
- verifying: ``nwd.access.chain.verify`` over every event written (when the code has the chain).

Besides events a second (wall time, which on a busy machine mostly measures waiting for a core),
it prints this process's CPU time per event and the SQL statements one page read's event takes
(as Django counts them: BEGIN and COMMIT are not among them).

Median of three rounds. Run it with another checkout's ``src`` first on PYTHONPATH to compare
(``git archive <commit> src | tar -x -C /tmp/before``; ``PYTHONPATH=/tmp/before/src``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]


def worker(options) -> dict:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext
    from tests.factories import UserFactory, YoungPersonFactory

    from nwd.access import audit
    from nwd.access.models import Action, AuditEvent

    call_command("migrate", verbosity=0)
    user = UserFactory()
    people = [YoungPersonFactory() for _ in range(options.list_size)]
    request = RequestFactory().get("/young-people/1/", HTTP_USER_AGENT="Bench/1.0", REMOTE_ADDR="192.0.2.10")
    request.user = user
    rounds = {"page read": [], "list page": [], "page read cpu": [], "list page cpu": []}
    for _ in range(3):
        started, cpu = time.perf_counter(), time.process_time()
        for n in range(options.events):
            audit.record(request, Action.VIEW, people[n % len(people)])
        rounds["page read"].append(options.events / (time.perf_counter() - started))
        rounds["page read cpu"].append((time.process_time() - cpu) / options.events)
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(options.pages):
            audit.record_rows(request, people, Action.LIST)
        rounds["list page"].append(options.pages * len(people) / (time.perf_counter() - started))
        rounds["list page cpu"].append((time.process_time() - cpu) / (options.pages * len(people)))
    figures = {name: statistics.median(values) for name, values in rounds.items()}
    with CaptureQueriesContext(connection) as captured:
        audit.record(request, Action.VIEW, people[0])
    figures["statements"] = len(captured)
    try:
        from nwd.access import chain
    except ImportError:
        chain = None
    if chain is not None:
        total = AuditEvent.objects.count()
        started = time.perf_counter()
        result = chain.verify(AuditEvent.objects.all())
        figures["verify"] = total / (time.perf_counter() - started)
        assert result.intact, result.problems[:3]
    figures["vendor"] = connection.vendor
    figures["chained"] = chain is not None
    return figures


def measure(env: dict, options) -> dict:
    args = [sys.executable, __file__, "--worker", "--events", str(options.events), "--pages", str(options.pages),
            "--list-size", str(options.list_size)]
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"the measurement failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def postgres_database(server_url: str):
    """A fresh database on the server (name carries nwd_audit); returns its URL and a dropper."""
    import psycopg

    name = f"nwd_audit_bench_{uuid.uuid4().hex[:8]}"
    parts = urlsplit(server_url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(parts._replace(path=f"/{name}")), drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=3000)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--list-size", type=int, default=50)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.worker:
        print(json.dumps(worker(options)))
        return
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    base.update(SECRET_KEY=base.get("SECRET_KEY", "bench-" + "x" * 50), DJANGO_SETTINGS_MODULE="nwd.settings")
    base["PYTHONPATH"] = os.pathsep.join(p for p in (base.get("PYTHONPATH"), str(ROOT / "src")) if p)
    results = []
    with tempfile.TemporaryDirectory(prefix="nwd-audit-bench-") as data_dir:
        results.append(measure({**base, "NWD_DATA_DIR": data_dir}, options))
        server = os.environ.get("DATABASE_URL", "")
        if server.startswith("postgres"):
            url, drop = postgres_database(server)
            try:
                results.append(measure({**base, "NWD_DATA_DIR": data_dir, "DATABASE_URL": url}, options))
            finally:
                drop()
    print(f"audit writes ({options.events} page reads, {options.pages} list pages of {options.list_size}; "
          f"median of 3 rounds; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    for figures in results:
        chained = "hash chain" if figures["chained"] else "no hash chain"
        line = (f"  {figures['vendor']:<10} {chained:<13}  page read: {figures['page read']:6,.0f} events/s "
                f"({1e6 / figures['page read']:5.0f} us each, {1e6 * figures.get('page read cpu', 0):4.0f} us CPU here, "
                f"{figures.get('statements', '?')} statements)   "
                f"list page: {figures['list page']:6,.0f} events/s ({1e6 * figures.get('list page cpu', 0):3.0f} us CPU)")
        if "verify" in figures:
            line += f"   audit-verify: {figures['verify']:9,.0f} events/s"
        print(line)


if __name__ == "__main__":
    main()
