"""903-shaped episodes keep the return's structural rules."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from nwd.care.models import CareEpisode, CarePeriod
from nwd.codelists.groups import PlacementGroup
from nwd.core.services import save_valid
from tests.factories import YoungPersonFactory

pytestmark = pytest.mark.django_db
START = dt.date(2024, 5, 1)


def episode(**fields):
    person = fields.pop("young_person", None) or YoungPersonFactory()
    period = CarePeriod.objects.create(young_person=person, start=START)
    values = {"rne": "S", "ls": "C2", "cin": "N1", "place": "U4", "place_provider": "PR1", "decom": START}
    values.update(fields)
    return CareEpisode(young_person=person, period=period, **values)


def test_dec_not_before_decom():
    with pytest.raises(ValidationError) as error:
        save_valid(episode(dec=START - dt.timedelta(days=1), rec="E4A"))
    assert error.value.message_dict["dec"] == [
        "The date the episode ceased (DEC) must be on or after the date it commenced (DECOM)."
    ]


def test_ceased_episode_needs_rec_and_rec_needs_dec():
    with pytest.raises(ValidationError) as error:
        save_valid(episode(dec=START + dt.timedelta(days=10)))
    assert error.value.message_dict["rec"] == ["An episode that has ceased needs a reason (REC)."]
    with pytest.raises(ValidationError) as error:
        save_valid(episode(rec="E4A"))
    assert error.value.message_dict["dec"] == ["An episode with a reason ceased (REC) needs the date it ceased (DEC)."]


def test_place_provider_blank_for_temporary_placements():
    with pytest.raises(ValidationError) as error:
        save_valid(episode(place="T1", place_provider="PR1"))
    assert error.value.message_dict["place_provider"] == ["Leave PLACE_PROVIDER blank for placement T1."]
    with pytest.raises(ValidationError) as error:
        save_valid(episode(place="K2", place_provider=""))
    assert error.value.message_dict["place_provider"] == ["Placement K2 needs a PLACE_PROVIDER."]


def test_placement_group_of_an_episode():
    assert episode(place="K2", place_provider="PR4").placement_group == PlacementGroup.PRIVATE_RESIDENTIAL
    assert episode(place="T1", place_provider="").placement_group_label == "Temporary"
