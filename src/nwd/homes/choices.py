"""The choices of the children's home records."""

from django.db import models


class Shift(models.TextChoices):
    EARLY = "early", "Early (7am to 3pm)"
    LATE = "late", "Late (3pm to 11pm)"
    NIGHT = "night", "Waking night (11pm to 7am)"


# The hour each shift starts (a night shift runs past midnight into the next day).
SHIFT_STARTS = {Shift.EARLY: 7, Shift.LATE: 15, Shift.NIGHT: 23}


def shift_at(hour: int) -> str:
    """The shift an hour of the day falls in."""
    if 7 <= hour < 15:
        return Shift.EARLY
    if 15 <= hour < 23:
        return Shift.LATE
    return Shift.NIGHT
