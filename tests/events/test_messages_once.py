"""Messages said in several places are defined once: the services and the pages refuse with the same words."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from nwd.core.services import save_valid
from nwd.core.validation import END_NOT_BEFORE_START
from nwd.events import services as events
from nwd.events.models import (
    CONCERN_ALREADY_CLOSED,
    RETURN_ALREADY_RECORDED,
    EETPeriod,
    ExploitationConcern,
    MissingEpisode,
    already_missing,
)
from tests.factories import DAY, YoungPersonFactory

pytestmark = pytest.mark.django_db
WENT = dt.datetime(2025, 6, 2, 21, 0, tzinfo=dt.UTC)


def test_already_missing_in_one_wording_with_or_without_the_other_episodes_times():
    assert already_missing() == "This young person is already recorded as missing: record their return first."
    assert already_missing(WENT, WENT + dt.timedelta(hours=10)) == (
        "This young person is already recorded as missing from 2 Jun 2025, 22:00 to 3 Jun 2025, 08:00: "
        "record the return of that episode, or correct its times."
    )
    assert already_missing(WENT).endswith("from 2 Jun 2025, 22:00: record the return of that episode, or correct its times.")


def test_the_service_refuses_a_second_missing_episode_with_the_shared_message():
    person = YoungPersonFactory()
    save_valid(MissingEpisode(young_person=person, started_at=WENT))
    with pytest.raises(ValidationError) as error:
        events.record_missing_episode(person, WENT + dt.timedelta(hours=2))
    assert error.value.message_dict["started_at"] == [already_missing()]


def test_the_return_and_the_closed_concern_refusals_are_the_shared_messages():
    episode = save_valid(MissingEpisode(young_person=YoungPersonFactory(), started_at=WENT,
                                        ended_at=WENT + dt.timedelta(hours=3)))
    with pytest.raises(ValidationError) as error:
        events.record_return(episode, ended_at=WENT + dt.timedelta(hours=4))
    assert error.value.messages == [RETURN_ALREADY_RECORDED]
    concern = save_valid(ExploitationConcern(young_person=YoungPersonFactory(), raised_on=DAY, closed_on=DAY,
                                             kind="sexual"))
    with pytest.raises(ValidationError) as error:
        events.close_exploitation_concern(concern, closed_on=DAY)
    assert error.value.messages == [CONCERN_ALREADY_CLOSED]


def test_a_period_ending_before_it_starts_is_refused_in_the_shared_words():
    period = EETPeriod(young_person=YoungPersonFactory(), status="school", start=DAY, end=DAY - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as error:
        save_valid(period)
    assert END_NOT_BEFORE_START in error.value.messages
