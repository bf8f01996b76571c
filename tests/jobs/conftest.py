"""Running ``nwd worker`` as a real subprocess against the test database, on either engine."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection

REPO = Path(__file__).resolve().parents[2]


class Workers:
    """Start and stop ``python -m nwd worker`` processes that share the test database.

    PostgreSQL: the workers connect to the test database itself (the test is transactional, so
    what it writes is committed). SQLite: the test database lives in memory, so ``share()`` copies
    it to a file the workers use, and ``collect()`` copies the file back when they have finished.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.processes: list[subprocess.Popen] = []
        self.sqlite = connection.vendor == "sqlite"
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update({
            "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)]),
            "DJANGO_SETTINGS_MODULE": "nwd.test_settings",
            "NWD_TASK_LEASE_SECONDS": "1",
        })
        if self.sqlite:
            env["NWD_DATA_DIR"] = str(folder)
        else:
            s = connection.settings_dict
            env["DATABASE_URL"] = f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
        env.pop("PYTEST_XDIST_WORKER", None)
        self.env = env

    def share(self) -> None:
        if self.sqlite:
            connection.ensure_connection()
            with sqlite3.connect(self.folder / "nwd.sqlite3") as target:
                connection.connection.backup(target)

    def collect(self) -> None:
        if self.sqlite:
            connection.ensure_connection()
            with sqlite3.connect(self.folder / "nwd.sqlite3") as source:
                source.backup(connection.connection)

    def start(self, *extra: str) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "-m", "nwd", "worker", "--interval", "0.1", "--no-startup-delay", "-v", "0", *extra],
            cwd=REPO, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        self.processes.append(process)
        return process

    def stop(self, process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
        process.send_signal(sig)
        process.wait(timeout=30)

    def close(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)


def wait_for(condition: Callable[[], bool], what: str, process: subprocess.Popen | None = None,
             timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the worker stopped before {what}: {process.stderr.read() if process.stderr else ''}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def workers(tmp_path) -> Iterator[Workers]:
    pool = Workers(tmp_path)
    try:
        yield pool
    finally:
        pool.close()
