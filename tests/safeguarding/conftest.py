from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from nwd.access.roles import Role
from nwd.hubs import services as hubs
from tests.factories import BedFactory, HubFactory, UserFactory, open_involvement

EVENT = timezone.make_aware(dt.datetime(2025, 6, 2, 21, 30))


@dataclass
class Home:
    hub: object
    manager: object
    worker: object
    key_worker: object
    person: object
    involvement: object


@pytest.fixture
def home(db):
    """A hub with its manager, a residential worker, and a young person staying in a bed since 1 May 2025."""
    hub = HubFactory(name="Safe Hub", code="safehub")
    manager = UserFactory(username="sg_manager", role=Role.HUB_MANAGER, hub=hub)
    worker = UserFactory(username="sg_worker", role=Role.RESIDENTIAL_WORKER, hub=hub)
    key_worker = UserFactory(username="sg_kw", role=Role.KEY_WORKER, hub=hub)
    involvement = open_involvement(hub=hub, key_worker=key_worker, start=dt.date(2025, 5, 1), support_type="residential")
    bed = BedFactory(hub=hub)
    hubs.admit(involvement.young_person, bed, dt.date(2025, 5, 1), involvement=involvement)
    return Home(hub, manager, worker, key_worker, involvement.young_person, involvement)
