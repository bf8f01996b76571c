"""The fixed cost of a signed-in request (issue 14): what every page pays before and around its own work.

Runs, with the settings ``nwd serve`` runs with (DEBUG off: ``loadbench.settings``), a few requests
that do less and less of a page's own work, for the first hub manager of the county in DATABASE_URL:

- the bare view (``/bench/bare/``: public, the middleware without a session);
- the keep-alive (a signed-in POST: session, user, second factor, middleware, no template);
- an empty search (``/search/?q=``: the same plus the base template, header, navigation and footer);
- the search "smith" (the page of issue 14's table: its queries and the audit of the names listed).

and prints, per request, the queries and the median CPU of this process (and of the PostgreSQL
backend). ``--profile LABEL`` prints where the CPU of that request goes (cProfile). Asserts nothing.

    DATABASE_URL=postgres://... .venv/bin/python bench/fixed_cost.py [--runs 200] [--profile "empty search"]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import secrets
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.update(DJANGO_SETTINGS_MODULE="loadbench.settings", DEBUG="0",
                  SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench_users import hub_manager  # noqa: E402
from nwd.access.testing import sign_in  # noqa: E402
from profile_pages import backend_cpu  # noqa: E402


def requests() -> list[tuple[str, str, str, bool]]:
    """(label, method, address, signed in)."""
    return [
        ("bare view", "get", reverse("bench_bare"), False),
        ("keep-alive (POST)", "post", reverse("keep_alive"), True),
        ("empty search", "get", reverse("web:search") + "?q=", True),
        ("search 'smith'", "get", reverse("web:search") + "?q=smith", True),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--profile", default="", help="print where the CPU of this request goes (cProfile)")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    manager = hub_manager()
    print(f"load average {os.getloadavg()[0]:.2f}; database {connection.vendor}")
    print(f"{'request':<20} {'queries':>7} {'cpu ms/req':>10} {'db cpu ms/req':>13}")
    for label, method, address, signed in requests():
        client = Client()
        if signed:
            sign_in(client, manager)
        send = getattr(client, method)
        assert send(address).status_code == 200, label  # warm
        connection.force_debug_cursor = True
        send(address)
        queries = len(connection.queries)
        connection.force_debug_cursor = False
        cpu = []
        db0 = backend_cpu()
        for _ in range(args.runs):
            c0 = time.process_time()
            send(address)
            cpu.append((time.process_time() - c0) * 1000)
        db_cpu = (backend_cpu() - db0) * 1000 / args.runs
        print(f"{label:<20} {queries:>7} {statistics.median(cpu):>10.2f} {db_cpu:>13.2f}")
        if args.profile and args.profile in label:
            profiler = cProfile.Profile(time.process_time)  # CPU, not waiting for the database
            profiler.enable()
            for _ in range(args.runs):
                send(address)
            profiler.disable()
            for order in ("cumulative", "tottime"):
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(args.top)
                print(out.getvalue().replace(str(Path(django.__file__).parent.parent), ""))


if __name__ == "__main__":
    main()
