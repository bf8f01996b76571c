"""``nwd backup PATH`` and ``nwd restore PATH``: the whole database to one file and back.

SQLite (the embedded default): SQLite's online backup API, a consistent copy taken while the service
runs, itself a SQLite database. PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore``, found in
``NWD_PG_BIN``, else on the PATH, else in /usr/lib/postgresql/15/bin (the server's version or
newer). A restore refuses a database that already holds tables unless told ``replace``: it would
overwrite records. The file holds every record, personal data included: keep it as the database is
kept (encrypted, access-controlled), and delete it when its retention ends.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections

DEBIAN_PG_BIN = Path("/usr/lib/postgresql/15/bin")
SQLITE_HEADER = b"SQLite format 3\x00"
PG_CUSTOM_HEADER = b"PGDMP"


class BackupError(Exception):
    """The backup or restore could not be done; the message says why and what to do."""


@dataclass(frozen=True)
class Outcome:
    path: Path
    engine: str
    size: int


def _engine(database: Mapping[str, Any]) -> str:
    engine = str(database["ENGINE"])
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(f"nwd backup knows SQLite and PostgreSQL, not {engine}.")


def pg_program(name: str) -> str:
    """The path of pg_dump or pg_restore: NWD_PG_BIN, else the PATH, else the Debian package's folder."""
    configured = settings.NWD_PG_BIN
    candidates = [Path(configured) / name] if configured else []
    found = shutil.which(name)
    if found:
        candidates.append(Path(found))
    candidates.append(DEBIAN_PG_BIN / name)
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    raise BackupError(
        f"{name} was not found (looked in {', '.join(str(c.parent) for c in candidates)}): install PostgreSQL's "
        f"client programs (Debian: apt-get install postgresql-client-15) or set NWD_PG_BIN to their folder."
    )


def _pg_arguments(database: Mapping[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump/pg_restore, and the environment (the password, never on the
    command line where other users of the machine could read it)."""
    args = []
    if database.get("HOST"):
        args += ["--host", str(database["HOST"])]
    if database.get("PORT"):
        args += ["--port", str(database["PORT"])]
    if database.get("USER"):
        args += ["--username", str(database["USER"])]
    env = {**os.environ}
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    finished = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if finished.returncode != 0:
        detail = (finished.stderr or finished.stdout).strip().splitlines()
        raise BackupError(f"{what} failed: {' / '.join(detail[-3:]) or f'exit status {finished.returncode}'}")


def _sqlite_connect(name: Any) -> sqlite3.Connection:
    return sqlite3.connect(str(name), timeout=30)


def backup(path: Path, *, alias: str = "default", overwrite: bool = False) -> Outcome:
    """Write the whole database to ``path`` (refusing an existing file unless ``overwrite``)."""
    path = Path(path)
    if path.exists() and not overwrite:
        raise BackupError(f"{path} already exists: choose another name, or remove it first.")
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    database = connections[alias].settings_dict
    engine = _engine(database)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if engine == "sqlite":
            # Through Django's own connection: it is the live database (in the tests, in memory too).
            connection = connections[alias]
            if connection.in_atomic_block:  # SQLite's backup would wait for ever on the open transaction
                raise BackupError("A SQLite backup cannot be taken inside a transaction of the same connection.")
            connection.ensure_connection()
            target = _sqlite_connect(partial)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        else:
            args, env = _pg_arguments(database)
            _run([pg_program("pg_dump"), "--format=custom", "--file", str(partial), *args, str(database["NAME"])],
                 env, "pg_dump")
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return Outcome(path=path, engine=engine, size=path.stat().st_size)


def tables_in(database: Mapping[str, Any]) -> list[str]:
    """The tables the database holds (none: it is empty and may be restored into)."""
    if _engine(database) == "sqlite":
        name = Path(str(database["NAME"]))
        if not name.exists():
            return []
        with _sqlite_connect(name) as conn:
            return [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                               "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    import psycopg

    with psycopg.connect(**_psycopg_params(database)) as conn:
        rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', "
                            "'information_schema') ORDER BY tablename").fetchall()
    return [r[0] for r in rows]


def _psycopg_params(database: Mapping[str, Any]) -> dict[str, Any]:
    params = {"dbname": database["NAME"], "host": database.get("HOST") or None,
              "port": database.get("PORT") or None, "user": database.get("USER") or None,
              "password": database.get("PASSWORD") or None}
    return {k: v for k, v in params.items() if v is not None}


def restore(path: Path, *, replace: bool = False, database: Mapping[str, Any] | None = None) -> Outcome:
    """Load the backup at ``path`` into the database (``settings.DATABASES["default"]`` unless given).

    Refuses a database that holds any table unless ``replace``; then everything in it is replaced.
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"There is no backup file at {path}.")
    target = database if database is not None else connections["default"].settings_dict
    engine = _engine(target)
    with path.open("rb") as file:
        header = file.read(16)
    expected = SQLITE_HEADER if engine == "sqlite" else PG_CUSTOM_HEADER
    if not header.startswith(expected):
        made_by = ("SQLite" if header.startswith(SQLITE_HEADER) else "PostgreSQL" if header.startswith(PG_CUSTOM_HEADER)
                   else None)
        raise BackupError(
            f"{path} is not a backup of this kind of database ({engine}): "
            + (f"it was made from {made_by}." if made_by else "it is not a file nwd backup wrote.")
        )
    existing = tables_in(target)
    if existing and not replace:
        raise BackupError(
            f"The database {target['NAME']} is not empty (it holds {len(existing)} tables): restoring would "
            "replace everything in it. Restore into a new, empty database, or run again with --replace."
        )
    if database is None:
        connections.close_all()  # nothing of this process keeps the database open while it is replaced
    if engine == "sqlite":
        source = _sqlite_connect(path)
        destination = _sqlite_connect(target["NAME"])
        try:
            source.backup(destination)  # replaces the destination's whole content, in one step
        finally:
            source.close()
            destination.close()
    else:
        args, env = _pg_arguments(target)
        clean = ["--clean", "--if-exists"] if existing else []
        _run([pg_program("pg_restore"), "--exit-on-error", "--single-transaction", *clean, *args,
              "--dbname", str(target["NAME"]), str(path)], env, "pg_restore")
    return Outcome(path=path, engine=engine, size=path.stat().st_size)
