"""The caseloads (``casework.queries.caseloads``): each member of staff who may be key worker with the
young people they are the current key worker of, counted over current allocations of open
involvements only, by name and then id."""

import datetime as dt

import pytest

from nwd.access.roles import Role
from nwd.casework import queries
from nwd.casework import services as casework
from nwd.casework.choices import AllocationReason, InvolvementEndReason
from nwd.casework.models import KeyWorkerAllocation
from tests.factories import HubFactory, UserFactory, open_involvement

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 1, 6)


def test_a_caseload_counts_the_current_allocations_of_open_involvements_only():
    hub = HubFactory()
    busy = UserFactory(role=Role.KEY_WORKER, hub=hub, last_name="Ahmed", first_name="Sam")
    idle = UserFactory(role=Role.RESIDENTIAL_WORKER, hub=hub, last_name="Brown", first_name="Alex")
    taker = UserFactory(role=Role.HUB_MANAGER, hub=hub, last_name="Clarke", first_name="Jo")
    UserFactory(role=Role.LIFE_COACH, hub=hub)  # may not be key worker: not listed
    UserFactory(role=Role.KEY_WORKER, hub=hub, is_active=False)  # left: not listed
    for _ in range(2):
        open_involvement(hub=hub, key_worker=busy, start=DAY)
    handed = open_involvement(hub=hub, key_worker=busy, start=DAY)
    casework.reallocate_key_worker(handed, taker, DAY + dt.timedelta(days=3), AllocationReason.BETTER_MATCH)
    ended = open_involvement(hub=hub, key_worker=busy, start=DAY)
    casework.close_involvement(ended, DAY + dt.timedelta(days=5), InvolvementEndReason.GOALS_MET)
    # An allocation left open on an ended involvement is not a caseload either.
    KeyWorkerAllocation.objects.filter(involvement=ended).update(end=None)
    assert KeyWorkerAllocation.objects.filter(key_worker=busy, end__isnull=True).count() == 3
    listed = [(user.pk, user.caseload) for user in queries.caseloads(hub)]
    assert listed == [(busy.pk, 2), (idle.pk, 0), (taker.pk, 1)]
    assert [(user.pk, user.caseload) for _, staff in queries.caseloads_by_hub(type(hub).objects.filter(pk=hub.pk))
            for user in staff] == listed


def test_staff_of_the_same_name_are_listed_by_id():
    hub = HubFactory()
    same = [UserFactory(role=Role.KEY_WORKER, hub=hub, last_name="Smith", first_name="Kim") for _ in range(8)]
    assert [user.pk for user in queries.caseloads(hub)] == sorted(user.pk for user in same)
