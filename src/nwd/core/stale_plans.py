"""PostgreSQL: a prepared query that a migration made stale is prepared again rather than failing.

The service has psycopg prepare the queries a connection repeats (``nwd.settings``,
docs/decisions/0011-prepared-statements.md). When a migration changes the type of a column while the
service runs (a longer ``varchar``, ``varchar`` to ``text``), PostgreSQL refuses to run a statement
prepared before it that returns the column: "cached plan must not change result type". psycopg keeps
the statement all the same, so on that connection the query would fail on every request until the
connection rolled back a transaction or was closed (up to ``CONN_MAX_AGE`` later).

``forget_stale_plans`` wraps every query of a PostgreSQL connection that prepares: on that error it
has psycopg forget the connection's prepared statements (``DEALLOCATE ALL``, which psycopg follows)
and, outside a transaction, runs the query once more, unprepared. Inside a transaction the error goes
up: the transaction has failed, and its rollback makes psycopg forget its statements too.
"""

from __future__ import annotations

from typing import Any

from django.db import NotSupportedError

STALE_PLAN = "cached plan must not change result type"


def forget_stale_plans(execute: Any, sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    """A Django execute wrapper (``connection.execute_wrappers``): see the module's text."""
    try:
        return execute(sql, params, many, context)
    except NotSupportedError as error:
        if not forgets(error, context["connection"]):
            raise
        return execute(sql, params, many, context)


def forgets(error: NotSupportedError, connection: Any) -> bool:
    """Whether ``error`` is a stale plan's that may be run again (outside a transaction): if so,
    the connection's prepared statements are forgotten first (also for ``nwd.casework.prepared``'s
    pipeline, which runs its statements on psycopg's cursors, outside the wrappers)."""
    if STALE_PLAN not in str(error) or connection.in_atomic_block or not connection.get_autocommit():
        return False
    connection.connection.execute("DEALLOCATE ALL")
    return True


def install(sender: Any, connection: Any, **kwargs: Any) -> None:
    """On each new connection (``connection_created``) that prepares statements: wrap its queries.

    Put first in the list, so that it wraps the others and ``connection.execute_wrapper(...)``, which
    removes the last one when its block ends, removes its own.
    """
    prepares = connection.settings_dict.get("OPTIONS", {}).get("prepare_threshold") is not None
    if connection.vendor == "postgresql" and prepares and forget_stale_plans not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, forget_stale_plans)
