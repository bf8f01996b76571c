"""The probe of the URL walk (tests/access/test_url_walk.py): a restricted young person and a missing
id answer alike to every role, at every record URL.

A module of its own, on its own hand-built records (no county), so a parallel run can give it to one
worker while the other walks the county's records. Each role's user signs in once for the whole probe
(a client per user, reused from URL to URL: every answer but the named manager's is a refusal, which
changes nothing in the session), instead of once per URL.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from nwd.access import policy
from nwd.access.models import AuditEvent
from nwd.access.roles import HUB_ROLES, Role
from tests.access.test_url_walk import RECORD_ENDPOINTS, client_for


def _without_tokens(content: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", content.decode(errors="replace"))


def restricted_world():
    """A restricted young person with a record behind every kind of record URL, at a hub where one user
    per role works with them as the policy table alone would let in (their key worker, specialists drawn
    in, the police liaison officer at the hub, the partner who referred them, the DPO...), none of them
    named on the record; and one hub manager who is named."""
    import datetime as dt

    from django.utils import timezone

    from nwd.casework import services as casework
    from nwd.core import dates
    from nwd.events import services as events
    from nwd.hubs import services as hubs
    from tests.factories import BedFactory, HubFactory, ReferralFactory, UserFactory, YoungPersonFactory

    today = dates.today()
    hub = HubFactory(name="Probe Hub", code="probe")
    users = {
        role: UserFactory(role=role, hub=hub if role in HUB_ROLES else None,
                          agency="school" if role == Role.PARTNER_REFERRER else "",
                          organisation="Probe High School" if role == Role.PARTNER_REFERRER else "")
        for role in Role
    }
    named = UserFactory(role=Role.HUB_MANAGER, hub=hub)
    person = YoungPersonFactory(given_name="Restricted", family_name="Probeperson", restricted=True)
    person.restricted_to.add(named)
    ReferralFactory(young_person=person, submitted_by=users[Role.PARTNER_REFERRER], received=today - dt.timedelta(days=40))
    involvement = casework.start_involvement(person, hub, "residential", users[Role.KEY_WORKER], today - dt.timedelta(days=30))
    hubs.admit(person, BedFactory(hub=hub), today - dt.timedelta(days=20), today + dt.timedelta(days=5), involvement=involvement)
    for role in (Role.LIFE_COACH, Role.COMMUNICATION_SUPPORT, Role.MENTAL_HEALTH, Role.SUBSTANCE_MISUSE):
        casework.draw_in_specialist(person, users[role], today - dt.timedelta(days=10))
    casework.add_contact(person, timezone.now() - dt.timedelta(days=1), "phone", "A call", staff=users[Role.LIFE_COACH])
    casework.add_plan_goals(casework.start_plan(person, today - dt.timedelta(days=25)), [("eet", "Back to college", None)])
    events.record_missing_episode(person, timezone.now() - dt.timedelta(hours=3))
    events.raise_exploitation_concern(person, today, "criminal")
    # The children's home's visitors' record (issue 15): a visit to the restricted young person.
    from nwd.homes import services as homes

    homes.sign_in_visitor(hub, name="A Visitor", capacity="Aunt", arrived=timezone.now() - dt.timedelta(hours=1),
                          id_checked=True, young_person=person)
    # The children's home records about them (issue 15).
    from nwd.safeguarding.models import Notification, RestraintRecord

    RestraintRecord.objects.create(hub=hub, young_person=person, occurred_at=timezone.now() - dt.timedelta(days=2),
                                   place="Hall", measure="guide", used_by="Probe Staff")
    Notification.objects.create(hub=hub, young_person=person, kind="police", summary="Arrest.",
                                event_at=timezone.now() - dt.timedelta(days=2))
    # The records the correction and withdrawal pages, the network, documents and meetings act on.
    from django.core.files.uploadedfile import SimpleUploadedFile

    from nwd.casework.choices import Relationship, Sharing
    from nwd.documents import services as documents
    from nwd.documents.models import DocumentKind
    from nwd.worklist import services as worklist
    from nwd.worklist.choices import MeetingKind

    events.record_police_contact(person, today - dt.timedelta(days=3), "arrest", "Arrested.")
    events.record_health_event(person, occurred_on=today - dt.timedelta(days=3), kind="ae", summary="A and E")
    events.assess_substance_use(person, assessed_on=today - dt.timedelta(days=3), level="none")
    events.change_eet_status(person, "school", today - dt.timedelta(days=15), provider="Probe High School")
    casework.add_significant_person(person, details={
        "name": "Dawn Probe", "relationship": Relationship.MOTHER, "parental_responsibility": True,
        "may_contact": True, "sharing": Sharing.ANYTHING, "phone": "01603 123456"})
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    documents.attach_document(person, upload=SimpleUploadedFile("probe.pdf", pdf, content_type="application/pdf"),
                              title="Probe letter", kind=DocumentKind.LETTER, scan=False)
    worklist.record_meeting(person, kind=MeetingKind.STRATEGY, held_on=today - dt.timedelta(days=2),
                            young_persons_view="Wants to stay.", decisions="Stays.", others=[("Sam Probe", "Probe Police")])
    return person, users, named


def _record_of(model, person):
    from nwd.casework.models import YoungPerson

    if model is YoungPerson:
        return person
    if not _about_a_young_person(model):
        return None
    return model._default_manager.filter(young_person=person).order_by("pk").first()


def _about_a_young_person(model) -> bool:
    """Whether the model's rows name a young person (a hub's own records, such as a children's home's
    regulation 44 and 45 reports, name none: there is no restriction to probe them with)."""
    from nwd.casework.models import YoungPerson

    return model is YoungPerson or any(f.name == "young_person" for f in model._meta.concrete_fields)


def _url(endpoint, record, record_value) -> str:
    values = {}
    for kwarg in endpoint.kwargs:
        values[kwarg] = record_value if kwarg == endpoint.declaration.record.kwarg else getattr(record, kwarg)
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), endpoint.route)


def _signed_in(clients: dict, user, endpoint, tokens: dict) -> Client:
    """The user's client for the endpoint's kind (a page's session, or the API's token), made once."""
    key = (user.pk, endpoint.declaration.kind == "api")
    if key not in clients:
        clients[key] = client_for(user, endpoint, tokens)
    return clients[key]


def _answer(client, url):
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url)
    return response


@pytest.mark.django_db
def test_restricted_and_missing_records_answer_alike_to_every_role():
    """Every record URL, as every role not named on a restricted record: exactly the answer a missing id
    gets (404, the same page), and both attempts audited as refused. The named manager gets in."""
    person, users, named = restricted_world()
    problems = []
    tried = 0
    tokens: dict = {}
    clients: dict = {}
    for endpoint in RECORD_ENDPOINTS:
        model = endpoint.declaration.record_model
        if not _about_a_young_person(model):
            continue
        record = _record_of(model, person)
        assert record is not None, f"the probe has no {model.__name__} of the restricted young person for /{endpoint.route}"
        field = endpoint.declaration.record.field
        missing_value = (model._default_manager.order_by("-pk").values_list(field, flat=True).first() or 0) + 10_000
        restricted_url = _url(endpoint, record, getattr(record, field))
        missing_url = _url(endpoint, record, missing_value)
        for role, user in users.items():
            client = _signed_in(clients, user, endpoint, tokens)
            before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            restricted = _answer(client, restricted_url)
            missing = _answer(client, missing_url)
            tried += 1
            if restricted.status_code != 404 or missing.status_code != 404:
                problems.append(f"{role}: {restricted.status_code} at {restricted_url}, {missing.status_code} at {missing_url}")
                continue
            if _without_tokens(restricted.content) != _without_tokens(missing.content):
                problems.append(f"{role}: {restricted_url} and {missing_url} answer differently")
            if "Probeperson" in restricted.content.decode(errors="replace"):
                problems.append(f"{role}: {restricted_url} names the young person")
            refused = AuditEvent.objects.filter(pk__gt=before, user=user, action="denied").count()
            if refused != 2:
                problems.append(f"{role}: {refused} 'denied' audit rows for the two attempts at /{endpoint.route}")
        client = client_for(named, endpoint, tokens)
        may = all(named.has_perm(name, record if policy.BY_NAME[name].takes_record else None)
                  for name in endpoint.declaration.permissions)
        # (Linking at triage answers an empty form as an id not offered: 404 for everyone.)
        if may and endpoint.name != "web:referral_link" and _answer(client, restricted_url).status_code == 404:
            problems.append(f"the named hub manager was refused at {restricted_url}")
    probed = [e for e in RECORD_ENDPOINTS if _about_a_young_person(e.declaration.record_model)]
    assert tried >= len(probed) * len(Role)
    assert not problems, "\n".join(problems)
