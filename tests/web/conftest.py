"""The hub, its key worker and its manager that the page tests share (a test file may define its own)."""

from __future__ import annotations

import pytest

from nwd.access.roles import Role
from tests.factories import HubFactory, UserFactory


@pytest.fixture
def hub():
    return HubFactory(name="Breckland Hub", code="breckland")


@pytest.fixture
def key_worker(hub):
    return UserFactory(role=Role.KEY_WORKER, hub=hub, first_name="Kim", last_name="Worker")


@pytest.fixture
def manager(hub):
    return UserFactory(role=Role.HUB_MANAGER, hub=hub, first_name="Morgan", last_name="Manager")
