"""Lookups compiled once a process (``nwd.core.lookups``) give what the queryset gives, every time
asked again of the database: a row changed or deleted since is seen as it now is."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from nwd.access.models import User
from nwd.core import lookups
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _fields(rows):
    return [{f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields} for row in rows]


def test_the_rows_are_the_querysets_for_any_values():
    users = UserFactory.create_batch(3)

    def build(pk):
        return User.objects.filter(pk=pk)[:2]

    for user in users:
        assert _fields(lookups.rows_with(("test", "user"), build, (user.pk,))) == _fields(build(user.pk))
    assert lookups.rows_with(("test", "user"), build, (max(u.pk for u in users) + 1,)) == []


def test_texts_and_times_are_parameters_each_time_on_either_database():
    """A session by key and time (text and time: on SQLite a time is written as text)."""
    now = timezone.now()
    Session.objects.create(session_key="a" * 32, session_data="x", expire_date=now + dt.timedelta(minutes=5))
    Session.objects.create(session_key="b" * 32, session_data="y", expire_date=now - dt.timedelta(minutes=5))

    def build(key, at):
        return Session.objects.filter(session_key=key, expire_date__gt=at)[:2]

    def read(key, at):
        return [(s.session_key, s.session_data, s.expire_date) for s in lookups.rows_with(("test", "session"), build, (key, at))]

    assert read("a" * 32, now) == [("a" * 32, "x", Session.objects.get(pk="a" * 32).expire_date)]
    assert read("b" * 32, now) == []  # expired
    assert read("b" * 32, now - dt.timedelta(minutes=10)) == [("b" * 32, "y", Session.objects.get(pk="b" * 32).expire_date)]
    Session.objects.filter(pk="a" * 32).update(session_data="changed")
    assert read("a" * 32, now)[0][1] == "changed"
    Session.objects.filter(pk="a" * 32).delete()
    assert read("a" * 32, now) == []


def test_a_device_revoked_or_changed_is_read_as_it_is_now():
    device = TOTPDevice.objects.create(user=UserFactory(), name="phone", confirmed=True)

    def build(pk):
        return TOTPDevice.objects.filter(id=pk).order_by("pk")[:1]

    (found,) = lookups.rows_with(("test", "device"), build, (device.pk,))
    assert (found.pk, found.user_id, found.confirmed, found.key) == (device.pk, device.user_id, True, device.key)
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=False)
    assert lookups.rows_with(("test", "device"), build, (device.pk,))[0].confirmed is False
    device.delete()
    assert lookups.rows_with(("test", "device"), build, (found.pk,)) == []


def test_what_cannot_be_compiled_once_is_refused():
    with pytest.raises(ValueError, match="whole rows"):
        lookups.rows_with(("test", "related"), lambda pk: TOTPDevice.objects.filter(pk=pk).select_related("user"), (1,))
    with pytest.raises(ValueError, match="other than as given"):
        lookups.rows_with(("test", "worked out"), lambda pk: User.objects.filter(pk=pk + 1), (1,))
    with pytest.raises(ValueError, match="whole numbers, texts"):
        lookups.rows_with(("test", "a float"), lambda pk: User.objects.filter(pk=pk), (1.5,))
    with pytest.raises(ValueError, match="each of its values"):
        lookups.rows_with(("test", "unused"), lambda pk, other: User.objects.filter(pk=pk), (1, 2))
