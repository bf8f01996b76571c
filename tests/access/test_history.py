"""Change history: who changed which field from what to what, for one record and for a young person."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from nwd.access.history import history_for, young_person_history
from nwd.access.roles import Role
from nwd.access.testing import sign_in
from nwd.core.services import save_valid
from nwd.hubs import services as hub_services
from tests.factories import BedFactory, UserFactory, open_involvement


@pytest.fixture
def stay():
    manager = UserFactory(role=Role.HUB_MANAGER, first_name="Morgan", last_name="Manager")
    involvement = open_involvement(hub=manager.hub)
    bed = BedFactory(hub=manager.hub)
    stay = hub_services.admit(involvement.young_person, bed, dt.date(2025, 6, 2), dt.date(2025, 6, 30), by=manager)
    stay.planned_discharge = dt.date(2025, 7, 14)
    save_valid(stay, by=manager)
    return stay


@pytest.mark.django_db
def test_history_for_one_record_names_who_changed_which_field_from_what_to_what(stay):
    changes = history_for(stay)
    assert [c.kind for c in changes] == ["changed", "created"]
    latest = changes[0]
    assert latest.user_name == "Morgan Manager"
    assert [(f.field, f.old, f.new) for f in latest.fields] == [("planned discharge", "30 Jun 2025", "14 Jul 2025")]


@pytest.mark.django_db
def test_young_person_history_gathers_every_record_about_them(stay, django_assert_max_num_queries):
    person = stay.young_person
    person.preferred_name = "Sam"
    save_valid(person, by=stay.history.first().history_user)
    # One query per kind of record about a young person (29 kinds, 10 more, since the network, documents, the
    # children's home records and the worklist joined at the merge of issues 15 and 16), whatever the
    # number of records, and a fixed few besides (the names of who made each change).
    with django_assert_max_num_queries(44):
        changes = young_person_history(person)
    kinds = {c.record_type for c in changes}
    assert {"young person", "stay", "involvement", "key worker allocation"} <= kinds
    preferred = next(c for c in changes if c.record_type == "young person" and c.kind == "changed")
    assert ("preferred name", "(blank)", "Sam") in [(f.field, f.old, f.new) for f in preferred.fields]
    assert changes == sorted(changes, key=lambda c: c.at, reverse=True)


@pytest.mark.django_db
def test_the_change_history_page_is_for_managers_and_the_dpo(stay):
    person = stay.young_person
    manager = stay.history.last().history_user
    dpo = UserFactory(role=Role.DATA_PROTECTION_OFFICER)
    key_worker = person.involvements.get().allocations.get().key_worker
    for user, status in ((manager, 200), (dpo, 200), (key_worker, 404)):
        client = Client()
        sign_in(client, user)
        response = client.get(f"/young-people/{person.pk}/changes/")
        assert response.status_code == status, user.role
    client = Client()
    sign_in(client, manager)
    body = client.get(f"/young-people/{person.pk}/changes/").content.decode()
    assert "14 Jul 2025" in body and "Morgan Manager" in body
    viewed = client.get(f"/young-people/{person.pk}/viewed-by/").content.decode()
    assert "Morgan Manager" in viewed
