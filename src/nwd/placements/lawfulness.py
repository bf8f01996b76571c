"""Placements the law forbids, in one module: pure Python, no Django, tested at its boundaries.

Two rules (docs/domain.md section 10):

- **Under 16** (from 9 September 2021): no child under 16 may be placed in accommodation that is
  not a registered children's home: supported or independent accommodation (H5, K3, P2, Z12),
  an unregistered children's home (Z11, or K2 not registered), or another unregistered
  placement (Z13).
- **16 and 17** (from 28 October 2023): a 16- or 17-year-old may live in supported accommodation
  only if it is registered with Ofsted: unregistered supported or independent accommodation (H5,
  P2, K3 not registered, Z12), an unregistered children's home (Z11, K2 not registered) or
  another unregistered placement (Z13) breaks it.

A placement occupies the days from its start (DECOM) up to, not including, the day it ceased (DEC),
the 903's half-open reading; one still open runs to the day asked about, inclusive. A breach is the
part of a placement inside a rule's window: from the later of the placement's start and the rule's
date (and, for 16- and 17-year-olds, the 16th birthday) to the earlier of its end and the birthday
that ends the rule (16th, or 18th). A child who turns 16 during an unregistered placement so moves
from the first rule to the second on the birthday (if the second applies by then): two breaches,
one per rule, that meet.

Foster care, placements with parents, adoption, secure children's homes, hospitals, custody,
residential schools and care homes are outside both rules (they are regulated otherwise).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

UNDER_16_FROM = dt.date(2021, 9, 9)
SIXTEEN_SEVENTEEN_FROM = dt.date(2023, 10, 28)

# Never a registered children's home, whatever the records say of registration.
NOT_A_CHILDRENS_HOME = frozenset({"H5", "K3", "P2", "Z11", "Z12", "Z13"})
# Unregistered whatever the records say (the codes mean it).
ALWAYS_UNREGISTERED = frozenset({"Z11", "Z12", "Z13"})
# Unregistered when the records say the setting is not registered with Ofsted.
REGISTRABLE = frozenset({"K2", "K3", "H5", "P2"})


class Rule(StrEnum):
    UNDER_16 = "under_16_not_childrens_home"
    SIXTEEN_SEVENTEEN = "16_17_unregistered"

    @property
    def label(self) -> str:
        return RULE_LABELS[self]


RULE_LABELS = {
    Rule.UNDER_16: "Under 16 and not in a registered children's home (unlawful since 9 September 2021)",
    Rule.SIXTEEN_SEVENTEEN: "16 or 17 in accommodation not registered with Ofsted (unlawful since 28 October 2023)",
}


@dataclass(frozen=True)
class Placement:
    """What the rules need of a placement: the child's date of birth, the dates, the code, registration."""

    date_of_birth: dt.date
    start: dt.date
    end: dt.date | None  # the day it ceased (DEC): not a day of the placement; None while open
    place: str
    registered: bool  # the records say the setting is registered with Ofsted


@dataclass(frozen=True)
class Breach:
    """The days of a placement that break a rule: ``start`` to ``end`` inclusive."""

    rule: Rule
    start: dt.date
    end: dt.date
    ongoing: bool  # the breach runs to the day asked about and the placement is still open then

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def birthday(date_of_birth: dt.date, age: int) -> dt.date:
    """The date someone turns ``age`` (29 February falls on 1 March in other years, as in ``core.dates``)."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + age)
    except ValueError:
        return dt.date(date_of_birth.year + age, 3, 1)


def is_unregistered(place: str, registered: bool) -> bool:
    """Not registered with Ofsted: the code says so, or the records do for a code that could be."""
    place = place.strip().upper()
    return place in ALWAYS_UNREGISTERED or (place in REGISTRABLE and not registered)


def not_a_registered_childrens_home(place: str, registered: bool) -> bool:
    place = place.strip().upper()
    return place in NOT_A_CHILDRENS_HOME or (place == "K2" and not registered)


def breaches(placement: Placement, on: dt.date) -> list[Breach]:
    """Every breach of either rule in ``placement``, as far as day ``on`` (inclusive)."""
    last = on if placement.end is None else min(on, placement.end - dt.timedelta(days=1))
    if last < placement.start:
        return []
    found = []
    windows: list[tuple[Rule, dt.date, dt.date | None, dt.date]] = []
    if not_a_registered_childrens_home(placement.place, placement.registered):
        windows.append((Rule.UNDER_16, UNDER_16_FROM, None, birthday(placement.date_of_birth, 16)))
    if is_unregistered(placement.place, placement.registered):
        windows.append((Rule.SIXTEEN_SEVENTEEN, SIXTEEN_SEVENTEEN_FROM, birthday(placement.date_of_birth, 16),
                        birthday(placement.date_of_birth, 18)))
    for rule, rule_from, age_from, age_until in windows:
        start = max(placement.start, rule_from, age_from or placement.start)
        end = min(last, age_until - dt.timedelta(days=1))
        if start <= end:
            ongoing = placement.end is None or placement.end > on
            found.append(Breach(rule, start, end, ongoing=ongoing and end == on))
    return found


def placement_days(start: dt.date, end: dt.date | None, on: dt.date) -> int:
    """How many days a placement has lasted by day ``on`` (inclusive), or lasted in all if it has ended."""
    last = on if end is None else min(on, end - dt.timedelta(days=1))
    return max(0, (last - start).days + 1)
