"""Stays: no two on a bed at once, no discharge before admission, no young person in two beds."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import date_format

from nwd.core import dates
from nwd.hubs import services
from nwd.hubs.models import Destination, Stay
from tests.factories import DAY, BedFactory, YoungPersonFactory, open_involvement

pytestmark = pytest.mark.django_db


def day(n: int) -> dt.date:
    return DAY + dt.timedelta(days=n)


def test_admit_and_discharge():
    involvement = open_involvement(support_type="residential")
    bed = BedFactory(hub=involvement.hub, label="Room 1")
    stay = services.admit(involvement.young_person, bed, day(0), planned_discharge=day(28))
    assert stay.involvement == involvement
    services.discharge(stay, discharged=day(21), destination=Destination.HOME, planned=True)
    stay.refresh_from_db()
    assert stay.discharged == day(21)


def test_two_stays_cannot_overlap_on_a_bed():
    bed = BedFactory(label="Room 1")
    services.admit(YoungPersonFactory(), bed, day(0), planned_discharge=day(10))
    with pytest.raises(ValidationError) as error:
        services.admit(YoungPersonFactory(), bed, day(5))
    assert error.value.message_dict["bed"] == [
        f"Room 1 is taken from {date_format(day(0))} with no discharge yet: choose another bed or date."
    ]


def test_a_bed_is_free_again_on_the_day_of_discharge():
    bed = BedFactory(label="Room 2")
    stay = services.admit(YoungPersonFactory(), bed, day(0))
    services.discharge(stay, discharged=day(7), destination=Destination.FAMILY)
    services.admit(YoungPersonFactory(), bed, day(7))
    assert Stay.objects.filter(bed=bed).count() == 2


def test_an_earlier_stay_cannot_be_fitted_over_a_later_one():
    bed = BedFactory(label="Room 3")
    stay = services.admit(YoungPersonFactory(), bed, day(10))
    services.discharge(stay, discharged=day(20), destination=Destination.HOME)
    with pytest.raises(ValidationError) as error:
        save = Stay(bed=bed, young_person=YoungPersonFactory(), admitted=day(5), discharged=day(12), destination="home")
        save.full_clean()
    assert error.value.message_dict["bed"] == [
        f"Room 3 is taken from {date_format(day(10))} to {date_format(day(20))}: choose another bed or date."
    ]


def test_discharge_before_admission_is_refused():
    stay = services.admit(YoungPersonFactory(), BedFactory(), day(10))
    with pytest.raises(ValidationError) as error:
        services.discharge(stay, discharged=day(9), destination=Destination.HOME)
    assert error.value.message_dict["discharged"] == ["The discharge date must be on or after the admission date."]


def test_the_database_refuses_a_discharge_before_admission():
    stay = services.admit(YoungPersonFactory(), BedFactory(), day(10))
    with pytest.raises(IntegrityError), transaction.atomic():
        Stay.objects.filter(pk=stay.pk).update(discharged=day(1), destination="home")


def test_discharge_needs_a_destination():
    stay = services.admit(YoungPersonFactory(), BedFactory(), day(0))
    with pytest.raises(ValidationError) as error:
        services.discharge(stay, discharged=day(3), destination="")
    assert error.value.message_dict["destination"] == ["Record where the young person went when they left."]


def test_a_young_person_cannot_be_in_two_beds():
    person = YoungPersonFactory()
    first = BedFactory(label="Room A")
    services.admit(person, first, day(0))
    with pytest.raises(ValidationError) as error:
        services.admit(person, BedFactory(hub=first.hub, label="Room B"), day(2))
    assert error.value.message_dict["admitted"] == [
        f"This young person is already staying in Room A from {date_format(day(0))}: discharge them from that bed first."
    ]


def test_admission_in_the_future_is_refused():
    from nwd.core import dates

    with pytest.raises(ValidationError) as error:
        services.admit(YoungPersonFactory(), BedFactory(), dates.today() + dt.timedelta(days=2))
    assert error.value.message_dict["admitted"] == ["The admission date cannot be in the future."]


def test_bed_at_another_hub_is_refused():
    involvement = open_involvement()
    other_bed = BedFactory(label="Room 9")
    with pytest.raises(ValidationError) as error:
        services.admit(involvement.young_person, other_bed, day(1))
    assert "but the young person is supported by" in error.value.message_dict["bed"][0]


def test_closing_an_involvement_waits_for_discharge():
    from nwd.casework import services as casework

    involvement = open_involvement(support_type="emergency")
    services.admit(involvement.young_person, BedFactory(hub=involvement.hub), day(0))
    with pytest.raises(ValidationError) as error:
        casework.close_involvement(involvement, day(5), "goals_met")
    assert error.value.messages == ["The young person is still in a hub bed: record their discharge first."]


def test_a_taken_bed_is_said_with_an_admission_in_the_future():
    """Issue 12 #8: the clash used to wait until every other message was put right."""
    bed = BedFactory(label="Room 1")
    services.admit(YoungPersonFactory(), bed, day(0))
    later = dates.today() + dt.timedelta(days=3)
    with pytest.raises(ValidationError) as error:
        services.admit(YoungPersonFactory(), bed, later)
    assert error.value.message_dict["admitted"] == ["The admission date cannot be in the future."]
    assert error.value.message_dict["bed"] == [
        f"Room 1 is taken from {date_format(day(0))} with no discharge yet: choose another bed or date."
    ]
