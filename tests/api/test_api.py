"""The partner systems' API (issue 19): tokens, the same need-to-know as the pages, sync, problems."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from nwd.access.models import AuditEvent
from nwd.access.roles import Role
from nwd.access.testing import sign_in
from nwd.api import services
from nwd.api.models import ApiToken
from nwd.casework.models import Referral
from nwd.core import dates
from nwd.events import services as events
from tests.api.conftest import api_client
from tests.factories import HubFactory, UserFactory, YoungPersonFactory, open_involvement

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


def _partner(username="school_system", organisation="Example High School"):
    return UserFactory(username=username, role=Role.PARTNER_REFERRER, agency="school", organisation=organisation,
                       first_name="School", last_name="System")


def _referral_body(**changes) -> dict:
    body = {
        "given_name": "Jordan", "family_name": "Apiperson", "date_of_birth": (dates.today() - dt.timedelta(days=15 * 365)).isoformat(),
        "sex": "1", "referrer_contact": "safeguarding@example-school.org.uk",
        "reason": "Missing from home twice this month; not attending school.", "urgency": "urgent",
    }
    body.update(changes)
    return body


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_a_partner_refers_through_the_api_a_manager_decides_on_the_page_and_the_partner_reads_it_back():
    partner = _partner()
    api = api_client(partner)
    sent = _post(api, "/api/v1/referrals/", _referral_body())
    assert sent.status_code == 201, sent.content
    referral_id = sent.json()["id"]
    assert sent.json()["status"] == "received" and sent.json()["young_person"] is None  # a partner never sees a record
    assert sent["Location"] == f"/api/v1/referrals/{referral_id}/"
    referral = Referral.objects.get(pk=referral_id)
    assert (referral.submitted_by, referral.source_agency, referral.referrer_organisation) == (
        partner, "school", "Example High School")

    manager = UserFactory(role=Role.HUB_MANAGER, hub=HubFactory())
    page = Client()
    sign_in(page, manager)
    decided = page.post(f"/referrals/{referral_id}/decide/", {
        "decision": "handover", "handover_service": "Early help team",
        "decided_on_day": dates.today().day, "decided_on_month": dates.today().month, "decided_on_year": dates.today().year,
    })
    assert decided.status_code == 303, decided.content[:500]

    followed = api.get(f"/api/v1/referrals/{referral_id}/").json()
    assert (followed["status"], followed["decision"], followed["handover_service"], followed["decision_date"]) == (
        "closed", "handover", "Early help team", dates.today().isoformat())
    listed = api.get("/api/v1/referrals/").json()
    assert [r["id"] for r in listed["results"]] == [referral_id]
    assert AuditEvent.objects.filter(user=partner, action="view", object_id=str(referral_id)).exists()


def test_a_partner_follows_only_its_own_agencys_referrals_and_reads_no_young_person():
    mine, other = _partner(), _partner("other_school", organisation="Another Academy")
    _post(api_client(other), "/api/v1/referrals/", _referral_body(given_name="Sam"))
    api = api_client(mine)
    assert api.get("/api/v1/referrals/").json()["results"] == []
    theirs = Referral.objects.get()
    missing = api.get(f"/api/v1/referrals/{theirs.pk + 1000}/")
    refused = api.get(f"/api/v1/referrals/{theirs.pk}/")
    assert refused.status_code == missing.status_code == 404
    assert refused["Content-Type"] == PROBLEM and refused.content == missing.content
    assert "Sam" not in refused.content.decode()
    assert AuditEvent.objects.filter(user=mine, action="denied", young_person_id=theirs.young_person_id).exists()
    people = api.get("/api/v1/young-people/")
    assert people.status_code == 403 and people["Content-Type"] == PROBLEM
    assert set(people.json()) >= {"type", "title", "status", "detail"}


def test_a_refused_referral_says_what_is_wrong_without_the_name_sent():
    api = api_client(_partner())
    too_old = (dates.today() - dt.timedelta(days=40 * 365)).isoformat()
    response = _post(api, "/api/v1/referrals/", _referral_body(date_of_birth=too_old, referrer_contact="nobody"))
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    body = response.content.decode()
    assert "Apiperson" not in body and "Jordan" not in body and "Traceback" not in body
    fields = {e["field"] for e in response.json()["errors"]}
    assert "referrer_contact" in fields
    assert not Referral.objects.exists()
    wrong_type = _post(api, "/api/v1/referrals/", _referral_body(date_of_birth="soon"))
    assert wrong_type.status_code == 400 and wrong_type.json()["errors"][0]["field"] == "date_of_birth"


def test_the_council_system_reads_the_services_records_in_scope_and_syncs_what_changed():
    hub = HubFactory()
    involvement = open_involvement(hub=hub)
    person = involvement.young_person
    care_only = YoungPersonFactory(given_name="Careonly")  # known only from care data: not the service's
    events.record_missing_episode(person, timezone.now() - dt.timedelta(hours=2))
    integration = UserFactory(username="mosaic", role=Role.INTEGRATION)
    api = api_client(integration)

    people = api.get("/api/v1/young-people/").json()
    assert [p["id"] for p in people["results"]] == [person.pk]
    assert care_only.pk not in [p["id"] for p in people["results"]]
    assert AuditEvent.objects.filter(user=integration, action="list", young_person_id=person.pk).exists()
    assert api.get(f"/api/v1/young-people/{care_only.pk}/").status_code == 404
    assert api.get(f"/api/v1/young-people/{person.pk}/").json()["child_id"] == person.child_id
    workers = api.get("/api/v1/key-workers/").json()["results"]
    assert [w["young_person"] for w in workers] == [person.pk]
    assert len(api.get("/api/v1/events/missing-episodes/").json()["results"]) == 1
    assert api.get("/api/v1/involvements/", {"young_person": person.pk}).json()["results"][0]["hub"] == hub.pk
    assert api.get("/api/v1/events/health-events/").status_code == 403  # health stays with the team

    later = timezone.now() + dt.timedelta(seconds=1)
    assert api.get("/api/v1/involvements/", {"changed_since": later.isoformat()}).json()["results"] == []
    assert len(api.get("/api/v1/involvements/", {"changed_since": "2000-01-01T00:00:00Z"}).json()["results"]) == 1
    bad = api.get("/api/v1/involvements/", {"changed_since": "yesterday"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "changed_since"


def test_pages_by_cursor():
    hub = HubFactory()
    for _ in range(3):
        open_involvement(hub=hub)
    api = api_client(UserFactory(username="mosaic", role=Role.INTEGRATION))
    first = api.get("/api/v1/involvements/", {"page_size": 2}).json()
    assert len(first["results"]) == 2 and first["next"]
    second = api.get(first["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None
    assert {r["id"] for r in first["results"]}.isdisjoint(r["id"] for r in second["results"])


def test_tokens_are_printed_once_kept_hashed_expire_and_are_revoked():
    partner = _partner()
    out = io.StringIO()
    call_command("api-token", "create", "--as", partner.username, "--name", "Referral system", stdout=out)
    secret = next(line for line in out.getvalue().splitlines() if line.startswith(services.SCHEME))
    token = ApiToken.objects.get()
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest() and secret not in token.digest
    assert token.expires_at > timezone.now() + dt.timedelta(days=80)
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    assert client.get("/api/v1/referrals/").status_code == 200
    listed = io.StringIO()
    call_command("api-token", "list", stdout=listed)
    assert token.prefix in listed.getvalue() and secret not in listed.getvalue()
    call_command("api-token", "revoke", token.prefix, stdout=io.StringIO())
    refused = client.get("/api/v1/referrals/")
    assert refused.status_code == 401 and refused["Content-Type"] == PROBLEM
    assert refused["WWW-Authenticate"].startswith("Bearer")
    other = services.create_token(partner, name="expired", days=1)
    ApiToken.objects.filter(pk=other.token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert Client(headers={"Authorization": f"Bearer {other.secret}"}).get("/api/v1/referrals/").status_code == 401
    assert Client().get("/api/v1/referrals/").status_code == 401
    assert Client(headers={"Authorization": "Bearer nwd_not-a-token"}).get("/api/v1/referrals/").status_code == 401


@override_settings(NWD_API_RATE="3/minute")
def test_each_client_is_limited_to_its_rate():
    api, other = api_client(_partner()), api_client(_partner("other_school"))
    answers = [api.get("/api/v1/referrals/").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    limited = api.get("/api/v1/referrals/")
    assert limited["Content-Type"] == PROBLEM and int(limited["Retry-After"]) > 0
    assert other.get("/api/v1/referrals/").status_code == 200  # per client


def test_an_unknown_address_and_method_answer_as_problems():
    api = api_client(_partner())
    nowhere = api.get("/api/v1/nothing-here/")
    assert nowhere.status_code == 404 and nowhere["Content-Type"] == PROBLEM
    wrong = api.delete("/api/v1/referrals/")
    assert wrong.status_code == 405 and wrong["Content-Type"] == PROBLEM


def test_the_contract_and_its_documentation_are_served_from_the_service_itself():
    schema = Client().get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = json.loads(schema.content)["paths"]
    assert "/api/v1/referrals/" in paths and "post" in paths["/api/v1/referrals/"]
    docs = Client().get("/api/docs/")
    html = docs.content.decode()
    assert docs.status_code == 200 and "swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html
    assert "script-src 'self';" in docs["Content-Security-Policy"]
    script = Client().get("/api/docs/", {"script": ""})
    assert script.status_code == 200 and "javascript" in script["Content-Type"]
