"""The date rules every record keeps, each written once with the message a practitioner sees.

Models call these from ``clean()``; services call ``full_clean()`` before saving, so a form, the
admin, an import and the synthetic county all meet the same rule with the same words.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

REFERRAL_MIN_AGE = 12
REFERRAL_MAX_AGE = 25

# The years a date typed into a form may have. Everyone the service records was born after 1900, and
# nothing is planned past 2100; a wider range only lets a slip of the keyboard (09999) become a date
# that the pages' date arithmetic cannot hold (9999-12-31 plus a day overflows).
EARLIEST_YEAR = 1900
LATEST_YEAR = 2100


def today() -> dt.date:
    return timezone.localdate()


def date_from_parts(day: str, month: str, year: str, what: str = "The date") -> dt.date:
    """The date typed as day, month and year boxes, or a ValidationError a practitioner understands.

    The one rule for every date a form takes (``nwd.core.forms.DateField``): each part digits only,
    a day and month of one or two digits, a year of four from EARLIEST_YEAR to LATEST_YEAR, and a
    date that exists. The lengths are checked before any number is made, so no part, however long
    (twenty nines), can overflow what a date holds.
    """
    parts = {"day": str(day or "").strip(), "month": str(month or "").strip(), "year": str(year or "").strip()}
    missing = [name for name, value in parts.items() if not value]
    if missing:
        raise ValidationError(f"{what} must include a {' and '.join(missing)}", code="incomplete")
    real = f"{what} must be a real date, for example 27 3 2025"
    day, month, year = parts["day"], parts["month"], parts["year"]
    if not all(p.isascii() and p.isdigit() for p in (day, month, year)):
        raise ValidationError(real, code="invalid")
    if len(day) > 2 or len(month) > 2 or len(year) != 4:
        raise ValidationError(real, code="invalid")
    if not EARLIEST_YEAR <= int(year) <= LATEST_YEAR:
        raise ValidationError(f"{what} must be in a year from {EARLIEST_YEAR} to {LATEST_YEAR}", code="year_range")
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        raise ValidationError(real, code="invalid") from None


def as_date(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


# A clock on a phone a minute ahead of the server must not make a "just now" entry fail.
CLOCK_SLACK = dt.timedelta(minutes=5)


def not_in_future(value: dt.date | dt.datetime | None, what: str) -> None:
    """Reject a date after today, or a time later than now: '{what} cannot be in the future'.

    A time later today is refused too (a record says what has happened), but with its own message:
    "later today", the time typed and the time now, so a practitioner who typed 23:59 at 22:27 sees
    at once which box to change. "Today" is the service's local day (Europe/London, so in summer
    00:30 BST is already the next day although it is still the day before in UTC).
    """
    if value is None:
        return
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        now = timezone.now()
        if value <= now + CLOCK_SLACK:
            return
        when, now_local = timezone.localtime(value), timezone.localtime(now)
        if when.date() == now_local.date():
            raise ValidationError(
                f"{what} is later today ({when:%H:%M}): it is now {now_local:%H:%M}. "
                "Check the time, or record it once it has happened.",
                code="later_today",
            )
        raise ValidationError(f"{what} cannot be in the future.", code="future")
    if as_date(value) > today():
        raise ValidationError(f"{what} cannot be in the future.", code="future")


def end_not_before_start(
    start: dt.date | dt.datetime | None,
    end: dt.date | dt.datetime | None,
    end_field: str,
    end_what: str,
    start_what: str,
) -> None:
    """Reject an end before its start, reporting the error on the end field."""
    if start is None or end is None:
        return
    if end < start:
        raise ValidationError(
            {end_field: f"{end_what} must be on or after {start_what}."}, code="end_before_start"
        )


def in_order(start: dt.date | dt.datetime | None, end: dt.date | dt.datetime | None) -> bool:
    """Whether a period runs forwards (an open end does): the rules that compare periods need one."""
    return start is None or end is None or end >= start


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    """Age in whole years on ``day`` (a birthday on 29 February falls on 1 March in other years)."""
    years = day.year - date_of_birth.year
    if (day.month, day.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def birthday(date_of_birth: dt.date, age: int) -> dt.date:
    """The date someone born on ``date_of_birth`` turns ``age``."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + age)
    except ValueError:  # 29 February in a year without one
        return dt.date(date_of_birth.year + age, 3, 1)


def referral_age_ok(date_of_birth: dt.date, received: dt.date, name: str) -> None:
    """Young people can be referred from 12 to 25 inclusive."""
    age = age_on(date_of_birth, received)
    if not REFERRAL_MIN_AGE <= age <= REFERRAL_MAX_AGE:
        raise ValidationError(
            {
                "received": (
                    f"The service takes referrals for young people aged {REFERRAL_MIN_AGE} to "
                    f"{REFERRAL_MAX_AGE}: {name} was {age} on {received:%d/%m/%Y}."
                )
            },
            code="age",
        )
