"""One place for each casework rule: who may be a key worker, and a young person's open involvement.

Each rule is asked of its one place by every caller; these tests hold the place to the rule and
check that the callers (forms, caseloads, the allocation service, the access policy) agree with it.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef

from nwd.access import policy
from nwd.access.roles import KEY_WORKER_ROLES, Role, why_not_key_worker
from nwd.casework import queries
from nwd.casework import services as casework
from nwd.casework.forms import key_worker_choices
from nwd.casework.models import Involvement, YoungPerson
from tests.factories import HubFactory, UserFactory, YoungPersonFactory, open_involvement

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 1, 6)


def test_key_worker_roles_are_the_key_workers_residential_workers_and_hub_managers():
    assert {Role.KEY_WORKER, Role.RESIDENTIAL_WORKER, Role.HUB_MANAGER} == KEY_WORKER_ROLES


def test_why_not_key_worker_says_the_role_the_hub_and_the_account():
    hub, elsewhere = HubFactory(), HubFactory()
    assert why_not_key_worker(UserFactory(role=Role.RESIDENTIAL_WORKER, hub=hub), hub) is None
    assert why_not_key_worker(UserFactory(role=Role.PORTFOLIO_LEAD, hub=hub), hub).endswith("is not a key worker.")
    assert why_not_key_worker(UserFactory(role=Role.KEY_WORKER, hub=elsewhere), hub).endswith("works at another hub.")
    gone = UserFactory(role=Role.HUB_MANAGER, hub=hub, is_active=False)
    assert why_not_key_worker(gone, hub).endswith("account is no longer active.")


def test_the_choices_the_caseloads_and_the_service_agree_on_who_may_be_key_worker():
    hub = HubFactory()
    staff = {role: UserFactory(role=role, hub=hub) for role in (*KEY_WORKER_ROLES, Role.PORTFOLIO_LEAD)}
    UserFactory(role=Role.KEY_WORKER, hub=hub, is_active=False)
    UserFactory(role=Role.KEY_WORKER, hub=HubFactory())
    eligible = {user.pk for user in staff.values() if why_not_key_worker(user, hub) is None}
    assert eligible == {staff[role].pk for role in KEY_WORKER_ROLES}
    assert {user.pk for user in key_worker_choices(hub)} == eligible
    assert {user.pk for user in queries.caseloads(hub)} == eligible
    assert {user.pk for _, users in queries.caseloads_by_hub(type(hub).objects.filter(pk=hub.pk)) for user in users} == eligible
    with pytest.raises(ValidationError, match="is not a key worker"):
        casework.start_involvement(YoungPersonFactory(), hub, "outreach", staff[Role.PORTFOLIO_LEAD], DAY)


def test_open_for_finds_the_open_involvement_only():
    person = YoungPersonFactory()
    assert Involvement.objects.open_for(person).first() is None
    first = open_involvement(person, start=DAY)
    assert list(Involvement.objects.open_for(person)) == [first]
    assert list(Involvement.objects.open_for(person.pk)) == [first]
    assert list(person.involvements.open()) == [first]
    casework.close_involvement(first, DAY + dt.timedelta(days=30), "goals_met")
    assert not Involvement.objects.open_for(person).exists()
    assert not person.involvements.open().exists()
    assert Involvement.objects.filter(young_person=person).count() == 1


def test_open_for_as_a_subquery_and_the_policy_agree():
    supported, ended, never = YoungPersonFactory(), YoungPersonFactory(), YoungPersonFactory()
    hub = HubFactory()
    open_involvement(supported, hub=hub, start=DAY)
    casework.close_involvement(open_involvement(ended, hub=hub, start=DAY), DAY + dt.timedelta(days=3), "goals_met")
    with_open = YoungPerson.objects.filter(Exists(Involvement.objects.open_for(OuterRef("pk"))))
    assert set(with_open.values_list("pk", flat=True)) == {supported.pk}
    manager = UserFactory(role=Role.SERVICE_MANAGER, hub=None)
    near = policy.is_supported_near_me
    assert [near.test(manager, p) for p in (supported, ended, never)] == [True, False, False]
    assert set(near.filter(manager, YoungPerson.objects.all()).values_list("pk", flat=True)) == {supported.pk}
