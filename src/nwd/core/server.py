"""The production server: gunicorn running the Django application, static files by WhiteNoise.

``nwd serve`` (and ``nwd demo``, through it) runs ``collectstatic`` when the static files changed
(hashed names, gzip and Brotli copies: ``settings.STORAGES``), then gunicorn with ``NWD_WEB_WORKERS``
processes of ``NWD_WEB_THREADS`` threads each on ``NWD_BIND``. The application is loaded once, in
the master, before the processes are forked (less memory, and a broken configuration fails at
once rather than in every process). Logs are JSON lines on standard output (``nwd.core.logs``):
gunicorn's own lines too; its access log is replaced by the application's line per request, which
carries the request id.
"""

from __future__ import annotations

import gc
import hashlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command

from nwd.core.logs import logging_config

# Sources the front-end packages ship beside their built files: never requested by a page, so not
# collected (GOV.UK Frontend's Sass, Nunjucks templates, fixtures and READMEs).
COLLECT_IGNORE = ["*.scss", "*.njk", "*.md", "*.json", "*.html", "*.d.ts", "CHANGELOG*", "LICENSE*", "README*"]
FINGERPRINT_FILE = ".nwd-collected"
MOST_WORKERS = 12


def default_workers(cpus: int | None = None) -> int:
    """gunicorn's advice, 2 x CPUs + 1, capped: each process holds its own connections."""
    count = cpus if cpus is not None else (os.cpu_count() or 1)
    return min(2 * count + 1, MOST_WORKERS)


def default_threads() -> int:
    return int(settings.NWD_WEB_THREADS)


@dataclass(frozen=True)
class ServerOptions:
    bind: str
    workers: int
    threads: int
    timeout: int
    max_requests: int = 0  # 0: a process is never replaced (NWD_WEB_MAX_REQUESTS)

    @classmethod
    def from_settings(cls, *, bind: str | None = None, workers: int | None = None,
                      threads: int | None = None) -> ServerOptions:
        return cls(
            bind=bind or settings.NWD_BIND,
            workers=workers or settings.NWD_WEB_WORKERS or default_workers(),
            threads=threads or default_threads(),
            timeout=settings.NWD_WEB_TIMEOUT,
            max_requests=settings.NWD_WEB_MAX_REQUESTS,
        )

    def gunicorn_config(self) -> dict[str, Any]:
        logging = logging_config()
        # gunicorn's lines (start, workers booting, a worker timed out) through the same JSON handler;
        # its access log off: the application logs each request, with its id.
        logging["loggers"] = {
            **logging["loggers"],
            "gunicorn.error": {"level": "INFO", "handlers": [], "propagate": True},
            "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
        }
        return {
            "bind": [self.bind],
            "workers": self.workers,
            "threads": self.threads,
            # One thread: gunicorn's sync worker, which accepts a connection only when free. A threaded
            # process accepts every connection it can, kept-alive ones stay with it, and 20 users were
            # seen spread 10, 7, 2, 1 and 0 over five processes: the busiest bound the whole server
            # (docs/performance.md, "Seventh round: the processes").
            "worker_class": "sync" if self.threads == 1 else "gthread",
            "timeout": self.timeout,
            "graceful_timeout": 30,
            "keepalive": 5,
            # Not replaced by default (NWD_WEB_MAX_REQUESTS): gunicorn closes a replaced process's kept-alive
            # connections, and a post a client sent on one as it closed got no answer (docs/performance.md).
            "max_requests": self.max_requests,
            "max_requests_jitter": self.max_requests // 10,
            "preload_app": True,
            "proc_name": "nwd",
            "accesslog": None,
            "logconfig_dict": logging,
            "pre_fork": _before_fork,
            "post_fork": _after_fork,
        }


# A process's young-object collections: every 10,000 net new objects instead of 700. A page makes a few
# hundred that outlive it, so the collector runs every few dozen requests, not several times in each.
WORKER_GC_THRESHOLD = (10_000, 20, 50)


def _before_fork(server, worker) -> None:
    """No database connection opened by the master may be shared with a forked process. The loaded
    application (about 400,000 objects: Django, the apps, the URL and template machinery) is frozen out
    of the collector's sight: the processes' full collections stop walking it (12% of a page's CPU in
    bench/ before), and its memory stays shared with the master instead of being copied when touched."""
    from django.db import connections

    connections.close_all()
    gc.collect()
    gc.freeze()


def _after_fork(server, worker) -> None:
    gc.set_threshold(*WORKER_GC_THRESHOLD)


def static_fingerprint() -> str:
    """A digest of every static file's path, size and modification time, and of how they are stored."""
    from django.contrib.staticfiles import finders

    digest = hashlib.sha256(repr((settings.STORAGES["staticfiles"], COLLECT_IGNORE)).encode())
    entries = []
    for finder in finders.get_finders():
        for path, storage in finder.list(COLLECT_IGNORE):
            full = storage.path(path)
            stat = os.stat(full)
            entries.append(f"{getattr(storage, 'prefix', '') or ''}/{path}\0{full}\0{stat.st_size}\0{stat.st_mtime_ns}")
    for entry in sorted(entries):
        digest.update(entry.encode())
    return digest.hexdigest()


def collect_static(*, force: bool = False, stdout=None) -> bool:
    """Run ``collectstatic`` unless STATIC_ROOT already holds these very files; whether it ran."""
    root = Path(settings.STATIC_ROOT)
    marker = root / FINGERPRINT_FILE
    fingerprint = static_fingerprint()
    current = marker.read_text().strip() if marker.exists() else ""
    if not force and current == fingerprint and (root / "staticfiles.json").exists():
        return False
    call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=COLLECT_IGNORE, clear=bool(current),
                 stdout=stdout)
    marker.write_text(fingerprint + "\n")
    return True


def run(options: ServerOptions) -> None:
    """Serve until stopped (SIGTERM or SIGINT: gunicorn finishes the requests under way, then exits)."""
    from gunicorn.app.base import BaseApplication  # type: ignore[import-untyped]  # no type information

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.gunicorn_config().items():
                self.cfg.set(key, value)

        def load(self):
            from nwd.wsgi import application

            return application

    from django.db import connections

    connections.close_all()
    Server().run()


# --- The demo's processes: the server and, when installed, the task worker ---------------------


# The demo serves one person at a time: two processes (each with the configured threads) answer them
# at once, where production's default (2 x CPUs + 1) would start, say, five and spend some 2 s of
# CPU starting each. NWD_WEB_WORKERS still decides when it is set.
DEMO_WORKERS = 2


def demo_commands(port: int) -> list[list[str]]:
    """``nwd serve`` on 127.0.0.1:PORT and, when this installation has the command, ``nwd worker``."""
    from django.conf import settings
    from django.core.management import get_commands

    python = [sys.executable, "-m", "nwd"]
    serve = [*python, "serve", "--bind", f"127.0.0.1:{port}"]
    if not settings.NWD_WEB_WORKERS:
        serve += ["--workers", str(DEMO_WORKERS)]
    commands = [serve]
    if "worker" in get_commands():
        commands.append([*python, "worker"])
    return commands


def run_processes(commands: list[list[str]], *, stdout=None, grace_seconds: float = 30) -> int:
    """Run the commands side by side until one ends or Ctrl-C (SIGINT) or SIGTERM; then stop all.

    Each is asked to stop (SIGTERM: gunicorn and the worker finish what is under way), and killed
    if still running after ``grace_seconds``. Returns the status of the first that ended by itself
    (0 when stopped by Ctrl-C or SIGTERM).
    """
    processes = [subprocess.Popen(command) for command in commands]
    if stdout is not None:
        stdout.write("Started: " + "; ".join(" ".join(c[2:]) for c in commands) + ". Ctrl-C stops them.")
    stopping = False

    def stop(signum, frame) -> None:
        nonlocal stopping
        stopping = True

    previous = signal.signal(signal.SIGTERM, stop)
    ended: int = 0
    try:
        while not stopping:
            finished = [p for p in processes if p.poll() is not None]
            if finished:
                ended = finished[0].returncode or 0
                break
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        for process in processes:
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + grace_seconds
        for process in processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    return ended
