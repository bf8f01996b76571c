"""The dashboard on the synthetic county at scale 1 (the session fixture ``county``): the default period,
a service manager's named lists against the whole council, the analyst's view with none of the
county's names, and the same fixed number of queries as on the small county."""

from __future__ import annotations

import html
import re
import time

import pytest
from django.core.cache import cache as django_cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from nwd.access import scopes
from nwd.access.models import AuditEvent, User
from nwd.access.roles import Role
from nwd.access.testing import sign_in
from nwd.casework.models import YoungPerson
from nwd.jobs.testing import run_queued

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
PEOPLE_LINK = re.compile(r'href="(/evidence/people/\?[^"]+)"')


def signed_in(role: str) -> tuple[User, Client]:
    user = User.objects.filter(role=role, is_active=True).order_by("username").first()
    client = Client()
    sign_in(client, user)
    return user, client


def timed_get(client, address: str):
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200, address
    return response, len(captured.captured_queries), time.perf_counter() - start


def test_the_dashboard_on_the_county_for_a_service_manager_and_an_analyst(county):
    django_cache.clear()
    manager, managers = signed_in(Role.SERVICE_MANAGER)
    analyst, analysts = signed_in(Role.ANALYST)
    managers.get("/")
    analysts.get("/")
    started = managers.get("/evidence/")  # not kept: the job that works it out, and its progress
    follow = re.search(r'data-nwd-job-url="([^"]+)"', started.content.decode())
    assert started.status_code == 200 and follow and "data-nwd-job-waiting" in started.content.decode()
    worked = time.perf_counter()
    assert run_queued() == 1
    worked_seconds = time.perf_counter() - worked
    django_cache.clear()  # as a web process other than the worker's: the job's output, from storage
    page, cold, cold_seconds = timed_get(managers, html.unescape(follow.group(1)))
    _, warm, warm_seconds = timed_get(managers, "/evidence/")
    analyst_page, analyst_warm, _ = timed_get(analysts, "/evidence/")
    print(f"\nScale 1, default period: worked out in the background in {worked_seconds:.1f} s; first view "
          f"{cold_seconds * 1000:.0f} ms ({cold} queries), then {warm_seconds * 1000:.0f} ms ({warm} queries); "
          f"{len(page.content) // 1024} kB")
    assert warm == analyst_warm <= 8 and cold <= 9
    body, analyst_body = page.content.decode(), analyst_page.content.decode()
    assert "Headline figures" in body and "down" in body
    links = [html.unescape(link) for link in PEOPLE_LINK.findall(body)]
    assert len(links) > 50
    assert not PEOPLE_LINK.search(analyst_body) and "/young-people/" not in analyst_body
    names = YoungPerson.objects.values_list("given_name", "preferred_name", "family_name")
    shown = [f"{preferred or given} {family}" for given, preferred, family in names
             if f"{preferred or given} {family}" in analyst_body]
    assert not shown, shown[:5]

    # A named list about the whole council: the service's young people by name, the rest counted.
    entries = next(link for link in links if "figure=care_entries" in link and "row=All+entries" in link)
    listing, list_queries, _ = timed_get(managers, entries)
    listed = listing.content.decode()
    counted = re.search(r"([\d,]+) young people are behind this row; you may see ([\d,]+) of them", listed)
    total, visible = (int(group.replace(",", "")) for group in counted.groups())
    assert 0 < visible < total
    visible_ids = set(scopes.visible_young_people(manager).values_list("pk", flat=True))
    audited = set(AuditEvent.objects.filter(user=manager, action="list", detail__startswith="evidence:")
                  .values_list("young_person_id", flat=True))
    assert audited and audited <= visible_ids
    assert len(audited) == min(visible, 50)
    _, other_list_queries, _ = timed_get(managers, next(link for link in links if "figure=referral_decisions" in link))
    assert list_queries == other_list_queries
    assert analysts.get(entries).status_code == 403
