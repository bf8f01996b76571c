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
