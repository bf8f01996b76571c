"""Load benchmark (issue 14): the practitioner pages under gunicorn with many users at once, side by side
with a bare Django view in the same run, on the county in DATABASE_URL (load one first:
``nwd synth --scale 10``). Prints figures; asserts nothing, but exits 1 if the mixed run had errors or
lost a write.

    DATABASE_URL=postgres://... .venv/bin/python bench/load_bench.py [--seconds 20] [--mixed-seconds 30]

1. For the bare view and each page of issue 14's table: 20 users, no pause, ``--seconds`` each:
   requests/s, p50, p95, the page/bare ratio of requests/s, and the CPU time per request of the
   application (gunicorn's processes) and of PostgreSQL (the backends serving this database), with
   the load average (the machine is shared: CPU per request is the honest figure on a loaded host).
2. Mixed: 50 users pausing 1 s between requests, key workers reading their pages and recording
   contact notes, hub managers reading theirs: p95, errors, and the contact notes written against
   the rows counted before and after (0 lost writes).

Users are signed in by making their sessions in the database (second factor passed), as the tests'
``sign_in`` does, one session per simulated user. The server runs with bench/loadbench/settings.py:
the project's settings with DEBUG off, plus the bare view (nowhere else). Uses locust as a library
(the dev extra).

The mixed run writes into the county: its contact notes (some 200 a run, on one key worker's young
person) and every page's audit rows. Run each benchmark on a fresh copy of the county (on PostgreSQL
``CREATE DATABASE copy TEMPLATE county``), or the runs add up: after a few dozen runs that young
person had 1,600 notes and became the "long history" page (``bench_users.longest_history``). The
notes are written at different minutes of yesterday's working day, as notes are, not all at one time.
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import itertools  # noqa: E402
import os  # noqa: E402
import secrets  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
from locust import FastHttpUser, constant, task  # noqa: E402
from locust.env import Environment  # noqa: E402

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(BENCH), str(ROOT / "src")]
SECRET = secrets.token_urlsafe(50)  # this run's only: the sessions made here must be valid for the server
os.environ.update(DJANGO_SETTINGS_MODULE="loadbench.settings", SECRET_KEY=SECRET, DEBUG="0")
PORT = 8765
HOST = f"http://127.0.0.1:{PORT}"


def server_command(workers: int | None, threads: int | None = None) -> list[str]:
    """The production server as a council runs it: ``nwd serve`` (gunicorn's threaded workers, WhiteNoise,
    JSON logs), with the benchmark's settings (the environment's DJANGO_SETTINGS_MODULE); processes and
    threads as given, else ``nwd serve``'s own defaults."""
    from nwd.core.server import default_threads, default_workers

    return [sys.executable, "-m", "nwd", "serve", "--bind", f"127.0.0.1:{PORT}",
            "--workers", str(workers or default_workers()), "--threads", str(threads or default_threads())]


# --- CPU time of the server and the database --------------------------------------------------------------

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int, reaped: bool = False) -> float:
    """User + system CPU of a process, in seconds (0 if it is gone); with ``reaped``, plus the CPU of its
    children that have ended and that it has waited for (how gunicorn's master keeps the CPU of the
    processes it replaced after ``max_requests``)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return sum(int(field) for field in fields[11:15 if reaped else 13]) / TICKS


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int(Path(entry, "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (FileNotFoundError, ProcessLookupError, IndexError):
                continue
            if ppid == pid:
                found.append(int(entry.name))
    return found


class Meter:
    """CPU seconds used by gunicorn (master and workers) and by this database's PostgreSQL backends.

    gunicorn replaces a process after ``max_requests``: the master's figure includes its ended children's
    CPU, so a process that ends within a window is counted there, and what it had used before the
    window is taken off (``used``). Counting only the processes alive at both ends undercounted."""

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid

    def app_pids(self) -> list[int]:
        return [self.server_pid, *children(self.server_pid)]

    def db_pids(self) -> list[int]:
        from django.db import connection

        if connection.vendor != "postgresql":
            return []
        with connection.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
            return [row[0] for row in cursor.fetchall()]

    def read(self) -> dict[str, dict[int, float]]:
        return {"app": {pid: cpu_seconds(pid, reaped=pid == self.server_pid) for pid in self.app_pids()},
                "db": {pid: cpu_seconds(pid) for pid in self.db_pids()}}

    @staticmethod
    def used(before: dict, after: dict, part: str) -> float:
        """CPU used between two reads. A gunicorn process gone by the second read has its whole CPU in the
        master's (reaped) figure, so what it had at the first read is subtracted; a database backend that
        ends takes its CPU with it (the pages keep their connections, so it rarely happens)."""
        grown = sum(max(0.0, seconds - before[part].get(pid, 0.0)) for pid, seconds in after[part].items())
        if part != "app":
            return grown
        return grown - sum(seconds for pid, seconds in before[part].items() if pid not in after[part])

    def restarts(self, before: dict, after: dict) -> int:
        """How many gunicorn processes started between two reads (each one replaced another)."""
        return len(set(after["app"]) - set(before["app"]))


# --- Sessions -------------------------------------------------------------------------------------------------


def session_cookies(user, how_many: int) -> list[str]:
    """``how_many`` fresh session keys for ``user``, signed in and past the second factor."""
    from django.test import Client

    from nwd.access.testing import sign_in

    keys = []
    for _ in range(how_many):
        client = Client()
        sign_in(client, user)
        keys.append(client.cookies["sessionid"].value)
    return keys


def csrf_secret() -> str:
    from django.middleware.csrf import _get_new_csrf_string

    return _get_new_csrf_string()


# --- Locust users -------------------------------------------------------------------------------------------


class Signed(FastHttpUser):
    """A user with a session of its own, taken from the class's pool."""

    abstract = True
    host = HOST
    pool: itertools.cycle
    csrf = ""

    def on_start(self) -> None:
        self.cookies = {"sessionid": next(self.pool), "csrftoken": self.csrf}
        self.headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}

    def read(self, url: str, name: str) -> None:
        with self.client.get(url, name=name, headers=self.headers, catch_response=True, allow_redirects=False) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")


def page_user(url: str, name: str, sessions: list[str], pause: bool = False) -> type:
    class PageUser(Signed):
        wait_time = constant(1) if pause else constant(0)
        pool = itertools.cycle(sessions)

        @task
        def get(self) -> None:
            self.read(url, name)

    return PageUser


@dataclass
class Written:
    ok: int = 0


def mixed_users(plan: dict, written: Written) -> list[type]:
    csrf = plan["csrf"]
    minutes = itertools.count()

    class KeyWorker(Signed):
        weight = 3
        wait_time = constant(1)
        pool = itertools.cycle(plan["key_worker_sessions"])

        @task(3)
        def home(self) -> None:
            self.read("/", "mixed: key worker home")

        @task(3)
        def young_person(self) -> None:
            self.read(plan["person_url"], "mixed: young person")

        @task(1)
        def search(self) -> None:
            self.read("/search/?q=smith", "mixed: search")

        @task(2)
        def record_contact(self) -> None:
            today = dt.date.today() - dt.timedelta(days=1)  # yesterday: never a time still to come
            minute = next(minutes) % 600  # 08:00 to 17:59
            data = {"kind": "phone", "contact_with": "young_person", "summary": "Load benchmark: phoned to check in",
                    "date_day": str(today.day), "date_month": str(today.month), "date_year": str(today.year),
                    "time": f"{8 + minute // 60:02d}:{minute % 60:02d}", "csrfmiddlewaretoken": self.csrf}
            with self.client.post(plan["record_url"], data=data, name="mixed: record a contact", headers=self.headers,
                                  catch_response=True, allow_redirects=False) as response:
                if response.status_code in (302, 303):
                    written.ok += 1
                else:
                    response.failure(f"{response.status_code}: {response.text[:200] if response.text else ''}")

    class Manager(Signed):
        weight = 2
        wait_time = constant(1)
        pool = itertools.cycle(plan["manager_sessions"])

        @task
        def home(self) -> None:
            self.read("/", "mixed: hub manager home")

        @task
        def beds(self) -> None:
            self.read("/beds/", "mixed: bed board")

        @task
        def queue(self) -> None:
            self.read("/referrals/", "mixed: referral queue")

    KeyWorker.csrf = Manager.csrf = csrf
    return [KeyWorker, Manager]


def run(user_classes: list[type], users: int, seconds: float) -> Environment:
    env = Environment(user_classes=user_classes)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=users)
    gevent.spawn_later(seconds, runner.quit)
    runner.greenlet.join()
    return env


def load() -> float:
    return os.getloadavg()[0]


# --- Main ---------------------------------------------------------------------------------------------------


def wait_for_server(process: subprocess.Popen, seconds: float = 240) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"The server stopped (exit {process.returncode}).")
        try:  # an answer, not only the port: the workers load Django after the port is bound
            with socket.create_connection(("127.0.0.1", PORT), timeout=10) as connection:
                connection.sendall(b"GET /bench/bare/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                if b" 200 " in connection.recv(16):  # gunicorn answers in the request's HTTP version
                    return
            time.sleep(0.5)
        except OSError:
            time.sleep(0.5)
    raise SystemExit("The server did not answer in time.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20, help="per page, 20 users without pause")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--mixed-users", type=int, default=50)
    parser.add_argument("--mixed-seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, help="processes (default: nwd serve's)")
    parser.add_argument("--threads", type=int, help="threads a process (default: nwd serve's)")
    parser.add_argument("--only", default="", help="only pages whose label contains this (and the bare view)")
    parser.add_argument("--no-mixed", action="store_true")
    args = parser.parse_args()
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", PORT)) == 0:
            raise SystemExit(f"Something already listens on port {PORT}.")

    import django

    django.setup()
    from django.core.management import call_command
    from django.urls import reverse

    # DEBUG is off: the pages name their static files by the manifest, which collectstatic writes
    # (into the data folder's static/, as `nwd serve` does), so the run needs no step by hand.
    call_command("collectstatic", interactive=False, verbosity=0)

    from bench_users import key_worker, pages
    from nwd.casework.models import Contact, YoungPerson

    table = [page for page in pages() if args.only in page.label]
    worker = key_worker()
    theirs = YoungPerson.objects.filter(involvements__allocations__key_worker=worker,
                                        involvements__allocations__end__isnull=True).order_by("pk").first()
    csrf = csrf_secret()
    Signed.csrf = csrf
    sessions = {page.user.pk: session_cookies(page.user, args.users) for page in table}
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(BENCH), str(ROOT / "src")])}
    command = server_command(args.workers, args.threads)
    # Each request's JSON log line is written (as in production) but not printed among the figures.
    log = None if os.environ.get("BENCH_ACCESS_LOG") else subprocess.DEVNULL
    server = subprocess.Popen(command, env=environment, start_new_session=True, stdout=log)
    try:
        wait_for_server(server)
        meter = Meter(server.pid)
        print(f"server: {' '.join(command[1:])}; database {django.db.connection.vendor}; "
              f"{os.cpu_count()} cores; {YoungPerson.objects.count():,} young people")
        print(f"{args.users} users, no pause, {args.seconds:.0f} s each")
        header = (f"{'page':<30} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'fail':>5} {'page/bare':>9} "
                  f"{'app cpu ms/req':>14} {'db cpu ms/req':>13} {'load avg':>8} {'restarts':>8}")
        print(header)
        bare_rps = None
        anonymous = ["-"] * args.users
        rows = [("bare Django view", "/bench/bare/", anonymous)]
        rows += [(page.label, page.url, sessions[page.user.pk]) for page in table]
        rows += [("bare Django view (again)", "/bench/bare/", anonymous)]
        for label, url, keys in rows:
            run([page_user(url, label, keys)], args.users, 2)  # warm up: connections, templates
            before = meter.read()
            env = run([page_user(url, label, keys)], args.users, args.seconds)
            after = meter.read()
            stats = env.stats.get(label, "GET")
            requests = max(stats.num_requests, 1)
            rps = stats.num_requests / args.seconds
            bare_rps = bare_rps or rps
            print(f"{label:<30} {rps:>7.0f} {stats.get_response_time_percentile(0.5):>7.0f} "
                  f"{stats.get_response_time_percentile(0.95):>7.0f} {stats.num_failures:>5} {rps / max(bare_rps, 1e-9):>9.3f} "
                  f"{1000 * Meter.used(before, after, 'app') / requests:>14.1f} "
                  f"{1000 * Meter.used(before, after, 'db') / requests:>13.1f} {load():>8.2f} "
                  f"{meter.restarts(before, after):>8}", flush=True)
        if args.no_mixed:
            return
        from bench_users import hub_manager

        manager = hub_manager()
        plan = {
            "csrf": csrf,
            "key_worker_sessions": session_cookies(worker, args.mixed_users),
            "manager_sessions": session_cookies(manager, args.mixed_users),
            "person_url": reverse("web:young_person", args=[theirs.pk]),
            "record_url": reverse("web:record_contact", args=[theirs.pk]),
        }
        written = Written()
        notes_before = Contact.objects.count()
        before = meter.read()
        env = run(mixed_users(plan, written), args.mixed_users, args.mixed_seconds)
        after = meter.read()
        notes_after = Contact.objects.count()
        total = env.stats.total
        lost = written.ok - (notes_after - notes_before)
        print(f"\nmixed: {args.mixed_users} users pausing 1 s, {args.mixed_seconds:.0f} s, load average {load():.2f}")
        print(f"{'request':<30} {'count':>6} {'p50 ms':>7} {'p95 ms':>7} {'fail':>5}")
        for entry in sorted(env.stats.entries.values(), key=lambda e: e.name):
            print(f"{entry.name:<30} {entry.num_requests:>6} {entry.get_response_time_percentile(0.5):>7.0f} "
                  f"{entry.get_response_time_percentile(0.95):>7.0f} {entry.num_failures:>5}")
        print(f"{'all':<30} {total.num_requests:>6} {total.get_response_time_percentile(0.5):>7.0f} "
              f"{total.get_response_time_percentile(0.95):>7.0f} {total.num_failures:>5}")
        print(f"requests/s {total.num_requests / args.mixed_seconds:.0f}; app CPU "
              f"{1000 * Meter.used(before, after, 'app') / max(total.num_requests, 1):.1f} ms/request, database CPU "
              f"{1000 * Meter.used(before, after, 'db') / max(total.num_requests, 1):.1f} ms/request; "
              f"gunicorn processes replaced {meter.restarts(before, after)}")
        print(f"contact notes: {written.ok} recorded (answered 303), {notes_after - notes_before} new rows; "
              f"lost writes {lost}; errors {total.num_failures}")
        for error in list(env.stats.errors.values())[:5]:
            print(f"  error: {error.name}: {error.error} x{error.occurrences}")
        # More rows than answers: a note written while the run stopped, its answer cut off (not lost).
        if lost > 0 or total.num_failures:
            sys.exit(1)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
