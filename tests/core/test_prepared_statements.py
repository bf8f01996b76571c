"""PostgreSQL binds parameters on the server and prepares the queries a connection repeats
(NWD_PG_PREPARE_THRESHOLD; docs/decisions/0011-prepared-statements.md); NWD_PG_PREPARE_THRESHOLD=off
turns preparing off; SQLite is left as it was; a query a migration made stale is prepared again
(nwd.core.stale_plans)."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection, connections

from nwd.config import DEFAULT_PREPARE_THRESHOLD, ConfigurationError, tunables
from nwd.core.stale_plans import forget_stale_plans

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")

# A query no other code runs, found again by its text in pg_prepared_statements.
MARKED = "SELECT %s::integer + 1 AS nwd_prepared_statements_test"


def test_the_threshold_is_two_unless_configured_and_off_never_prepares():
    assert DEFAULT_PREPARE_THRESHOLD == 2
    assert tunables({})["NWD_PG_PREPARE_THRESHOLD"] == 2
    assert tunables({"NWD_PG_PREPARE_THRESHOLD": " 5 "})["NWD_PG_PREPARE_THRESHOLD"] == 5
    for off in ("off", "OFF", "none", "false"):
        assert tunables({"NWD_PG_PREPARE_THRESHOLD": off})["NWD_PG_PREPARE_THRESHOLD"] is None
    # 0 is refused: psycopg would read it as "prepare everything at once", not as off.
    for wrong in ("0", "-1", "two", "1001"):
        with pytest.raises(ConfigurationError, match="NWD_PG_PREPARE_THRESHOLD") as error:
            tunables({"NWD_PG_PREPARE_THRESHOLD": wrong})
        assert "\n" not in str(error.value)


def _database_options(**environ: str) -> dict:
    """The default database's OPTIONS as nwd.settings builds them from ``environ`` (in a process of its own:
    the settings module is read once a process)."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "NWD_PG_PREPARE_THRESHOLD"}}
    env.update(DEBUG="1", **environ)
    script = ("import json, nwd.settings as s; o = s.DATABASES['default'].get('OPTIONS', {}); "
              "print(json.dumps({k: v for k, v in o.items() if isinstance(v, (str, int, bool, type(None)))}))")
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120,
                            check=True)
    return json.loads(result.stdout)


def test_postgresql_binds_on_the_server_and_prepares_unless_turned_off(tmp_path):
    url = "postgres://nwd@db.example:5432/nwd"
    options = _database_options(DATABASE_URL=url)
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == DEFAULT_PREPARE_THRESHOLD
    assert options["options"] == "-c jit=off"
    options = _database_options(DATABASE_URL=url, NWD_PG_PREPARE_THRESHOLD="off")
    # Off behind an old transaction-pooling PgBouncer: parameters are still bound on the server (an
    # unnamed statement, which any pooler passes on), nothing is prepared.
    assert options["server_side_binding"] is True and options["prepare_threshold"] is None
    sqlite = _database_options(NWD_DATA_DIR=str(tmp_path), NWD_PG_PREPARE_THRESHOLD="3")
    assert "server_side_binding" not in sqlite and "prepare_threshold" not in sqlite


def _prepared(cursor) -> int:
    cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
                   ["%nwd_prepared_statements_test%"])
    return cursor.fetchone()[0]


@on_postgresql
@pytest.mark.django_db
def test_a_query_the_connection_repeats_is_prepared_after_the_threshold():
    threshold = settings.NWD_PG_PREPARE_THRESHOLD
    assert threshold == DEFAULT_PREPARE_THRESHOLD
    connection.ensure_connection()
    assert connection.connection.prepare_threshold == threshold
    assert connection.execute_wrappers.count(forget_stale_plans) == 1
    with connection.cursor() as cursor:
        # psycopg counts the runs of a query: the ``threshold``th run still goes unprepared, the next prepares it.
        for _ in range(threshold):
            cursor.execute(MARKED, [41])
            assert cursor.fetchone() == (42,)
        assert _prepared(cursor) == 0
        cursor.execute(MARKED, [41])
        assert _prepared(cursor) == 1
        cursor.execute(MARKED, [1])
        assert cursor.fetchone() == (2,)


@on_postgresql
@pytest.mark.django_db
def test_with_the_threshold_off_nothing_is_prepared():
    default = connections["default"]
    settings_dict = copy.deepcopy(default.settings_dict)
    settings_dict["OPTIONS"]["prepare_threshold"] = None
    off = type(default)(settings_dict, alias="prepare_off")
    try:
        with off.cursor() as cursor:
            assert off.connection.prepare_threshold is None
            assert forget_stale_plans not in off.execute_wrappers  # nothing prepared, nothing to forget
            for _ in range(5):
                cursor.execute(MARKED, [41])
                assert cursor.fetchone() == (42,)
            assert _prepared(cursor) == 0
    finally:
        off.close()


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_query_prepared_before_a_migration_changed_its_column_is_prepared_again():
    """Another process alters a column's type (a migration while the service runs): the query this
    connection prepared before is run again, not failed with "cached plan must not change result type"."""
    default = connections["default"]
    migrating = type(default)(copy.deepcopy(default.settings_dict), alias="migrating")
    select = "SELECT id, name FROM nwd_stale_plan_test WHERE id = %s"
    try:
        with migrating.cursor() as cursor:
            cursor.execute("CREATE TABLE nwd_stale_plan_test (id integer PRIMARY KEY, name varchar(20))")
            cursor.execute("INSERT INTO nwd_stale_plan_test VALUES (1, 'Ada')")
        with connection.cursor() as cursor:
            for _ in range(settings.NWD_PG_PREPARE_THRESHOLD + 1):
                cursor.execute(select, [1])
            cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
                           ["%nwd_stale_plan_test%"])
            assert cursor.fetchone() == (1,)
        with migrating.cursor() as cursor:
            cursor.execute("ALTER TABLE nwd_stale_plan_test ALTER COLUMN name TYPE varchar(50)")
        for _ in range(2):
            with connection.cursor() as cursor:
                cursor.execute(select, [1])
                assert cursor.fetchall() == [(1, "Ada")]
    finally:
        with migrating.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS nwd_stale_plan_test")
        migrating.close()


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_pipeline_of_prepared_queries_a_migration_made_stale_is_run_again():
    """``nwd.casework.prepared``'s pipeline runs its statements on psycopg's own cursors, outside the
    execute wrappers (when nothing logs or wraps queries): its statements are prepared as the
    wrapped ones are, and one a migration made stale is prepared again rather than failing."""
    from nwd.casework import prepared

    default = connections["default"]
    migrating = type(default)(copy.deepcopy(default.settings_dict), alias="migrating")
    statements = [("SELECT id, name FROM nwd_stale_pipeline_test WHERE id = %s", [1]),
                  ("SELECT name FROM nwd_stale_pipeline_test WHERE id = %s AND name = %s", [1, "Ada"])]
    try:
        with migrating.cursor() as cursor:
            cursor.execute("CREATE TABLE nwd_stale_pipeline_test (id integer PRIMARY KEY, name varchar(20))")
            cursor.execute("INSERT INTO nwd_stale_pipeline_test VALUES (1, 'Ada')")
        assert not connection.queries_logged and connection.execute_wrappers == [forget_stale_plans]
        for _ in range(settings.NWD_PG_PREPARE_THRESHOLD + 1):
            assert prepared._fetch_together(statements, connection) == [[(1, "Ada")], [("Ada",)]]
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
                           ["%nwd_stale_pipeline_test%"])
            assert cursor.fetchone() == (2,)
        with migrating.cursor() as cursor:
            cursor.execute("ALTER TABLE nwd_stale_pipeline_test ALTER COLUMN name TYPE varchar(50)")
        for _ in range(2):
            assert prepared._fetch_together(statements, connection) == [[(1, "Ada")], [("Ada",)]]
    finally:
        with migrating.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS nwd_stale_pipeline_test")
        migrating.close()
