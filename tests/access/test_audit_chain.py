"""The audit log's hash chain and ``nwd audit-verify``, on SQLite and on PostgreSQL.

Tampering here goes round the application and the database's refusal the way someone with the
database in their hands would: on PostgreSQL a superuser's ``SET session_replication_role =
replica`` (which switches off triggers); on SQLite dropping the triggers (the sqlite3 shell on the
file), then plain SQL.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import zoneinfo
from io import StringIO

import pytest
from django.apps import apps as django_apps
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction

from nwd.access import audit, chain, triggers
from nwd.access.models import Action, AuditEvent
from tests.factories import UserFactory, YoungPersonFactory

ON_POSTGRES = connection.vendor == "postgresql"
TABLE = AuditEvent._meta.db_table


@contextlib.contextmanager
def triggers_off():
    """What an administrator holding the database could do to get past the triggers."""
    with connection.cursor() as cursor:
        if ON_POSTGRES:
            cursor.execute("SET session_replication_role = replica")
        else:
            for statement in triggers.SQLITE_REMOVE:
                cursor.execute(statement)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if ON_POSTGRES:
                cursor.execute("SET session_replication_role = DEFAULT")
            else:
                for statement in triggers.SQLITE_INSTALL:
                    cursor.execute(statement)


def tamper(sql: str, params=()) -> None:
    with triggers_off(), connection.cursor() as cursor:
        cursor.execute(sql, list(params))


def verify_command(*args) -> tuple[str, CommandError | None]:
    out = StringIO()
    try:
        call_command("audit-verify", *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def some_events(count: int = 5) -> list[AuditEvent]:
    user = UserFactory()
    return [audit.record(None, Action.VIEW, user=user, detail=f"event {n}") for n in range(count)]


@pytest.mark.django_db
def test_each_event_is_linked_to_the_one_before():
    events = some_events(3)
    people = YoungPersonFactory.create_batch(2)
    audit.record_rows(None, people, action=Action.SEARCH)
    stored = list(AuditEvent.objects.order_by("sequence").values("sequence", "chain_hash", *chain.CHAINED_FIELDS))
    assert [row["sequence"] for row in stored] == [1, 2, 3, 4, 5]
    previous = chain.GENESIS
    for row in stored:
        assert row["chain_hash"] == chain.link(previous, row)
        previous = row["chain_hash"]
    assert events[0].chain_hash == stored[0]["chain_hash"]  # the saved instance holds its hash too
    output, error = verify_command()
    assert error is None
    assert f"Checked 5 audit events. Chain head: 5:{previous}" in output


@pytest.mark.django_db
def test_the_hash_covers_the_values_as_the_database_gives_them_back():
    """An IPv6 address in capitals and a time in another zone are stored normalised; the chain agrees."""
    london = dt.datetime(2026, 7, 1, 13, 14, 15, 123456, tzinfo=zoneinfo.ZoneInfo("Europe/London"))
    AuditEvent(action=Action.VIEW, at=london, ip_address="2001:DB8:0:0::1", username="ünïcode",
               detail="line\nbreak \"quoted\"").save()
    AuditEvent.objects.bulk_create([AuditEvent(action=Action.LIST, ip_address="::ffff:192.0.2.1")])
    result = chain.verify(AuditEvent.objects.all())
    assert result.intact, result.problems
    assert result.checked == 2


@pytest.mark.django_db
def test_audit_verify_names_a_row_altered_with_sql():
    events = some_events(5)
    tamper(f"UPDATE {TABLE} SET detail = %s WHERE id = %s", ["nothing to see", events[2].pk])  # noqa: S608
    assert AuditEvent.objects.get(pk=events[2].pk).detail == "nothing to see"
    output, error = verify_command()
    assert error is not None and error.returncode == 1
    assert f"Row id {events[2].pk} (sequence 3): altered" in output
    assert output.count("Row id") == 1  # the events after it still follow from its stored hash


@pytest.mark.django_db
def test_audit_verify_names_the_hole_a_deleted_row_leaves():
    events = some_events(5)
    tamper(f"DELETE FROM {TABLE} WHERE id IN (%s, %s)", [events[1].pk, events[2].pk])  # noqa: S608
    output, error = verify_command()
    assert error is not None
    assert f"Row id {events[3].pk} (sequence 4): the events before it (sequences 2 to 3) are missing" in output


@pytest.mark.django_db
def test_deleted_last_events_and_a_rewritten_chain_show_against_a_noted_head():
    events = some_events(4)
    noted = f"{events[-1].sequence}:{events[-1].chain_hash}"
    assert verify_command("--expect", noted)[1] is None
    tamper(f"DELETE FROM {TABLE} WHERE id = %s", [events[-1].pk])  # noqa: S608
    output, error = verify_command()
    assert error is None  # the chain alone cannot know its last event went...
    output, error = verify_command("--expect", noted)
    assert error is not None  # ...the head noted earlier does
    assert "Sequence 4: no longer in the log" in output

    # Altering an event and recomputing every hash after it makes a consistent chain; the noted
    # hash of an event at or after the change differs.
    rows = list(AuditEvent.objects.order_by("sequence").values("id", *chain.CHAINED_FIELDS))
    rows[1]["detail"] = "rewritten"
    previous = chain.GENESIS
    for row in rows:
        previous = chain.link(previous, row)
        tamper(f"UPDATE {TABLE} SET detail = %s, chain_hash = %s WHERE id = %s",  # noqa: S608
               [row["detail"], previous, row["id"]])
    assert chain.verify(AuditEvent.objects.all()).intact
    output, error = verify_command("--expect", f"3:{events[2].chain_hash}")
    assert error is not None
    assert f"Row id {events[2].pk} (sequence 3): its hash is not the one noted earlier" in output


def test_expect_must_be_a_sequence_and_a_hash():
    with pytest.raises(CommandError, match="SEQUENCE:HASH"):
        call_command("audit-verify", "--expect", "12:nothex")


@pytest.mark.django_db
def test_the_migration_links_existing_events_in_the_order_they_were_written():
    """``access.0007`` gives the events already in the log their sequence and hash, by id."""
    import importlib

    migration = importlib.import_module("nwd.access.migrations.0007_audit_hash_chain")
    events = some_events(4)
    tamper(f"UPDATE {TABLE} SET sequence = -id, chain_hash = %s", ["unlinked"])  # noqa: S608

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    migration.link_existing_events(django_apps, editor)
    stored = list(AuditEvent.objects.order_by("id").values_list("sequence", flat=True))
    assert stored == [1, 2, 3, 4]
    assert chain.verify(AuditEvent.objects.all()).intact
    assert triggers.installed(connection)  # lifted for the migration only
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [events[0].pk])  # noqa: S608


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not ON_POSTGRES, reason="SQLite serialises writers itself; PostgreSQL needs the advisory lock")
def test_concurrent_writers_never_link_to_the_same_event():
    """Without the lock two writers read the same chain head and the second insert fails (or forks)."""
    writers, each = 4, 40
    start = threading.Barrier(writers)
    failures = []

    def write():
        try:
            start.wait()
            for n in range(each):
                audit.record(None, Action.VIEW, detail=f"{threading.get_ident()} {n}")
        except Exception as error:  # noqa: BLE001 (reported below)
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    result = chain.verify(AuditEvent.objects.all())
    assert result.intact, result.problems
    assert result.checked == writers * each


def test_the_canonical_content_and_its_hash_never_change():
    """Events hashed by one release are verified by the next: the format is fixed (version 1)."""
    values = {
        "sequence": 7, "at": dt.datetime(2026, 12, 4, 2, 30, 0, 5, tzinfo=dt.UTC), "user_id": 3,
        "username": "kw.one", "action": "view", "content_type_id": 12, "object_id": "42",
        "young_person_id": 42, "ip_address": "192.0.2.7", "user_agent": "Browser/1.0", "method": "GET",
        "path": "/young-people/42/", "detail": "é",
    }
    assert chain.canonical(values) == (
        '{"action":"view","at":"2026-12-04T02:30:00.000005+00:00","content_type_id":12,"detail":"é",'
        '"ip_address":"192.0.2.7","method":"GET","object_id":"42","path":"/young-people/42/","sequence":7,'
        '"user_agent":"Browser/1.0","user_id":3,"username":"kw.one","young_person_id":42}'
    ).encode()
    # SHA-256 of 64 zeros, a newline and the bytes above.
    assert chain.link(chain.GENESIS, values) == "652b624df64fb4136530d9eda3e1eb0cbd232987134ed1a02137bf39364015c5"


def test_a_linker_links_as_link_does():
    """``record_rows`` links a list's events with ``chain.linker`` (the shared fields' JSON written once):
    each hash is ``link``'s, whatever the fields hold (text to escape, no address, no young person)."""
    shared = {
        "sequence": None, "at": dt.datetime(2026, 12, 4, 2, 30, 0, 5, tzinfo=zoneinfo.ZoneInfo("Europe/London")),
        "user_id": None, "username": 'ünï "co"\nde', "action": "list", "content_type_id": 12, "object_id": "",
        "young_person_id": None, "ip_address": "2001:DB8:0:0::1", "user_agent": "<b>&'", "method": "GET",
        "path": "/?q=%E2%82%AC", "detail": "home page \u2028",
    }
    link = chain.linker(shared, ("object_id", "young_person_id", "sequence"))
    previous = chain.GENESIS
    for sequence, pk in enumerate([42, 7, 123456789], start=1):
        changed = {"object_id": str(pk), "young_person_id": pk, "sequence": sequence}
        linked = link(previous, changed)
        assert linked == chain.link(previous, {**shared, **changed})
        previous = linked
    assert chain.linker(shared, ())(chain.GENESIS, {}) == chain.link(chain.GENESIS, shared)


@pytest.mark.django_db
def test_since_checks_only_the_events_after_a_noted_one():
    events = some_events(6)
    since = f"{events[2].sequence}:{events[2].chain_hash}"
    output, error = verify_command("--since", since)
    assert error is None and "Checked 4 audit events" in output
    tamper(f"UPDATE {TABLE} SET detail = 'x' WHERE id = %s", [events[4].pk])  # noqa: S608
    output, error = verify_command("--since", since)
    assert error is not None and f"Row id {events[4].pk} (sequence 5): altered" in output
    tamper(f"UPDATE {TABLE} SET chain_hash = %s WHERE id = %s", ["f" * 64, events[2].pk])  # noqa: S608
    output, error = verify_command("--since", since)
    assert f"Row id {events[2].pk} (sequence 3): its hash is not the one noted earlier" in output
    tamper(f"DELETE FROM {TABLE} WHERE id = %s", [events[2].pk])  # noqa: S608
    output, error = verify_command("--since", since)
    assert "Sequence 3: no longer in the log" in output
