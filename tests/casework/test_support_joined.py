"""The lists of young people (``with_alerts``) and the referral queue (``referral_queue.waiting``) read
the open involvement and its current key worker by a join rather than by a subquery per column
(docs/performance.md, eighth round): the same values as the subqueries they replaced, kept here as
they were, for every shape of support, and never a row more."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import CharField, Exists, OuterRef, Subquery

from nwd.access.roles import Role
from nwd.casework import referral_queue, services
from nwd.casework.choices import AllocationReason, InvolvementEndReason, ReferralStatus
from nwd.casework.models import Involvement, KeyWorkerAllocation, Referral, YoungPerson
from nwd.casework.queries import ALERT_PERMISSIONS, with_alerts
from nwd.casework.queries.alerts import _seen_by
from nwd.casework.queries.planning import constant, not_closed
from tests.factories import (
    DAY,
    HubFactory,
    ReferralFactory,
    UserFactory,
    YoungPersonFactory,
    open_involvement,
)

pytestmark = pytest.mark.django_db

TODAY = DAY + dt.timedelta(days=30)
JOINED = ("support_type", "hub_name", "key_worker_first", "key_worker_last", "alert_referral")


def by_subqueries(people, viewer=None, within=None):
    """``with_alerts``'s support columns as they were written before: a subquery each."""
    open_involvement = Involvement.objects.open_for(OuterRef("pk"))
    key_worker = KeyWorkerAllocation.objects.filter(
        involvement__young_person=OuterRef("pk"), involvement__end__isnull=True, end__isnull=True
    )
    return people.annotate(
        support_type=Subquery(open_involvement.values("support_type")[:1], output_field=CharField()),
        hub_name=Subquery(open_involvement.values("hub__name")[:1], output_field=CharField()),
        key_worker_first=Subquery(key_worker.values("key_worker__first_name")[:1], output_field=CharField()),
        key_worker_last=Subquery(key_worker.values("key_worker__last_name")[:1], output_field=CharField()),
        alert_referral=_seen_by(viewer, ALERT_PERMISSIONS["referral"], within=within, alert=Exists(
            open_involvement) & Exists(Referral.objects.filter(young_person=OuterRef("pk")).exclude(status=ReferralStatus.CLOSED))),
    )


@pytest.fixture
def shapes(db):
    """Young people with every shape of support: supported with a key worker, handed to a second
    key worker, supported again after an ended involvement, support ended, never supported, and
    referred again (waiting, in triage, decided) with and without support."""
    hub, other_hub = HubFactory(name="Ashby"), HubFactory(name="Brook")
    first = UserFactory(role=Role.KEY_WORKER, hub=hub, first_name="Jo", last_name="March")
    second = UserFactory(role=Role.KEY_WORKER, hub=hub, first_name="Meg", last_name="Brooke")
    elsewhere = UserFactory(role=Role.KEY_WORKER, hub=other_hub, first_name="Amy", last_name="Laurence")

    supported = open_involvement(hub=hub, key_worker=first).young_person
    handed_on = open_involvement(hub=hub, key_worker=first, support_type="residential")
    services.reallocate_key_worker(handed_on, second, DAY + dt.timedelta(days=3), AllocationReason.WORKLOAD)
    ended = open_involvement(hub=hub, key_worker=first)
    services.close_involvement(ended, DAY + dt.timedelta(days=5), InvolvementEndReason.GOALS_MET)
    again = open_involvement(hub=hub, key_worker=second)
    services.close_involvement(again, DAY + dt.timedelta(days=2), InvolvementEndReason.GOALS_MET)
    open_involvement(young_person=again.young_person, hub=other_hub, key_worker=elsewhere, start=DAY + dt.timedelta(days=4))
    never = YoungPersonFactory()
    for person in (supported, never, ended.young_person):
        ReferralFactory(young_person=person)
    ReferralFactory(young_person=handed_on.young_person, status=ReferralStatus.TRIAGE)
    ReferralFactory(young_person=again.young_person, status=ReferralStatus.CLOSED, decision="outreach",
                    decision_date=DAY + dt.timedelta(days=1))
    return {"hub": hub, "people": YoungPerson.objects.order_by("pk")}


def values(rows):
    return {row.pk: tuple(getattr(row, name) for name in JOINED) for row in rows}


def test_with_alerts_gives_the_subqueries_values_and_no_row_more(shapes):
    people = shapes["people"]
    joined = list(with_alerts(people, TODAY))
    assert len(joined) == people.count() == 5
    assert values(joined) == values(by_subqueries(people))
    # What the fixture is for: each shape is there.
    found = set(values(joined).values())
    assert ("outreach", "Ashby", "Jo", "March", True) in found            # supported, referred again
    assert ("residential", "Ashby", "Meg", "Brooke", True) in found       # handed on; a referral in triage
    assert ("outreach", "Brook", "Amy", "Laurence", False) in found      # supported again; referral decided
    assert (None, None, None, None, False) in found                      # support ended, or never supported


def test_with_alerts_for_a_viewer_gives_the_subqueries_values(shapes):
    manager = UserFactory(role=Role.HUB_MANAGER, hub=shapes["hub"])
    for within in (None, "casework.view_plan", "casework.view_identity"):
        people = shapes["people"]
        joined = list(with_alerts(people, TODAY, manager, within))
        assert len(joined) == people.count()
        assert values(joined) == values(by_subqueries(people, manager, within))


def test_the_referral_queue_names_the_support_the_subqueries_named(shapes):
    """``waiting``'s hub and key worker, against the subqueries it used before, on every referral."""
    support = Involvement.objects.filter(young_person=OuterRef("young_person"), end__isnull=True)
    worker = KeyWorkerAllocation.objects.filter(
        involvement__young_person=OuterRef("young_person"), involvement__end__isnull=True, end__isnull=True,
    )
    before = Referral.objects.exclude(status=ReferralStatus.CLOSED).annotate(
        open_hub=Subquery(support.values("hub__name")[:1], output_field=CharField()),
        worker_first=Subquery(worker.values("key_worker__first_name")[:1], output_field=CharField()),
        worker_last=Subquery(worker.values("key_worker__last_name")[:1], output_field=CharField()),
    ).order_by("pk")
    rows = referral_queue.waiting(Referral.objects.all(), YoungPerson.objects.all(), TODAY)
    assert sorted((r.pk, r.open_hub, r.worker_first, r.worker_last, r.supported_by) for r in rows) == [
        (r.pk, r.open_hub, r.worker_first, r.worker_last, " ".join(filter(None, (r.worker_first, r.worker_last))) if r.open_hub else "")
        for r in before
    ]
    assert {r.supported_by for r in rows} == {"Jo March", "Meg Brooke", ""}


def test_not_closed_is_the_same_filter_as_excluding_closed(shapes):
    assert list(Referral.objects.filter(not_closed()).order_by("pk")) == list(
        Referral.objects.exclude(status=ReferralStatus.CLOSED).order_by("pk"))
    assert Referral.objects.filter(not_closed()).count() == 4


def test_a_constant_is_a_plain_word_only():
    assert constant("closed").sql == "'closed'"
    for word in ("closed'; DROP TABLE x; --", "Closed", "", "a b"):
        with pytest.raises(ValueError):
            constant(word)
