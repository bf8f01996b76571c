"""Issue 12 #15 and #11: referrals past the decision target are marked on the queue, and a referral of
a young person already supported says so to staff and alerts the key worker and the hub manager."""

import datetime as dt

import pytest
from django.urls import reverse

from nwd.access.roles import Role
from nwd.access.testing import sign_in
from nwd.casework import referral_queue
from nwd.casework.models import Referral, YoungPerson
from nwd.core import dates
from tests.factories import HubFactory, ReferralFactory, UserFactory, YoungPersonFactory, open_involvement

TODAY = dates.today()


# --- 15: the decision target in working days ------------------------------------------------------

@pytest.mark.parametrize(("received", "due"), [
    (dt.date(2026, 3, 2), dt.date(2026, 3, 9)),     # Monday: the next Monday
    (dt.date(2026, 3, 7), dt.date(2026, 3, 13)),    # Saturday: counts from Monday
    (dt.date(2026, 4, 2), dt.date(2026, 4, 13)),    # Thursday before Easter: Good Friday and Easter Monday left out
    (dt.date(2026, 12, 18), dt.date(2026, 12, 29)),  # Christmas Day and Boxing Day (observed on Monday 28th)
    (dt.date(2026, 8, 27), dt.date(2026, 9, 4)),    # the late summer bank holiday
])
def test_routine_referrals_are_due_in_five_working_days(received, due):
    assert referral_queue.decision_due("routine", received) == due


def test_urgent_is_due_the_next_day_and_an_emergency_the_same_day():
    friday = dt.date(2026, 3, 6)
    assert referral_queue.decision_due("urgent", friday) == dt.date(2026, 3, 7)
    assert referral_queue.decision_due("emergency", friday) == friday


@pytest.mark.django_db
def test_the_queue_marks_referrals_past_their_target(client):
    hub = HubFactory()
    manager = UserFactory(role=Role.HUB_MANAGER, hub=hub)
    late = ReferralFactory(young_person=YoungPersonFactory(given_name="Late"), urgency="routine",
                           received=TODAY - dt.timedelta(days=14))
    on_time = ReferralFactory(young_person=YoungPersonFactory(given_name="Fresh"), urgency="routine", received=TODAY)
    rows = {r.pk: r for r in referral_queue.waiting(Referral.objects.all(), Referral.objects.none(), TODAY)}
    assert rows[late.pk].past_target and not rows[on_time.pk].past_target
    assert rows[late.pk].decision_due == referral_queue.decision_due("routine", late.received)
    sign_in(client, manager)
    for page in (reverse("web:referral_queue"), reverse("home")):
        html = client.get(page).content.decode()
        assert html.count("Past target") == 1, page
        assert f"was due {rows[late.pk].decision_due:%-d %b %Y} (5 working days)" in html
        assert f"{rows[on_time.pk].decision_due:%-d %b %Y}" in html


# --- 11: a referral of a young person already supported -------------------------------------------

def _referral_post(person, **extra) -> dict:
    born = person.date_of_birth
    return {
        "given_name": person.given_name, "family_name": person.family_name, "sex": person.sex,
        "date_of_birth_day": born.day, "date_of_birth_month": born.month, "date_of_birth_year": born.year,
        "referrer_contact": "01362 000000", "reason": "Worried about them again.", "urgency": "routine", **extra,
    }


@pytest.mark.django_db
def test_staff_are_told_and_the_key_worker_and_hub_manager_alerted(client):
    hub = HubFactory(name="Breckland Hub")
    key_worker = UserFactory(role=Role.KEY_WORKER, hub=hub, first_name="Kim", last_name="Worker")
    manager = UserFactory(role=Role.HUB_MANAGER, hub=hub)
    residential = UserFactory(role=Role.RESIDENTIAL_WORKER, hub=hub)
    person = open_involvement(YoungPersonFactory(given_name="Jordan", family_name="Ashby"), hub=hub,
                              key_worker=key_worker, start=TODAY - dt.timedelta(days=20)).young_person
    sign_in(client, key_worker)
    assert "Referred again" not in client.get(reverse("home")).content.decode()
    client.logout()

    sign_in(client, residential)
    data = _referral_post(person, source_agency="police", received_day=TODAY.day, received_month=TODAY.month,
                          received_year=TODAY.year)
    response = client.post(reverse("web:referral_new"), data)
    referral = Referral.objects.get()
    assert referral.young_person == person
    sent = client.get(response["Location"]).content.decode()
    assert "Jordan Ashby is already supported</strong> by Breckland Hub, with Kim Worker as their key worker" in sent
    client.logout()

    sign_in(client, key_worker)
    assert "Referred again: a referral is waiting for a decision" in client.get(reverse("home")).content.decode()
    page = client.get(reverse("web:young_person", args=[person.pk])).content.decode()
    assert "Referred again" in page
    client.logout()

    sign_in(client, manager)
    queue = client.get(reverse("web:referral_queue")).content.decode()
    assert "Already supported</strong> <span class=\"govuk-body-s\">by Breckland Hub, key worker Kim Worker" in queue
    home = client.get(reverse("home")).content.decode()
    assert "Already supported" in home and "Referred again" in home


@pytest.mark.django_db
def test_a_partner_never_learns_the_young_person_is_supported(client):
    hub = HubFactory(name="Breckland Hub")
    person = open_involvement(YoungPersonFactory(given_name="Jordan", family_name="Ashby"), hub=hub).young_person
    school = UserFactory(role=Role.PARTNER_REFERRER, agency="school", organisation="Dereham High", hub=None)
    sign_in(client, school)
    response = client.post(reverse("web:referral_new"), _referral_post(person))
    referral = Referral.objects.get()
    assert referral.young_person != person  # a partner's referral never matches
    for page in (response["Location"], reverse("web:referral", args=[referral.pk]), reverse("web:referrals_mine"),
                 reverse("home")):
        html = client.get(page).content.decode()
        assert "already supported" not in html.lower() and "Breckland" not in html, page
    referral.young_person = person  # linked at triage by the hub manager: the partner still is not told
    referral.save()
    for page in (response["Location"], reverse("web:referral", args=[referral.pk]), reverse("web:referrals_mine")):
        html = client.get(page).content.decode()
        assert "already supported" not in html.lower() and "Breckland" not in html, page


# --- Decided for support, awaiting it (the hub manager's home; read through ``referral_decided``) -------

@pytest.mark.django_db
def test_awaiting_support_lists_only_support_decisions_without_an_involvement():
    from nwd.casework import queries
    from nwd.casework import services as casework
    from nwd.casework.choices import InvolvementEndReason
    from nwd.casework.models import Involvement

    day = TODAY - dt.timedelta(days=3)
    hub = HubFactory()
    worker = UserFactory(role=Role.KEY_WORKER, hub=hub)

    def decided(decision: str, on: dt.date = day, **kwargs) -> Referral:
        return casework.decide_referral(ReferralFactory(), decision, on, **kwargs)

    waiting_bed = decided("hub_stay", TODAY - dt.timedelta(days=1))
    waiting_outreach = decided("outreach")
    waiting_emergency = decided("emergency_bed", TODAY - dt.timedelta(days=5))
    decided("handover", handover_service="CAMHS")  # handed over: no support to start
    ReferralFactory()  # not decided yet
    started = decided("outreach")
    casework.start_involvement(started.young_person, hub, "outreach", worker, day, referral=started)
    # Supported already, through another referral: no key worker is needed.
    supported = decided("outreach")
    open_involvement(supported.young_person, hub=hub, key_worker=worker)
    # Supported once through this referral, the support since ended: not awaiting it.
    ended = decided("outreach")
    casework.start_involvement(ended.young_person, hub, "outreach", worker, day, referral=ended)
    Involvement.objects.filter(referral=ended).update(end=TODAY, end_reason=InvolvementEndReason.choices[0][0])
    withdrawn = decided("outreach")
    Referral.all_objects.filter(pk=withdrawn.pk).update(withdrawn_at=dt.datetime.now(dt.UTC), withdrawn_reason="x")

    found = list(queries.referrals_decided_awaiting_support(Referral.objects.all()))
    assert [r.pk for r in found] == [waiting_emergency.pk, waiting_outreach.pk, waiting_bed.pk]  # by decision date
    assert found[0].young_person == waiting_emergency.young_person  # read with the referral
    # Only among the referrals given (a viewer's scope).
    assert [r.pk for r in queries.referrals_decided_awaiting_support(
        Referral.objects.exclude(pk=waiting_outreach.pk))] == [waiting_emergency.pk, waiting_bed.pk]


@pytest.mark.django_db
def test_a_managers_home_lists_the_10_most_urgent_referrals_and_links_to_the_queue(client):
    """The home page costs the same however long the queue (issue 14): the 10 most urgent and oldest,
    how many of how many, a link to the queue, which lists them all; only those shown are audited."""
    from nwd.access.models import AuditEvent

    manager = UserFactory(role=Role.HUB_MANAGER, hub=HubFactory())
    emergency = ReferralFactory(young_person=YoungPersonFactory(given_name="Emergency"), urgency="emergency",
                                received=TODAY)
    routine = [ReferralFactory(young_person=YoungPersonFactory(given_name=f"Routine{n:02d}"), urgency="routine",
                               received=TODAY - dt.timedelta(days=n)) for n in range(1, 13)]
    sign_in(client, manager)
    html = client.get(reverse("home")).content.decode()
    assert "The 10 most urgent of 13 referrals waiting for a decision" in html
    assert f'<a class="govuk-link" href="{reverse("web:referral_queue")}">See all 13 referrals waiting for a decision</a>' in html
    assert '<span class="nwd-figure__number">13</span>' in html
    shown = [emergency, *reversed(routine[3:])]  # the emergency, then the oldest routine ones
    positions = [html.index(f">{r.young_person.full_name}<") for r in shown]
    assert positions == sorted(positions)
    assert not any(f">{r.young_person.full_name}<" in html for r in routine[:3])  # the 3 newest routine ones
    audited = set(AuditEvent.objects.filter(user=manager, detail="home page").values_list("young_person_id", flat=True))
    assert audited == {r.young_person_id for r in shown}
    queue = client.get(reverse("web:referral_queue")).content.decode()
    assert all(f">{r.young_person.full_name}<" in queue for r in [emergency, *routine])
    # A queue of 10 or fewer is listed whole, as before.
    for referral in routine[:3]:
        referral.delete()
    html = client.get(reverse("home")).content.decode()
    assert "Referrals waiting for a decision" in html and "See all" not in html.split("Referrals waiting")[1][:600]


@pytest.mark.django_db
def test_the_most_urgent_waiting_are_the_queues_first_with_its_length():
    """``most_urgent_waiting`` reads the first n of the queue and counts the rest in the same query:
    the same referrals, marks and order as the whole queue's first n."""
    hub = HubFactory()
    supported = open_involvement(hub=hub).young_person
    ReferralFactory(young_person=supported, urgency="urgent", received=TODAY - dt.timedelta(days=2))
    for n, urgency in enumerate(["routine", "emergency", "routine", "urgent", "routine"]):
        ReferralFactory(urgency=urgency, received=TODAY - dt.timedelta(days=n))
    everyone = Referral.objects.all()
    whole = referral_queue.waiting(everyone, YoungPerson.objects.all(), TODAY)
    for first in (1, 3, 6, 10):
        rows, total = referral_queue.most_urgent_waiting(
            everyone, YoungPerson.objects.all(), first, TODAY)
        assert total == len(whole) == 6
        assert [(r.pk, r.decision_due, r.past_target, r.supported_hub, r.supported_by) for r in rows] == [
            (r.pk, r.decision_due, r.past_target, r.supported_hub, r.supported_by) for r in whole[:first]]
    assert any(r.supported_hub for r in whole)
    assert referral_queue.most_urgent_waiting(Referral.objects.none(), Referral.objects.none(), 10, TODAY) == ([], 0)
