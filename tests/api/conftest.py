"""API clients for the tests: a token of an account, sent as the partner system would."""

from __future__ import annotations

import pytest
from django.test import Client

from nwd.api import services


def api_client(user, name: str = "test system") -> Client:
    """A test client that calls the API with a new token of ``user`` (no session, no second factor)."""
    issued = services.create_token(user, name=name, days=30)
    return Client(headers={"Authorization": f"Bearer {issued.secret}"}, raise_request_exception=False)


@pytest.fixture
def as_client():
    return api_client
