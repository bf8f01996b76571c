"""Hand-built placements for the placement tests: a few children, each with one period of care and
the episodes given, a few providers. Small on purpose (the county is for the county's tests)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from nwd.care.models import CareEpisode, CarePeriod, Provider
from nwd.core import dates
from tests.factories import YoungPersonFactory

TODAY = dates.today()


def provider(name: str, code: str = "PR4", *, in_area: bool = True, regulated: bool = True, urn: str = "") -> Provider:
    return Provider.objects.create(name=name, place_provider=code, in_area=in_area, regulated=regulated, urn=urn)


def child(child_id: str, date_of_birth: dt.date):
    return YoungPersonFactory(child_id=child_id, date_of_birth=date_of_birth)


def placed(person, place: str, start: dt.date, *, code: str = "PR4", end: dt.date | None = None,
           with_provider: Provider | None = None, cost: str | None = None, in_area: bool = True,
           regulated: bool = True, urn: str = "", period: CarePeriod | None = None) -> CareEpisode:
    """One episode (a new period of care unless ``period``); ended ones end E8."""
    if period is None:
        period = CarePeriod.objects.create(young_person=person, start=start, end=end)
    return CareEpisode.objects.create(
        young_person=person, period=period, decom=start, dec=end, rne="S", ls="C2", cin="N1", place=place,
        place_provider="" if place in {"Z11", "Z12", "Z13", "Z14", "T0", "T1", "T2", "T3", "T4"} else code,
        rec="E8" if end else "", provider=with_provider, in_area=in_area, regulated=regulated,
        weekly_cost=Decimal(cost) if cost is not None else None, urn=urn,
    )


def years_ago(years: int, days: int = 0) -> dt.date:
    """A date of birth ``years`` years (and ``days`` more days) before today."""
    day = 28 if (TODAY.month, TODAY.day) == (2, 29) else TODAY.day
    return dt.date(TODAY.year - years, TODAY.month, day) - dt.timedelta(days=days)
