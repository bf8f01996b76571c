"""`nwd backup` and `nwd restore` round-trip the scale-1 county: every table, its row count and a
checksum of its rows, on SQLite (online backup API) and PostgreSQL (pg_dump/pg_restore, custom format)."""

from __future__ import annotations

import hashlib
import io
import sqlite3
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from nwd.core.backup import BackupError, restore


def _raw_connection(database: dict):
    if connection.vendor == "sqlite":
        # The same converters as Django's connection (registered globally), so values compare alike.
        return sqlite3.connect(str(database["NAME"]), detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES,
                               uri=str(database["NAME"]).startswith("file:"))
    import psycopg

    params = {"dbname": database["NAME"], "host": database.get("HOST") or None, "port": database.get("PORT") or None,
              "user": database.get("USER") or None, "password": database.get("PASSWORD") or None}
    return psycopg.connect(**{k: v for k, v in params.items() if v is not None})


def _tables_and_checksums(conn) -> dict[str, tuple[int, str]]:
    """Every table: its row count and a SHA-256 of its rows (sorted, so order does not matter)."""
    if isinstance(conn, sqlite3.Connection):
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    else:
        tables = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
    found = {}
    for table in tables:
        rows = sorted(repr(tuple(row)) for row in conn.execute(f'SELECT * FROM "{table}"').fetchall())  # noqa: S608
        found[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return found


@pytest.fixture
def second_database(tmp_path):
    """A second, empty database of the same engine, removed afterwards."""
    params = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        params["NAME"] = str(tmp_path / "restored.sqlite3")
        yield params
        return
    params["NAME"] = f"{params['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{params["NAME"]}"')
    try:
        yield params
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{params["NAME"]}" WITH (FORCE)')


# transaction=True: the backup reads what is committed (SQLite's online backup waits for ever on the
# test's own open transaction); the county is committed, outside every test's transaction.
@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip_the_county(county, tmp_path, second_database):
    path = tmp_path / "nwd.backup"
    out = io.StringIO()
    call_command("backup", str(path), stdout=out)
    assert "Backed up the" in out.getvalue() and path.stat().st_size > 100_000

    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(path), stdout=io.StringIO())

    restore(path, database=second_database)

    source = _raw_connection(connection.settings_dict)
    restored = _raw_connection(second_database)
    try:
        before = _tables_and_checksums(source)
        after = _tables_and_checksums(restored)
    finally:
        source.close()
        restored.close()
    assert sum(count for count, _ in before.values()) >= county.rows > 10_000  # the county, not an empty schema
    assert after == before

    # Into a database that is no longer empty: refused, unless --replace.
    with pytest.raises(BackupError, match="not empty"):
        restore(path, database=second_database)
    restore(path, database=second_database, replace=True)
    restored = _raw_connection(second_database)
    try:
        assert _tables_and_checksums(restored) == before
    finally:
        restored.close()


@pytest.mark.django_db
def test_restore_refuses_a_database_with_tables_and_a_file_of_another_kind(tmp_path):
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("not a backup")
    with pytest.raises(CommandError, match="not a file nwd backup wrote"):
        call_command("restore", str(not_a_backup), stdout=io.StringIO())
    with pytest.raises(CommandError, match="There is no backup file"):
        call_command("restore", str(tmp_path / "missing"), stdout=io.StringIO())
    other = tmp_path / "other"
    other.write_bytes(b"PGDMP" + b"\0" * 20 if connection.vendor == "sqlite" else b"SQLite format 3\x00" + b"\0" * 20)
    with pytest.raises(CommandError, match="it was made from"):
        call_command("restore", str(other), stdout=io.StringIO())


def test_pg_programs_are_found_or_named(settings, tmp_path):
    from nwd.core.backup import pg_program

    settings.NWD_PG_BIN = str(tmp_path)
    fake = tmp_path / "pg_dump"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    assert pg_program("pg_dump") == str(fake)
    with pytest.raises(BackupError, match="NWD_PG_BIN"):
        pg_program("pg_no_such_program")


def test_the_backup_path_is_checked(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("backup", str(tmp_path / "no" / "such" / "folder.backup"), stdout=io.StringIO())

