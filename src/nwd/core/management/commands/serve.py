"""``nwd serve``: the production server (gunicorn, WhiteNoise), as ``nwd.core.server`` describes.

Collects the static files first when they changed (``--no-collectstatic`` to skip, for a read-only
installation where they were collected at deployment).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from nwd.core import server


class Command(BaseCommand):
    help = "Serve nwd in production: gunicorn with NWD_WEB_WORKERS x NWD_WEB_THREADS on NWD_BIND; static files by WhiteNoise."
    requires_system_checks: list[str] = []  # checked once below, before the processes start

    def add_arguments(self, parser):
        parser.add_argument("--bind", help="host:port or unix:/path (default NWD_BIND, else 127.0.0.1:8000).")
        parser.add_argument("--workers", type=int, help="Processes (default NWD_WEB_WORKERS, else 2 x CPUs + 1).")
        parser.add_argument("--threads", type=int, help="Threads per process (default NWD_WEB_THREADS, else 2).")
        parser.add_argument("--no-collectstatic", action="store_true",
                            help="Do not run collectstatic (the static files were collected at deployment).")

    def handle(self, *args, bind, workers, threads, no_collectstatic, **options):
        self.check(display_num_errors=False)
        if not no_collectstatic:
            self.stdout.write("Collecting the static files (when they changed)...")
            self.stdout.flush()
            server.collect_static()
        chosen = server.ServerOptions.from_settings(bind=bind, workers=workers, threads=threads)
        self.stdout.write(f"nwd serve: {chosen.workers} processes x {chosen.threads} threads on {chosen.bind}")
        self.stdout.flush()
        server.run(chosen)
