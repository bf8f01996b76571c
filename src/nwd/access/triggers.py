"""The database's own refusal to change or delete an audit event, on each engine.

The application refuses already (``AuditEvent.save``/``delete`` and the queryset), but an audit
log that a stray ``UPDATE`` could rewrite is not evidence. So the database refuses too:

- PostgreSQL: a PL/pgSQL function raises, called by a row trigger BEFORE UPDATE OR DELETE.
- SQLite: BEFORE UPDATE / BEFORE DELETE triggers ``RAISE(ABORT)`` while the function
  ``nwd_audit_locked()`` says so. The application registers that function on every connection
  (``nwd.access.apps``); a connection without it (the sqlite3 shell) gets "no such function"
  and is refused all the same.

Emptying the whole database (``flush``, as the test runner does between transactional tests) is
not a row change: PostgreSQL's TRUNCATE does not fire row triggers, and on SQLite the ``flush``
command unlocks the log for its own duration only (``nwd.access.management.commands.flush``).
"""

from __future__ import annotations

import contextlib
import contextvars

TABLE = "access_auditevent"
MESSAGE = "The audit log is append-only: audit events cannot be changed or deleted."

POSTGRES_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION nwd_audit_append_only() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
        END;
        $$""",
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
    f"""CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION nwd_audit_append_only()""",
]

POSTGRES_REMOVE = [
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
    "DROP FUNCTION IF EXISTS nwd_audit_append_only()",
]

SQLITE_INSTALL = [
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE ON {TABLE}
        WHEN nwd_audit_locked() BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_no_delete BEFORE DELETE ON {TABLE}
        WHEN nwd_audit_locked() BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]

SQLITE_REMOVE = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_delete",
]

_unlocked = contextvars.ContextVar("nwd_audit_unlocked", default=False)


def audit_locked() -> int:
    """What SQLite's ``nwd_audit_locked()`` returns: 1 except inside ``emptying_database()``."""
    return 0 if _unlocked.get() else 1


@contextlib.contextmanager
def emptying_database():
    """Let the whole database be emptied (``flush``); never for changing single events."""
    token = _unlocked.set(True)
    try:
        yield
    finally:
        _unlocked.reset(token)


@contextlib.contextmanager
def lifted(connection):
    """Lift the refusal for one migration's own rewrite (``access.0007`` links existing events).

    On PostgreSQL only the table's owner may disable its trigger, and the statement is part of the
    migration's transaction: if anything fails, the trigger was never off. On SQLite the
    connection's ``nwd_audit_locked()`` answers 0 meanwhile.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # ALTER TABLE refuses while foreign-key checks of rows written earlier in the same
            # transaction are still deferred: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {TABLE}_append_only")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {TABLE}_append_only")
    else:
        with emptying_database():
            yield


def register_sqlite_function(connection) -> None:
    """Give a new SQLite connection the function the triggers ask."""
    connection.connection.create_function("nwd_audit_locked", 0, audit_locked, deterministic=False)


def install(connection) -> None:
    """Install (or re-install) the triggers on ``connection``'s engine; idempotent."""
    with connection.cursor() as cursor:
        statements = {"postgresql": POSTGRES_INSTALL, "sqlite": SQLITE_INSTALL}.get(connection.vendor, [])
        for statement in statements:
            cursor.execute(statement)


def installed(connection) -> bool:
    """Are the triggers in place on this database?"""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname = %s", [f"{TABLE}_append_only"])
            return cursor.fetchone()[0] == 1
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE]
            )
            return cursor.fetchone()[0] == 2
    return False
