"""Queries compiled once for a key and run again as compiled (``nwd.casework.prepared.kept`` and
``kept_at``) give what the queryset gives, read fresh rows each time, and keep nothing of one user's
scope for another: the hub manager's home and the referral queue use them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import F

from nwd.access import scopes
from nwd.access.relations import user_key
from nwd.access.roles import Role
from nwd.casework import prepared, queries, referral_queue
from nwd.casework.models import Contact, Referral
from nwd.core import dates
from tests.factories import (
    ContactFactory,
    HubFactory,
    ReferralFactory,
    UserFactory,
    open_involvement,
)

pytestmark = pytest.mark.django_db


def _contacts():
    return Contact.objects.select_related("staff", "young_person").annotate(day=F("at")).order_by("at", "pk")


def test_kept_rows_are_the_querysets_and_read_again_each_time(django_assert_num_queries):
    first = ContactFactory(at=dt.datetime(2025, 6, 3, 10, tzinfo=dt.UTC))
    with django_assert_num_queries(1):
        got = prepared.kept(("test", "contacts"), _contacts)
    assert [(c.pk, c.staff.username, c.young_person.given_name, c.day) for c in got] == \
        [(c.pk, c.staff.username, c.young_person.given_name, c.day) for c in _contacts()]
    second = ContactFactory(at=dt.datetime(2025, 6, 4, 10, tzinfo=dt.UTC))
    # The SQL is kept, never the rows: a row written since is read.
    assert [c.pk for c in prepared.kept(("test", "contacts"), _contacts)] == [first.pk, second.pk]


def _since(at):
    return Contact.objects.filter(at__gte=at).select_related("young_person").order_by("at", "pk")


def test_kept_at_binds_each_calls_moments():
    old = ContactFactory(at=dt.datetime(2025, 6, 1, 10, tzinfo=dt.UTC))
    new = ContactFactory(at=dt.datetime(2025, 6, 20, 10, tzinfo=dt.UTC))
    for at, expected in ((dt.datetime(2025, 5, 1, tzinfo=dt.UTC), [old, new]),
                         (dt.datetime(2025, 6, 10, tzinfo=dt.UTC), [new]),
                         (dt.datetime(2025, 7, 1, tzinfo=dt.UTC), [])):
        got = prepared.kept_at(("test", "since"), _since, (at,))
        assert [c.pk for c in got] == [c.pk for c in expected] == [c.pk for c in _since(at)]
        assert all(c.young_person.pk == c.young_person_id for c in got)


def test_kept_at_refuses_a_moment_worked_on_in_the_build():
    # ``at - 14 days`` is not a moment it was given: kept, it would be the first call's for ever.
    with pytest.raises(ValueError, match="other than as given"):
        prepared.kept_at(("test", "derived"), lambda at: _since(at - dt.timedelta(days=14)),
                         (dt.datetime(2025, 6, 1, tzinfo=dt.UTC),))


def test_kept_at_refuses_a_query_whose_sql_depends_on_the_moment():
    def shaped(at):
        return _since(at) if at.year % 2 else Contact.objects.filter(at__lt=at)

    with pytest.raises(ValueError, match="SQL depends"):
        prepared.kept_at(("test", "shaped"), shaped, (dt.datetime(2025, 6, 1, tzinfo=dt.UTC),))


def test_each_managers_lists_are_their_own_scopes():
    """Two hub managers and a service manager, in turn and twice (the second time from the kept SQL):
    each one's queue and hub list are what their own scopes give read the usual way, and the queue's
    "already supported" mark names the hub only where the manager may open the young person."""
    north, south = HubFactory(name="North hub"), HubFactory(name="South hub")
    north_person = open_involvement(hub=north).young_person
    open_involvement(hub=south)
    ReferralFactory(young_person=north_person, received=dates.today())
    restricted = open_involvement(hub=south).young_person
    restricted.restricted = True
    restricted.save()
    ReferralFactory(young_person=restricted, received=dates.today())
    managers = [UserFactory(role=Role.HUB_MANAGER, hub=north), UserFactory(role=Role.HUB_MANAGER, hub=south),
                UserFactory(role=Role.SERVICE_MANAGER)]
    restricted.restricted_to.add(managers[1])
    today = dates.today()
    for _ in range(2):
        for manager in managers:
            reader = user_key(manager)
            # As the pages ask: the restriction alone where the scope holds for the whole queue.
            kept = referral_queue.waiting(lambda m=manager: scopes.referrals_to_decide(m),
                                          lambda m=manager: scopes.young_people_awaiting_decision(m), today, reader=reader)
            usual = referral_queue.waiting(scopes.referrals_to_decide(manager), scopes.young_people(manager), today)
            assert [(r.pk, r.supported_hub, r.supported_by, r.decision_due) for r in kept] == \
                [(r.pk, r.supported_hub, r.supported_by, r.decision_due) for r in usual]
            marks = {r.young_person_id: r.supported_hub for r in kept}
            # Every waiting referral's young person is within a manager's scope, but a restricted
            # record only for those named on it (none here).
            assert marks[north_person.pk] == north.name
            named = manager == managers[1]
            assert marks.get(restricted.pk, "") == (south.name if named else "")
            if manager.hub_id:
                plan_scope = "casework.view_plan"
                listed = queries.hub_young_people(manager.hub, lambda m=manager, s=plan_scope: scopes.young_people(m, s), today,
                                                  viewer=manager, within=plan_scope, reader=(plan_scope, reader))
                expected = queries.hub_young_people(manager.hub, scopes.young_people(manager, plan_scope), today,
                                                    viewer=manager, within=plan_scope)
                assert [(p.pk, [a.key for a in p.alerts]) for p in listed] == \
                    [(p.pk, [a.key for a in p.alerts]) for p in expected]
                assert (restricted.pk in {p.pk for p in listed}) == named
                assert (north_person.pk in {p.pk for p in listed}) == (manager.hub == north)
            assert [r.pk for r in referral_queue.awaiting_support(lambda m=manager: scopes.referrals_to_decide(m),
                                                                  reader=reader)] == \
                [r.pk for r in queries.referrals_decided_awaiting_support(scopes.referrals_to_decide(manager))]
    assert Referral.objects.count() == 2
