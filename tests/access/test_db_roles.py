"""The two PostgreSQL roles of ``nwd db-roles``: the application's cannot rewrite the audit log.

The test database is created and migrated by the suite's own (superuser) connection, as always.
Each test then runs ``nwd db-roles`` inside its transaction (PostgreSQL's CREATE ROLE, ALTER ...
OWNER and GRANT are transactional, so the roles and the ownership changes vanish when the test
rolls back) and acts as a role with ``SET ROLE``, which checks privileges exactly as a connection
logged in as that role would. Role names carry ``nwd_audit`` and the process id, so parallel runs
on the same server never meet; any left over are dropped when the module ends.
"""

from __future__ import annotations

import contextlib
import os
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client

from nwd.access import audit, db_roles
from nwd.access.checks import application_role_cannot_rewrite_the_audit_log
from nwd.access.models import Action, AuditEvent
from nwd.access.roles import Role
from nwd.access.testing import sign_in
from nwd.core.services import save_valid
from tests.factories import UserFactory, open_involvement

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles are PostgreSQL's")

OWNER = f"nwd_audit_owner_{os.getpid()}"
APP = f"nwd_audit_app_{os.getpid()}"
TABLE = AuditEvent._meta.db_table


def _one(sql: str):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


@pytest.fixture(scope="module", autouse=True)
def no_roles_left_behind(django_db_setup, django_db_blocker):
    """Each test's rollback removes its roles; should one survive a crash, drop it here."""
    yield
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        for role in (APP, OWNER):
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone():
                cursor.execute(f"REASSIGN OWNED BY {role} TO CURRENT_USER")
                cursor.execute(f"DROP OWNED BY {role}")
                cursor.execute(f"DROP ROLE {role}")


@pytest.fixture
def roles(db):
    if not _one("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user"):
        pytest.skip("the test database's user may not create roles")
    out = StringIO()
    call_command("db-roles", owner=OWNER, app=APP, stdout=out)
    assert f"{APP} may read and write them but only add to and read the audit log" in out.getvalue()
    return OWNER, APP


@contextlib.contextmanager
def acting_as(role: str):
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {role}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


def refused(sql: str) -> str:
    """Run ``sql`` in a savepoint; return the database's refusal (the test fails if it is accepted)."""
    with pytest.raises(DatabaseError) as caught, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    return str(caught.value)


def test_the_application_role_cannot_change_empty_or_unguard_the_audit_log(roles):
    _, app = roles
    event = audit.record(None, Action.VIEW, detail="evidence")
    trigger = f"{TABLE}_append_only"
    with acting_as(app):
        assert _one("SELECT current_user") == app
        assert "permission denied" in refused(f"UPDATE {TABLE} SET detail = 'rewritten' WHERE id = {event.pk}")  # noqa: S608
        assert "permission denied" in refused(f"DELETE FROM {TABLE} WHERE id = {event.pk}")  # noqa: S608
        assert "permission denied" in refused(f"TRUNCATE {TABLE}")
        assert "must be owner" in refused(f"ALTER TABLE {TABLE} DISABLE TRIGGER {trigger}")
        assert "must be owner" in refused(f"ALTER TABLE {TABLE} DISABLE TRIGGER ALL")
        assert "must be owner" in refused(f"DROP TRIGGER {trigger} ON {TABLE}")
        assert "must be owner" in refused(f"DROP TABLE {TABLE}")
        assert "permission denied for schema public" in refused(  # no CREATE, nor owner of the function
            "CREATE OR REPLACE FUNCTION nwd_audit_append_only() RETURNS trigger LANGUAGE plpgsql "
            "AS $$ BEGIN RETURN OLD; END; $$")
        assert "permission denied" in refused("SET session_replication_role = replica")
        assert "permission denied" in refused(f"CREATE TRIGGER sneak BEFORE INSERT ON {TABLE} "
                                              "FOR EACH ROW EXECUTE FUNCTION nwd_audit_append_only()")
        assert db_roles.weaknesses(connection) == []
        assert application_role_cannot_rewrite_the_audit_log() == []
    assert AuditEvent.objects.get(pk=event.pk).detail == "evidence"
    assert "is a superuser" in db_roles.weaknesses(connection)[0]  # the suite's own user could
    assert [w.id for w in application_role_cannot_rewrite_the_audit_log()] == ["access.W101"]


def test_the_application_role_runs_the_service(roles):
    """Signing in, reading a young person's page, changing a record: all work as the application role."""
    _, app = roles
    manager = UserFactory(role=Role.HUB_MANAGER)
    person = open_involvement(hub=manager.hub).young_person
    client = Client()
    sign_in(client, manager)
    before = AuditEvent.objects.count()
    with acting_as(app):
        assert client.get(f"/young-people/{person.pk}/").status_code == 200
        person.preferred_name = "Robbie"
        save_valid(person, by=manager)
        assert AuditEvent.objects.count() > before
        out = StringIO()
        call_command("audit-verify", stdout=out)
    assert "The chain is intact." in out.getvalue()
    assert "Warning" not in out.getvalue()


def test_audit_verify_finds_what_the_owner_role_did(roles):
    """The owner can switch the trigger off; what it then changes or deletes shows in the chain."""
    owner, _ = roles
    events = [audit.record(None, Action.VIEW, detail=f"event {n}") for n in range(5)]
    with acting_as(owner), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the events' own deferred checks first
        cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {TABLE}_append_only")
        cursor.execute(f"UPDATE {TABLE} SET detail = 'nothing happened' WHERE id = %s", [events[1].pk])  # noqa: S608
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [events[3].pk])  # noqa: S608
        cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {TABLE}_append_only")
    out = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("audit-verify", stdout=out)
    assert caught.value.returncode == 1
    report = out.getvalue()
    assert f"Row id {events[1].pk} (sequence 2): altered" in report
    assert f"Row id {events[4].pk} (sequence 5): the events before it (sequence 4) are missing: deleted" in report


def test_db_roles_is_idempotent_and_refuses_what_it_cannot_do(roles):
    owner, app = roles
    assert _one(f"SELECT tableowner FROM pg_tables WHERE tablename = '{TABLE}'") == owner  # noqa: S608
    out = StringIO()
    call_command("db-roles", owner=owner, app=app, print_sql=True, stdout=out)
    printed = out.getvalue()
    assert "OWNER TO" not in printed  # everything is the owner's already
    assert f"GRANT SELECT, INSERT ON public.{TABLE} TO {app};" in printed
    call_command("db-roles", owner=owner, app=app, stdout=StringIO())
    with pytest.raises(CommandError, match="two different roles"):
        call_command("db-roles", owner=app, app=app)
    with pytest.raises(CommandError, match="not a role name"):
        call_command("db-roles", owner="x; DROP TABLE y", app=app)


def test_a_password_from_the_environment_is_set_though_parameters_are_bound_on_the_server(roles, monkeypatch):
    """ALTER ROLE ... PASSWORD takes no bound parameter: the password is written in as a literal
    (quotes and all), and never printed."""
    owner, app = roles
    monkeypatch.setenv("NWD_DB_APP_PASSWORD", "it's 100% s3cret")
    out = StringIO()
    call_command("db-roles", owner=owner, app=app, stdout=out)
    assert _one(f"SELECT rolpassword IS NOT NULL FROM pg_authid WHERE rolname = '{app}'")  # noqa: S608
    call_command("db-roles", owner=owner, app=app, print_sql=True, stdout=out)
    assert "s3cret" not in out.getvalue()


def test_tables_a_later_migration_creates_are_the_applications_to_use(roles):
    owner, app = roles
    with acting_as(owner), connection.cursor() as cursor:
        cursor.execute("CREATE TABLE nwd_audit_later (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, x int)")
    with acting_as(app), connection.cursor() as cursor:
        cursor.execute("INSERT INTO nwd_audit_later (x) VALUES (1)")
        cursor.execute("UPDATE nwd_audit_later SET x = 2")
        cursor.execute("DELETE FROM nwd_audit_later")
    with acting_as(app):
        assert "must be owner" in refused("DROP TABLE nwd_audit_later")
