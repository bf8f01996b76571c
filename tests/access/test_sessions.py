"""The session store (``nwd.access.sessions``): a page that changed nothing in the session moves only
its expiry (the 30-minute idle time-out still slides), in one UPDATE; a changed session is saved whole."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from nwd.access.roles import Role
from nwd.access.testing import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_page_moves_the_expiry_only_in_one_update(client):
    sign_in(client, UserFactory(role=Role.ANALYST))
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + dt.timedelta(minutes=1))
    data = Session.objects.get(session_key=key).session_data
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home")).status_code == 200
    writes = [q["sql"] for q in captured.captured_queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]
    assert len(writes) == 1 and writes[0].startswith("UPDATE") and "session_data" not in writes[0]
    row = Session.objects.get(session_key=key)
    assert row.session_data == data
    remaining = (row.expire_date - timezone.now()).total_seconds()
    assert settings.SESSION_COOKIE_AGE - 60 < remaining <= settings.SESSION_COOKIE_AGE


def test_an_expiry_that_would_move_by_less_than_a_minute_is_not_written(client):
    """Pages a few seconds apart write nothing to the session; once the expiry would move by a minute
    or more, one UPDATE moves it. The time-out ends at most a minute early, never late."""
    sign_in(client, UserFactory(role=Role.ANALYST))
    key = client.session.session_key
    held = timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 30)
    Session.objects.filter(session_key=key).update(expire_date=held)

    def session_writes():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("home")).status_code == 200
        return [q["sql"] for q in captured.captured_queries
                if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]

    assert session_writes() == []
    assert Session.objects.get(session_key=key).expire_date == held
    Session.objects.filter(session_key=key).update(expire_date=held - dt.timedelta(seconds=61))
    assert len(session_writes()) == 1
    assert Session.objects.get(session_key=key).expire_date > held


def test_a_changed_session_is_saved_whole(client):
    user = UserFactory(role=Role.ANALYST)
    sign_in(client, user, verified=False)
    before = Session.objects.get(session_key=client.session.session_key).session_data
    sign_in(client, user)  # the second factor passed: the session's data changes
    assert Session.objects.get(session_key=client.session.session_key).session_data != before
    assert client.get(reverse("home")).status_code == 200


def test_a_session_deleted_meanwhile_is_not_brought_back(client):
    from django.contrib.sessions.backends.base import UpdateError

    from nwd.access.sessions import SessionStore

    sign_in(client, UserFactory(role=Role.ANALYST))
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + dt.timedelta(minutes=1))
    store = SessionStore(key)
    store.load()
    Session.objects.all().delete()  # signed out in another tab
    with pytest.raises(UpdateError):
        store.save()
    assert not Session.objects.exists()


def test_a_value_changed_inside_the_session_is_saved(client):
    """A view that changes a value inside the session (a single sign-on state spent) without Django
    marking the session modified: the change is written, as saving every request always wrote it."""
    from nwd.access.sessions import SessionStore

    sign_in(client, UserFactory(role=Role.ANALYST))
    store = SessionStore(client.session.session_key)
    store["states"] = {"abc": 1, "def": 2}
    store.save()
    again = SessionStore(store.session_key)
    again["states"].pop("abc")  # a nested change: ``modified`` stays False
    assert not again.modified
    again.save()
    assert SessionStore(store.session_key)["states"] == {"def": 2}


def test_an_expired_or_deleted_session_signs_out_at_once(client):
    """The session is read by a query compiled once a process (``nwd.core.lookups``): its expiry is
    still tested in the database on every request, and a deleted session is missed at once."""
    sign_in(client, UserFactory(role=Role.ANALYST))
    assert client.get(reverse("home")).status_code == 200
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(reverse("home")).status_code == 302
    sign_in(client, UserFactory(role=Role.ANALYST))
    assert client.get(reverse("home")).status_code == 200
    Session.objects.filter(session_key=client.session.session_key).delete()  # signed out elsewhere
    assert client.get(reverse("home")).status_code == 302


def test_a_revoked_second_factor_or_a_deactivated_user_is_refused_at_once(client):
    """The second factor's device is read by a query compiled once a process (``nwd.access.middleware``):
    a device deleted, unconfirmed or given to someone else, or a deactivated user, is refused on the
    very next request."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = UserFactory(role=Role.ANALYST)
    sign_in(client, user)
    assert client.get(reverse("home")).status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=False)
    refused = client.get(reverse("home"))
    assert refused.status_code == 302 and "/second-factor/" in refused["Location"]
    sign_in(client, user)
    assert client.get(reverse("home")).status_code == 200
    TOTPDevice.objects.filter(user=user).update(user=UserFactory())
    assert client.get(reverse("home")).status_code == 302
    sign_in(client, user)
    assert client.get(reverse("home")).status_code == 200
    TOTPDevice.objects.filter(user=user).delete()
    assert "/second-factor/" in client.get(reverse("home"))["Location"]
    sign_in(client, user)
    assert client.get(reverse("home")).status_code == 200
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    assert client.get(reverse("home")).status_code == 302
