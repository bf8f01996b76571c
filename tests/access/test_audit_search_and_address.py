"""The audit log keeps the words of a search only as a keyed hash, and takes the client's address the
way lockout does (the trusted proxy's header when one is configured); SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse

from nwd.access import audit, queries
from nwd.access.models import Action, AuditEvent
from nwd.access.roles import Role
from nwd.access.testing import sign_in
from nwd.core import dates
from tests.factories import HubFactory, UserFactory, open_involvement

pytestmark = pytest.mark.django_db


@pytest.fixture
def searcher():
    hub = HubFactory(name="Breckland Hub", code="breckland")
    key_worker = UserFactory(role=Role.KEY_WORKER, hub=hub)
    supported = open_involvement(hub=hub, key_worker=key_worker, start=dates.today() - dt.timedelta(days=30))
    supported.young_person.given_name, supported.young_person.family_name = "Quinlan", "Marchetti"
    supported.young_person.save()
    return key_worker


def _search(client, user, words: str, **extra):
    sign_in(client, user)
    response = client.get(reverse("web:search"), {"q": words}, **extra)
    assert response.status_code == 200
    assert "1 result" in response.content.decode()
    return AuditEvent.objects.filter(action=Action.SEARCH).get()


def test_a_search_leaves_no_typed_words_in_the_audit_row(client, searcher):
    event = _search(client, searcher, "Quinlan Marchetti")
    stored = " ".join(str(getattr(event, f.attname) or "") for f in AuditEvent._meta.concrete_fields)
    assert "quinlan" not in stored.lower() and "marchetti" not in stored.lower()
    assert event.detail == "search: " + audit.search_digest("Quinlan Marchetti")
    assert event.detail.startswith("search: hmac-sha256:") and len(event.detail) == len("search: hmac-sha256:") + 64
    assert audit.search_digest("Quinlan Marchetti") in event.path  # the ?q= of the path hashed too


def test_an_auditor_finds_a_search_by_hashing_the_words(client, searcher):
    event = _search(client, searcher, "Quinlan")
    assert list(queries.searched_for("  quinlan ")) == [event]  # case and spaces as the search ignores them
    assert not queries.searched_for("Marchetti").exists()
    assert list(queries.search_log(queries.LogFilter(searched_for="QUINLAN"))) == [event]
    assert not queries.search_log(queries.LogFilter(searched_for="Quin")).exists()


def test_the_digest_is_keyed():
    with override_settings(NWD_AUDIT_SEARCH_KEY=""):
        by_secret_key = audit.search_digest("Quinlan")
        with override_settings(SECRET_KEY="another secret key of fifty characters or so, long"):
            assert audit.search_digest("Quinlan") != by_secret_key
    with override_settings(NWD_AUDIT_SEARCH_KEY="a configured audit key"):
        configured = audit.search_digest("Quinlan")
        with override_settings(SECRET_KEY="another secret key of fifty characters or so, long"):
            assert audit.search_digest("Quinlan") == configured  # rotating SECRET_KEY keeps the log searchable
    assert configured != by_secret_key


def test_the_audit_address_is_the_trusted_proxys_entry(client, searcher):
    header = {"HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.5", "REMOTE_ADDR": "10.0.0.2"}
    with override_settings(NWD_TRUSTED_PROXY_HEADER_META="HTTP_X_FORWARDED_FOR"):
        event = _search(client, searcher, "Quinlan", **header)
        assert event.ip_address == "203.0.113.5"  # the proxy's entry, not the client's "1.2.3.4"
        request = RequestFactory().get("/", **header)
        request.user = searcher
        assert audit.record(request, Action.VIEW).ip_address == "203.0.113.5"


def test_without_a_trusted_proxy_the_header_is_not_believed(searcher):
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="203.0.113.5", REMOTE_ADDR="10.0.0.2")
    request.user = searcher
    request.axes_ip_address = "198.51.100.1"  # whatever axes noted, the audit asks lockout
    with override_settings(NWD_TRUSTED_PROXY_HEADER_META=None):
        assert audit.record(request, Action.VIEW).ip_address == "10.0.0.2"
