"""What the tests that start `nwd` in another process share: a free port, and this run's test database
written to the file that process opens."""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path

from django.db import connection


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def copy_sqlite_test_database(target: Path) -> None:
    """This run's SQLite test database (migrated, in this process's memory) copied to ``target`` with
    SQLite's online backup API. Call it outside any transaction: the backup waits for one to end."""
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()
