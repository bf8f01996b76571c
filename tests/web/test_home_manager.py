"""The managers' home page reads some lists once for two of its sections (the hubs of the bed boards are
the hubs of the caseloads where both permissions reach the same hubs; the manager's own hub is among
them): the sections still show what each one's own query gives, for a hub manager and a service manager."""

from __future__ import annotations

import pytest
from django.urls import reverse

from nwd.access import scopes
from nwd.access.roles import Role
from nwd.access.testing import sign_in
from nwd.casework import queries
from tests.factories import HubFactory, UserFactory, open_involvement

pytestmark = pytest.mark.django_db


def _caseloads(pairs) -> list:
    return [(hub.pk, hub.name, [(user.pk, user.caseload) for user in staff]) for hub, staff in pairs]


def test_the_caseloads_and_bed_boards_are_each_sections_own_hubs(client):
    first, second = HubFactory(name="Breckland Hub"), HubFactory(name="Acle Hub")
    worker = UserFactory(role=Role.KEY_WORKER, hub=first)
    UserFactory(role=Role.KEY_WORKER, hub=second)
    open_involvement(hub=first, key_worker=worker)
    manager = UserFactory(role=Role.HUB_MANAGER, hub=first)
    service = UserFactory(role=Role.SERVICE_MANAGER, hub=None)
    for user, hubs in ((manager, [first.pk]), (service, [second.pk, first.pk])):
        sign_in(client, user)
        for _ in range(2):  # the second time from the compiled SQL
            context = client.get(reverse("home")).context
            assert [board.hub.pk for board in context["boards"]] == hubs
            assert _caseloads(context["caseloads"]) == _caseloads(
                queries.caseloads_by_hub(scopes.hubs(user, "hubs.view_caseloads")))
            assert [hub for hub, _ in context["caseloads"]] == list(scopes.hubs(user).order_by("name"))
    (hub, staff), = queries.caseloads_by_hub(scopes.hubs(manager, "hubs.view_caseloads"))
    assert hub == first and (worker.pk, 1) in [(user.pk, user.caseload) for user in staff]
