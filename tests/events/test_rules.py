"""Event rules: returns after going missing, interviews only once offered, EET periods that don't overlap."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils.formats import date_format

from nwd.core import dates
from nwd.core.services import save_valid
from nwd.events.models import EETPeriod, ExploitationConcern, HealthEvent, MissingEpisode, PoliceContact
from tests.factories import DAY, YoungPersonFactory

pytestmark = pytest.mark.django_db
WENT = dt.datetime(2025, 6, 2, 21, 0, tzinfo=dt.UTC)


def test_missing_return_not_before_going_missing():
    episode = MissingEpisode(young_person=YoungPersonFactory(), started_at=WENT, ended_at=WENT - dt.timedelta(hours=1))
    with pytest.raises(ValidationError) as error:
        save_valid(episode)
    assert error.value.message_dict["ended_at"] == [
        "The return must be on or after the time the young person went missing."
    ]


def test_return_interview_accepted_only_if_offered():
    episode = MissingEpisode(
        young_person=YoungPersonFactory(), started_at=WENT, ended_at=WENT + dt.timedelta(hours=9),
        return_interview_offered=False, return_interview_accepted=True,
    )
    with pytest.raises(ValidationError) as error:
        save_valid(episode)
    assert error.value.message_dict["return_interview_accepted"] == [
        "A return interview can only be accepted if it was offered."
    ]


def test_missing_hours():
    episode = MissingEpisode(started_at=WENT, ended_at=WENT + dt.timedelta(hours=9, minutes=30))
    assert episode.hours == 9.5
    assert MissingEpisode(started_at=WENT).hours is None


@pytest.mark.parametrize(
    ("model", "field", "extra", "what"),
    [
        (PoliceContact, "occurred_on", {"kind": "arrest"}, "The date"),
        (HealthEvent, "occurred_on", {"kind": "ae"}, "The date"),
        (ExploitationConcern, "raised_on", {"kind": "criminal"}, "The date raised"),
    ],
)
def test_events_cannot_be_in_the_future(model, field, extra, what):
    event = model(young_person=YoungPersonFactory(), **{field: dates.today() + dt.timedelta(days=3)}, **extra)
    with pytest.raises(ValidationError) as error:
        save_valid(event)
    assert error.value.message_dict[field] == [f"{what} cannot be in the future."]


def test_eet_periods_do_not_overlap():
    person = YoungPersonFactory()
    save_valid(EETPeriod(young_person=person, status="school", start=DAY, end=DAY + dt.timedelta(days=60)))
    with pytest.raises(ValidationError) as error:
        save_valid(EETPeriod(young_person=person, status="neet", start=DAY + dt.timedelta(days=60)))
    assert error.value.message_dict["start"] == [
        f"This overlaps the period 'In school' from {date_format(DAY)}: end that period first."
    ]
    save_valid(EETPeriod(young_person=person, status="neet", start=DAY + dt.timedelta(days=61)))


def test_exploitation_closed_not_before_raised():
    concern = ExploitationConcern(
        young_person=YoungPersonFactory(), raised_on=DAY, closed_on=DAY - dt.timedelta(days=1), kind="sexual"
    )
    with pytest.raises(ValidationError) as error:
        save_valid(concern)
    assert error.value.message_dict["closed_on"] == ["The date closed must be on or after the date raised."]


def test_missing_episodes_of_one_young_person_do_not_overlap():
    person = YoungPersonFactory()
    save_valid(MissingEpisode(young_person=person, started_at=WENT, ended_at=WENT + dt.timedelta(hours=10)))
    with pytest.raises(ValidationError) as error:
        save_valid(MissingEpisode(young_person=person, started_at=WENT + dt.timedelta(hours=4)))
    assert error.value.message_dict["started_at"] == [
        "This young person is already recorded as missing from 2 Jun 2025, 22:00 to 3 Jun 2025, 08:00: "
        "record the return of that episode, or correct its times."
    ]
    save_valid(MissingEpisode(young_person=person, started_at=WENT + dt.timedelta(hours=10)))


def test_a_time_later_today_is_in_the_future(monkeypatch):
    """Refused, saying "later today" (issue 12 #9); the local day, so 00:30 BST is already tomorrow."""
    from django.utils import timezone

    now = timezone.make_aware(dt.datetime(2026, 7, 1, 13, 0))
    monkeypatch.setattr(timezone, "now", lambda: now)
    with pytest.raises(ValidationError) as error:
        save_valid(MissingEpisode(young_person=YoungPersonFactory(), started_at=now + dt.timedelta(hours=1)))
    assert error.value.message_dict["started_at"] == [
        "The time the young person went missing is later today (14:00): it is now 13:00. "
        "Check the time, or record it once it has happened."
    ]
    with pytest.raises(ValidationError) as error:
        save_valid(MissingEpisode(young_person=YoungPersonFactory(), started_at=now + dt.timedelta(hours=11, minutes=30)))
    assert error.value.message_dict["started_at"] == ["The time the young person went missing cannot be in the future."]


def test_an_overlap_is_said_with_a_time_in_the_future():
    """Issue 12 #8: the overlap used to wait until every other message was put right."""
    from django.utils import timezone

    person = YoungPersonFactory()
    save_valid(MissingEpisode(young_person=person, started_at=WENT))  # still missing
    tomorrow = timezone.now() + dt.timedelta(days=1, hours=1)
    with pytest.raises(ValidationError) as error:
        save_valid(MissingEpisode(young_person=person, started_at=tomorrow))
    assert error.value.message_dict["started_at"] == [
        "The time the young person went missing cannot be in the future.",
        "This young person is already recorded as missing from 2 Jun 2025, 22:00: "
        "record the return of that episode, or correct its times.",
    ]
