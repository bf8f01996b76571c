import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from nwd.core import dates


@pytest.mark.parametrize(
    ("dob", "day", "age"),
    [
        (dt.date(2010, 3, 14), dt.date(2022, 3, 13), 11),
        (dt.date(2010, 3, 14), dt.date(2022, 3, 14), 12),
        (dt.date(2008, 2, 29), dt.date(2026, 2, 28), 17),
        (dt.date(2008, 2, 29), dt.date(2026, 3, 1), 18),
    ],
)
def test_age_on(dob, day, age):
    assert dates.age_on(dob, day) == age


def test_birthday_of_a_leap_day_baby_in_a_common_year_is_first_of_march():
    assert dates.birthday(dt.date(2008, 2, 29), 18) == dt.date(2026, 3, 1)
    assert dates.birthday(dt.date(2008, 3, 14), 18) == dt.date(2026, 3, 14)


def test_not_in_future_names_the_field():
    with pytest.raises(ValidationError) as error:
        dates.not_in_future(dates.today() + dt.timedelta(days=1), "The date received")
    assert error.value.messages == ["The date received cannot be in the future."]
    dates.not_in_future(dates.today(), "Today is fine")


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("9" * 20, "1", "2025", "The date must be a real date, for example 27 3 2025"),
        ("1", "9" * 20, "2025", "The date must be a real date, for example 27 3 2025"),
        ("1", "1", "9" * 20, "The date must be a real date, for example 27 3 2025"),
        ("9" * 5000, "9" * 5000, "9" * 5000, "The date must be a real date, for example 27 3 2025"),
        ("31", "2", "2025", "The date must be a real date, for example 27 3 2025"),
        ("1", "1", "25", "The date must be a real date, for example 27 3 2025"),
        ("١", "1", "2025", "The date must be a real date, for example 27 3 2025"),  # an Arabic-Indic digit
        ("-1", "1", "2025", "The date must be a real date, for example 27 3 2025"),
        ("31", "12", "9999", "The date must be in a year from 1900 to 2100"),
        ("1", "1", "1899", "The date must be in a year from 1900 to 2100"),
        ("", "1", "", "The date must include a day and year"),
    ],
)
def test_a_date_typed_in_parts_is_a_real_date_or_a_message(day, month, year, message):
    """Issue 11 #6: twenty nines in any part overflowed (OverflowError); now a message, whatever the part."""
    with pytest.raises(ValidationError) as error:
        dates.date_from_parts(day, month, year, "The date")
    assert error.value.messages == [message]


def test_a_real_date_typed_in_parts():
    assert dates.date_from_parts(" 7 ", "03", "2025") == dt.date(2025, 3, 7)
    assert dates.date_from_parts("29", "2", "2024") == dt.date(2024, 2, 29)


def test_later_today_is_the_day_in_london_not_in_utc(monkeypatch):
    """Issue 12 #9: at 00:30 BST on 2 July (23:30 UTC on 1 July) 01:00 BST is later *today*, and
    23:59 BST on 1 July is in the past; in winter (GMT) London's day and UTC's are the same."""
    from django.utils import timezone

    def at(*parts):
        return timezone.make_aware(dt.datetime(*parts))

    now = dt.datetime(2026, 7, 1, 23, 30, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: now)
    with pytest.raises(ValidationError) as later:
        dates.not_in_future(at(2026, 7, 2, 1, 0), "The contact")
    assert later.value.code == "later_today"
    assert later.value.messages == ["The contact is later today (01:00): it is now 00:30. "
                                    "Check the time, or record it once it has happened."]
    dates.not_in_future(at(2026, 7, 1, 23, 59), "The contact")
    with pytest.raises(ValidationError) as tomorrow:
        dates.not_in_future(at(2026, 7, 3, 0, 10), "The contact")
    assert tomorrow.value.code == "future"
    now = dt.datetime(2026, 12, 1, 22, 27, tzinfo=dt.UTC)
    with pytest.raises(ValidationError) as later:
        dates.not_in_future(at(2026, 12, 1, 23, 59), "The contact")
    assert later.value.messages[0].startswith("The contact is later today (23:59): it is now 22:27.")
