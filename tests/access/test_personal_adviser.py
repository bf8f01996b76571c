"""The personal adviser (issue 17): need to know. Their own care leavers' records and identity, and
nothing else: not another adviser's care leavers, not the casework of the service, not Annex A."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from nwd.access import scopes
from nwd.access.models import AuditEvent
from nwd.access.roles import Role
from nwd.access.testing import sign_in
from nwd.leavers.models import AdviserContact

pytestmark = pytest.mark.django_db


@pytest.fixture
def adviser(population):
    return population.users[Role.PERSONAL_ADVISER.value]


def test_the_adviser_sees_their_own_care_leavers_and_no_one_else(population, adviser):
    mine, other = population.people["leaver_mine"], population.people["leaver_other"]
    assert adviser.has_perm("leavers.view_care_leaver", mine)
    assert adviser.has_perm("leavers.record_care_leaver", mine)
    assert adviser.has_perm("casework.view_identity", mine)
    assert not adviser.has_perm("leavers.view_care_leaver", other)
    assert not adviser.has_perm("casework.view_identity", other)
    for key in ("keyworked", "hub", "care_only", "drawn"):
        assert not adviser.has_perm("casework.view_identity", population.people[key])
    for permission in ("casework.view_young_person", "casework.view_plan", "casework.view_contacts",
                       "events.view_police_shared", "events.view_health", "casework.view_care_history"):
        assert not adviser.has_perm(permission, mine), permission
    assert not adviser.has_perm("leavers.annex_a")
    assert not adviser.has_perm("exports.download")
    assert set(scopes.visible_young_people(adviser)) == {mine}


def test_the_adviser_pages(client, population, adviser):
    mine, other = population.people["leaver_mine"], population.people["leaver_other"]
    sign_in(client, adviser)
    page = client.get(reverse("leavers:index"))
    assert page.status_code == 200
    text = page.content.decode()
    assert mine.full_name in text and other.full_name not in text
    assert client.get(reverse("leavers:care_leaver", args=[mine.pk])).status_code == 200
    assert client.get(reverse("leavers:care_leaver", args=[other.pk])).status_code == 404
    assert client.get(f"/young-people/{mine.pk}/").status_code == 404
    assert client.get(reverse("leavers:annex_a")).status_code == 403
    assert AuditEvent.objects.filter(user=adviser, young_person=mine, action="view").exists()
    assert AuditEvent.objects.filter(user=adviser, young_person=other, action="denied").exists()


def test_the_adviser_records_a_contact_and_the_rules_answer_on_the_page(client, population, adviser):
    mine = population.people["leaver_mine"]
    sign_in(client, adviser)
    url = reverse("leavers:record_contact", args=[mine.pk])
    refused = client.post(url, {"on": "01/01/2099", "kind": "visit"})
    assert refused.status_code == 422
    assert "cannot be in the future" in refused.content.decode()
    done = client.post(url, {"on": "02/06/2025", "kind": "visit", "summary": "Met at the flat."})
    assert done.status_code == 302
    contact = AdviserContact.objects.get(care_leaver__young_person=mine)
    assert contact.on == dt.date(2025, 6, 2) and contact.adviser == adviser
    other = population.people["leaver_other"]
    assert client.post(reverse("leavers:record_contact", args=[other.pk]),
                       {"on": "02/06/2025", "kind": "visit"}).status_code == 404


def test_annex_a_is_for_service_managers_and_analysts(client, population):
    for role, status in ((Role.SERVICE_MANAGER, 200), (Role.ANALYST, 200), (Role.KEY_WORKER, 403),
                         (Role.HUB_MANAGER, 403), (Role.DATA_PROTECTION_OFFICER, 403)):
        client.logout()
        sign_in(client, population.users[role.value])
        assert client.get(reverse("leavers:annex_a")).status_code == status, role


def test_the_annex_a_download_is_an_audited_export_with_cells_escaped(client, population):
    import io

    from openpyxl import load_workbook

    person = population.people["leaver_mine"]
    person.ethnicity = "WBRI"
    analyst = population.users[Role.ANALYST.value]
    sign_in(client, analyst)
    # A provider name typed as a formula comes out as text.
    from nwd.care.models import CareEpisode, CarePeriod, Provider

    provider = Provider.objects.create(name="=HYPERLINK(\"http://x\")", place_provider="PR4")
    period = CarePeriod.objects.create(young_person=person, start=dt.date(2024, 1, 1))
    CareEpisode.objects.create(young_person=person, period=period, decom=dt.date(2024, 1, 1), rne="S", ls="C2",
                               cin="N1", place="U4", place_provider="PR4", provider=provider)
    response = client.get(reverse("leavers:annex_a_xlsx"), {"on": "01/06/2025"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(book["List 8"].iter_rows(min_row=2, values_only=True))
    assert any(row[-1] == "'=HYPERLINK(\"http://x\")" for row in rows)
    assert AuditEvent.objects.filter(user=analyst, action="export", young_person=person).exists()
    bad = client.get(reverse("leavers:annex_a_xlsx"), {"on": "31/02/2025"})
    assert bad.status_code == 400 and "day/month/year" in bad.content.decode()
