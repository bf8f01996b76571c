"""The placement pages: who may open them, what they show, and that their query count does not grow
with the number of providers and placements."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nwd.access.models import AuditEvent
from nwd.access.roles import Role
from nwd.access.testing import sign_in
from nwd.placements.models import QualityEvent
from tests.factories import UserFactory
from tests.placements.builders import TODAY, child, placed, provider, years_ago
from tests.placements.test_figures import build

pytestmark = pytest.mark.django_db
PAGES = ["placements:register", "placements:flagged", "placements:sufficiency"]


def client_for(role) -> Client:
    client = Client()
    sign_in(client, UserFactory(role=role))
    return client


def more_records(n: int, offset: int) -> None:
    for i in range(n):
        home = provider(f"Extra home {offset + i}", "PR4", urn=str(2000000 + offset + i))
        person = child(f"X{offset + i:05d}", years_ago(13 + i % 5))
        placed(person, "H5" if i % 2 else "K2", TODAY - dt.timedelta(days=30 + i), with_provider=home,
               cost="1000", regulated=bool(i % 3))


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def test_commissioning_officer_and_service_manager_see_the_pages_others_do_not():
    build()
    cache.clear()
    for role in Role:
        client = client_for(role)
        may = role in (Role.COMMISSIONING_OFFICER, Role.SERVICE_MANAGER)
        for name in PAGES:
            response = client.get(reverse(name))
            assert response.status_code == (200 if may else 403), (role, name)


def test_the_pages_show_the_figures():
    _, providers = build()
    cache.clear()
    client = client_for(Role.COMMISSIONING_OFFICER)
    register = client.get(reverse("placements:register")).content.decode()
    assert "Harbour Homes Ltd" in register and "4 placements in all, £9,500 a week" in register  # E (temporary) and F have no provider
    flagged = client.get(reverse("placements:flagged")).content.decode()
    assert "C00001" in flagged and "D00001" in flagged and "G00001" not in flagged
    assert "G00001" in client.get(reverse("placements:flagged") + "?show=all").content.decode()
    sufficiency = client.get(reverse("placements:sufficiency")).content.decode()
    assert "6 children placed on" in sufficiency and "£9,500 a week" in sufficiency
    assert "svg" in sufficiency and "C00001" not in sufficiency  # figures only
    assert "Enter a whole number from 0 to 100" in client.get(reverse("placements:sufficiency") + "?share=x").content.decode()
    page = client.get(reverse("placements:provider", args=[providers["supported"].pk])).content.decode()
    assert "Under review" in page and "D00001" in page and "Record a visit, concern or complaint" in page


def test_flagged_children_are_in_the_audit_log():
    people, _ = build()
    client = client_for(Role.SERVICE_MANAGER)
    client.get(reverse("placements:flagged"))
    assert set(AuditEvent.objects.filter(action="list").values_list("young_person__child_id", flat=True)) == {
        "C00001", "D00001"}


def test_the_commissioning_officer_records_a_concern_and_the_manager_may_not():
    _, providers = build()
    url = reverse("placements:provider", args=[providers["private"].pk])
    form = {"event-kind": "concern", "event-happened_day": str(TODAY.day), "event-happened_month": str(TODAY.month),
            "event-happened_year": str(TODAY.year), "event-summary": "Night staffing below agreed levels."}
    assert client_for(Role.SERVICE_MANAGER).post(url, form).status_code == 200
    assert not QualityEvent.objects.exists()
    response = client_for(Role.COMMISSIONING_OFFICER).post(url, form)
    assert response.status_code == 302
    event = QualityEvent.objects.get()
    assert (event.kind, event.summary, event.happened) == ("concern", "Night staffing below agreed levels.", TODAY)
    empty = client_for(Role.COMMISSIONING_OFFICER).post(url, {"event-kind": "concern"})
    assert "Say what the visit found, or what the concern or complaint is" in empty.content.decode()
    standing = client_for(Role.COMMISSIONING_OFFICER).post(url, {
        "standing-status": "suspended", "standing-since_day": str(TODAY.day), "standing-since_month": str(TODAY.month),
        "standing-since_year": str(TODAY.year), "standing-reason": ""})
    assert "Say why the provider is suspended." in standing.content.decode()


def test_the_query_count_does_not_grow_with_providers_and_placements():
    _, providers = build()
    more_records(2, 0)
    cache.clear()
    client = client_for(Role.COMMISSIONING_OFFICER)
    client.get(reverse("placements:sufficiency"))  # the projection is kept after the first
    urls = [reverse(name) for name in PAGES] + [reverse("placements:provider", args=[providers["private"].pk])]
    few = {url: queries_for(client, url) for url in urls}
    more_records(25, 100)
    many = {url: queries_for(client, url) for url in urls}
    assert many == few
    assert max(few.values()) <= 16, few
