"""Profile the pages of issue 14's table on whatever database DATABASE_URL / NWD_DATA_DIR points at
(load a county first: ``nwd synth --scale 10``). Prints, per page, the queries, the CPU time of this
process per request (what the application costs, without the database's own CPU) and the wall time,
and with ``--profile`` the functions where the CPU goes (cProfile, cumulative and own time).
Prints figures; asserts nothing.

    DEBUG=1 DATABASE_URL=postgres://... .venv/bin/python bench/profile_pages.py [--profile] [--runs 20]

With ``--production`` the pages are rendered with the settings ``nwd serve`` runs with (DEBUG off:
the load benchmark's ``loadbench.settings``, a secret key of this run's own, ``collectstatic`` first
for the static files' manifest). DEBUG does not turn off the cached template loader (Django keeps it
on either way), but it records every query (``CursorDebugWrapper``) and compiles templates with the
debug lexer, which a production server does not: ``--production`` is the figure to compare.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import django  # noqa: E402

PRODUCTION = "--production" in sys.argv[1:]
if PRODUCTION:
    import secrets

    os.environ.update(DJANGO_SETTINGS_MODULE="loadbench.settings", DEBUG="0",
                      SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50))
else:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nwd.settings")
    os.environ.setdefault("DEBUG", "1")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench_users import pages  # noqa: E402
from nwd.access.testing import sign_in  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def backend_cpu() -> float:
    """CPU seconds used so far by this connection's PostgreSQL backend (0 on another database, or when its
    process cannot be read): the database's own CPU, which ``time.process_time`` does not see."""
    if connection.vendor != "postgresql":
        return 0.0
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


class TemplateClock:
    """Sums the CPU time of the outermost template renders (the page's template with its includes, and
    the context processors, which run when it renders)."""

    def __init__(self) -> None:
        from django.template.backends.django import Template

        self.spent = 0.0
        self.depth = 0
        render = Template.render
        clock = self

        def timed(template, context=None, request=None):  # type: ignore[no-untyped-def]
            clock.depth += 1
            start = time.process_time()
            try:
                return render(template, context, request)
            finally:
                clock.depth -= 1
                if clock.depth == 0:
                    clock.spent += time.process_time() - start

        Template.render = timed  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--profile", action="store_true", help="print where the CPU goes (cProfile)")
    parser.add_argument("--only", default="", help="profile only pages whose label contains this")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--templates", action="store_true",
                        help="also the CPU of rendering the template (context processors included) a request")
    parser.add_argument("--production", action="store_true",
                        help="DEBUG off, the settings `nwd serve` runs with (see the module's text)")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    if PRODUCTION:
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)
    print(f"load average {os.getloadavg()[0]:.2f}; database {connection.vendor}; DEBUG {settings.DEBUG}")
    rendering = TemplateClock() if args.templates else None
    print(f"{'page':<30} {'queries':>7} {'cpu ms/req':>10} {'wall ms p50':>11} {'db ms (wall-cpu)':>16} {'db cpu ms/req':>13}"
          + (f" {'template cpu ms':>15}" if rendering else ""))
    for page in pages():
        if args.only and args.only not in page.label:
            continue
        client = Client()
        sign_in(client, page.user)
        response = client.get(page.url)  # warm: templates compiled, caches filled
        assert response.status_code == 200, (page.label, response.status_code)
        cpu, wall = [], []
        # Django empties connection.queries when a request starts, so count what is left after it.
        connection.force_debug_cursor = True
        client.get(page.url)
        queries = len(connection.queries)
        connection.force_debug_cursor = False
        templates = []
        db0 = backend_cpu()
        for _ in range(args.runs):
            if rendering:
                rendering.spent = 0.0
            c0, w0 = time.process_time(), time.perf_counter()
            client.get(page.url)
            cpu.append((time.process_time() - c0) * 1000)
            wall.append((time.perf_counter() - w0) * 1000)
            if rendering:
                templates.append(rendering.spent * 1000)
        db_cpu = (backend_cpu() - db0) * 1000 / args.runs
        print(f"{page.label:<30} {queries:>7} {statistics.median(cpu):>10.1f} "
              f"{statistics.median(wall):>11.1f} {statistics.median(wall) - statistics.median(cpu):>16.1f}"
              f" {db_cpu:>13.1f}"
              + (f" {statistics.median(templates):>15.1f}" if rendering else ""))
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.runs):
                client.get(page.url)
            profiler.disable()
            for order, within in (("cumulative", "nwd"), ("cumulative", ""), ("tottime", "")):
                out = io.StringIO()
                stats = pstats.Stats(profiler, stream=out).sort_stats(order)
                stats.print_stats(*([within] if within else []), args.top)
                print(out.getvalue().replace(str(Path(django.__file__).parent.parent), "").replace(os.getcwd(), ""))


if __name__ == "__main__":
    main()
