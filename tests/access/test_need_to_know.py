"""Need-to-know holes of issue 11, each closed at its mechanism and tested through the pages.

1. A partner referrer cannot look a child up by NHS number or UPN: their referral never attaches to,
   nor shows, an existing record; the hub manager links it at triage, offered matches they may see.
2. The restriction covers hub permissions too: the bed board, discharge, key worker, admission.
7. The police liaison officer's alerts come only from what is shared with police.
10. A record the user may not see answers exactly as one that does not exist (404).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nwd.access.models import AuditEvent
from nwd.access.roles import Role
from nwd.access.testing import sign_in
from nwd.casework import services as casework
from nwd.casework.models import Referral, YoungPerson
from nwd.core import dates
from nwd.events import services as events
from nwd.hubs import services as hubs
from nwd.hubs.models import BedKind
from tests.factories import BedFactory, HubFactory, UserFactory, YoungPersonFactory, open_involvement

pytestmark = pytest.mark.django_db
TODAY = dates.today()
NHS = "943 476 5919"  # a valid NHS number (modulus 11), synthetic
UPN = "A123456789012"


def signed_in(client, user):
    sign_in(client, user)
    return client


def date_data(name: str, day: dt.date) -> dict:
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def without_tokens(content: bytes) -> str:
    """A page with its CSRF tokens (different at every render) blanked, to compare two answers."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", content.decode())


@pytest.fixture
def hub():
    return HubFactory(name="Breckland Hub", code="breckland")


@pytest.fixture
def real_child(hub):
    """A young person the service supports, with an NHS number and a UPN a partner should never unmask."""
    person = YoungPersonFactory(given_name="Casey", family_name="Realname", date_of_birth=dt.date(2011, 4, 5),
                                nhs_number=NHS.replace(" ", ""), upn=UPN)
    open_involvement(young_person=person, hub=hub, start=TODAY - dt.timedelta(days=20))
    return person


@pytest.fixture
def partner():
    return UserFactory(role=Role.PARTNER_REFERRER, agency="school", organisation="Dereham High School", hub=None)


def partner_referral(client, **identifiers) -> Referral:
    data = {
        "given_name": "Made", "family_name": "Up", "sex": "1",
        **date_data("date_of_birth", TODAY.replace(year=TODAY.year - 14)),
        "referrer_contact": "01603 000000", "reason": "Worried about them.", "urgency": "routine",
        **identifiers,
    }
    response = client.post(reverse("web:referral_new"), data)
    assert response.status_code in (302, 303), response.content.decode()[:2000]
    return Referral.objects.order_by("-pk").first()


def partner_pages(client, referral) -> str:
    pages = [
        client.get(reverse("web:referral", args=[referral.pk])),
        client.get(reverse("web:referral_sent", args=[referral.pk])),
        client.get(reverse("web:referrals_mine")),
        client.get(reverse("home")),
    ]
    assert [page.status_code for page in pages] == [200, 200, 200, 200]
    return "".join(page.content.decode() for page in pages)


def real_details(person) -> list[str]:
    born = person.date_of_birth
    return [person.given_name, person.family_name, person.child_id, f"{born.day} {born:%B %Y}", f"{born.day} {born:%b %Y}"]


# --- 1. A partner's referral never reveals or attaches to an existing record ------------------------------


@pytest.mark.parametrize("identifiers", [{"nhs_number": NHS}, {"upn": UPN}, {"nhs_number": NHS, "upn": UPN}])
def test_a_partner_cannot_unmask_a_child_by_nhs_number_or_upn(client, real_child, partner, identifiers):
    signed_in(client, partner)
    referral = partner_referral(client, **identifiers)
    assert referral.young_person != real_child
    assert not real_child.referrals.exists()
    pages = partner_pages(client, referral)
    assert "Made Up" in pages
    leaked = [text for text in real_details(real_child) if text in pages]
    assert not leaked, f"the partner's pages show {leaked}"


def test_a_partner_referral_about_a_restricted_child_is_answered_like_any_other(client, real_child, partner):
    real_child.restricted = True
    real_child.save()
    signed_in(client, partner)
    referral = partner_referral(client, nhs_number=NHS)
    assert referral.young_person != real_child
    pages = partner_pages(client, referral)
    assert not [text for text in real_details(real_child) if text in pages]


def test_a_partner_referral_with_the_same_names_and_date_of_birth_brings_its_own_record(client, real_child, partner):
    signed_in(client, partner)
    referral = partner_referral(client, given_name="Casey", family_name="Realname",
                                **date_data("date_of_birth", real_child.date_of_birth))
    assert referral.young_person != real_child
    assert YoungPerson.objects.filter(family_name="Realname").count() == 2


def test_staff_referrals_match_only_records_the_referrer_may_see(hub, real_child):
    details = {"given_name": "Other", "family_name": "Names", "date_of_birth": dt.date(2011, 4, 5), "sex": "1",
               "nhs_number": NHS}
    own_key_worker = real_child.involvements.get().allocations.get().key_worker
    matched = casework.find_or_create_young_person(details, by=own_key_worker)
    assert matched == real_child  # they may see the child: one record, not two
    elsewhere = UserFactory(role=Role.KEY_WORKER, hub=HubFactory())
    assert casework.find_or_create_young_person(details, by=elsewhere) != real_child
    real_child.restricted = True
    real_child.save()
    assert casework.find_or_create_young_person(details, by=own_key_worker) != real_child


def test_the_hub_manager_links_a_partner_referral_at_triage(client, hub, real_child, partner):
    signed_in(client, partner)
    referral = partner_referral(client, nhs_number=NHS)
    brought = referral.young_person
    manager = signed_in(Client(), UserFactory(role=Role.HUB_MANAGER, hub=hub))
    page = manager.get(reverse("web:referral", args=[referral.pk])).content.decode()
    assert "Already known to the service?" in page and "Casey Realname" in page and "NHS number" in page
    response = manager.post(reverse("web:referral_link", args=[referral.pk]), {"young_person": real_child.pk})
    assert response.status_code == 303
    referral.refresh_from_db()
    assert referral.young_person == real_child
    assert not YoungPerson.objects.filter(pk=brought.pk).exists()  # the duplicate record is gone
    # The partner goes on seeing what they typed, never the record it was linked to.
    pages = partner_pages(client, referral)
    assert "Made Up" in pages
    assert not [text for text in real_details(real_child) if text in pages]


def test_triage_offers_only_matches_the_manager_may_see(client, hub, real_child, partner):
    real_child.restricted = True
    real_child.save()
    signed_in(client, partner)
    referral = partner_referral(client, nhs_number=NHS)
    manager = UserFactory(role=Role.HUB_MANAGER, hub=hub)
    signed_in(client, manager)
    page = client.get(reverse("web:referral", args=[referral.pk])).content.decode()
    assert "Casey" not in page and "Already known" not in page
    refused = client.post(reverse("web:referral_link", args=[referral.pk]), {"young_person": real_child.pk})
    assert refused.status_code == 404
    referral.refresh_from_db()
    assert referral.young_person != real_child
    real_child.restricted_to.add(manager)  # named on the record: now the match is theirs to see and link
    page = client.get(reverse("web:referral", args=[referral.pk])).content.decode()
    assert "Casey Realname" in page


def test_a_dfe_no_upn_code_is_not_a_match(hub):
    person = YoungPersonFactory(upn="UN1")
    open_involvement(young_person=person, hub=hub)
    worker = person.involvements.get().allocations.get().key_worker
    details = {"given_name": "Someone", "family_name": "Else", "date_of_birth": dt.date(2012, 1, 1), "sex": "2",
               "upn": "UN1"}
    assert casework.find_or_create_young_person(details, by=worker) != person


# --- 2. The restriction covers the hub permissions -------------------------------------------------------


@pytest.fixture
def restricted_in_bed(hub):
    manager = UserFactory(role=Role.HUB_MANAGER, hub=hub)
    person = YoungPersonFactory(given_name="Hidden", family_name="Bedperson", restricted=True)
    involvement = open_involvement(young_person=person, hub=hub, start=TODAY - dt.timedelta(days=10),
                                   support_type="residential")
    bed = BedFactory(hub=hub, label="Room 1", kind=BedKind.RESIDENTIAL)
    stay = hubs.admit(person, bed, TODAY - dt.timedelta(days=5), TODAY + dt.timedelta(days=5), involvement=involvement)
    return {"person": person, "involvement": involvement, "stay": stay, "manager": manager,
            "key_worker": involvement.allocations.get().key_worker}


@pytest.mark.parametrize("role", [Role.KEY_WORKER, Role.RESIDENTIAL_WORKER, Role.HUB_MANAGER, Role.PORTFOLIO_LEAD])
def test_the_bed_board_does_not_name_a_restricted_young_person(client, hub, restricted_in_bed, role):
    user = UserFactory(role=role, hub=hub)
    page = signed_in(client, user).get(reverse("web:bed_board")).content.decode()
    assert "Room 1" in page and "Bedperson" not in page and "Occupied" in page
    assert not AuditEvent.objects.filter(user=user, young_person_id=restricted_in_bed["person"].pk).exists()
    restricted_in_bed["person"].restricted_to.add(user)
    assert "Hidden Bedperson" in signed_in(client, user).get(reverse("web:bed_board")).content.decode()


def test_hub_pages_about_a_restricted_young_person_need_the_user_named(client, restricted_in_bed):
    manager, stay, involvement = restricted_in_bed["manager"], restricted_in_bed["stay"], restricted_in_bed["involvement"]
    urls = [reverse("web:discharge", args=[stay.pk]), reverse("web:reallocate", args=[involvement.pk]),
            reverse("web:admit", args=[involvement.pk]), reverse("web:close_involvement", args=[involvement.pk])]
    for permission, record in (("hubs.discharge", stay), ("casework.allocate_key_worker", involvement),
                               ("hubs.admit", involvement)):
        assert not manager.has_perm(permission, record), permission
    signed_in(client, manager)
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"discharged_day": "1"}).status_code == 404, url
    stay.refresh_from_db()
    assert stay.discharged is None
    restricted_in_bed["person"].restricted_to.add(manager)
    assert manager.has_perm("hubs.discharge", stay) and manager.has_perm("casework.allocate_key_worker", involvement)
    assert client.get(urls[0]).status_code == 200 and client.get(urls[1]).status_code == 200
    # The hub itself stays the manager's: the restriction is about the young person, not the hub.
    assert manager.has_perm("hubs.discharge", stay.bed.hub)


# --- 7. The police view's alerts come only from police-shared data ---------------------------------------


@pytest.fixture
def everything_to_alert(hub):
    """A young person with every alert: missing now, past planned discharge, plan review due, no contact."""
    person = YoungPersonFactory(given_name="Alerted", family_name="Person")
    involvement = open_involvement(young_person=person, hub=hub, start=TODAY - dt.timedelta(days=60),
                                   support_type="residential")
    bed = BedFactory(hub=hub, label="Room 7")
    hubs.admit(person, bed, TODAY - dt.timedelta(days=30), TODAY - dt.timedelta(days=2), involvement=involvement)
    casework.start_plan(person, TODAY - dt.timedelta(days=50), next_review_due=TODAY - dt.timedelta(days=1))
    events.record_missing_episode(person, timezone.now() - dt.timedelta(hours=3))
    return person


POLICE_SHARED_ALERT = "Missing now"
NOT_SHARED_ALERTS = ("Plan review", "No contact", "Past planned discharge")


def test_the_police_view_shows_only_police_shared_alerts(client, hub, everything_to_alert):
    officer = UserFactory(role=Role.POLICE_LIAISON, hub=None)
    signed_in(client, officer)
    pages = [
        client.get(reverse("web:shared_with_police", args=[everything_to_alert.pk])),
        client.get(reverse("home")),
        client.get(reverse("web:search"), {"q": "Alerted"}),
    ]
    for response in pages:
        page = response.content.decode()
        assert response.status_code == 200 and "Alerted Person" in page
        assert POLICE_SHARED_ALERT in page
        assert not [text for text in NOT_SHARED_ALERTS if text in page], response.request["PATH_INFO"]


def test_the_key_worker_still_sees_every_alert(client, everything_to_alert):
    worker = everything_to_alert.involvements.get().allocations.get().key_worker
    page = signed_in(client, worker).get(reverse("web:young_person", args=[everything_to_alert.pk])).content.decode()
    assert all(text in page for text in (POLICE_SHARED_ALERT, *NOT_SHARED_ALERTS))


# --- 10. Refused and missing answer alike ---------------------------------------------------------------


def test_a_refused_record_answers_as_a_missing_one(client, real_child):
    stranger = UserFactory(role=Role.KEY_WORKER, hub=HubFactory())
    signed_in(client, stranger)
    missing_id = YoungPerson.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
    refused = client.get(reverse("web:young_person", args=[real_child.pk]))
    missing = client.get(reverse("web:young_person", args=[missing_id]))
    assert refused.status_code == missing.status_code == 404
    assert without_tokens(refused.content) == without_tokens(missing.content)
    # Both attempts are in the audit log, so probing ids is visible to the data protection officer.
    denied = AuditEvent.objects.filter(user=stranger, action="denied")
    assert denied.count() == 2 and denied.filter(young_person_id=real_child.pk).count() == 1


def test_an_alert_needs_the_permission_of_its_data_row_by_row(client, hub):
    """A hub manager opens the page of someone in the referral queue (not their hub's): the page is
    theirs to open, the plan is not, so no plan-review alert; their own hub's young people keep it."""
    elsewhere = open_involvement(hub=HubFactory(), start=TODAY - dt.timedelta(days=90))
    person = elsewhere.young_person
    casework.start_plan(person, TODAY - dt.timedelta(days=80), next_review_due=TODAY - dt.timedelta(days=1))
    casework.close_involvement(elsewhere, TODAY - dt.timedelta(days=5), "goals_met")
    Referral.objects.create(young_person=person, source_agency="school", received=TODAY, reason="Back again.")
    manager = UserFactory(role=Role.HUB_MANAGER, hub=hub)
    assert manager.has_perm("casework.view_young_person", person) and not manager.has_perm("casework.view_plan", person)
    page = signed_in(client, manager).get(reverse("web:young_person", args=[person.pk])).content.decode()
    assert "Plan review" not in page
    own = open_involvement(hub=hub, key_worker=manager, start=TODAY - dt.timedelta(days=30)).young_person
    casework.start_plan(own, TODAY - dt.timedelta(days=20), next_review_due=TODAY - dt.timedelta(days=1))
    assert "Plan review overdue" in client.get(reverse("web:young_person", args=[own.pk])).content.decode()


def test_every_list_of_young_people_leaves_out_a_restricted_record(client, hub, restricted_in_bed):
    """The audit of the other lists and scopes: homes, search, the named lists behind a figure and the
    referral queue all leave out a restricted young person for users not named (a guard: they go
    through ``nwd.access.scopes``, which carries the restriction)."""
    from nwd.evaluation.named_lists import named_list

    person = restricted_in_bed["person"]
    Referral.objects.create(young_person=person, source_agency="school", received=TODAY, reason="Again.")
    service = UserFactory(role=Role.SERVICE_MANAGER, hub=None)
    assert named_list(service, [person.pk], 1).visible == 0
    for user, urls in (
        (restricted_in_bed["key_worker"], [reverse("home"), reverse("web:search") + "?q=Bedperson"]),
        (UserFactory(role=Role.RESIDENTIAL_WORKER, hub=hub), [reverse("home")]),
        (restricted_in_bed["manager"], [reverse("home"), reverse("web:referral_queue")]),
        (service, [reverse("home"), reverse("web:referral_queue"), reverse("web:search") + "?q=Bedperson"]),
    ):
        signed_in(client, user)
        for url in urls:
            response = client.get(url)
            page = response.content.decode()
            assert response.status_code == 200, (user.role, url)
            assert "Hidden Bedperson" not in page and person.child_id not in page, (user.role, url)
