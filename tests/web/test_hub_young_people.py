"""The hub's young people on a home page are bounded (issue 14): a hub manager's and a portfolio lead's
home lists the 25 most urgent, says how many of how many and links to the whole list, paged 50 at a
time (``nwd.web.pages.hub``). Only the young people shown are audited, and the whole list keeps the
home list's rule (the hub's young people whose plan the user may see)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from nwd.access.models import AuditEvent
from nwd.access.roles import Role
from nwd.access.testing import sign_in
from nwd.casework.models import YoungPerson
from nwd.core import dates
from nwd.events.models import MissingEpisode
from nwd.web.pages import hub as hub_list
from tests.factories import ContactFactory, HubFactory, UserFactory, YoungPersonFactory, open_involvement

pytestmark = pytest.mark.django_db
TODAY = dates.today()
HUB_LIST = reverse("web:hub_young_people")
ROW_LINK = re.compile(r'<th scope="row" class="govuk-table__header"><a class="govuk-link" href="/young-people/(\d+)/">')


def supported(hub, key_worker, count: int, family: str, *, missing=False, contacted=False) -> list[YoungPerson]:
    """``count`` young people supported by ``hub`` now, named ``family`` 01, 02...: missing now, or seen
    today (no alert), or neither (the alert "No contact recorded")."""
    people = []
    for number in range(1, count + 1):
        person = YoungPersonFactory(given_name=f"{family}{number:02d}", family_name=family)
        open_involvement(young_person=person, hub=hub, key_worker=key_worker, start=TODAY - dt.timedelta(days=30))
        if missing:
            MissingEpisode.objects.create(young_person=person, started_at=timezone.now() - dt.timedelta(hours=3))
        if contacted:
            ContactFactory(young_person=person, staff=key_worker, at=timezone.now() - dt.timedelta(hours=1))
        people.append(person)
    return people


def crowd(hub, key_worker, quiet: int) -> list[YoungPerson]:
    """A hub with 3 young people missing now (named last, listed first), 7 not contacted (listed next)
    and ``quiet`` with no alert (last, by name): the order every list of them must show."""
    missing = supported(hub, key_worker, 3, "Zephyr", missing=True, contacted=True)
    uncontacted = supported(hub, key_worker, 7, "Young")
    quiet_ones = supported(hub, key_worker, quiet, "Abbot", contacted=True)
    return missing + uncontacted + quiet_ones


def listed(page: str) -> list[int]:
    """The young people of a page's tables of young people, in order (their links)."""
    return [int(pk) for pk in ROW_LINK.findall(page)]


def home_list_reads(user) -> set[int]:
    return set(AuditEvent.objects.filter(user=user, action="list", detail="home page")
               .values_list("young_person_id", flat=True))


def test_the_managers_home_shows_the_25_most_urgent_and_links_to_them_all(client, hub, key_worker, manager):
    everyone = crowd(hub, key_worker, quiet=20)
    sign_in(client, manager)
    page = client.get(reverse("home")).content.decode()
    shown = listed(page)
    assert shown == [person.pk for person in everyone[:25]]  # missing, then no contact, then by name
    assert everyone[25].full_name not in page
    assert "25 of 30 young people supported by the hub, those needing attention first</caption>" in page
    assert f'<a class="govuk-link" href="{HUB_LIST}">See all 30 young people supported by the hub</a>' in page
    # The audit says who was on the page: the 25 shown, not the hub's 30.
    assert home_list_reads(manager) == set(shown)


def test_a_hub_within_the_bound_is_listed_whole_as_before(client, hub, key_worker, manager):
    everyone = crowd(hub, key_worker, quiet=15)
    sign_in(client, manager)
    page = client.get(reverse("home")).content.decode()
    assert listed(page) == [person.pk for person in everyone]
    assert ">Young people supported by the hub</caption>" in page and HUB_LIST not in page
    assert home_list_reads(manager) == {person.pk for person in everyone}


def test_the_portfolio_leads_hub_list_has_the_same_bound_and_link(client, hub, key_worker):
    lead = UserFactory(role=Role.PORTFOLIO_LEAD, hub=hub, first_name="Pat", last_name="Lead")
    everyone = crowd(hub, key_worker, quiet=20)
    sign_in(client, lead)
    page = client.get(reverse("home")).content.decode()
    assert listed(page) == [person.pk for person in everyone[:25]]  # they are key worker of nobody
    assert "25 of 30 young people supported by the hub, those needing attention first</caption>" in page
    assert f'href="{HUB_LIST}">See all 30 young people supported by the hub</a>' in page
    assert home_list_reads(lead) == {person.pk for person in everyone[:25]}


def test_the_whole_list_is_paged_50_at_a_time_in_the_home_lists_order(client, hub, key_worker, manager):
    everyone = crowd(hub, key_worker, quiet=45)
    restricted = supported(hub, key_worker, 1, "Hidden")[0]
    YoungPerson.objects.filter(pk=restricted.pk).update(restricted=True)  # not named on it: never listed
    sign_in(client, manager)
    first = client.get(HUB_LIST)
    assert first.status_code == 200
    page = first.content.decode()
    assert listed(page) == [person.pk for person in everyone[:50]]
    assert "Young people 1 to 50 of 55, those needing attention first</caption>" in page
    assert '<nav class="govuk-pagination" aria-label="Pages of young people supported by the hub">' in page
    assert 'href="?page=2" rel="next"' in page and 'rel="prev"' not in page
    assert "Page 1 of 2" in page
    reads = AuditEvent.objects.filter(user=manager, action="list", detail="hub's young people")
    assert set(reads.values_list("young_person_id", flat=True)) == {person.pk for person in everyone[:50]}

    before = reads.count()
    second = client.get(HUB_LIST + "?page=2").content.decode()
    assert listed(second) == [person.pk for person in everyone[50:]]
    assert "Young people 51 to 55 of 55, those needing attention first</caption>" in second
    assert 'href="?page=1" rel="prev"' in second and 'rel="next"' not in second
    latest = reads.order_by("-pk")[: reads.count() - before]
    assert sorted(event.young_person_id for event in latest) == sorted(person.pk for person in everyone[50:])
    assert restricted.full_name not in page + second
    assert not AuditEvent.objects.filter(young_person_id=restricted.pk, action="list").exists()


def test_the_page_size_and_the_bound(client):
    assert (hub_list.ON_HOME, hub_list.PAGE_SIZE) == (25, 50)


def test_a_key_worker_of_another_hub_sees_their_own_hubs_list_only(client, hub, key_worker):
    ours = crowd(hub, key_worker, quiet=0)
    elsewhere = HubFactory(name="Acle Hub", code="acle")
    other_worker = UserFactory(role=Role.KEY_WORKER, hub=elsewhere)
    theirs = supported(elsewhere, other_worker, 2, "Other")
    sign_in(client, other_worker)
    page = client.get(HUB_LIST).content.decode()
    assert listed(page) == [person.pk for person in theirs]
    assert "Acle Hub" in page and not any(person.full_name in page for person in ours)
    assert not AuditEvent.objects.filter(young_person_id__in=[person.pk for person in ours]).exists()


@pytest.mark.parametrize("role", [Role.POLICE_LIAISON, Role.PARTNER_REFERRER, Role.ANALYST])
def test_roles_without_the_plans_permission_are_refused(client, hub, key_worker, role):
    ours = crowd(hub, key_worker, quiet=0)
    user = UserFactory(role=role, hub=None, agency="school" if role == Role.PARTNER_REFERRER else "")
    sign_in(client, user)
    response = client.get(HUB_LIST)
    assert response.status_code == 403
    assert not any(person.full_name in response.content.decode() for person in ours)
    assert not AuditEvent.objects.filter(user=user, action="list").exists()


def test_a_user_at_no_hub_is_told_there_is_no_hub_list(client, hub, key_worker):
    crowd(hub, key_worker, quiet=0)
    service = UserFactory(role=Role.SERVICE_MANAGER, hub=None)
    sign_in(client, service)
    response = client.get(HUB_LIST)
    assert response.status_code == 200
    assert "You do not work at a hub" in response.content.decode() and not listed(response.content.decode())
    assert not AuditEvent.objects.filter(user=service, action="list").exists()
