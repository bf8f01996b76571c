"""Issue 12: the young person's page after support ends (#10), who may discharge and end support
(#12), and long text folding with "Show more" (#14)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from nwd.access.roles import Role
from nwd.access.testing import sign_in
from nwd.casework import services as casework
from nwd.casework.choices import InvolvementEndReason
from nwd.web.templatetags.nwd_tags import FOLD_AT, fold
from tests.factories import DAY, HubFactory, ReferralFactory, UserFactory, open_involvement

pytestmark = pytest.mark.django_db


def page_for(user, person) -> str:
    client = Client()
    sign_in(client, user)
    response = client.get(f"/young-people/{person.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_after_support_ends_the_page_shows_no_review_due_and_offers_no_specialist():
    hub = HubFactory()
    manager = UserFactory(role=Role.HUB_MANAGER, hub=hub)
    involvement = open_involvement(hub=hub)
    person = involvement.young_person
    casework.start_plan(person, DAY, next_review_due=DAY + dt.timedelta(days=90))
    while_open = page_for(manager, person)
    assert "next review due" in while_open and "Draw in a specialist" in while_open

    casework.close_involvement(involvement, DAY + dt.timedelta(days=30), InvolvementEndReason.GOALS_MET)
    after = page_for(manager, person)
    assert "Support ended" in after
    assert "next review due" not in after and "Draw in a specialist" not in after
    assert not manager.has_perm("casework.draw_in_specialist", person)


def test_the_key_worker_is_told_who_ends_support_and_the_hub_manager_may():
    """The policy keeps ending support and discharge with the hub manager; the key worker's page names them."""
    hub = HubFactory()
    manager = UserFactory(role=Role.HUB_MANAGER, hub=hub, first_name="Morgan", last_name="Manager")
    involvement = open_involvement(hub=hub)
    key_worker = involvement.allocations.get().key_worker
    person = involvement.young_person

    assert not key_worker.has_perm("casework.close_involvement", person)
    worker_page = page_for(key_worker, person)
    assert "End support" not in worker_page
    assert "Ending support is the hub manager's decision: ask Morgan Manager (or the service manager)." in worker_page

    assert manager.has_perm("casework.close_involvement", person)
    manager_page = page_for(manager, person)
    assert "End support" in manager_page and "hub manager's decision" not in manager_page


def test_long_text_folds_after_its_start_and_short_text_does_not():
    assert fold("A short reason.") == ("A short reason.", "")
    long_reason = ("She has been missing three times this month and was found in another county. " * 130)[:10_000]
    start, rest = fold(long_reason)
    assert len(start) <= FOLD_AT and rest
    assert (start + " " + rest).split() == long_reason.split()


def test_a_ten_thousand_character_referral_reason_folds_on_the_page_without_javascript():
    hub = HubFactory()
    manager = UserFactory(role=Role.HUB_MANAGER, hub=hub)
    involvement = open_involvement(hub=hub)
    person = involvement.young_person
    reason = " ".join(f"Note {n}: found with older men in a flat; school worried." for n in range(1, 400))[:10_000]
    referral = ReferralFactory(young_person=person, reason=reason)
    page = page_for(manager, person)
    assert page.count('<details class="govuk-details nwd-fold__more">') >= 1
    assert "Show more" in page
    # The start is shown once and the rest once: nothing is repeated, nothing lost.
    assert page.count(reason[:200]) == 1 and page.count("Note 150:") == 1
    client = Client()
    sign_in(client, manager)
    detail = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert '<details class="govuk-details nwd-fold__more">' in detail


def test_the_service_manager_draws_in_specialists_only_while_support_is_open():
    """Drawing a specialist in needs support that is open: the policy's "supported now" for managers."""
    involvement = open_involvement(hub=HubFactory())
    service_manager = UserFactory(role=Role.SERVICE_MANAGER)
    assert service_manager.has_perm("casework.draw_in_specialist", involvement.young_person)
    casework.close_involvement(involvement, DAY + dt.timedelta(days=1), InvolvementEndReason.GOALS_MET)
    assert not service_manager.has_perm("casework.draw_in_specialist", involvement.young_person)
