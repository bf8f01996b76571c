"""With the scale-1 synthetic county loaded: each page makes the same number of queries for the young person
with the longest history as for one with the shortest, and every role's home page opens."""

import pytest
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nwd.access.models import User
from nwd.access.roles import Role
from nwd.access.testing import sign_in
from nwd.casework.models import Involvement, Referral, YoungPerson
from nwd.hubs.models import Stay

pytestmark = pytest.mark.django_db


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def test_young_person_page_costs_the_same_for_the_longest_and_shortest_history(county, client):
    open_now = Involvement.objects.filter(young_person=OuterRef("pk"), end__isnull=True)
    supported = YoungPerson.objects.filter(Exists(open_now), restricted=False).annotate(
        history=Count("contacts", distinct=True) + Count("missingepisodes", distinct=True)
    )
    longest = supported.order_by("-history").first()
    # The same shape (a referral or not, in a bed or not): the policy's checks stop early on some
    # shapes, which changes the count by a query whatever the history; the history must not.
    shape = {
        "has_referral": Exists(Referral.objects.filter(young_person=OuterRef("pk"))),
        "in_bed": Exists(Stay.objects.filter(young_person=OuterRef("pk"), discharged__isnull=True)),
    }
    longest_shape = supported.annotate(**shape).get(pk=longest.pk)
    shortest = (
        supported.annotate(**shape)
        .filter(has_referral=longest_shape.has_referral, in_bed=longest_shape.in_bed)
        .order_by("history").first()
    )
    assert longest.history > 10 * max(shortest.history, 1)
    manager = User.objects.filter(role=Role.SERVICE_MANAGER, is_active=True).first()
    sign_in(client, manager)
    client.get(reverse("web:young_person", args=[shortest.pk]))  # warm the caches (content types) first
    long_count = queries_for(client, reverse("web:young_person", args=[longest.pk]))
    short_count = queries_for(client, reverse("web:young_person", args=[shortest.pk]))
    assert long_count == short_count


def test_key_worker_home_costs_the_same_for_any_caseload(county, client):
    workers = User.objects.filter(role=Role.KEY_WORKER, is_active=True).annotate(
        caseload=Count("allocations", filter=Q(allocations__end__isnull=True, allocations__involvement__end__isnull=True))
    )
    busiest, quietest = workers.order_by("-caseload").first(), workers.order_by("caseload").first()
    assert busiest.caseload > quietest.caseload
    sign_in(client, busiest)
    client.get(reverse("home"))  # warm the caches (content types) first
    busy = queries_for(client, reverse("home"))
    client.logout()
    sign_in(client, quietest)
    assert queries_for(client, reverse("home")) == busy


@pytest.mark.parametrize("role", list(Role))
def test_every_roles_home_opens(county, client, role):
    user = User.objects.filter(role=role, is_active=True).order_by("username").first()
    if user is None:
        pytest.skip(f"The county has no {role}")
    sign_in(client, user)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("web:bed_board")).status_code in (200, 403)
