"""docs/permissions.md against the code: the file is the generated table, and every cell holds.

For each role and permission, the cell's meaning (tests/access/expected.py, from the document's
words) is compared with what the code answers for every record of the hand-built population, one
record at a time (``user.has_perm``) and as a database filter (``nwd.access.scopes``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nwd.access import policy, scopes
from nwd.access.permissions_doc import render
from nwd.access.roles import Role
from tests.access import expected

DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
CELLS = [(role.value, p.name) for p in policy.PERMISSIONS for role in Role]


def test_the_document_is_the_table_in_the_code():
    assert DOC.read_text(encoding="utf-8") == render(), "Run: nwd permissions_doc"


def _records(population, kind):
    return {
        policy.YOUNG_PERSON: population.people,
        policy.REFERRAL: population.referrals,
        policy.CONTACT: population.contacts,
        policy.HUB: population.hubs,
        policy.DOCUMENT: population.documents,
    }[kind]


def _expected(population, permission, role) -> set[str] | bool:
    scope = permission.scope_for(role)
    if permission.kind == policy.GLOBAL:
        return scope is not None
    if scope is None:
        return set()
    if permission.kind == policy.YOUNG_PERSON:
        return expected.young_people(scope.label, role)
    if permission.kind == policy.REFERRAL:
        return expected.referrals(scope.label, role)
    if permission.kind == policy.CONTACT:
        return expected.contacts(scope.label, role, set(population.contacts))
    if permission.kind == policy.DOCUMENT:
        return expected.documents(scope.label, role, set(population.documents))
    return expected.hubs(scope.label, role)


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "name"), CELLS, ids=[f"{r}-{n}" for r, n in CELLS])
def test_cell(population, role, name):
    permission = policy.BY_NAME[name]
    user = population.users[role]
    want = _expected(population, permission, role)
    # Without a record: may the role ever do it? (What navigation asks.)
    assert user.has_perm(name) is (permission.scope_for(role) is not None), f"{role} asked {name} without a record"
    if permission.kind == policy.GLOBAL:
        return
    records = _records(population, permission.kind)
    one_by_one = {key for key, record in records.items() if user.has_perm(name, record)}
    assert one_by_one == want, f"{role} / {name}: has_perm"
    ids = {record.pk: key for key, record in records.items()}
    in_database = {ids[pk] for pk in scopes.permitted(user, name).filter(pk__in=ids).values_list("pk", flat=True)}
    assert in_database == want, f"{role} / {name}: scopes.permitted"


@pytest.mark.django_db
def test_a_superuser_gets_nothing_from_the_policy(population):
    from nwd.access.models import User

    admin = User.objects.create_superuser("pop_admin", "admin@example.org", "a long enough admin password")
    for permission in policy.PERMISSIONS:
        assert not admin.has_perm(permission.name)
    assert not admin.has_perm("casework.view_young_person", population.people["hub"])
    assert admin.has_perm("hubs.change_hub")  # Django's own model permissions still work for the admin


@pytest.mark.django_db
def test_an_inactive_user_gets_nothing(population):
    user = population.users[Role.SERVICE_MANAGER.value]
    user.is_active = False
    for permission in policy.PERMISSIONS:
        assert not user.has_perm(permission.name)
    assert not scopes.visible_young_people(user).exists()
    user.is_active = True


@pytest.mark.django_db
def test_named_on_a_restricted_record_never_widens_a_role(population):
    """The analyst is named on 'restricted_named' and still sees nothing of it."""
    analyst = population.users[Role.ANALYST.value]
    person = population.people["restricted_named"]
    assert person.restricted_to.filter(pk=analyst.pk).exists()
    assert not analyst.has_perm("casework.view_identity", person)


@pytest.mark.django_db
def test_a_restricted_record_is_closed_even_to_its_key_worker(population):
    key_worker = population.users[Role.KEY_WORKER.value]
    person = population.people["restricted"]
    assert person.involvements.get().allocations.get().key_worker == key_worker
    for name in ("casework.view_identity", "casework.view_young_person", "casework.record_contact"):
        assert not key_worker.has_perm(name, person)
    assert not key_worker.has_perm("casework.view_contact", population.contacts["restricted"])
    person.restricted_to.add(key_worker)
    assert key_worker.has_perm("casework.view_young_person", person)
    person.restricted_to.remove(key_worker)


@pytest.mark.django_db
def test_records_are_asked_through_their_young_person_or_hub(population):
    """A contact, referral or stay is asked young-person permissions of its young person."""
    key_worker = population.users[Role.KEY_WORKER.value]
    assert key_worker.has_perm("casework.view_young_person", population.contacts["hub"])
    assert not key_worker.has_perm("casework.view_young_person", population.contacts["other_hub"])
    involvement = population.people["hub"].involvements.get()
    manager = population.users[Role.HUB_MANAGER.value]
    assert manager.has_perm("casework.allocate_key_worker", involvement)
    assert not manager.has_perm("casework.allocate_key_worker", population.people["other_hub"].involvements.get())
