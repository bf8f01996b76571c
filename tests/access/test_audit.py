"""The audit log: what is written, and that nothing can change or delete it, in the application or
the database (SQLite here; PostgreSQL when the suite runs on it)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client, RequestFactory

from nwd.access import audit, triggers
from nwd.access.models import Action, AppendOnly, AuditEvent
from nwd.access.roles import Role
from nwd.access.testing import sign_in
from nwd.core.services import save_valid
from tests.factories import ContactFactory, UserFactory, YoungPersonFactory, open_involvement

ON_POSTGRES = connection.vendor == "postgresql"
ON_SQLITE = connection.vendor == "sqlite"


def request_from(user, path="/somewhere/", address="192.0.2.7"):
    request = RequestFactory().get(path, HTTP_USER_AGENT="TestBrowser/1.0", REMOTE_ADDR=address)
    request.user = user
    return request


@pytest.mark.django_db
def test_record_writes_who_when_what_and_from_where():
    user = UserFactory(role=Role.KEY_WORKER)
    contact = ContactFactory()
    event = audit.record(request_from(user, "/contacts/1/?x=1"), Action.VIEW, contact, detail="note")
    event.refresh_from_db()
    assert (event.user, event.username, event.action) == (user, user.username, "view")
    assert event.young_person_id == contact.young_person_id
    assert event.content_type.model == "contact" and event.object_id == str(contact.pk)
    assert (event.ip_address, event.user_agent, event.path, event.method) == (
        "192.0.2.7", "TestBrowser/1.0", "/contacts/1/?x=1", "GET")
    assert event.detail == "note"


@pytest.mark.django_db
def test_record_rows_writes_one_event_per_young_person_in_one_statement(django_assert_max_num_queries):
    user = UserFactory(role=Role.KEY_WORKER)
    people = YoungPersonFactory.create_batch(5)
    request = request_from(user)
    # The content type (cached after the first time), the chain's lock (PostgreSQL) and head, one INSERT.
    with django_assert_max_num_queries(4):
        written = audit.record_rows(request, [*people, people[0].pk], action=Action.SEARCH)
    assert written == 5
    assert set(AuditEvent.objects.filter(action="search").values_list("young_person_id", flat=True)) == {
        p.pk for p in people}


@pytest.mark.django_db
def test_the_application_refuses_to_change_or_delete_an_event():
    event = audit.record(None, Action.VIEW, detail="evidence")
    event.detail = "rewritten"
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()
    with pytest.raises(AppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(detail="rewritten")
    with pytest.raises(AppendOnly):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnly), transaction.atomic():  # bulk_update's own atomic has no savepoint
        AuditEvent.objects.bulk_update([event], ["detail"])
    assert AuditEvent.objects.get(pk=event.pk).detail == "evidence"


def _raw(sql, params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.django_db
def test_the_database_refuses_update_and_delete():
    """Raw SQL goes round the application; the database's triggers refuse it all the same."""
    if not (ON_POSTGRES or ON_SQLITE):
        pytest.skip("triggers are written for PostgreSQL and SQLite")
    assert triggers.installed(connection)
    event = audit.record(None, Action.VIEW, detail="evidence")
    table = AuditEvent._meta.db_table
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"UPDATE {table} SET detail = %s WHERE id = %s", ["rewritten", event.pk])  # noqa: S608
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"DELETE FROM {table} WHERE id = %s", [event.pk])  # noqa: S608
    assert AuditEvent.objects.get(pk=event.pk).detail == "evidence"


@pytest.mark.django_db
@pytest.mark.skipif(not ON_POSTGRES, reason="the PL/pgSQL trigger is PostgreSQL's (CI runs the suite on both)")
def test_postgres_trigger_refuses_even_a_delete_of_every_row():
    audit.record(None, Action.VIEW)
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"DELETE FROM {AuditEvent._meta.db_table}", [])  # noqa: S608


@pytest.mark.django_db
@pytest.mark.skipif(not ON_SQLITE, reason="SQLite's own triggers")
def test_sqlite_triggers_come_back_after_migrate():
    """SQLite drops a table's triggers when it rebuilds the table; every migrate puts them back."""
    with connection.cursor() as cursor:
        for statement in triggers.SQLITE_REMOVE:
            cursor.execute(statement)
    assert not triggers.installed(connection)
    from nwd.access.apps import _reinstall_sqlite_triggers

    _reinstall_sqlite_triggers(sender=None, using="default")
    assert triggers.installed(connection)


@pytest.mark.django_db(transaction=True)
def test_flush_still_empties_the_whole_database():
    """The test runner (and a developer) may empty every table; single rows stay unchangeable."""
    audit.record(None, Action.VIEW)
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    if ON_SQLITE:
        assert triggers.audit_locked() == 1


@pytest.mark.django_db
def test_every_change_through_the_services_is_audited():
    key_worker = UserFactory(role=Role.KEY_WORKER)
    involvement = open_involvement(hub=key_worker.hub, key_worker=key_worker)
    person = involvement.young_person
    person.preferred_name = "Robbie"
    save_valid(person, by=key_worker)
    changes = AuditEvent.objects.filter(young_person_id=person.pk, action__in=["create", "change"], user=key_worker)
    assert changes.filter(action="change", content_type__model="youngperson").exists()
    assert not AuditEvent.objects.filter(action="create", user=None, young_person_id=person.pk).exists()


@pytest.mark.django_db
def test_a_change_with_no_person_behind_it_is_left_to_its_history_row():
    """The synthetic county and command-line loads write history rows, not a line each in the log."""
    YoungPersonFactory()
    assert not AuditEvent.objects.filter(action="create").exists()


@pytest.mark.django_db
def test_sign_in_success_failure_and_sign_out_are_audited():
    user = UserFactory(username="audited", role=Role.KEY_WORKER)
    client = Client()
    client.post("/sign-in/", {"username": "audited", "password": "wrong password here"}, REMOTE_ADDR="192.0.2.9")
    failure = AuditEvent.objects.get(action="login_failure")
    assert (failure.username, failure.user, failure.ip_address) == ("audited", None, "192.0.2.9")
    assert "wrong password" not in failure.detail
    client.post("/sign-in/", {"username": "audited", "password": "correct horse battery staple"})
    assert AuditEvent.objects.filter(action="login_success", user=user).exists()
    sign_in(client, user)
    client.post("/sign-out/")
    assert AuditEvent.objects.filter(action="logout", user=user).exists()


@pytest.mark.django_db
def test_reading_a_young_persons_pages_leaves_a_row_even_when_refused():
    manager = UserFactory(role=Role.HUB_MANAGER)
    involvement = open_involvement(hub=manager.hub)
    person = involvement.young_person
    stranger = UserFactory(role=Role.HUB_MANAGER)  # another hub
    for user, status, action in ((manager, 200, "view"), (stranger, 404, "denied")):
        client = Client()
        sign_in(client, user)
        response = client.get(f"/young-people/{person.pk}/viewed-by/")
        assert response.status_code == status
        assert AuditEvent.objects.filter(user=user, young_person_id=person.pk, action=action).exists()
