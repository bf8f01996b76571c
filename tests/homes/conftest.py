"""A young person staying in a hub's bed, and a signed-in client: what the homes' page tests start from."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from nwd.access.testing import sign_in
from nwd.core import dates
from nwd.hubs import services as hubs
from tests.factories import BedFactory, HubFactory, open_involvement


@pytest.fixture
def stay():
    """Admitted five days ago to a bed of the hub "hubp", supported (residential) for twenty."""
    hub = HubFactory(code="hubp")
    involvement = open_involvement(hub=hub, start=dates.today() - dt.timedelta(days=20), support_type="residential")
    return hubs.admit(involvement.young_person, BedFactory(hub=hub), dates.today() - dt.timedelta(days=5))


def signed_in(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client
