"""The pages' scopes (``nwd.web.pages.scoping``, the policy's conditions as correlated EXISTS) give exactly
the records ``nwd.access.scopes`` gives, for every permission asked of a record and every user."""

import pytest
from django.db.models import Q

from nwd.access import policy, scopes
from nwd.access.models import User
from nwd.casework.models import Contact, YoungPerson
from nwd.web.pages import scoping
from nwd.web.pages.common import _pinned, contacts_of
from tests.access.population import build

pytestmark = pytest.mark.django_db
RECORD_PERMISSIONS = [p.name for p in policy.PERMISSIONS if p.takes_record]


@pytest.mark.parametrize("permission", RECORD_PERMISSIONS)
def test_same_records_as_the_access_scopes(permission):
    build()
    model = policy.MODEL_OF_KIND[policy.BY_NAME[permission].kind]
    for user in User.objects.all():
        expected = set(scopes.permitted(user, permission, model.objects.all()).values_list("pk", flat=True))
        found = set(scoping.permitted(user, permission, model.objects.all()).values_list("pk", flat=True))
        assert found == expected, (permission, user.role)


def test_contacts_pinned_to_one_young_person_are_the_scopes_contacts():
    build()
    for user in User.objects.all():
        visible = scopes.visible_contacts(user)
        for person in YoungPerson.objects.all():
            expected = set(visible.filter(young_person=person).values_list("pk", flat=True))
            assert set(contacts_of(user, person).values_list("pk", flat=True)) == expected, (user.role, person)


def test_pinning_keeps_the_shape_of_the_condition():
    condition = Q(staff_id=3) & ~Q(young_person__in=YoungPerson.objects.values("pk"))
    pinned = _pinned(condition, "young_person", 7)
    assert pinned.connector == condition.connector and pinned.children[1].negated
    assert "= 7" in str(Contact.objects.filter(pinned).query)
