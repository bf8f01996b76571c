"""Schemathesis against the OpenAPI contract (issue 19): every operation, with a partner's token and
the council system's, on whichever database the suite runs on (CI runs both). No answer may be a
server error or break the contract (status, content type, body). Bounded: a few examples each."""

from __future__ import annotations

import datetime as dt
import types

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis.internal.conjecture import utils as conjecture_utils
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from nwd.access.roles import Role
from nwd.api import services
from nwd.events import services as events
from tests.factories import HubFactory, ReferralFactory, UserFactory, open_involvement


class _ManyWithMore(conjecture_utils.many):
    """hypothesis-jsonschema 0.23 (which Schemathesis generates bodies and parameters with) draws an
    object's keys with ``many(...).more()``, which newer Hypothesis replaced by iterating inside a
    ``with`` block. The old step, on the new class's own parts, so the two work together."""

    def more(self) -> bool:
        if self._depth is None:
            self._depth = self.data.depth
        self._finish_element()
        if not self._decide():
            return False
        self.count += 1
        self._in_element = True
        self._rejected = False
        return True


@pytest.fixture
def jsonschema_generation(monkeypatch):
    if not hasattr(conjecture_utils.many, "more"):
        import hypothesis_jsonschema._from_schema as from_schema

        shim = types.SimpleNamespace(**{**vars(conjecture_utils), "many": _ManyWithMore})
        monkeypatch.setattr(from_schema, "cu", shim)


@pytest.fixture
def one_connection():
    """Schemathesis calls the WSGI application itself, not Django's test client: as that client does,
    keep the end of a request from closing the test's database connection (and its transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


CHECKS = (not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance)
EXAMPLES = 4


def exercise(operation, kind: str, headers: dict, calls: list):
    """A Hypothesis test of one operation as one client: a few generated requests, each checked."""

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    def call(case):
        response = case.call(headers=headers)
        calls.append((kind, case.method, case.path, response.status_code))
        case.validate_response(response, checks=CHECKS)

    return call


@pytest.mark.django_db
@override_settings(NWD_API_RATE="100000/minute")
def test_the_api_keeps_its_contract_for_every_kind_of_client(jsonschema_generation, one_connection):
    involvement = open_involvement(hub=HubFactory())
    events.record_missing_episode(involvement.young_person, timezone.now() - dt.timedelta(hours=1))
    partner = UserFactory(username="school_system", role=Role.PARTNER_REFERRER, agency="school",
                          organisation="Example High School")
    ReferralFactory(young_person=involvement.young_person, submitted_by=partner)
    tokens = {
        kind: services.create_token(UserFactory(username=f"{kind}_system", role=role, **extra), name="contract", days=1).secret
        for kind, role, extra in (
            ("partner", Role.PARTNER_REFERRER, {"agency": "school", "organisation": "Example High School"}),
            ("integration", Role.INTEGRATION, {}),
        )
    }
    schema = schemathesis.from_wsgi("/api/schema/?format=json", WSGIHandler())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12
    calls = []
    for kind, secret in tokens.items():
        headers = {"Authorization": f"Bearer {secret}"}
        for operation in operations:
            exercise(operation, kind, headers, calls)()
    answered = {(kind, status // 100) for kind, _, _, status in calls}
    assert {("partner", 2), ("partner", 4), ("integration", 2), ("integration", 4)} <= answered
