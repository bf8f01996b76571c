"""Factories for hand-built records in tests. Synthetic names only.

Dates default to a fixed past day, so tests do not depend on when they run; pass your own to
test date rules.
"""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from nwd.access.models import User
from nwd.access.roles import Role
from nwd.casework import services as casework
from nwd.casework.choices import SourceAgency
from nwd.casework.models import Contact, Referral, YoungPerson
from nwd.hubs.models import Bed, BedKind, Hub

DAY = dt.date(2025, 6, 2)


class HubFactory(DjangoModelFactory):
    class Meta:
        model = Hub
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Hub {n}")
    code = factory.Sequence(lambda n: f"hub{n}")
    locality = "Dereham"
    opened = dt.date(2021, 6, 1)


class BedFactory(DjangoModelFactory):
    class Meta:
        model = Bed

    hub = factory.SubFactory(HubFactory)
    label = factory.Sequence(lambda n: f"Room {n}")
    kind = BedKind.RESIDENTIAL


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = factory.Sequence(lambda n: f"Alex{n}")
    last_name = "Tester"
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = Role.KEY_WORKER
    hub = factory.LazyAttribute(
        lambda u: HubFactory() if u.role in {Role.KEY_WORKER, Role.RESIDENTIAL_WORKER, Role.HUB_MANAGER, Role.PORTFOLIO_LEAD} else None
    )
    password = factory.django.Password("correct horse battery staple")


class YoungPersonFactory(DjangoModelFactory):
    class Meta:
        model = YoungPerson

    child_id = factory.Sequence(lambda n: f"T{n:06d}")
    given_name = factory.Sequence(lambda n: f"Robin{n}")
    family_name = "Example"
    date_of_birth = dt.date(2010, 3, 14)
    sex = "1"
    ethnicity = "WBRI"


class ReferralFactory(DjangoModelFactory):
    class Meta:
        model = Referral

    young_person = factory.SubFactory(YoungPersonFactory)
    source_agency = SourceAgency.SCHOOL
    referrer_name = "A. Teacher"
    referrer_organisation = "Example High School"
    received = DAY
    reason = "Worries about going missing and not attending school."


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    young_person = factory.SubFactory(YoungPersonFactory)
    at = factory.LazyFunction(lambda: dt.datetime(2025, 6, 3, 10, 0, tzinfo=dt.UTC))
    kind = "face_to_face"
    staff = factory.SubFactory(UserFactory)
    summary = "Met at the hub; talked about school."


def open_involvement(young_person=None, hub=None, key_worker=None, start=DAY, support_type="outreach"):
    """A young person with an open involvement and a key worker, through the service layer."""
    hub = hub or HubFactory()
    young_person = young_person or YoungPersonFactory()
    key_worker = key_worker or UserFactory(role=Role.KEY_WORKER, hub=hub)
    return casework.start_involvement(young_person, hub, support_type, key_worker, start)
