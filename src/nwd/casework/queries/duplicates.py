"""Young people who may be the same person recorded twice (issue 16).

Two records are a possible duplicate when they have the same names and date of birth (names compared
without case, spaces, hyphens or apostrophes: "O'Neil" and "oneil"), or the same NHS number or unique
pupil number typed differently (spaces, case). The council child id never matches: it is unique.

One query reads the few columns compared, over the young people the viewer may see (a scope from
``nwd.access.scopes``); the pairing is done in Python by keys, so the cost is one pass, not a pass per
pair.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nwd.casework.models import YoungPerson

if TYPE_CHECKING:
    from django.db.models import QuerySet

_NOT_LETTERS = re.compile(r"[^a-z0-9]")


def name_key(given_name: str, family_name: str) -> str:
    """The names as compared: lower case, letters and digits only."""
    return _NOT_LETTERS.sub("", (given_name or "").lower()) + "|" + _NOT_LETTERS.sub("", (family_name or "").lower())


def number_key(value: str) -> str:
    """An NHS number or UPN as compared: no spaces or punctuation, upper case."""
    return re.sub(r"[^0-9A-Za-z]", "", value or "").upper()


UNKNOWN_UPNS = {"UN1", "UN2", "UN3", "UN4", "UN5"}


@dataclass(frozen=True)
class PossibleDuplicate:
    first: YoungPerson
    second: YoungPerson
    why: tuple[str, ...]  # "names and date of birth", "NHS number", "UPN"

    @property
    def why_text(self) -> str:
        return ", ".join(self.why)


def possible_duplicates(young_people: QuerySet[YoungPerson]) -> list[PossibleDuplicate]:
    """Pairs among ``young_people`` that may be one person, oldest record first in each pair."""
    rows = list(young_people.order_by("pk").only(
        "pk", "child_id", "given_name", "family_name", "preferred_name", "date_of_birth", "nhs_number", "upn",
        "restricted",
    ))
    groups: dict[tuple[str, str], list[YoungPerson]] = defaultdict(list)
    for person in rows:
        groups[("names and date of birth",
                f"{name_key(person.given_name, person.family_name)}|{person.date_of_birth.isoformat()}")].append(person)
        nhs = number_key(person.nhs_number)
        if nhs:
            groups[("NHS number", nhs)].append(person)
        upn = number_key(person.upn)
        if upn and upn not in UNKNOWN_UPNS:
            groups[("UPN", upn)].append(person)
    reasons: dict[tuple[int, int], list[str]] = defaultdict(list)
    people = {person.pk: person for person in rows}
    for (why, _), members in groups.items():
        for i, first in enumerate(members):
            for second in members[i + 1:]:
                reasons[(first.pk, second.pk)].append(why)
    return [PossibleDuplicate(people[a], people[b], tuple(why)) for (a, b), why in sorted(reasons.items())]
